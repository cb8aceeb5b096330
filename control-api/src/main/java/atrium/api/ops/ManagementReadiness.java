package atrium.api.ops;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;

/**
 * Pekko Management's readiness check for a node ({@code pekko.management.health-checks.readiness-checks}
 * in atrium-cluster.conf): ready when the node's own {@link Readiness} passes — the twin answers, the
 * journal is reachable — besides Pekko's own cluster-membership check. Pekko builds it by reflection
 * with the node's actor system, so the node {@link #register registers} its {@code Readiness} under the
 * system first; a node that has not (still starting) is not ready.
 */
public final class ManagementReadiness implements Supplier<CompletionStage<Boolean>> {
  private static final ConcurrentHashMap<ActorSystem, Readiness> BY_SYSTEM = new ConcurrentHashMap<>();

  private final ActorSystem system;

  public ManagementReadiness(ActorSystem system) {
    this.system = system;
  }

  /** The node's readiness, for the management endpoint of {@code system}; removed when the system terminates. */
  public static void register(ActorSystem system, Readiness readiness) {
    BY_SYSTEM.put(system, readiness);
    system.registerOnTermination(() -> BY_SYSTEM.remove(system));
  }

  @Override
  public CompletionStage<Boolean> get() {
    Readiness readiness = BY_SYSTEM.get(system);
    if (readiness == null) return CompletableFuture.completedFuture(false);
    return readiness.check().thenApply(Readiness.Report::ready);
  }
}
