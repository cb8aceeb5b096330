package atrium.api.mqtt;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.device.DeviceCredentials;
import atrium.api.device.DeviceGrant;
import atrium.api.device.PasswordHash;
import atrium.api.http.InFlightLimit;
import atrium.api.http.LogCapture;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.protocol.Envelope;
import atrium.devices.TwinGateway;
import ch.qos.logback.classic.Level;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MQTT door under arbitrary input. Regression mode runs the corpora in
 * {@code src/test/resources/atrium/api/mqtt/MqttFuzzTestInputs/}; {@code bin/atrium fuzz mqtt-topic}
 * and {@code bin/atrium fuzz mqtt-packets} fuzz. The rules: a publish topic parses to exactly the
 * topic it came from or is an {@link DeviceTopic.InvalidTopic}; a subscription filter a grant may use
 * is one of its own site's command topics; and bytes on a connection — from its first byte, or after
 * an accepted CONNECT — through Netty's decoder and the session handler are at worst a logged close:
 * no exception escapes the pipeline, nothing the session writes is malformed, the session never logs
 * an unexpected error, and the twin receives only well-formed envelopes of the device's own assets.
 */
class MqttFuzzTest {
  private static final DeviceGrant CAMERA = DeviceGrant.forAssets("cam", "demo-mall", Set.of("camera/CAM-0005"));
  private static final DeviceGrant GATEWAY = DeviceGrant.siteGateway("gw", "demo-mall");
  private static final AssetId OWN = AssetId.of("demo-mall", AssetKind.CAMERA, "CAM-0005");
  private static final DeviceCredentials CREDENTIALS = credentials();
  /** Netty's codec keeps the protocol level of a connection in this channel attribute. */
  private static final AttributeKey<MqttVersion> MQTT_VERSION = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

  @FuzzTest
  void aPublishTopicParsesBackToItselfOrIsRefused(byte[] input) {
    String topic = new String(input, StandardCharsets.UTF_8);
    DeviceTopic t;
    try {
      t = DeviceTopic.parsePublish(topic);
    } catch (DeviceTopic.InvalidTopic refused) {
      assertFalse(refused.getMessage() == null || refused.getMessage().isBlank(), "a refusal says why");
      return;
    }
    assertTrue(t.channel() != DeviceTopic.Channel.COMMAND, "a device never publishes on a command topic");
    assertEquals(topic, DeviceTopic.ROOT + "/" + t.asset().site() + "/" + t.asset().kind().wireName() + "/"
        + t.asset().localId() + "/" + t.channel().suffix, "the parsed topic is the topic");
  }

  @FuzzTest
  void aSubscriptionFilterIsGrantedOnlyForTheDevicesOwnCommandTopics(byte[] input) {
    String filter = new String(input, StandardCharsets.UTF_8);
    for (DeviceGrant grant : List.of(CAMERA, GATEWAY)) {
      String problem = DeviceTopic.subscriptionProblem(filter, grant);
      if (problem != null) continue;
      String[] l = filter.split("/", -1);
      assertEquals(5, l.length, filter);
      assertEquals(List.of("atrium", "demo-mall", "command"), List.of(l[0], l[1], l[4]), filter);
      assertFalse(filter.contains("#"), filter);
      if (!grant.gateway()) {
        assertEquals(DeviceTopic.commandTopic(OWN), filter, "a single device subscribes only to its own command topic");
      }
      assertTrue(DeviceTopic.matches(filter, DeviceTopic.commandTopic(AssetId.of("demo-mall", AssetKind.fromWireName(
          l[2].equals("+") ? "camera" : l[2]).orElseThrow(), l[3].equals("+") ? "CAM-0005" : l[3]))), filter);
    }
  }

  @FuzzTest
  void bytesFromTheFirstAreAtWorstALoggedClose(byte[] input) {
    exchange(null, input);
  }

  @FuzzTest
  void bytesAfterAnAcceptedConnectAreAtWorstALoggedClose(byte[] input) {
    exchange(connect(), input);
  }

  /** Feeds {@code first} (if any) then {@code input} through the server's pipeline and checks the rules. */
  private static void exchange(ByteBuf first, byte[] input) {
    RecordingTwin twin = new RecordingTwin();
    MqttSettings settings = new MqttSettings(true, "127.0.0.1", 0, 4096, 4, Duration.ofSeconds(10));
    MqttDoor door = new MqttDoor(settings, twin, CREDENTIALS, new InFlightLimit(16), new DevicePresence(),
        new CommandDelivery(null, null, List.of()), Runnable::run, new ConcurrentHashMap<>());
    try (LogCapture log = new LogCapture(MqttSessionHandler.class)) {
      EmbeddedChannel ch = new EmbeddedChannel(new MqttServerInitializer(door));
      assertDoesNotThrow(() -> {
        if (first != null) {
          ch.writeInbound(first);
          ch.runPendingTasks();
          ch.runPendingTasks();
        }
        if (ch.isOpen()) ch.writeInbound(Unpooled.wrappedBuffer(input));
        for (int i = 0; i < 8; i++) ch.runPendingTasks();
        ch.checkException();
      }, "no exception escapes the MQTT pipeline");
      assertWellFormed(ch);
      ch.finishAndReleaseAll();
      assertEquals(List.of(), log.events(Level.ERROR), "no error logged for a client's bytes");
      assertTrue(log.events(Level.WARN).stream().noneMatch(e -> e.getThrowableProxy() != null),
          () -> "no unexpected exception in the session: " + log.events(Level.WARN));
    }
    for (Envelope e : twin.ingested) {
      assertEquals(OWN, e.asset(), "the twin hears only of the device's own asset");
      assertTrue(e instanceof Envelope.Telemetry || e instanceof Envelope.Event || e instanceof Envelope.Ack, e.toString());
    }
  }

  private static void assertWellFormed(EmbeddedChannel ch) {
    EmbeddedChannel dec = new EmbeddedChannel(new MqttDecoder());
    // the version the server's decoder learnt from CONNECT: an MQTT 5 CONNACK carries properties
    dec.attr(MQTT_VERSION).set(ch.attr(MQTT_VERSION).get());
    for (ByteBuf b; (b = ch.readOutbound()) != null; ) dec.writeInbound(b);
    for (MqttMessage m; (m = dec.readInbound()) != null; ) {
      MqttMessage written = m;
      assertTrue(m.decoderResult().isSuccess(), () -> "the server wrote a malformed packet: " + written.decoderResult());
    }
    dec.finishAndReleaseAll();
  }

  private static ByteBuf connect() {
    EmbeddedChannel enc = new EmbeddedChannel(MqttEncoder.INSTANCE);
    enc.writeOutbound(MqttMessageBuilders.connect().clientId("cam-1").protocolVersion(MqttVersion.MQTT_3_1_1)
        .cleanSession(true).keepAlive(0).hasUser(true).username("cam").hasPassword(true)
        .password("pw".getBytes(StandardCharsets.UTF_8)).build());
    ByteBuf out = Unpooled.buffer();
    for (ByteBuf b; (b = enc.readOutbound()) != null; ) {
      out.writeBytes(b);
      b.release();
    }
    enc.finish();
    return out;
  }

  private static DeviceCredentials credentials() {
    try {
      String hash = PasswordHash.create("pw".toCharArray(), PasswordHash.MIN_ITERATIONS).format();
      Path file = Files.createTempFile("atrium-mqtt-fuzz", ".json");
      file.toFile().deleteOnExit();
      Files.writeString(file, "{\"devices\":[{\"username\":\"cam\",\"password\":\"" + hash
          + "\",\"site\":\"demo-mall\",\"assets\":[\"camera/CAM-0005\"]}]}");
      return DeviceCredentials.load(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A twin that applies everything at once and remembers what it was given. */
  private static final class RecordingTwin implements TwinGateway {
    final List<Envelope> ingested = Collections.synchronizedList(new ArrayList<>());

    @Override
    public CompletionStage<Ingested> ingest(Envelope envelope) {
      ingested.add(envelope);
      return CompletableFuture.completedFuture(Ingested.APPLIED);
    }

    @Override
    public CompletionStage<Optional<JsonNode>> state(AssetId asset) {
      return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public CompletionStage<Optional<JsonNode>> site(String site) {
      return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public List<String> sites() {
      return List.of("demo-mall");
    }
  }
}
