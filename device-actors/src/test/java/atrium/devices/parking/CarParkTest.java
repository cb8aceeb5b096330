package atrium.devices.parking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.SimulatedClock;
import atrium.core.testkit.TestTwins;
import atrium.devices.parking.CarPark.Command;
import atrium.devices.parking.CarPark.Event;
import atrium.devices.parking.CarPark.State;
import atrium.devices.parking.CarPark.View;
import atrium.devices.parking.ParkingBay.Status;
import java.time.Instant;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CarParkTest {
  private static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config()
      .withFallback(com.typesafe.config.ConfigFactory.load()));
  private static final Instant T0 = Instant.parse("2026-12-24T01:00:00Z");
  private static final AssetId NORTH = AssetId.of("demo-mall", AssetKind.CAR_PARK, "P-north");

  private final EventSourcedBehaviorTestKit<Command, Event, State> carPark = EventSourcedBehaviorTestKit.create(
      testKit.system(), CarPark.create(NORTH, TestTwins.unsharded(testKit.system(), new SimulatedClock(T0))));
  private final Levels levels = new Levels();

  /** The ids of the north car park's two levels and a bay on each, from the demo mall. */
  private static final class Levels {
    final String upper, lower, upperBay, lowerBay, upperBay2;

    Levels() {
      var model = TestTwins.demoSites().site("demo-mall").orElseThrow().carPark("P-north").orElseThrow();
      var l0 = model.levels().get(0);
      var l1 = model.levels().get(1);
      upper = l0.id();
      lower = l1.id();
      upperBay = l0.bays().get(0).id();
      upperBay2 = l0.bays().get(1).id();
      lowerBay = l1.bays().get(0).id();
    }
  }

  @AfterEach
  void clear() {
    carPark.clear();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, Done> apply(String bay, String level, Status s, long seq) {
    return carPark.runCommand(r -> new CarPark.ApplyBayStatus(bay, level, s, seq, T0.plusSeconds(seq), r));
  }

  private View view() {
    return carPark.<View>runCommand(CarPark.GetState::new).reply();
  }

  @Test
  void anEmptyCarParkHasEveryBayOfTheSiteModelFree() {
    View v = view();
    assertEquals(1000, v.capacity());
    assertEquals(1000, v.free());
    assertEquals(2, v.levels().size());
    assertEquals(500, v.levels().get(0).free());
  }

  @Test
  void occupiedAndReservedBaysLowerTheirLevelsFreeCount() {
    apply(levels.upperBay, levels.upper, Status.OCCUPIED, 1);
    apply(levels.upperBay2, levels.upper, Status.RESERVED, 1);
    apply(levels.lowerBay, levels.lower, Status.OUT_OF_SERVICE, 1);
    View v = view();
    assertEquals(997, v.free());
    assertEquals(498, v.levels().get(0).free());
    assertEquals(1, v.levels().get(0).reserved());
    assertEquals(499, v.levels().get(1).free());
    assertEquals(0.003, v.fillLevel());
  }

  @Test
  void aStatusOlderThanTheOneHeldIsAcknowledgedAndIgnored() {
    apply(levels.upperBay, levels.upper, Status.OCCUPIED, 5);
    var stale = apply(levels.upperBay, levels.upper, Status.FREE, 4);
    assertTrue(stale.hasNoEvents());
    assertEquals(Done.getInstance(), stale.reply());
    var redelivered = apply(levels.upperBay, levels.upper, Status.OCCUPIED, 5);
    assertTrue(redelivered.hasNoEvents());
    assertEquals(999, view().free());
  }

  @Test
  void countsSurviveARestart() {
    apply(levels.upperBay, levels.upper, Status.OCCUPIED, 1);
    apply(levels.lowerBay, levels.lower, Status.OCCUPIED, 1);
    apply(levels.lowerBay, levels.lower, Status.FREE, 2);
    carPark.restart();
    View v = view();
    assertEquals(999, v.free());
    assertEquals(T0.plusSeconds(2), v.updatedAt());
  }
}
