package atrium.devices.parking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.SimulatedClock;
import atrium.core.clock.TwinClock;
import atrium.core.clock.WallClock;
import atrium.core.testkit.TestTwins;
import atrium.devices.parking.ParkingBay.Command;
import atrium.devices.parking.ParkingBay.Event;
import atrium.devices.parking.ParkingBay.State;
import atrium.devices.parking.ParkingBay.Status;
import atrium.devices.parking.ParkingBay.View;
import java.time.Duration;
import java.time.Instant;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParkingBayTest {
  private static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config()
      .withFallback(com.typesafe.config.ConfigFactory.load()));
  private static final Instant T0 = Instant.parse("2026-12-24T01:00:00Z");
  private static final AssetId BAY = AssetId.of("demo-mall", AssetKind.PARKING_BAY, "PN-B1-0001");
  private static final ParkingSettings SETTINGS = new ParkingSettings(Duration.ofMillis(100), Duration.ofHours(24));

  private final SimulatedClock clock = new SimulatedClock(T0);
  private EventSourcedBehaviorTestKit<Command, Event, State> bay = bay(clock);

  private static EventSourcedBehaviorTestKit<Command, Event, State> bay(TwinClock clock) {
    return EventSourcedBehaviorTestKit.create(testKit.system(),
        ParkingBay.create(BAY, TestTwins.unsharded(testKit.system(), clock), SETTINGS));
  }

  @AfterEach
  void clear() {
    bay.clear();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, StatusReply<View>> reading(boolean occupied, Instant at) {
    return bay.runCommand(r -> new ParkingBay.SensorReading(occupied, null, at, r));
  }

  @Test
  void aCarOnAFreeBayOccupiesItSinceTheReadingTime() {
    var result = reading(true, T0);
    var event = assertInstanceOf(ParkingBay.Occupied.class, result.event());
    assertEquals("P-north", event.bay().carPark());
    assertEquals("PN-B1", event.bay().level());
    assertEquals(Status.OCCUPIED, result.reply().getValue().status());
    assertEquals(T0, result.reply().getValue().since());
  }

  @Test
  void aRepeatedReadingPersistsNothingButIsFoldedIntoTheView() {
    reading(true, T0);
    var again = reading(true, T0.plusSeconds(30));
    assertTrue(again.hasNoEvents());
    assertEquals(T0.plusSeconds(30), again.reply().getValue().lastReadingAt());
    assertEquals(T0, again.reply().getValue().since());
  }

  @Test
  void anEmptyReadingFreesAnOccupiedBayAndTheEventCarriesHowLongTheCarStayed() {
    reading(true, T0);
    var result = reading(false, T0.plusSeconds(3600));
    var vacated = assertInstanceOf(ParkingBay.Vacated.class, result.event());
    assertEquals(T0, vacated.occupiedSince());
    assertEquals(Status.FREE, result.state().status());
  }

  @Test
  void aPlateTokenIsKeptWhileTheCarIsParkedAndForgottenWhenItLeaves() {
    var parked = bay.<StatusReply<View>>runCommand(r -> new ParkingBay.SensorReading(true, "pt_abc", T0, r));
    assertEquals("pt_abc", assertInstanceOf(ParkingBay.Occupied.class, parked.event()).plateToken());
    assertEquals("pt_abc", parked.reply().getValue().plateToken());
    assertEquals(null, reading(false, T0.plusSeconds(60)).state().plateToken());
  }

  @Test
  void aPlateReadAfterTheCarParkedIsRecorded() {
    reading(true, T0);
    var late = bay.<StatusReply<View>>runCommand(r -> new ParkingBay.SensorReading(true, "pt_late", T0.plusSeconds(5), r));
    assertInstanceOf(ParkingBay.PlateRecognised.class, late.event());
    assertEquals(T0, late.state().since());
    assertEquals("pt_late", late.state().plateToken());
  }

  @Test
  void reservingAnOccupiedBayIsRejectedAndPersistsNothing() {
    reading(true, T0);
    var result = bay.<StatusReply<View>>runCommand(r -> new ParkingBay.Reserve("R-1", Duration.ofMinutes(30), r));
    assertTrue(result.hasNoEvents());
    assertTrue(result.reply().isError());
    assertTrue(result.reply().getError().getMessage().contains("occupied"), result.reply().getError().getMessage());
  }

  @Test
  void aReservationLongerThanTheLimitIsRejected() {
    var result = bay.<StatusReply<View>>runCommand(r -> new ParkingBay.Reserve("R-1", Duration.ofHours(25), r));
    assertTrue(result.hasNoEvents());
    assertTrue(result.reply().isError());
  }

  @Test
  void aReservationExpiresOnTheSimulatedClock() {
    var reserved = bay.<StatusReply<View>>runCommand(r -> new ParkingBay.Reserve("R-1", Duration.ofMinutes(30), r));
    assertEquals(T0.plus(Duration.ofMinutes(30)), reserved.reply().getValue().reservedUntil());
    clock.advance(Duration.ofMinutes(29));
    assertEquals(Status.RESERVED, bay.getState().status());
    clock.advance(Duration.ofMinutes(2));
    awaitStatus(bay, Status.FREE);
  }

  @Test
  void theSameReservationLogicExpiresOnTheWallClock() {
    var wall = bay(new WallClock(testKit.system().scheduler(), testKit.system().executionContext()));
    var reserved = wall.<StatusReply<View>>runCommand(r -> new ParkingBay.Reserve("R-1", Duration.ofMillis(300), r));
    assertEquals(Status.RESERVED, reserved.state().status());
    awaitStatus(wall, Status.FREE);
  }

  @Test
  void theReservedCarArrivingEndsTheReservationByOccupying() {
    bay.<StatusReply<View>>runCommand(r -> new ParkingBay.Reserve("R-1", Duration.ofMinutes(30), r));
    var result = reading(true, T0.plusSeconds(60));
    assertInstanceOf(ParkingBay.Occupied.class, result.event());
    assertEquals(null, result.state().reservation());
  }

  @Test
  void aBayOutOfServiceIgnoresItsSensorUntilReturnedAndThenTakesItsReading() {
    var out = bay.<StatusReply<View>>runCommand(r -> new ParkingBay.TakeOutOfService("sensor cleaning", r));
    assertEquals(Status.OUT_OF_SERVICE, out.state().status());
    assertTrue(reading(true, T0).hasNoEvents());
    var back = bay.<StatusReply<View>>runCommand(ParkingBay.ReturnToService::new);
    assertEquals(Status.OCCUPIED, back.state().status());
  }

  @Test
  void stateAndAPendingReservationSurviveARestart() {
    reading(true, T0);
    reading(false, T0.plusSeconds(60));
    bay.<StatusReply<View>>runCommand(r -> new ParkingBay.Reserve("R-9", Duration.ofMinutes(15), r));
    var restarted = bay.restart();
    assertEquals(Status.RESERVED, restarted.state().status());
    assertEquals("R-9", restarted.state().reservation());
    clock.advance(Duration.ofMinutes(16));
    awaitStatus(bay, Status.FREE);
  }

  private static void awaitStatus(EventSourcedBehaviorTestKit<Command, Event, State> kit, Status expected) {
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      assertEquals(expected, kit.getState().status());
      return null;
    });
  }
}
