package atrium.devices.parking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.protocol.DeviceProtocol;
import atrium.core.protocol.Envelope;
import atrium.core.runtime.AtriumRuntime;
import atrium.core.site.Site;
import atrium.core.testkit.TestTwins;
import atrium.devices.TwinGateway;
import atrium.devices.Twins;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parking on a real one-node runtime: sharding, the H2 journal and the projection to the car parks. */
class ParkingNodeTest {
  private static final ActorTestKit waiter = ActorTestKit.create("waiter");
  private static final Instant T0 = Instant.parse("2026-12-24T05:00:00Z");

  @TempDir
  Path dataDir;
  private AtriumRuntime runtime;
  private TwinGateway gateway;
  private Site site;

  @BeforeEach
  void start() {
    runtime = AtriumRuntime.start(ConfigFactory.parseMap(Map.of(
        "atrium.data-dir", dataDir.toString(),
        "atrium.site-files", List.of(TestTwins.demoMallFile().toString()),
        "pekko.remote.artery.canonical.port", 0,
        "atrium.clock.mode", "manual",
        "atrium.clock.start", T0.toString())));
    gateway = Twins.start(runtime);
    site = runtime.services().sites().site("demo-mall").orElseThrow();
  }

  @AfterEach
  void stopNode() {
    runtime.close();
  }

  @AfterAll
  static void stop() {
    waiter.shutdownTestKit();
  }

  private Envelope.Telemetry reading(String bay, boolean occupied, String plate) {
    var data = DeviceProtocol.mapper().createObjectNode().put("occupied", occupied);
    if (plate != null) data.put("plate", plate);
    return new Envelope.Telemetry("m-" + bay + "-" + occupied, AssetId.of("demo-mall", AssetKind.PARKING_BAY, bay), T0, data);
  }

  private CarPark.View north() throws Exception {
    return runtime.services().entityRef(CarPark.ENTITY_KEY, AssetId.of("demo-mall", AssetKind.CAR_PARK, "P-north"))
        .ask(CarPark.GetState::new, Duration.ofSeconds(10)).toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  @Test
  void aCarArrivingAtAFullCarParkIsSentToTheNearestCarParkWithRoom() throws Exception {
    var model = site.carPark("P-north").orElseThrow();
    int toFill = (int) Math.ceil(model.overflowFill() * model.bayCount());
    // As the HTTP door would: a bounded number in flight (the door answers 503 beyond its limit).
    Semaphore inFlight = new Semaphore(64);
    List<CompletableFuture<?>> sent = new ArrayList<>();
    for (var b : model.levels().stream().flatMap(l -> l.bays().stream()).limit(toFill).toList()) {
      inFlight.acquire();
      sent.add(gateway.ingest(reading(b.id(), true, null)).toCompletableFuture().whenComplete((v, e) -> inFlight.release()));
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    waiter.createTestProbe().awaitAssert(Duration.ofSeconds(30), Duration.ofMillis(200), () -> {
      assertTrue(north().overflowing(), "P-north past its overflow fill level");
      return null;
    });
    var guidance = ParkingGuidance.guide(runtime.services(), site, "P-north", CarPark.Preference.ENTRANCE, null)
        .toCompletableFuture().get(15, TimeUnit.SECONDS);
    assertEquals("P-south", guidance.carPark());
    assertEquals("P-north", guidance.redirectedFrom());
    assertTrue(guidance.bayId().startsWith("PS-"), guidance.bayId());
  }

  @Test
  void aPlateReadByABayCameraFindsTheCarAndThePlateItselfIsStoredNowhere() throws Exception {
    gateway.ingest(reading("PN-B2-0123", true, "沪A 12345")).toCompletableFuture().get(15, TimeUnit.SECONDS);
    var bay = gateway.state(AssetId.of("demo-mall", AssetKind.PARKING_BAY, "PN-B2-0123")).toCompletableFuture()
        .get(15, TimeUnit.SECONDS).orElseThrow();
    String token = bay.get("plateToken").asText();
    assertTrue(token.startsWith("pt_"), token);
    assertTrue(!bay.toString().contains("12345"), "the view holds the token, never the plate");
    var carPark = runtime.services().entityRef(CarPark.ENTITY_KEY, AssetId.of("demo-mall", AssetKind.CAR_PARK, "P-north"));
    waiter.createTestProbe().awaitAssert(Duration.ofSeconds(30), Duration.ofMillis(200), () -> {
      var found = carPark.<CarPark.CarLocation>askWithStatus(r -> new CarPark.FindCar(token, null, r), Duration.ofSeconds(5))
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals("PN-B2-0123", found.bayId());
      return null;
    });
  }

  @Test
  void gateCamerasOpenAndCloseStaysThroughTheDoor() throws Exception {
    var gates = new PlateGates(atrium.core.privacy.Pseudonymiser.create(runtime.system().settings().config()));
    var entry = site.camera("CAM-0001").orElseThrow();
    var exit = site.camera("CAM-0002").orElseThrow();
    var data = DeviceProtocol.mapper().createObjectNode().put("plate", "粤B·88888");
    var in = gates.ingest(runtime.services(), entry, new Envelope.Event("g-1", AssetId.of("demo-mall", AssetKind.CAMERA, "CAM-0001"),
        T0, "plate-read", data)).toCompletableFuture().get(15, TimeUnit.SECONDS);
    var out = gates.ingest(runtime.services(), exit, new Envelope.Event("g-2", AssetId.of("demo-mall", AssetKind.CAMERA, "CAM-0002"),
        T0.plus(Duration.ofMinutes(42)), "plate-read", data)).toCompletableFuture().get(15, TimeUnit.SECONDS);
    assertEquals(in.plateToken(), out.plateToken());
    assertEquals(42L, out.minutes());
    assertEquals(0, north().openStays());
  }
}
