package atrium.devices.camera;

import atrium.devices.zone.Zone;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every persisted camera and zone message, and those sent through sharding, survive Jackson CBOR. */
class CameraSerializationTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final SerializationTestKit serialization = new SerializationTestKit(testKit.system());
  private static final Instant T = Instant.parse("2026-12-24T06:30:00.250Z");

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void everyCameraEventStateAndTimerMessageRoundTrips() {
    List<Object> all = List.of(
        new Camera.WentOffline(T.minusSeconds(300), T),
        new Camera.CameBackOnline(T),
        new Camera.MarkedImplausible("200 crossings in 10 s over a 2.5 m border", T),
        new Camera.FaultCleared("automatic", T),
        Camera.State.HEALTHY,
        new Camera.State(T, "zone S-L1-02 refused its counts", T.minusSeconds(5)),
        new Camera.ReportDue(T),
        new Camera.ZoneRefused("S-L1-02", "would leave -26 people"),
        new Camera.View("demo-mall", "CAM-0016", "line", "S-L1-02", "C-L1-S", "S-L1-02", false, null, true, "why", T, T, T,
            5, 2, null, 10, 1, 40, 12));
    all.forEach(m -> serialization.verifySerialization(m, true));
  }

  @Test
  void camerasCommandsWithTheirReplyTargetsRoundTrip() {
    var probe = testKit.<StatusReply<Camera.View>>createTestProbe();
    serialization.verifySerialization(new Camera.CountLine("m-1", 3, 1, T, probe.ref()), true);
    serialization.verifySerialization(new Camera.CountHeads("m-2", 17, T, probe.ref()), true);
    serialization.verifySerialization(new Camera.ResetFault("ops-3", probe.ref()), true);
  }

  @Test
  void everyZoneEventStateAndMessageFromACameraRoundTrips() {
    var refusals = testKit.<Zone.Refused>createTestProbe();
    List<Object> all = List.of(
        new Zone.OccupancyCheckpointed(42, T),
        new Zone.OccupancyCorrected(0, "ops-7", "closing time", T),
        new Zone.CrowdingChanged(Zone.Crowding.NORMAL, Zone.Crowding.WARNING, 120, 2.0, T),
        new Zone.State(120, T, Zone.Crowding.WARNING, T),
        new Zone.State(0, null, Zone.Crowding.NORMAL, null),
        new Zone.Crossed("CAM-0016", "C-L1-S", 5, 2, T, refusals.ref()),
        new Zone.Crossed("CAM-0016", "C-L1-S", 5, 2, T, null),
        new Zone.HeadCounted("CAM-0099", 17, T),
        new Zone.ForgetCamera("CAM-0099"),
        new Zone.Refused("S-L1-02", "CAM-0016", "would leave -26 people"),
        new Zone.View("demo-mall", "S-L1-02", "shop", "L1", 85, 10, 0.118, Zone.Crowding.NORMAL, null, 12.5, 48, 40, 1800,
            List.of(new Zone.Flow("C-L1-S", 24, 20)), null, 0, true, T, T, 0));
    all.forEach(m -> serialization.verifySerialization(m, true));
  }
}
