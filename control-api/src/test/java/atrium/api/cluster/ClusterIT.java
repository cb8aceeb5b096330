package atrium.api.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.TestNode;
import atrium.api.chaos.History;
import atrium.api.chaos.History.Outcome;
import atrium.api.security.AuthSettings;
import atrium.api.security.Role;
import atrium.api.security.TokenIssuer;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * Issue 7's done-when, in the manner of a Jepsen client: a real Cassandra (started by the test
 * command), Atrium nodes as separate JVMs on loopback ({@code AtriumMain node --config}), the
 * simulator feeding the first node's device door, and a client that sends every HVAC zone of the demo
 * mall a sequence of setpoint commands, round-robin over the nodes, recording each as acknowledged,
 * failed or unknown. Meanwhile a fourth node joins (and must take shards), one node leaves by SIGTERM
 * (coordinated shutdown hands its shards off) and one is killed with {@code kill -9}; the time from the
 * kill until every zone answers again on the survivors is measured. Afterwards every zone's setpoints
 * are read back: <em>lost</em> = a zone shows an older command than one acknowledged, <em>unexpected</em>
 * = a value never sent; both must be 0. Each zone's journal in Cassandra must have no gaps in its
 * sequence numbers. The figures go to {@code target/cluster-it.json} (docs/benchmarks.md § Fail-over).
 */
class ClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SITE = "demo-mall";
  private static final double COOLING = 29.5;
  private static final Path OUT = Path.of("target", "cluster-it");
  /** Client threads, each with its share of the zones: enough to keep every node busy, few enough for two cores. */
  private static final int WORKERS = 4;
  /**
   * {@code -Datrium.cluster-it.quiet=true}: the fail-over measured with the cluster alone on the machine —
   * no simulator, one client thread — to tell the settings' share of the time from a crowded machine's
   * (docs/benchmarks.md § Fail-over). The checks are the same.
   */
  private static final boolean QUIET = Boolean.getBoolean("atrium.cluster-it.quiet");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** One Atrium JVM. */
  static final class NodeProcess {
    final String name;
    final int httpPort, artery, management, mqtt;
    final Path config, log;
    Process process;

    NodeProcess(String name, int httpPort, int artery, int management, int mqtt, Path config, Path log) {
      this.name = name;
      this.httpPort = httpPort;
      this.artery = artery;
      this.management = management;
      this.mqtt = mqtt;
      this.config = config;
      this.log = log;
    }

    URI base() {
      return URI.create("http://127.0.0.1:" + httpPort);
    }

    void start(String classpath) throws IOException {
      List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms128m", "-Xmx512m",
          // Two cores for four nodes, Cassandra, the simulator and the client: the quick JIT only.
          "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-cp", classpath, "atrium.api.AtriumMain", "node", "--config", config.toString());
      process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    boolean alive() {
      return process != null && process.isAlive();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** One node of the Cassandra profile in {@code keyspace}: its settings written to {@code OUT/<name>.conf}, free ports. */
  static NodeProcess cassandraNode(Map<String, Object> common, String name, String contact, String keyspace, boolean createSchema,
      int artery, int... seeds) throws IOException {
    Map<String, Object> s = new LinkedHashMap<>(common);
    s.put("atrium.data-dir", OUT.resolve(name).toAbsolutePath().toString());
    s.put("atrium.http.port", freePort());
    s.put("atrium.mqtt.port", freePort());
    s.put("atrium.clock.mode", "wall");
    s.put("atrium.persistence.profile", "cassandra");
    s.put("atrium.cassandra.keyspace", keyspace);
    s.put("atrium.cassandra.contact-points", List.of(contact));
    s.put("atrium.cassandra.create-schema", createSchema);
    s.put("atrium.management.enabled", true);
    s.put("pekko.management.http.port", freePort());
    s.put("pekko.remote.artery.canonical.port", artery);
    List<String> seedNodes = new ArrayList<>();
    for (int seed : seeds) seedNodes.add("pekko://atrium@127.0.0.1:" + seed);
    s.put("pekko.cluster.seed-nodes", seedNodes);
    Path file = OUT.resolve(name + ".conf");
    Files.writeString(file, ConfigFactory.parseMap(s).root().render(ConfigRenderOptions.defaults().setOriginComments(false)));
    return new NodeProcess(name, (Integer) s.get("atrium.http.port"), artery, (Integer) s.get("pekko.management.http.port"),
        (Integer) s.get("atrium.mqtt.port"), file, OUT.resolve(name + ".log"));
  }

  static double heating(int k) {
    return 16 + k / 1000.0;
  }

  static String classpath() {
    Path jar = Path.of("target", "control-api-0.1.0-SNAPSHOT.jar").toAbsolutePath();
    Path lib = Path.of("target", "lib").toAbsolutePath();
    assertTrue(Files.isRegularFile(jar) && Files.isDirectory(lib), "the packaged server (mvn package) is needed: " + jar);
    return jar + java.io.File.pathSeparator + lib + "/*";
  }

  @Test
  void nothingAcknowledgedIsLostWhileNodesJoinLeaveAndAreKilled() throws Exception {
    String contact = System.getenv().getOrDefault("ATRIUM_CASSANDRA_CONTACT_POINTS", "127.0.0.1:9042").split(",")[0].trim();
    String keyspace = "atrium_cluster_it_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    Files.createDirectories(OUT);
    String cp = classpath();

    // Four nodes' settings; the first two are the seed nodes.
    List<NodeProcess> nodes = new ArrayList<>();
    int[] arteries = {freePort(), freePort(), freePort(), freePort()};
    Map<String, Object> common = TestNode.settings(OUT.resolve("common").toAbsolutePath());
    for (int i = 0; i < 4; i++) {
      // The first node creates the schema; the others find it there.
      nodes.add(cassandraNode(common, "node" + (i + 1), contact, keyspace, i == 0, arteries[i], arteries[0], arteries[1]));
    }
    Config auth = ConfigFactory.parseMap(common).withFallback(ConfigFactory.load());
    String token = new TokenIssuer(AuthSettings.create(auth), Clock.systemUTC()).mint("cluster-it", Role.OPERATOR, Set.of(SITE), Duration.ofHours(2));

    Process simulator = null;
    ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
    Map<String, Object> figures = new LinkedHashMap<>();
    try {
      // The first seed forms the cluster (and creates the schema); then the others join.
      nodes.get(0).start(cp);
      awaitReady(nodes.get(0), Duration.ofSeconds(180));
      nodes.get(1).start(cp);
      nodes.get(2).start(cp);
      awaitReady(nodes.get(1), Duration.ofSeconds(180));
      awaitReady(nodes.get(2), Duration.ofSeconds(180));
      awaitMembers(nodes.get(0), 3, Duration.ofSeconds(60));

      List<String> zones = hvacZones(nodes.get(0), token);
      assertEquals(120, zones.size(), "the demo mall's HVAC zones");
      // The client's record of every command (the shared checker of the fault tests, docs/reliability.md).
      History history = new History("cluster-kill");

      // The simulator feeds node 1's device door (the gateway credential of TestNode).
      Path password = OUT.resolve("gateway-password");
      Files.writeString(password, TestNode.GATEWAY_PASSWORD);
      if (!QUIET) simulator = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-cp", cp,
          "atrium.api.AtriumMain", "simulate", scenario("weekday.json").toString(), "--twin", nodes.get(0).base().toString(),
          "--user", TestNode.GATEWAY, "--password-file", password.toString(), "--speed", "5", "--now",
          "--out", OUT.resolve("simulator-report").toString())
          .redirectErrorStream(true).redirectOutput(OUT.resolve("simulator.log").toFile()).start();

      // The client: each zone's commands in sequence, the zones in parallel, round-robin over the nodes.
      CountDownLatch stop = new CountDownLatch(1);
      List<String> zoneList = new ArrayList<>(zones);
      int workerCount = QUIET ? 1 : WORKERS;
      int perWorker = (zoneList.size() + workerCount - 1) / workerCount;
      for (int w = 0; w < workerCount; w++) {
        List<String> mine = zoneList.subList(Math.min(zoneList.size(), w * perWorker), Math.min(zoneList.size(), (w + 1) * perWorker));
        int offset = w;
        workers.submit(() -> {
          int k = 0, turn = offset;
          while (stop.getCount() > 0) {
            k++;
            for (String zone : mine) {
              if (stop.getCount() == 0) break;
              NodeProcess target = nodes.get(turn++ % nodes.size());
              send(target, token, history, zone, k);
              // paced: at most one command per thread every 10 ms, and out at once when told to stop
              if (stop.await(10, TimeUnit.MILLISECONDS)) return null;
            }
          }
          return null;
        });
      }

      awaitAcknowledged(history, 100, Duration.ofSeconds(120));
      // The zones are spread over the three nodes: each hosts HVAC zone shards with twins awake.
      List<Integer> spread = new ArrayList<>();
      for (int i = 0; i < 3; i++) spread.add(awaitShards(nodes.get(i), "HvacZone", Duration.ofSeconds(60)));
      figures.put("hvacShardsOnFirstThreeNodes", spread);
      // A fourth node joins under load and takes shards.
      long joinAt = System.nanoTime();
      nodes.get(3).start(cp);
      awaitReady(nodes.get(3), Duration.ofSeconds(180));
      awaitMembers(nodes.get(0), 4, Duration.ofSeconds(60));
      int shardsOnFourth = awaitShards(nodes.get(3), "HvacZone", Duration.ofSeconds(60));
      figures.put("joinedAndHostingShardsSeconds", (System.nanoTime() - joinAt) / 1e9);
      figures.put("hvacShardsOnJoinedNode", shardsOnFourth);
      assertTrue(shardsOnFourth > 0, "the joining node takes HVAC zone shards");

      awaitAcknowledged(history, 50, Duration.ofSeconds(120));
      // Node 2 leaves gracefully (SIGTERM: coordinated shutdown hands its shards off).
      long leaveAt = System.nanoTime();
      nodes.get(1).process.destroy();
      assertTrue(nodes.get(1).process.waitFor(60, TimeUnit.SECONDS), "node 2 stops within 60 s");
      figures.put("gracefulLeaveSeconds", (System.nanoTime() - leaveAt) / 1e9);
      awaitMembers(nodes.get(0), 3, Duration.ofSeconds(60));

      awaitAcknowledged(history, 50, Duration.ofSeconds(120));
      // Node 3 is killed; measure until every zone answers again on the survivors.
      long killAt = System.nanoTime();
      figures.put("killedAt", java.time.Instant.now().toString());
      nodes.get(2).process.destroyForcibly();
      nodes.get(2).process.waitFor(10, TimeUnit.SECONDS);
      Map<String, Long> answeredAt = awaitAllAnswer(List.of(nodes.get(0), nodes.get(3)), token, zones, killAt, Duration.ofSeconds(120));
      // The zones that were on the killed node answer seconds later than the others: when the first
      // of them came back (its shard allocated on a survivor) and when the last did.
      List<Double> late = answeredAt.values().stream().map(t -> (t - killAt) / 1e9).filter(t -> t > 2).sorted().toList();
      figures.put("killToAllAnsweringSeconds", (answeredAt.values().stream().mapToLong(Long::longValue).max().orElseThrow() - killAt) / 1e9);
      figures.put("zonesSilentAfterKill", late.size());
      figures.put("killToFirstSilentZoneAnsweringSeconds", late.isEmpty() ? 0 : late.get(0));
      figures.put("quiet", QUIET);

      awaitAcknowledged(history, 50, Duration.ofSeconds(120));
      stop.countDown();
      workers.shutdown();
      assertTrue(workers.awaitTermination(60, TimeUnit.SECONDS), "the client's workers finish");

      // Read back through a survivor: each zone shows the last command acknowledged to it, or a later one sent.
      Map<String, Long> shown = new TreeMap<>();
      for (String zone : zones) {
        JsonNode state = get(nodes.get(0), token, "/api/v1/sites/" + SITE + "/assets/hvac-zone/" + zone + "/setpoints");
        shown.put(zone, Math.round((state.path("heating").asDouble() - 16) * 1000));
      }
      History.Report report = history.checkRegister(shown);
      List<String> problems = new ArrayList<>(report.problems());
      long acked = report.acknowledged(), lost = report.lost(), unexpected = report.unexpected();
      figures.put("sent", report.sent());
      figures.put("acknowledged", acked);
      figures.put("failed", report.failed());
      figures.put("unknown", report.unknown());
      figures.put("lost", lost);
      figures.put("unexpected", unexpected);

      // Each zone's events in Cassandra: sequence numbers exactly 1..n — no gap, no duplicate.
      int gaps = 0;
      try (CqlSession cql = CqlSession.builder().addContactPoint(new InetSocketAddress(contact.split(":")[0],
          Integer.parseInt(contact.split(":")[1]))).withLocalDatacenter("datacenter1").build()) {
        Map<String, List<Long>> seqs = new TreeMap<>();
        for (Row r : cql.execute("SELECT persistence_id, partition_nr, sequence_nr FROM " + keyspace + ".messages")) {
          String pid = r.getString("persistence_id");
          if (pid.startsWith("HvacZone")) seqs.computeIfAbsent(pid, p -> new ArrayList<>()).add(r.getLong("sequence_nr"));
        }
        figures.put("hvacJournals", seqs.size());
        for (var e : seqs.entrySet()) {
          List<Long> s = e.getValue().stream().sorted().toList();
          for (int i = 0; i < s.size(); i++) {
            if (s.get(i) != i + 1L) {
              gaps++;
              problems.add(e.getKey() + ": sequence numbers " + s.subList(0, Math.min(s.size(), 12)) + "... not 1..n");
              break;
            }
          }
        }
      }
      figures.put("journalsWithGaps", gaps);
      Files.writeString(Path.of("target", "cluster-it.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(figures));
      History.publish(report, figures);
      System.out.println("cluster-it: " + figures);

      assertTrue(acked >= 200, "the client got commands through: " + figures);
      assertEquals(0, lost, "lost: " + problems);
      assertEquals(0, unexpected, "unexpected: " + problems);
      assertEquals(0, gaps, "journal gaps: " + problems);
    } finally {
      workers.shutdownNow();
      if (simulator != null) simulator.destroyForcibly();
      for (NodeProcess n : nodes) {
        if (n.alive()) n.process.destroyForcibly();
      }
      System.out.println("cluster-it figures: " + figures);
    }
  }

  // ---- the client

  /**
   * Sends setpoint {@code k} to {@code zone} and records it; returns what came back: the status (with
   * "+Retry-After" on a 503 that has the header), "timeout" or "refused". A 2xx is acknowledged; a
   * 4xx or a refused connection failed (not applied); a 5xx (the twin did not answer within the ask
   * timeout, its write may still land) or a broken connection is unknown.
   */
  String send(NodeProcess target, String token, History history, String zone, int k) {
    String body = String.format(Locale.ROOT, "{\"heating\":%.3f,\"cooling\":%.1f}", heating(k), COOLING);
    long op = history.invoke(zone, k);
    HttpRequest req = HttpRequest.newBuilder(target.base().resolve("/api/v1/sites/" + SITE + "/assets/hvac-zone/" + zone + "/setpoints"))
        .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body)).build();
    try {
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      int status = r.statusCode();
      history.complete(op, status / 100 == 2 ? Outcome.ACKNOWLEDGED : status >= 500 ? Outcome.UNKNOWN : Outcome.FAILED);
      return status + (status == 503 && r.headers().firstValue("Retry-After").isPresent() ? "+Retry-After" : "");
    } catch (ConnectException e) {
      history.complete(op, Outcome.FAILED); // never reached a node: not applied
      return "refused";
    } catch (IOException e) {
      // Timed out, or sent and then the connection broke (the node died): may or may not have been applied.
      history.complete(op, Outcome.UNKNOWN);
      return "timeout";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  JsonNode get(NodeProcess node, String token, String path) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.base().resolve(path)).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return JSON.readTree(r.body());
  }

  List<String> hvacZones(NodeProcess node, String token) throws Exception {
    List<String> ids = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page = get(node, token, "/api/v1/sites/" + SITE + "/assets?kind=hvac-zone&limit=500" + (cursor == null ? "" : "&cursor=" + cursor));
      for (JsonNode a : page.path("items")) ids.add(a.path("id").asText());
      cursor = page.hasNonNull("next") ? page.path("next").asText() : null;
    } while (cursor != null);
    return ids;
  }

  // ---- waiting on the cluster

  private int status(URI uri) {
    try {
      return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /**
   * Looks every {@code every} until {@code probe} finds what it waits for, for at most {@code max}: the
   * one place this test waits between looks. A probe that throws an I/O error has not found it yet.
   */
  static <T> T eventually(Duration max, Duration every, String what, Callable<Optional<T>> probe) throws Exception {
    long end = System.nanoTime() + max.toNanos();
    String last = "";
    while (System.nanoTime() < end) {
      try {
        Optional<T> found = probe.call();
        if (found.isPresent()) return found.get();
      } catch (IOException e) {
        last = ": " + e;
      }
      TimeUnit.NANOSECONDS.sleep(Math.min(every.toNanos(), Math.max(0, end - System.nanoTime())));
    }
    throw new AssertionError(what + " within " + max + last);
  }

  /** Until the client has had {@code more} further commands acknowledged: the load is under way. */
  static void awaitAcknowledged(History history, int more, Duration max) throws Exception {
    long from = history.count(Outcome.ACKNOWLEDGED);
    eventually(max, Duration.ofMillis(200), more + " more commands acknowledged after " + from,
        () -> history.count(Outcome.ACKNOWLEDGED) >= from + more ? Optional.of(true) : Optional.empty());
  }

  void awaitReady(NodeProcess n, Duration max) throws Exception {
    eventually(max, Duration.ofMillis(500), n.name + " ready (see " + n.log + ")", () -> {
      assertTrue(n.alive(), n.name + " exited; see " + n.log);
      return status(URI.create("http://127.0.0.1:" + n.management + "/ready")) == 200 ? Optional.of(true) : Optional.empty();
    });
  }

  private JsonNode management(NodeProcess n, String path) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.management + path))
        .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IOException(path + ": " + r.statusCode() + " " + r.body());
    return JSON.readTree(r.body());
  }

  private void awaitMembers(NodeProcess n, int up, Duration max) throws Exception {
    eventually(max, Duration.ofMillis(500), up + " members Up and none unreachable", () -> {
      JsonNode members = management(n, "/cluster/members");
      int count = 0;
      for (JsonNode m : members.path("members")) if (m.path("status").asText().equals("Up")) count++;
      return count == up && members.path("unreachable").isEmpty() ? Optional.of(true) : Optional.empty();
    });
  }

  private int awaitShards(NodeProcess n, String region, Duration max) throws Exception {
    return eventually(max, Duration.ofSeconds(1), n.name + " hosting a " + region + " shard", () -> {
      // "regions" lists this node's shards of the type, each with its awake entities.
      int shards = 0;
      for (JsonNode shard : management(n, "/cluster/shards/" + region).path("regions")) if (shard.path("numEntities").asInt() > 0) shards++;
      return shards > 0 ? Optional.of(shards) : Optional.empty();
    });
  }

  /**
   * Seconds from {@code since} until every zone has answered through a survivor: each zone is asked
   * (round-robin over the survivors) until it first answers 200; the figure is the last zone's first
   * answer. A zone whose shard was on the killed node answers once the node is downed, its shard
   * allocated on a survivor and the twin recovered from the journal.
   */
  private Map<String, Long> awaitAllAnswer(List<NodeProcess> survivors, String token, List<String> zones, long since, Duration max) throws Exception {
    // Every zone is probed on its own, every 250 ms, whatever its earlier probes are doing (a probe
    // to a shard whose node is dead waits for the ask timeout): a zone's time is the end of its first
    // 200, not the moment a sequential pass happened to reach it.
    Map<String, Long> answeredAt = new ConcurrentHashMap<>();
    int turn = 0;
    long end = since + max.toNanos();
    while (answeredAt.size() < zones.size() && System.nanoTime() < end) {
      for (String z : zones) {
        if (answeredAt.containsKey(z)) continue;
        NodeProcess n = survivors.get(turn++ % survivors.size());
        HttpRequest req = HttpRequest.newBuilder(n.base().resolve("/api/v1/sites/" + SITE + "/assets/hvac-zone/" + z + "/setpoints"))
            .timeout(Duration.ofSeconds(6)).header("Authorization", "Bearer " + token).GET().build();
        http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).thenAccept(r -> {
          if (r.statusCode() == 200) answeredAt.putIfAbsent(z, System.nanoTime());
        });
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
    assertEquals(zones.size(), answeredAt.size(), "every zone answering after the kill within " + max + "; still silent: "
        + zones.stream().filter(z -> !answeredAt.containsKey(z)).toList());
    return answeredAt;
  }


  static Path scenario(String name) {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path f = p.resolve("scenarios").resolve(name);
      if (Files.isRegularFile(f)) return f;
    }
    throw new IllegalStateException("scenarios/" + name + " not found");
  }
}
