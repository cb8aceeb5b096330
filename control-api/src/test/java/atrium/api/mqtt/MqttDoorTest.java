package atrium.api.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.AtriumMain;
import atrium.api.device.PasswordHash;
import atrium.api.http.InFlightLimit;
import atrium.api.http.LogCapture;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.testkit.TestTwins;
import atrium.devices.kiosk.Kiosk;
import atrium.devices.kiosk.Kiosks;
import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT device door of a whole node (runtime, twins, the demo mall, a manual clock) driven by
 * Debian's mosquitto_pub and mosquitto_sub, and by raw sockets for what those refuse to send.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MqttDoorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final String TS = "2026-12-24T01:00:30Z";

  @TempDir
  static Path dir;

  private final ActorTestKit waiter = ActorTestKit.create("mqtt-waiter");
  private AtriumMain.Node node;
  private MqttServer mqtt;
  private LogCapture logs;
  private int port;

  @BeforeAll
  void start() throws Exception {
    Path credentials = dir.resolve("devices.json");
    Files.writeString(credentials, "{\"devices\":["
        + entry("bays", "secret-bays", "[\"parking-bay/PN-B1-0001\",\"parking-bay/PN-B1-0002\",\"parking-bay/PN-B1-0003\"]") + ","
        + entry("cam-5", "secret-cam", "[\"camera/CAM-0005\"]") + ","
        + entry("kiosk-1", "secret-k1", "[\"kiosk/KIOSK-01\"]") + ","
        + entry("kiosk-2", "secret-k2", "[\"kiosk/KIOSK-02\"]") + ","
        + entry("gateway", "secret-gw", "[\"*\"]") + "]}");
    node = AtriumMain.Node.start(ConfigFactory.parseMap(Map.of(
        "atrium.data-dir", dir.resolve("data").toString(),
        "atrium.site-files", List.of(TestTwins.demoMallFile().toString()),
        "atrium.http.port", 0,
        "atrium.mqtt.port", 0,
        "atrium.devices.credentials-file", credentials.toString(),
        "pekko.remote.artery.canonical.port", 0,
        "atrium.clock.mode", "manual")));
    logs = new LogCapture(MqttSessionHandler.class);
    mqtt = node.mqtt();
    port = mqtt.port();
  }

  @AfterAll
  void stop() {
    if (node != null) node.close();
    if (logs != null) logs.close();
    waiter.shutdownTestKit();
  }

  private static String entry(String user, String password, String assets) {
    String hash = PasswordHash.create(password.toCharArray(), PasswordHash.MIN_ITERATIONS).format();
    return "{\"username\":\"" + user + "\",\"password\":\"" + hash + "\",\"site\":\"demo-mall\",\"assets\":" + assets + "}";
  }

  // ---------------------------------------------------------------- publishing

  @Test
  void telemetryPublishedOverMqttOccupiesTheBay() {
    var r = Mosquitto.pub(port, "-u", "bays", "-P", "secret-bays", "-t", "atrium/demo-mall/parking-bay/PN-B1-0001/telemetry",
        "-m", bay("m-q0", "PN-B1-0001", true));
    assertEquals(0, r.exitCode(), r.output());
    awaitAssert(() -> assertEquals("OCCUPIED", state(AssetKind.PARKING_BAY, "PN-B1-0001").get("status").asText()));
  }

  @Test
  void aQos1PublishReturnsOnlyOnceTheTwinHasPersistedIt() {
    assertEquals("FREE", state(AssetKind.PARKING_BAY, "PN-B1-0002").get("status").asText());
    var r = Mosquitto.pub(port, "-q", "1", "-u", "bays", "-P", "secret-bays",
        "-t", "atrium/demo-mall/parking-bay/PN-B1-0002/telemetry", "-m", bay("m-q1", "PN-B1-0002", true));
    assertEquals(0, r.exitCode(), r.output());
    // No waiting: the PUBACK that let mosquitto_pub return was sent after the twin persisted the change.
    assertEquals("OCCUPIED", state(AssetKind.PARKING_BAY, "PN-B1-0002").get("status").asText());
  }

  @Test
  void anMqtt5ClientPublishesWithQos1Too() {
    var r = Mosquitto.pub(port, "-V", "mqttv5", "-q", "1", "-u", "cam-5", "-P", "secret-cam",
        "-t", "atrium/demo-mall/camera/CAM-0005/telemetry", "-m", line("v5-1", 2, 0));
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(state(AssetKind.CAMERA, "CAM-0005").get("reports").asLong() >= 1);
  }

  @Test
  void aRedeliveredQos1PublishIsAppliedOnce() throws Exception {
    long before = state(AssetKind.CAMERA, "CAM-0005").get("countedIn").asLong();
    byte[] payload = line("dup-1", 3, 1).getBytes(StandardCharsets.UTF_8);
    try (RawMqtt raw = new RawMqtt(port)) {
      assertEquals(0, raw.connect("cam-5-raw", "cam-5", "secret-cam"));
      raw.publish("atrium/demo-mall/camera/CAM-0005/telemetry", 1, 7, false, payload);
      assertEquals(7, raw.readPubAck());
      raw.publish("atrium/demo-mall/camera/CAM-0005/telemetry", 1, 7, true, payload);
      assertEquals(7, raw.readPubAck());
    }
    // and once more by a real client, as a new message with the same id
    var r = Mosquitto.pub(port, "-q", "1", "-u", "cam-5", "-P", "secret-cam",
        "-t", "atrium/demo-mall/camera/CAM-0005/telemetry", "-m", new String(payload, StandardCharsets.UTF_8));
    assertEquals(0, r.exitCode(), r.output());
    assertEquals(before + 3, state(AssetKind.CAMERA, "CAM-0005").get("countedIn").asLong());
  }

  // ---------------------------------------------------------------- commands

  @Test
  void aCommandFromTheTwinReachesTheDevicesOwnCommandTopicAndItsAckIsTaken() throws Exception {
    String topic = "atrium/demo-mall/kiosk/KIOSK-01/command";
    try (var sub = new Mosquitto.Sub(port, "-q", "1", "-i", "kiosk-1-sub", "-u", "kiosk-1", "-P", "secret-k1", "-t", topic)) {
      assertTrue(sub.await("Subscribed (mid: 1): ", PATIENCE).endsWith(": 1"), "granted QoS 1");
      AssetId kiosk = AssetId.of("demo-mall", AssetKind.KIOSK, "KIOSK-01");
      Kiosks.setContentMode(node.runtime().services(), kiosk, Kiosk.ContentMode.EVACUATION_GUIDANCE, "mqtt-test")
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      String received = sub.await(topic + " {", PATIENCE);
      JsonNode command = JSON.readTree(received.substring(topic.length() + 1));
      assertEquals("command", command.get("type").asText());
      assertEquals("evacuation-guidance", command.get("data").get("mode").asText());
      assertEquals("PENDING", state(AssetKind.KIOSK, "KIOSK-01").get("contentDelivery").asText());

      String ack = "{\"v\":1,\"type\":\"ack\",\"id\":\"k1-ack-1\",\"site\":\"demo-mall\",\"kind\":\"kiosk\",\"asset\":\"KIOSK-01\","
          + "\"ts\":\"" + TS + "\",\"ref\":\"" + command.get("id").asText() + "\",\"status\":\"ok\"}";
      var r = Mosquitto.pub(port, "-q", "1", "-u", "kiosk-1", "-P", "secret-k1", "-t", "atrium/demo-mall/kiosk/KIOSK-01/ack", "-m", ack);
      assertEquals(0, r.exitCode(), r.output());
      assertEquals("APPLIED", state(AssetKind.KIOSK, "KIOSK-01").get("contentDelivery").asText());
    }
  }

  @Test
  void subscribingToAnotherDevicesCommandTopicIsRefused() throws Exception {
    try (var sub = new Mosquitto.Sub(port, "-i", "kiosk-1-nosy", "-u", "kiosk-1", "-P", "secret-k1", "-t", "atrium/demo-mall/kiosk/KIOSK-03/command")) {
      assertTrue(sub.await("Subscribed (mid: 1): ", PATIENCE).endsWith(": 128"), "SUBACK failure 0x80");
    }
    awaitWarning("kiosk-1-nosy", "subscription to 'atrium/demo-mall/kiosk/KIOSK-03/command' refused");
    assertStillServes();
  }

  @Test
  void aSiteGatewayMaySubscribeWithPlusWithinItsSite() throws Exception {
    try (var sub = new Mosquitto.Sub(port, "-u", "gateway", "-P", "secret-gw", "-t", "atrium/demo-mall/+/+/command",
        "-t", "atrium/other-mall/+/+/command")) {
      String suback = sub.await("Subscribed (mid: 1): ", PATIENCE);
      assertTrue(suback.endsWith(": 0, 128"), "own site granted, other site refused: " + suback);
    }
  }

  // ---------------------------------------------------------------- bad input

  @Test
  void aWrongPasswordIsRefusedAtConnack() {
    var r = Mosquitto.pub(port, "-q", "1", "-u", "bays", "-P", "wrong", "-t", "atrium/demo-mall/parking-bay/PN-B1-0003/telemetry",
        "-m", bay("bad-pw", "PN-B1-0003", true));
    assertNotEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("bad user name or password"), r.output());
    assertEquals("FREE", state(AssetKind.PARKING_BAY, "PN-B1-0003").get("status").asText());
    assertStillServes();
  }

  @Test
  void publishingOnAnotherDevicesTopicClosesTheConnectionAndChangesNothing() {
    var r = Mosquitto.pub(port, "-q", "1", "-i", "bays-trespass", "-u", "bays", "-P", "secret-bays",
        "-t", "atrium/demo-mall/parking-bay/PN-B1-0009/telemetry", "-m", bay("foreign", "PN-B1-0009", true));
    assertNotEquals(0, r.exitCode(), r.output());
    awaitWarning("bays-trespass", "may not publish for demo-mall/parking-bay/PN-B1-0009");
    assertEquals("FREE", state(AssetKind.PARKING_BAY, "PN-B1-0009").get("status").asText());
    assertStillServes();
  }

  @Test
  void aMalformedPayloadClosesTheConnectionAndChangesNothing() {
    var r = Mosquitto.pub(port, "-q", "1", "-i", "bays-garbled", "-u", "bays", "-P", "secret-bays",
        "-t", "atrium/demo-mall/parking-bay/PN-B1-0003/telemetry", "-m", bay("garbled", "PN-B1-0003", true).replace("true", "\"yes\""));
    assertNotEquals(0, r.exitCode(), r.output());
    awaitWarning("bays-garbled", "$.data.occupied");
    assertEquals("FREE", state(AssetKind.PARKING_BAY, "PN-B1-0003").get("status").asText());
    assertStillServes();
  }

  @Test
  void aWildcardPublishTopicClosesTheConnection() throws Exception {
    try (RawMqtt raw = new RawMqtt(port)) {
      assertEquals(0, raw.connect("bays-wildcard", "bays", "secret-bays"));
      raw.publish("atrium/demo-mall/parking-bay/+/telemetry", 0, 0, false, bay("wild", "PN-B1-0003", true).getBytes(StandardCharsets.UTF_8));
      assertTrue(raw.closedByServer(), "the server closes the connection");
    }
    awaitWarning("bays-wildcard", "wildcards");
    assertEquals("FREE", state(AssetKind.PARKING_BAY, "PN-B1-0003").get("status").asText());
    assertStillServes();
  }

  @Test
  void aMalformedPacketClosesTheConnection() throws Exception {
    try (RawMqtt raw = new RawMqtt(port)) {
      assertEquals(0, raw.connect("bays-malformed", "bays", "secret-bays"));
      raw.sendRaw((byte) 0x00, (byte) 0x00); // packet type 0 is reserved
      assertTrue(raw.closedByServer(), "the server closes the connection");
    }
    awaitWarning("bays-malformed", "malformed packet");
    assertStillServes();
  }

  @Test
  void anOversizedPacketClosesTheConnection() throws Exception {
    Path big = dir.resolve("big.json");
    Files.writeString(big, bay("big", "PN-B1-0003", true).replace("}}", "},\"pad\":\"" + "x".repeat(300_000) + "\"}"));
    var r = Mosquitto.pub(port, "-q", "1", "-i", "bays-big", "-u", "bays", "-P", "secret-bays",
        "-t", "atrium/demo-mall/parking-bay/PN-B1-0003/telemetry", "-f", big.toString());
    assertNotEquals(0, r.exitCode(), r.output());
    awaitWarning("bays-big", "packet too large");
    assertEquals("FREE", state(AssetKind.PARKING_BAY, "PN-B1-0003").get("status").asText());
    assertStillServes();
  }

  @Test
  void aPacketBeforeConnectClosesTheConnection() throws Exception {
    try (RawMqtt raw = new RawMqtt(port)) {
      raw.sendRaw((byte) 0xC0, (byte) 0x00); // PINGREQ
      assertTrue(raw.closedByServer(), "the server closes the connection");
    }
    awaitWarning("?", "PINGREQ before CONNECT");
    assertStillServes();
  }

  @Test
  void theSimulatorsMqttLinkPublishesAsASiteGatewayAndReceivesTheSitesCommands() throws Exception {
    var received = new java.util.concurrent.LinkedBlockingQueue<atrium.core.protocol.Envelope.Command>();
    try (var link = new atrium.sim.link.MqttDeviceLink(new java.net.InetSocketAddress("127.0.0.1", port), "sim-gateway",
        "gateway", "secret-gw", "demo-mall", 64, received::add)) {
      var reading = atrium.core.protocol.DeviceProtocol.parse(bay("sim-link-1", "PN-B1-0007", true).getBytes(StandardCharsets.UTF_8));
      link.send(List.of(reading)).toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals("OCCUPIED", state(AssetKind.PARKING_BAY, "PN-B1-0007").get("status").asText(),
          "the PUBACK came, so the twin has persisted the reading");
      AssetId kiosk = AssetId.of("demo-mall", AssetKind.KIOSK, "KIOSK-07");
      Kiosks.setContentMode(node.runtime().services(), kiosk, Kiosk.ContentMode.PROMOTION, "sim-link-test")
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      var command = received.poll(30, TimeUnit.SECONDS);
      assertTrue(command != null, "no command reached the link");
      assertEquals(kiosk, command.asset());
      assertEquals("set-content-mode", command.name());
    }
  }

  // ---------------------------------------------------------------- presence and last will

  @Test
  void aDeviceThatDropsWithoutDisconnectIsMarkedOfflineAndItsWillIsDelivered() throws Exception {
    String will = "{\"v\":1,\"type\":\"event\",\"id\":\"k2-will-1\",\"site\":\"demo-mall\",\"kind\":\"kiosk\",\"asset\":\"KIOSK-02\","
        + "\"ts\":\"" + TS + "\",\"name\":\"fault\",\"data\":{\"component\":\"network\",\"active\":true}}";
    assertFalse(faults(state(AssetKind.KIOSK, "KIOSK-02")).contains("NETWORK"));
    try (var sub = new Mosquitto.Sub(port, "-i", "kiosk-2-will", "-u", "kiosk-2", "-P", "secret-k2",
        "--will-topic", "atrium/demo-mall/kiosk/KIOSK-02/event", "--will-payload", will, "--will-qos", "1",
        "-t", "atrium/demo-mall/kiosk/KIOSK-02/command")) {
      sub.await("Subscribed (mid: 1): ", PATIENCE);
      var online = mqtt.presence().device("kiosk-2-will").orElseThrow();
      assertTrue(online.online());
      assertEquals("kiosk-2", online.username());
      sub.kill();
    }
    awaitAssert(() -> {
      var d = mqtt.presence().device("kiosk-2-will").orElseThrow();
      assertFalse(d.online());
      assertTrue(d.offlineSince() != null && d.offlineReason() != null, d.toString());
    });
    awaitAssert(() -> assertTrue(faults(state(AssetKind.KIOSK, "KIOSK-02")).contains("NETWORK"),
        state(AssetKind.KIOSK, "KIOSK-02").toString()));
  }

  @Test
  void aDeviceSilentForOneAndAHalfKeepAlivesIsClosedAndMarkedOffline() throws Exception {
    try (RawMqtt raw = new RawMqtt(port)) {
      assertEquals(0, raw.connect("kiosk-1-silent", "kiosk-1", "secret-k1", 1));
      assertTrue(mqtt.presence().device("kiosk-1-silent").orElseThrow().online());
      assertTrue(raw.closedByServer(), "a client that sends nothing for 1.5 keep-alives must be closed");
    }
    awaitAssert(() -> {
      var d = mqtt.presence().device("kiosk-1-silent").orElseThrow();
      assertFalse(d.online());
      assertTrue(d.offlineReason() != null, d.toString());
    });
    assertStillServes();
  }

  @Test
  void aLastWillOnAnotherDevicesTopicIsRefusedAtConnack() {
    var r = Mosquitto.pub(port, "-u", "kiosk-2", "-P", "secret-k2", "--will-topic", "atrium/demo-mall/kiosk/KIOSK-05/event",
        "--will-payload", "{}", "-t", "atrium/demo-mall/kiosk/KIOSK-02/telemetry", "-m", "{}");
    assertNotEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("not authorised"), r.output());
    assertStillServes();
  }

  // ---------------------------------------------------------------- helpers

  /** A fresh client is served after whatever went before. */
  private void assertStillServes() {
    var r = Mosquitto.pub(port, "-q", "1", "-u", "cam-5", "-P", "secret-cam", "-t", "atrium/demo-mall/camera/CAM-0005/telemetry",
        "-m", line("alive-" + System.nanoTime(), 0, 0));
    assertEquals(0, r.exitCode(), "a new client is served: " + r.output());
  }

  private void awaitWarning(String clientId, String text) {
    awaitAssert(() -> assertTrue(logs.events(Level.WARN).stream().map(e -> e.getFormattedMessage())
            .anyMatch(m -> m.startsWith("MQTT client " + clientId + " ") && m.contains(text)),
        "a WARN naming client " + clientId + " and '" + text + "'; got "
            + logs.events(Level.WARN).stream().map(e -> e.getFormattedMessage()).toList()));
  }

  private JsonNode state(AssetKind kind, String id) {
    try {
      return node.gateway().state(AssetId.of("demo-mall", kind, id)).toCompletableFuture().get(30, TimeUnit.SECONDS).orElseThrow();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String faults(JsonNode kiosk) {
    return kiosk.get("faults").toString();
  }

  private void awaitAssert(Runnable assertion) {
    waiter.createTestProbe().awaitAssert(PATIENCE, Duration.ofMillis(100), () -> {
      assertion.run();
      return null;
    });
  }

  private static String bay(String id, String bay, boolean occupied) {
    return "{\"v\":1,\"type\":\"telemetry\",\"id\":\"" + id + "\",\"site\":\"demo-mall\",\"kind\":\"parking-bay\","
        + "\"asset\":\"" + bay + "\",\"ts\":\"" + TS + "\",\"data\":{\"occupied\":" + occupied + "}}";
  }

  private static String line(String id, int in, int out) {
    return "{\"v\":1,\"type\":\"telemetry\",\"id\":\"" + id + "\",\"site\":\"demo-mall\",\"kind\":\"camera\","
        + "\"asset\":\"CAM-0005\",\"ts\":\"" + TS + "\",\"data\":{\"in\":" + in + ",\"out\":" + out + "}}";
  }
}
