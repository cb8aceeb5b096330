package atrium.api.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.AtriumMain;
import atrium.api.TestNode;
import atrium.api.chaos.History;
import atrium.api.chaos.History.Outcome;
import atrium.api.security.Role;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's fault test "a node restarting while MQTT devices keep publishing QoS 1": one node on its
 * embedded journal; four bay sensors (through the site gateway's credential) each publish a sequence of
 * QoS 1 readings — odd ones occupied, even ones free, reading {@code k} measured at {@code BASE + k} s,
 * so every reading the bay takes is a persisted change and the bay's {@code since} names the last one.
 * A reading whose PUBACK never came (the node went away) is redelivered with the DUP flag after the
 * reconnect, as an MQTT client does. The node is stopped and started again on the same ports and data
 * folder twice while they publish. Read back over REST afterwards: every bay must show its last PUBACKed
 * reading or a later one sent (lost = 0), and nothing never sent (unexpected = 0).
 */
class MqttNodeRestartTest {
  private static final Instant BASE = Instant.parse("2026-12-24T02:00:00Z");
  private static final List<String> BAYS = List.of("PN-B1-0001", "PN-B1-0002", "PN-B1-0003", "PN-B1-0004");
  private static final int RESTARTS = 2;

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void everyPubackedReadingIsInTheTwinAfterTheNodeRestartsUnderQos1Load() throws Exception {
    Map<String, Object> settings = TestNode.settings(dir);
    int mqttPort = freePort();
    settings.put("atrium.http.port", freePort());
    settings.put("atrium.mqtt.port", mqttPort);
    History history = new History("mqtt-node-restart");
    AtomicInteger redeliveries = new AtomicInteger(), reconnects = new AtomicInteger();
    CountDownLatch stop = new CountDownLatch(1);
    ExecutorService publishers = Executors.newFixedThreadPool(BAYS.size());
    AtriumMain.Node node = AtriumMain.Node.start(TestNode.config(settings));
    try {
      List<Future<?>> running = new ArrayList<>();
      for (String bay : BAYS) running.add(publishers.submit(() -> publish(bay, mqttPort, history, stop, redeliveries, reconnects)));
      for (int r = 0; r < RESTARTS; r++) {
        awaitAcknowledged(history, 40);
        node.close();
        node = AtriumMain.Node.start(TestNode.config(settings));
      }
      awaitAcknowledged(history, 40);
      stop.countDown();
      for (Future<?> f : running) f.get(60, TimeUnit.SECONDS);

      String token = TestNode.token(node, "chaos", Role.VIEWER, "demo-mall");
      Map<String, Long> shown = new LinkedHashMap<>();
      for (String bay : BAYS) shown.put(bay, readingShown(node.baseUri(), token, bay));
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("restarts", RESTARTS);
      figures.put("reconnects", reconnects.get());
      figures.put("redeliveries", redeliveries.get());
      figures.put("shown", shown);
      History.Report report = History.publish(history.checkRegister(shown), figures);
      assertTrue(report.acknowledged() >= 40L * (RESTARTS + 1), "readings got through: " + report);
      assertTrue(reconnects.get() >= BAYS.size() * RESTARTS, "every publisher reconnected after each restart: " + report);
      assertEquals(0, report.lost(), "lost: " + report.problems());
      assertEquals(0, report.unexpected(), "unexpected: " + report.problems());
    } finally {
      stop.countDown();
      publishers.shutdownNow();
      node.close();
    }
  }

  /**
   * One device: readings 1, 2, 3, ... in order, one in flight; a reading without its PUBACK is sent
   * again (DUP) on the next connection until it is PUBACKed or the test ends.
   */
  private static Void publish(String bay, int port, History history, CountDownLatch stop, AtomicInteger redeliveries,
      AtomicInteger reconnects) throws Exception {
    int k = 0;
    long op = 0;
    boolean dup = false;
    int connection = 0;
    while (stop.getCount() > 0) {
      try (RawMqtt mqtt = new RawMqtt(port)) {
        if (mqtt.connect("chaos-" + bay + "-" + connection++, TestNode.GATEWAY, TestNode.GATEWAY_PASSWORD) != 0) continue;
        if (connection > 1) reconnects.incrementAndGet();
        while (stop.getCount() > 0) {
          if (!dup) {
            k++;
            op = history.invoke(bay, k);
          } else {
            redeliveries.incrementAndGet();
          }
          int packetId = (k % 65_000) + 1;
          mqtt.publish("atrium/demo-mall/parking-bay/" + bay + "/telemetry", 1, packetId, dup, reading(bay, k));
          dup = true; // until its PUBACK arrives
          if (mqtt.readPubAck() != packetId) throw new IOException("PUBACK for another packet");
          history.complete(op, Outcome.ACKNOWLEDGED);
          dup = false;
          if (stop.await(5, TimeUnit.MILLISECONDS)) break;
        }
      } catch (IOException e) {
        // the node went away (or is not back yet): the reading in flight stays unknown until redelivered
        if (op > 0 && dup) history.complete(op, Outcome.UNKNOWN);
        if (stop.await(100, TimeUnit.MILLISECONDS)) break;
      }
    }
    return null;
  }

  private static byte[] reading(String bay, int k) {
    return ("{\"v\":1,\"type\":\"telemetry\",\"id\":\"chaos-" + bay + "-" + k + "\",\"site\":\"demo-mall\",\"kind\":\"parking-bay\","
        + "\"asset\":\"" + bay + "\",\"ts\":\"" + BASE.plusSeconds(k) + "\",\"data\":{\"occupied\":" + (k % 2 == 1) + "}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Which reading the bay shows: its {@code since} is the time of the last change it took. */
  private long readingShown(URI base, String token, String bay) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/sites/demo-mall/assets/parking-bay/" + bay))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    JsonNode view = new ObjectMapper().readTree(r.body());
    JsonNode state = view.has("state") ? view.path("state") : view;
    if (state.path("since").isMissingNode() || state.path("since").isNull()) return 0;
    Instant since = Instant.parse(state.path("since").asText());
    return since.isBefore(BASE) ? 0 : Duration.between(BASE, since).getSeconds();
  }

  private static void awaitAcknowledged(History history, int more) throws InterruptedException {
    long from = history.count(Outcome.ACKNOWLEDGED);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (history.count(Outcome.ACKNOWLEDGED) < from + more) {
      assertTrue(System.nanoTime() < end, more + " more readings PUBACKed after " + from + " within 120 s");
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
