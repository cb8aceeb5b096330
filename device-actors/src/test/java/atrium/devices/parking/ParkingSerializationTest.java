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
        new ParkingBay.Occupied(BAY, "pt_0123456789abcdef01234567", T),
        new ParkingBay.Occupied(BAY, null, T),
        new ParkingBay.PlateRecognised(BAY, "pt_0123456789abcdef01234567", T),
        new ParkingBay.Vacated(BAY, T.minusSeconds(3600), T),
        new ParkingBay.Reserved(BAY, "R-1", T.plusSeconds(900), T),
        new ParkingBay.ReservationEnded(BAY, "R-1", "expired", T),
        new ParkingBay.TakenOutOfService(BAY, "sensor cleaning", T),
        new ParkingBay.ReturnedToService(BAY, true, T),
        new ParkingBay.State(Status.RESERVED, T, null, "R-1", T.plusSeconds(900), null),
        new ParkingBay.State(Status.OCCUPIED, T, "pt_0123456789abcdef01234567", null, null, null),
        ParkingBay.State.INITIAL,
        new ParkingBay.ReservationDue(T));
    all.forEach(m -> serialization.verifySerialization(m, true));
  }

  @Test
  void everyCarParkEventAndItsStateRoundTrip() {
    Map<String, CarPark.BayEntry> bays = new HashMap<>();
    bays.put("PN-B1-0001", new CarPark.BayEntry("PN-B1", Status.OCCUPIED, 7, "pt_0123456789abcdef01234567"));
    bays.put("PN-B2-0001", new CarPark.BayEntry("PN-B2", Status.OUT_OF_SERVICE, 2, null));
    Map<String, Instant> stays = new java.util.LinkedHashMap<>();
    stays.put("pt_0123456789abcdef01234567", T);
    Map<Long, CarPark.HourFlow> flows = new HashMap<>();
    flows.put(493_000L, new CarPark.HourFlow(493_000L, 12, 9, 840, 11, 8));
    List<Object> all = List.of(
        new CarPark.BayStatusRecorded("PN-B1-0001", "PN-B1", Status.OCCUPIED, 7, "pt_0123456789abcdef01234567", null, T),
        new CarPark.BayStatusRecorded("PN-B1-0001", "PN-B1", Status.FREE, 8, null, T.minusSeconds(60), T),
        new CarPark.StayOpened("pt_0123456789abcdef01234567", "CAM-0001", T),
        new CarPark.StayClosed("pt_0123456789abcdef01234567", "CAM-0002", T.minusSeconds(600), T),
        new CarPark.StayClosed("pt_0123456789abcdef01234567", "CAM-0002", null, T),
        new CarPark.State(bays, stays, flows, T),
        CarPark.State.empty());
    all.forEach(m -> serialization.verifySerialization(m, true));
  }
}
