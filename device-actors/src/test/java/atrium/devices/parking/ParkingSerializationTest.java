package atrium.devices.parking;

import atrium.devices.parking.ParkingBay.BayRef;
import atrium.devices.parking.ParkingBay.Status;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every persisted parking message survives Jackson CBOR, the binding the journal uses. */
class ParkingSerializationTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final SerializationTestKit serialization = new SerializationTestKit(testKit.system());
  private static final Instant T = Instant.parse("2026-12-24T06:30:00.250Z");
  private static final BayRef BAY = new BayRef("demo-mall", "PN-B1-0001", "P-north", "PN-B1");

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void everyParkingBayEventAndItsStateRoundTrip() {
    List<Object> all = List.of(
        new ParkingBay.Occupied(BAY, T),
        new ParkingBay.Vacated(BAY, T),
        new ParkingBay.Reserved(BAY, "R-1", T.plusSeconds(900), T),
        new ParkingBay.ReservationEnded(BAY, "R-1", "expired", T),
        new ParkingBay.TakenOutOfService(BAY, "sensor cleaning", T),
        new ParkingBay.ReturnedToService(BAY, true, T),
        new ParkingBay.State(Status.RESERVED, T, "R-1", T.plusSeconds(900), null),
        ParkingBay.State.INITIAL,
        new ParkingBay.ReservationDue(T));
    all.forEach(m -> serialization.verifySerialization(m, true));
  }

  @Test
  void everyCarParkEventAndItsStateRoundTrip() {
    Map<String, CarPark.BayEntry> bays = new HashMap<>();
    bays.put("PN-B1-0001", new CarPark.BayEntry("PN-B1", Status.OCCUPIED, 7));
    bays.put("PN-B2-0001", new CarPark.BayEntry("PN-B2", Status.OUT_OF_SERVICE, 2));
    List<Object> all = List.of(
        new CarPark.BayStatusRecorded("PN-B1-0001", "PN-B1", Status.OCCUPIED, 7, T),
        new CarPark.State(bays, T),
        new CarPark.State(new HashMap<>(), null));
    all.forEach(m -> serialization.verifySerialization(m, true));
  }
}
