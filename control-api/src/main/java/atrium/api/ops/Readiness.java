package atrium.api.ops;

import atrium.core.asset.AssetId;
import atrium.core.runtime.EmbeddedDatabase;
import atrium.devices.TwinGateway;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Whether this node should be sent traffic: it is an Up member of the cluster, a twin answers
 * through sharding (which needs the shard coordinator and the journal the twin recovers from), and
 * the embedded database answers a query. Each check has a deadline, so a hung journal makes the node
 * not ready instead of hanging the probe.
 */
public final class Readiness {
  /** One check's outcome. */
  public record Check(boolean ok, String detail) {}

  /** The checks and whether all passed. */
  public record Report(String status, Map<String, Check> checks) {
    public boolean ready() {
      return status.equals("ready");
    }
  }

  private final ActorSystem<?> system;
  private final TwinGateway gateway;
  private final Optional<AssetId> probe;
  private final Optional<EmbeddedDatabase> database;
  private final Executor blocking;
  private final Duration deadline;

  /**
   * @param probe an asset of the site model whose twin is asked for its state
   * @param blocking where the JDBC query runs (never on an actor's or Netty's thread)
   */
  public Readiness(ActorSystem<?> system, TwinGateway gateway, Optional<AssetId> probe, Optional<EmbeddedDatabase> database,
      Executor blocking, Duration deadline) {
    this.system = system;
    this.gateway = gateway;
    this.probe = probe;
    this.database = database;
    this.blocking = blocking;
    this.deadline = deadline;
  }

  public CompletionStage<Report> check() {
    Map<String, Check> checks = new LinkedHashMap<>();
    MemberStatus status = Cluster.get(system).selfMember().status();
    checks.put("cluster", new Check(status == MemberStatus.up(), "this node is " + status.toString().toLowerCase() + " in the cluster"));
    CompletableFuture<Check> twin = probe.map(this::askTwin)
        .orElse(CompletableFuture.completedFuture(new Check(true, "no sites served: no twin to ask")));
    CompletableFuture<Check> db = database.map(this::query)
        .orElse(CompletableFuture.completedFuture(new Check(true, "no embedded database in this persistence profile")));
    return twin.thenCombine(db, (t, d) -> {
      checks.put("sharding-and-journal", t);
      checks.put("database", d);
      boolean ok = checks.values().stream().allMatch(Check::ok);
      return new Report(ok ? "ready" : "not-ready", checks);
    });
  }

  private CompletableFuture<Check> askTwin(AssetId asset) {
    return gateway.state(asset).toCompletableFuture()
        .orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .handle((state, e) -> e == null
            ? new Check(true, "twin " + asset + " answered through sharding")
            : new Check(false, "twin " + asset + " did not answer: " + rootMessage(e)));
  }

  private CompletableFuture<Check> query(EmbeddedDatabase db) {
    return CompletableFuture.supplyAsync(() -> {
      var session = db.sessions().get();
      try {
        return session.withConnection(c -> {
          try (Statement s = c.createStatement()) {
            s.setQueryTimeout((int) Math.max(1, deadline.toSeconds()));
            try (ResultSet r = s.executeQuery("SELECT 1")) {
              return r.next() ? new Check(true, "the embedded H2 database answered") : new Check(false, "SELECT 1 returned nothing");
            }
          }
        });
      } catch (Exception e) {
        return new Check(false, "the embedded database failed: " + rootMessage(e));
      } finally {
        try {
          session.close();
        } catch (Exception ignored) {
          // closing a connection that failed
        }
      }
    }, blocking).orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(e -> new Check(false, "the embedded database did not answer: " + rootMessage(e)));
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }
}
