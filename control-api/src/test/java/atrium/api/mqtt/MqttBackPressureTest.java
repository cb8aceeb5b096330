package atrium.api.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.device.DeviceCredentials;
import atrium.api.device.PasswordHash;
import atrium.api.http.InFlightLimit;
import atrium.core.asset.AssetId;
import atrium.core.protocol.Envelope;
import atrium.devices.TwinGateway;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session's reads against a twin that keeps its answers back (a scripted gateway at the edge,
 * the real pipeline on an {@link EmbeddedChannel}): what is in flight is bounded per connection and
 * server-wide, and reads resume as answers come.
 */
class MqttBackPressureTest {
  private static final String TOPIC = "atrium/demo-mall/camera/CAM-0005/telemetry";

  @TempDir
  Path dir;

  /** A twin whose answers the test completes. */
  static final class HeldGateway implements TwinGateway {
    final List<CompletableFuture<Ingested>> held = new ArrayList<>();

    @Override
    public synchronized CompletionStage<Ingested> ingest(Envelope envelope) {
      CompletableFuture<Ingested> f = new CompletableFuture<>();
      held.add(f);
      return f;
    }

    synchronized int count() {
      return held.size();
    }

    synchronized void complete(int i) {
      held.get(i).complete(Ingested.APPLIED);
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

  @Test
  void aConnectionStopsReadingAtItsInFlightBoundAndResumesAsTheTwinAnswers() throws Exception {
    HeldGateway twin = new HeldGateway();
    EmbeddedChannel ch = connected(twin, 2, new InFlightLimit(100));
    ch.writeInbound(publishes(1, 2, 3, 4));
    ch.runPendingTasks();
    assertEquals(2, twin.count(), "two publishes with the twin, the others not read");

    twin.complete(0);
    ch.runPendingTasks();
    ch.runPendingTasks();
    assertEquals(3, twin.count(), "one answer lets one more publish in");
    assertEquals(List.of(1), pubAcks(ch));

    twin.complete(2);
    ch.runPendingTasks();
    ch.runPendingTasks();
    assertEquals(4, twin.count());
    assertEquals(List.of(), pubAcks(ch), "publish 3's PUBACK waits for publish 2's: they leave in order");
    twin.complete(1);
    ch.runPendingTasks();
    assertEquals(List.of(2, 3), pubAcks(ch));
    ch.finishAndReleaseAll();
  }

  @Test
  void aConnectionWaitsForTheServerWideBoundWithoutReadingFurther() throws Exception {
    HeldGateway twin = new HeldGateway();
    InFlightLimit limit = new InFlightLimit(1);
    EmbeddedChannel ch = connected(twin, 64, limit);
    ch.writeInbound(publishes(1, 2, 3));
    ch.runPendingTasks();
    ch.advanceTimeBy(1, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertEquals(1, twin.count(), "the server-wide bound of 1 holds the second publish back");
    assertEquals(1, limit.current());

    twin.complete(0);
    ch.runPendingTasks();
    ch.advanceTimeBy(1, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    ch.runPendingTasks();
    assertEquals(2, twin.count(), "the waiting publish took the freed permit");
    assertEquals(1, limit.current());
    assertEquals(List.of(1), pubAcks(ch));
    ch.finishAndReleaseAll();
  }

  private EmbeddedChannel connected(HeldGateway twin, int perConnection, InFlightLimit limit) throws Exception {
    String hash = PasswordHash.create("pw".toCharArray(), PasswordHash.MIN_ITERATIONS).format();
    Path file = Files.writeString(dir.resolve("devices.json"), "{\"devices\":[{\"username\":\"cam\",\"password\":\"" + hash
        + "\",\"site\":\"demo-mall\",\"assets\":[\"camera/CAM-0005\"]}]}");
    MqttSettings settings = new MqttSettings(true, "127.0.0.1", 0, 262_144, perConnection, Duration.ofSeconds(10));
    MqttDoor door = new MqttDoor(settings, twin, DeviceCredentials.load(file), limit, new DevicePresence(),
        new CommandDelivery(null, null, List.of()), Runnable::run, new ConcurrentHashMap<>());
    EmbeddedChannel ch = new EmbeddedChannel(new MqttServerInitializer(door));
    ch.writeInbound(encode(MqttMessageBuilders.connect().clientId("cam-1").protocolVersion(MqttVersion.MQTT_3_1_1)
        .cleanSession(true).keepAlive(0).hasUser(true).username("cam").hasPassword(true)
        .password("pw".getBytes(StandardCharsets.UTF_8)).build()));
    ch.runPendingTasks();
    ch.runPendingTasks();
    List<MqttMessage> out = sent(ch);
    assertEquals(1, out.size());
    assertEquals(MqttConnectReturnCode.CONNECTION_ACCEPTED, ((MqttConnAckMessage) out.get(0)).variableHeader().connectReturnCode());
    return ch;
  }

  private static ByteBuf publishes(int... ids) {
    ByteBuf all = Unpooled.buffer();
    for (int id : ids) {
      String json = "{\"v\":1,\"type\":\"telemetry\",\"id\":\"bp-" + id + "\",\"site\":\"demo-mall\",\"kind\":\"camera\","
          + "\"asset\":\"CAM-0005\",\"ts\":\"2026-12-24T01:00:00Z\",\"data\":{\"in\":1,\"out\":0}}";
      ByteBuf one = encode(MqttMessageBuilders.publish().topicName(TOPIC).qos(MqttQoS.AT_LEAST_ONCE).messageId(id)
          .retained(false).payload(Unpooled.copiedBuffer(json, StandardCharsets.UTF_8)).build());
      all.writeBytes(one);
      one.release();
    }
    return all;
  }

  private static ByteBuf encode(MqttMessage m) {
    EmbeddedChannel enc = new EmbeddedChannel(MqttEncoder.INSTANCE);
    enc.writeOutbound(m);
    ByteBuf out = Unpooled.buffer();
    for (ByteBuf b; (b = enc.readOutbound()) != null; ) {
      out.writeBytes(b);
      b.release();
    }
    enc.finish();
    return out;
  }

  /** What the server wrote since the last call, decoded. */
  private static List<MqttMessage> sent(EmbeddedChannel ch) {
    EmbeddedChannel dec = new EmbeddedChannel(new MqttDecoder());
    for (ByteBuf b; (b = ch.readOutbound()) != null; ) dec.writeInbound(b);
    List<MqttMessage> out = new ArrayList<>();
    for (MqttMessage m; (m = dec.readInbound()) != null; ) {
      assertTrue(m.decoderResult().isSuccess(), String.valueOf(m.decoderResult()));
      out.add(m);
    }
    dec.finishAndReleaseAll();
    return out;
  }

  private static List<Integer> pubAcks(EmbeddedChannel ch) {
    List<Integer> ids = new ArrayList<>();
    for (MqttMessage m : sent(ch)) {
      if (m.fixedHeader().messageType() == MqttMessageType.PUBACK) ids.add(((MqttMessageIdVariableHeader) m.variableHeader()).messageId());
    }
    return ids;
  }
}
