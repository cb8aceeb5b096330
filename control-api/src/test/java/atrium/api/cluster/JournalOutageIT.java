package atrium.api.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.TestNode;
import atrium.api.chaos.History;
import atrium.api.chaos.History.Outcome;
import atrium.api.security.AuthSettings;
import atrium.api.security.Role;
import atrium.api.security.TokenIssuer;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 10's fault test "the journal unavailable for 30 s": one node of the Cassandra profile (a child
 * JVM, as in {@link ClusterIT}) takes setpoint commands for 20 HVAC zones while the development
 * Cassandra is frozen with SIGSTOP for 30 s and then resumed with SIGCONT (always, in a finally).
 * SIGSTOP rather than a stop: the node's driver keeps its connections, which is the harder case: writes
 * hang instead of failing fast, and nothing restarts Cassandra's process or replays its commit log.
 * Every command sent and answered during the outage must be refused with a retryable answer (503 with
 * Retry-After), none hangs past the client's timeout and none answers 500; after it every zone must take commands
 * again with nobody restarting anything; read back: lost = 0, unexpected = 0.
 */
class JournalOutageIT {
  private static final String SITE = "demo-mall";
  private static final int ZONES = 20;
  private static final Duration OUTAGE = Duration.ofSeconds(30);

  @Test
  void commandsDuringA30SecondJournalOutageAreRefusedAsRetryableAndNothingAcknowledgedIsLost() throws Exception {
    long cassandraPid = cassandraPid();
    String contact = System.getenv().getOrDefault("ATRIUM_CASSANDRA_CONTACT_POINTS", "127.0.0.1:9042").split(",")[0].trim();
    String keyspace = "atrium_outage_it_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    Path out = Path.of("target", "cluster-it");
    Files.createDirectories(out);
    Map<String, Object> common = TestNode.settings(out.resolve("outage-common").toAbsolutePath());
    int artery = ClusterIT.freePort();
    ClusterIT.NodeProcess node = ClusterIT.cassandraNode(common, "outage-node", contact, keyspace, true, artery, artery);
    String token = new TokenIssuer(AuthSettings.create(ConfigFactory.parseMap(common).withFallback(ConfigFactory.load())),
        Clock.systemUTC()).mint("outage-it", Role.OPERATOR, Set.of(SITE), Duration.ofHours(1));
    ClusterIT cluster = new ClusterIT();
    History history = new History("journal-outage");
    AtomicBoolean outage = new AtomicBoolean();
    Map<String, AtomicInteger> duringOutage = new ConcurrentHashMap<>();
    Map<String, Boolean> ackedAfterOutage = new ConcurrentHashMap<>();
    AtomicBoolean resumed = new AtomicBoolean();
    CountDownLatch stop = new CountDownLatch(1);
    ExecutorService client = Executors.newSingleThreadExecutor();
    try {
      node.start(ClusterIT.classpath());
      cluster.awaitReady(node, Duration.ofSeconds(240));
      // Management answers ready a moment before the HTTP door has opened.
      List<String> zones = ClusterIT.eventually(Duration.ofSeconds(60), Duration.ofMillis(500), "the HTTP door listing the zones",
          () -> Optional.of(cluster.hvacZones(node, token))).subList(0, ZONES);
      client.submit(() -> {
        for (int k = 1; stop.getCount() > 0; k++) {
          for (String zone : zones) {
            boolean during = outage.get();
            String answer = cluster.send(node, token, history, zone, k);
            // Sent and answered while Cassandra was frozen (one sent during it may be answered 200 after the resume).
            if (during && outage.get()) duringOutage.computeIfAbsent(answer, a -> new AtomicInteger()).incrementAndGet();
            if (resumed.get() && answer.equals("200")) ackedAfterOutage.put(zone, true);
            if (stop.await(10, TimeUnit.MILLISECONDS)) return null;
          }
        }
        return null;
      });
      ClusterIT.awaitAcknowledged(history, 60, Duration.ofSeconds(120));

      signal("STOP", cassandraPid);
      try {
        outage.set(true);
        stop.await(OUTAGE.toSeconds(), TimeUnit.SECONDS); // the fault's length, not a wait for a condition
      } finally {
        signal("CONT", cassandraPid);
        outage.set(false);
      }
      resumed.set(true);
      // Every zone takes commands again, with nothing restarted by hand.
      ClusterIT.eventually(Duration.ofSeconds(180), Duration.ofMillis(500), "every zone acknowledging commands after the outage",
          () -> ackedAfterOutage.size() == zones.size() ? Optional.of(true) : Optional.empty());
      stop.countDown();
      client.shutdown();
      assertTrue(client.awaitTermination(60, TimeUnit.SECONDS), "the client finishes");

      Map<String, Long> shown = new TreeMap<>();
      for (String zone : zones) {
        JsonNode state = cluster.get(node, token, "/api/v1/sites/" + SITE + "/assets/hvac-zone/" + zone + "/setpoints");
        shown.put(zone, Math.round((state.path("heating").asDouble() - 16) * 1000));
      }
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("outageSeconds", OUTAGE.toSeconds());
      figures.put("answersDuringOutage", new TreeMap<>(duringOutage));
      History.Report report = History.publish(history.checkRegister(shown), figures);

      assertEquals(0, report.lost(), "lost: " + report.problems());
      assertEquals(0, report.unexpected(), "unexpected: " + report.problems());
      assertTrue(duringOutage.containsKey("503+Retry-After"), "commands during the outage are refused as retryable: " + duringOutage);
      assertEquals(Set.of("503+Retry-After"), duringOutage.keySet(),
          "during the outage every answer is 503 with Retry-After: no 500, no hang past the client's timeout: " + duringOutage);
    } finally {
      stop.countDown();
      client.shutdownNow();
      if (node.alive()) node.process.destroyForcibly();
    }
  }

  /** The development Cassandra's process (scripts/cassandra.sh writes .cassandra/cassandra.pid), or ATRIUM_CASSANDRA_PID. */
  private static long cassandraPid() throws Exception {
    String env = System.getenv("ATRIUM_CASSANDRA_PID");
    if (env != null && !env.isBlank()) return Long.parseLong(env.trim());
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path f = p.resolve(".cassandra").resolve("cassandra.pid");
      if (Files.isRegularFile(f)) {
        long pid = Long.parseLong(Files.readString(f).trim());
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "Cassandra (pid " + pid + " in " + f + ") is not running");
        return pid;
      }
    }
    throw new AssertionError("no .cassandra/cassandra.pid: start Cassandra with scripts/cassandra.sh start, or set ATRIUM_CASSANDRA_PID");
  }

  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal + " " + pid);
  }
}
