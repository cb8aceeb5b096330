package atrium.devices.kiosk;

import atrium.devices.kiosk.Kiosk.Component;
import atrium.devices.kiosk.Kiosk.Connectivity;
import atrium.devices.kiosk.Kiosk.ContentMode;
import atrium.devices.kiosk.Kiosk.Delivery;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every persisted kiosk message, its state and its view survive Jackson CBOR, the binding the journal uses. */
class KioskSerializationTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final SerializationTestKit serialization = new SerializationTestKit(testKit.system());
  private static final Instant T = Instant.parse("2026-12-24T06:30:00.250Z");

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void everyKioskEventRoundTrips() {
    List<Object> all = List.of(
        new Kiosk.CameOnline(T),
        new Kiosk.WentOffline(T.minusSeconds(90), T),
        new Kiosk.FaultRaised(Component.PRINTER, "paper jam", T),
        new Kiosk.FaultRaised(Component.SCREEN, null, T),
        new Kiosk.FaultCleared(Component.NETWORK, T),
        new Kiosk.ContentModeSet(ContentMode.EVACUATION_GUIDANCE, 3, "operator-7", T),
        new Kiosk.ContentModeApplied(3, T),
        new Kiosk.ContentModeRefused(3, "content package missing", T));
    all.forEach(m -> serialization.verifySerialization(m, true));
  }

  @Test
  void theStatesTheTimerMessageAndTheViewRoundTrip() {
    var faults = List.of(new Kiosk.Fault(Component.PRINTER, "paper jam", T), new Kiosk.Fault(Component.SCREEN, null, T));
    Map<String, Long> usage = new LinkedHashMap<>();
    usage.put("sessions", 12L);
    usage.put("prints", 0L);
    List<Object> all = List.of(
        Kiosk.State.INITIAL,
        new Kiosk.State(Connectivity.OFFLINE, T, faults, ContentMode.PROMOTION, 2, "operator-7", T, Delivery.REFUSED,
            "no content", T),
        new Kiosk.HeartbeatDue(T),
        new Kiosk.View("demo-mall", "KIOSK-01", "ENT-W", Connectivity.ONLINE, T, T, faults, ContentMode.NORMAL,
            Delivery.APPLIED, "content-mode-2", "operator-7", T, null, usage, T));
    all.forEach(m -> serialization.verifySerialization(m, true));
  }
}
