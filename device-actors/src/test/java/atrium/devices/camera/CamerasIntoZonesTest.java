package atrium.devices.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.SimulatedClock;
import atrium.core.runtime.TwinServices;
import atrium.core.testkit.TestTwins;
import atrium.devices.camera.Camera.Command;
import atrium.devices.camera.Camera.Event;
import atrium.devices.camera.Camera.State;
import atrium.devices.camera.Camera.View;
import atrium.devices.zone.Zone;
import atrium.devices.zone.ZoneSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Cameras passing their counts on to real zone entities (unsharded: the zones are spawned here). */
class CamerasIntoZonesTest {
  private static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config()
      .withFallback(com.typesafe.config.ConfigFactory.load()));
  private static final PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
  private static final Instant T0 = Instant.parse("2026-12-24T06:00:00Z");
  private static final ZoneSettings ZONES = zoneSettings();

  private final SimulatedClock clock = new SimulatedClock(T0);
  private final TwinServices services = TestTwins.unsharded(testKit.system(), clock);
  private final Map<String, ActorRef<Zone.Command>> zones = new ConcurrentHashMap<>();

  private static ZoneSettings zoneSettings() {
    Map<atrium.core.site.Zone.Kind, ZoneSettings.Thresholds> t = new EnumMap<>(atrium.core.site.Zone.Kind.class);
    for (var k : atrium.core.site.Zone.Kind.values()) t.put(k, new ZoneSettings.Thresholds(1.5, 2.5));
    return new ZoneSettings(t, 0.8, Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofHours(1), 12, 32, 5,
        Duration.ofMinutes(5), 5.4);
  }

  private ActorRef<Zone.Command> zone(String id) {
    return zones.computeIfAbsent(id, z -> testKit.spawn(Zone.create(AssetId.of("demo-mall", AssetKind.ZONE, z), services, ZONES)));
  }

  private EventSourcedBehaviorTestKit<Command, Event, State> camera(String id) {
    return EventSourcedBehaviorTestKit.create(testKit.system(), Camera.create(AssetId.of("demo-mall", AssetKind.CAMERA, id),
        services, CameraTest.SETTINGS, this::zone));
  }

  @AfterEach
  void clear() {
    zones.values().forEach(testKit::stop);
    journal.clearAll();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private int occupancy(String zone) {
    var probe = testKit.<Zone.View>createTestProbe();
    zone(zone).tell(new Zone.GetState(probe.ref()));
    return probe.receiveMessage().occupancy();
  }

  private void awaitOccupancy(String zone, int expected) {
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      assertEquals(expected, occupancy(zone));
      return null;
    });
  }

  private static StatusReply<View> heads(EventSourcedBehaviorTestKit<Command, Event, State> camera, String msg, int n, Instant at) {
    return camera.<StatusReply<View>>runCommand(r -> new Camera.CountHeads(msg, n, at, r)).reply();
  }

  @Test
  void aLineCameraMovesPeopleBetweenTheTwoZonesOfItsBorder() {
    var corridorCamera = camera("CAM-0097"); // a headcount camera in corridor C-L1-S
    heads(corridorCamera, "h-1", 40, T0);
    awaitOccupancy("C-L1-S", 40);
    var door = camera("CAM-0016"); // the door from C-L1-S into shop S-L1-02
    door.<StatusReply<View>>runCommand(r -> new Camera.CountLine("l-1", 8, 3, T0, r));
    awaitOccupancy("S-L1-02", 5);
    awaitOccupancy("C-L1-S", 35);
    corridorCamera.clear();
    door.clear();
  }

  @Test
  void aHeadcountSetsItsZone() {
    var camera = camera("CAM-0099");
    heads(camera, "h-1", 25, T0);
    awaitOccupancy("LL-L1-N", 25);
    camera.clear();
  }

  @Test
  void anImpossibleJumpMarksTheCameraImplausibleAndLeavesTheZoneAsItWas() {
    var camera = camera("CAM-0099");
    heads(camera, "h-1", 20, T0);
    awaitOccupancy("LL-L1-N", 20);
    clock.advance(Duration.ofSeconds(5));
    assertTrue(heads(camera, "h-2", 300, clock.now()).getValue().implausible());
    heads(camera, "h-3", 310, clock.now());
    assertEquals(20, occupancy("LL-L1-N"));
    camera.clear();
  }

  @Test
  void crossingsThatWouldEmptyAShopBelowZeroMarkTheCameraImplausible() {
    var door = camera("CAM-0016");
    door.<StatusReply<View>>runCommand(r -> new Camera.CountLine("l-1", 0, 30, T0, r));
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      assertTrue(door.getState().faulty());
      return null;
    });
    assertTrue(door.getState().fault().contains("zone S-L1-02 refused"), door.getState().fault());
    assertEquals(0, occupancy("S-L1-02"));
    door.<StatusReply<View>>runCommand(r -> new Camera.CountLine("l-2", 4, 0, T0.plusSeconds(10), r));
    assertEquals(0, occupancy("S-L1-02"));
    door.clear();
  }
}
