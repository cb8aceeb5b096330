package atrium.devices.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.json.Json;
import atrium.core.protocol.Envelope;
import atrium.core.runtime.AtriumRuntime;
import atrium.core.testkit.TestTwins;
import atrium.devices.ShardedTwinGateway;
import atrium.devices.TwinException;
import atrium.devices.TwinGateway;
import atrium.devices.TwinKind;
import atrium.devices.zone.Zones;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cameras and zones on a one-node cluster behind the gateway, as the doors use them: through Cluster
 * Sharding, on the embedded journal, with every message serialized as if it crossed the network.
 */
class CamerasOverShardingTest {
  @TempDir
  static Path data;
  private static AtriumRuntime runtime;
  private static TwinGateway gateway;
  private static ActorTestKit probes;
  private static final Instant T0 = Instant.parse("2026-12-24T01:00:00Z");

  @BeforeAll
  static void start() {
    var overrides = ConfigFactory.parseString(String.format("""
        atrium.data-dir = "%s"
        atrium.site-files = ["%s"]
        atrium.clock.mode = manual
        atrium.ask-timeout = 20s
        pekko.actor.serialize-messages = on
        """, data.toString().replace("\\", "/"), TestTwins.demoMallFile().toString().replace("\\", "/")))
        .withFallback(ConfigFactory.parseResources("atrium-camera.conf"))
        .withFallback(ConfigFactory.parseResources("atrium-zone.conf"));
    runtime = AtriumRuntime.start(overrides);
    List<TwinKind> kinds = List.of(new Cameras(), new Zones());
    kinds.forEach(k -> k.start(runtime));
    gateway = new ShardedTwinGateway(runtime.services(), kinds, java.util.Map.of());
    probes = ActorTestKit.create(runtime.system());
    // The cluster, its shards and the journal start on the first messages: wait for them (a loaded
    // machine takes longer than one ask) before any count is sent.
    probes.createTestProbe().awaitAssert(Duration.ofSeconds(60), Duration.ofSeconds(1), () -> {
      try {
        state(AssetKind.ZONE, "ATR-L3");
        state(AssetKind.CAMERA, "CAM-0099");
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return null;
    });
  }

  @AfterAll
  static void stop() {
    if (runtime != null) runtime.close();
  }

  private static void ingest(String camera, String id, String data) throws Exception {
    var envelope = new Envelope.Telemetry(id, AssetId.of("demo-mall", AssetKind.CAMERA, camera), T0,
        (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(data));
    assertEquals(TwinGateway.Ingested.APPLIED, gateway.ingest(envelope).toCompletableFuture().get(40, TimeUnit.SECONDS));
  }

  private static JsonNode state(AssetKind kind, String id) throws Exception {
    return gateway.state(AssetId.of("demo-mall", kind, id)).toCompletableFuture().get(40, TimeUnit.SECONDS).orElseThrow();
  }

  @Test
  void aLineCameraMovesPeopleIntoAShopThroughSharding() throws Exception {
    ingest("CAM-0017", "c17-1", "{\"in\":9,\"out\":2}");
    probes.createTestProbe().awaitAssert(Duration.ofSeconds(20), () -> {
      try {
        assertEquals(7, state(AssetKind.ZONE, "S-L1-03").get("occupancy").asInt());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return null;
    });
    assertEquals(9, state(AssetKind.CAMERA, "CAM-0017").get("countedIn").asInt());
  }

  @Test
  void aShopRefusingImpossibleCountsMarksItsCameraImplausibleThroughSharding() throws Exception {
    ingest("CAM-0018", "c18-1", "{\"in\":0,\"out\":40}");
    probes.createTestProbe().awaitAssert(Duration.ofSeconds(20), () -> {
      try {
        assertTrue(state(AssetKind.CAMERA, "CAM-0018").get("implausible").asBoolean());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return null;
    });
  }

  @Test
  void aPlateReaderIsNotAPeopleCounter() {
    var envelope = new Envelope.Telemetry("p-1", AssetId.of("demo-mall", AssetKind.CAMERA, "CAM-0001"), T0,
        Json.MAPPER.createObjectNode().put("count", 1));
    var e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
        () -> gateway.ingest(envelope).toCompletableFuture().get(40, TimeUnit.SECONDS));
    Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
    assertInstanceOf(TwinException.UnknownAsset.class, cause);
  }
}
