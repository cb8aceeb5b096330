package atrium.devices.parking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.SimulatedClock;
import atrium.core.site.Bay;
import atrium.core.testkit.TestTwins;
import atrium.devices.parking.CarPark.Command;
import atrium.devices.parking.CarPark.Event;
import atrium.devices.parking.CarPark.GateDirection;
import atrium.devices.parking.CarPark.Guidance;
import atrium.devices.parking.CarPark.Preference;
import atrium.devices.parking.CarPark.State;
import atrium.devices.parking.CarPark.View;
import atrium.devices.parking.ParkingBay.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CarParkTest {
  private static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config()
      .withFallback(com.typesafe.config.ConfigFactory.load()));
  private static final Instant T0 = Instant.parse("2026-12-24T01:00:00Z");
  private static final AssetId NORTH = AssetId.of("demo-mall", AssetKind.CAR_PARK, "P-north");
  private static final atrium.core.site.CarPark MODEL =
      TestTwins.demoSites().site("demo-mall").orElseThrow().carPark("P-north").orElseThrow();
  private static final String UPPER = MODEL.levels().get(0).id(), LOWER = MODEL.levels().get(1).id();

  private final SimulatedClock clock = new SimulatedClock(T0);
  private final EventSourcedBehaviorTestKit<Command, Event, State> carPark = EventSourcedBehaviorTestKit.create(
      testKit.system(), CarPark.create(NORTH, TestTwins.unsharded(testKit.system(), clock)));

  @AfterEach
  void clear() {
    carPark.clear();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static String bay(int level, int i) {
    return MODEL.levels().get(level).bays().get(i).id();
  }

  private static List<Bay> baysByEntrance() {
    return MODEL.levels().stream().flatMap(l -> l.bays().stream())
        .sorted(Comparator.comparingDouble(Bay::toEntrance)).toList();
  }

  private EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, Done> apply(String bay, String level,
      Status s, long seq, String token, Instant since, Instant at) {
    return carPark.runCommand(r -> new CarPark.ApplyBayStatus(bay, level, s, seq, token, since, at, r));
  }

  private EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, Done> apply(String bay, String level, Status s, long seq) {
    return apply(bay, level, s, seq, null, null, T0.plusSeconds(seq));
  }

  private String levelOf(String bayId) {
    return bayId.startsWith(UPPER) ? UPPER : LOWER;
  }

  private View view() {
    return carPark.<View>runCommand(CarPark.GetState::new).reply();
  }

  private Guidance guide(Preference p, Bay.Kind kind, boolean evenIfOverflowing) {
    return carPark.<Guidance>runCommand(r -> new CarPark.Guide(p, kind, evenIfOverflowing, r)).reply();
  }

  @Test
  void anEmptyCarParkHasEveryBayOfTheSiteModelFree() {
    View v = view();
    assertEquals(1000, v.capacity());
    assertEquals(1000, v.free());
    assertEquals(2, v.levels().size());
    assertEquals(500, v.levels().get(0).free());
    assertFalse(v.overflowing());
  }

  @Test
  void occupiedReservedAndOutOfServiceBaysLowerTheirLevelsFreeCount() {
    apply(bay(0, 0), UPPER, Status.OCCUPIED, 1);
    apply(bay(0, 1), UPPER, Status.RESERVED, 1);
    apply(bay(1, 0), LOWER, Status.OUT_OF_SERVICE, 1);
    View v = view();
    assertEquals(997, v.free());
    assertEquals(498, v.levels().get(0).free());
    assertEquals(1, v.levels().get(0).reserved());
    assertEquals(499, v.levels().get(1).free());
    assertEquals(0.003, v.fillLevel());
  }

  @Test
  void aStatusOlderThanTheOneHeldIsAcknowledgedAndIgnored() {
    apply(bay(0, 0), UPPER, Status.OCCUPIED, 5);
    var stale = apply(bay(0, 0), UPPER, Status.FREE, 4);
    assertTrue(stale.hasNoEvents());
    assertEquals(Done.getInstance(), stale.reply());
    assertTrue(apply(bay(0, 0), UPPER, Status.OCCUPIED, 5).hasNoEvents());
    assertEquals(999, view().free());
  }

  @Test
  void guidanceSendsACarToTheFreeBayNearestTheEntranceAndNotTwiceToTheSameBay() {
    List<Bay> order = baysByEntrance().stream().filter(b -> !b.shared()).toList();
    apply(order.get(0).id(), levelOf(order.get(0).id()), Status.OCCUPIED, 1);
    Guidance first = guide(Preference.ENTRANCE, null, false);
    assertEquals(order.get(1).id(), first.bayId());
    Guidance second = guide(Preference.ENTRANCE, null, false);
    assertEquals(order.get(2).id(), second.bayId(), "the bay just given is held for the first car");
    clock.advance(CarPark.GUIDANCE_HOLD.plusSeconds(1));
    assertEquals(order.get(1).id(), guide(Preference.ENTRANCE, null, false).bayId(), "the hold lapses on the clock");
  }

  @Test
  void guidanceByKindAndPreferenceFindsTheNearestBayOfThatKindToALift() {
    Bay nearestEvToLift = MODEL.levels().stream().flatMap(l -> l.bays().stream())
        .filter(b -> b.kind() == Bay.Kind.EV && !b.shared())
        .min(Comparator.comparingDouble(Bay::toLift)).orElseThrow();
    Guidance g = guide(Preference.LIFT, Bay.Kind.EV, false);
    assertEquals(nearestEvToLift.id(), g.bayId());
    assertEquals(nearestEvToLift.toLift(), g.metres());
  }

  @Test
  void pastTheOverflowFillLevelNoBayIsOfferedUnlessAskedEvenIfOverflowing() {
    int toFill = (int) Math.ceil(MODEL.overflowFill() * 1000);
    List<Bay> all = MODEL.levels().stream().flatMap(l -> l.bays().stream()).toList();
    for (int i = 0; i < toFill; i++) apply(all.get(i).id(), levelOf(all.get(i).id()), Status.OCCUPIED, 1);
    assertTrue(view().overflowing());
    Guidance refused = guide(Preference.ENTRANCE, null, false);
    assertNull(refused.bayId());
    assertTrue(refused.overflowing());
    assertTrue(guide(Preference.ENTRANCE, null, true).bayId() != null);
  }

  @Test
  void reverseCarFindingLeadsFromTheLiftLobbyToTheBayOfThePlateToken() {
    String bay = bay(1, 42);
    apply(bay, LOWER, Status.OCCUPIED, 1, "pt_car", null, T0);
    var found = carPark.<StatusReply<CarPark.CarLocation>>runCommand(r -> new CarPark.FindCar("pt_car", null, r)).reply();
    assertEquals(bay, found.getValue().bayId());
    assertEquals(MODEL.levels().get(1).zone(), found.getValue().route().get(found.getValue().route().size() - 1));
    assertTrue(found.getValue().routeMetres() > 0);
    var fromUpperLevel = carPark.<StatusReply<CarPark.CarLocation>>runCommand(r -> new CarPark.FindCar("pt_car", "CP-N-B1", r)).reply();
    // On foot, down by the lift rather than along the 45 m car ramp.
    assertEquals(List.of("CP-N-B1", "LL-B1-N", "LL-B2-N", "CP-N-B2"), fromUpperLevel.getValue().route());
    assertTrue(carPark.<StatusReply<CarPark.CarLocation>>runCommand(r -> new CarPark.FindCar("pt_other", null, r)).reply().isError());
  }

  @Test
  void gateReadsOpenAndCloseAStayWithItsLength() {
    var in = carPark.<StatusReply<CarPark.StayView>>runCommand(r -> new CarPark.GateRead("CAM-0001", GateDirection.ENTRY, "pt_x", T0, r));
    assertEquals(T0, in.reply().getValue().enteredAt());
    assertTrue(carPark.<StatusReply<CarPark.StayView>>runCommand(
        r -> new CarPark.GateRead("CAM-0001", GateDirection.ENTRY, "pt_x", T0.plusSeconds(2), r)).hasNoEvents(), "a re-read at the barrier");
    assertEquals(1, view().openStays());
    var out = carPark.<StatusReply<CarPark.StayView>>runCommand(
        r -> new CarPark.GateRead("CAM-0002", GateDirection.EXIT, "pt_x", T0.plus(Duration.ofMinutes(95)), r));
    assertEquals(95L, out.reply().getValue().minutes());
    assertEquals(0, view().openStays());
  }

  @Test
  void flowStatisticsCountArrivalsDeparturesAndDwellPerHour() {
    apply(bay(0, 0), UPPER, Status.OCCUPIED, 1, null, null, T0.plusSeconds(60));
    apply(bay(0, 1), UPPER, Status.OCCUPIED, 1, null, null, T0.plusSeconds(120));
    apply(bay(0, 0), UPPER, Status.FREE, 2, null, T0.plusSeconds(60), T0.plus(Duration.ofMinutes(91)));
    View v = view();
    assertEquals(2, v.flows().size());
    assertEquals(2, v.flows().get(0).arrivals());
    assertEquals(1, v.flows().get(1).departures());
    assertEquals(90.0, v.flows().get(1).meanDwellMinutes());
  }

  @Test
  void countsStaysAndFlowsSurviveARestart() {
    apply(bay(0, 0), UPPER, Status.OCCUPIED, 1);
    apply(bay(1, 0), LOWER, Status.OCCUPIED, 1);
    apply(bay(1, 0), LOWER, Status.FREE, 2);
    carPark.<StatusReply<CarPark.StayView>>runCommand(r -> new CarPark.GateRead("CAM-0001", GateDirection.ENTRY, "pt_y", T0, r));
    View before = view();
    carPark.restart();
    View after = view();
    assertEquals(999, after.free());
    assertEquals(before.flows(), after.flows());
    assertEquals(1, after.openStays());
    assertNotEquals(null, after.updatedAt());
  }
}
