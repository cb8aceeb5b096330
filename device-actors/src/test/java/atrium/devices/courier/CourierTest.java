package atrium.devices.courier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.SimulatedClock;
import atrium.core.json.Json;
import atrium.core.runtime.TwinServices;
import atrium.core.testkit.TestTwins;
import atrium.core.testkit.TestTwins.AlarmReport;
import atrium.devices.courier.Courier.Command;
import atrium.devices.courier.Courier.Event;
import atrium.devices.courier.Courier.Place;
import atrium.devices.courier.Courier.State;
import atrium.devices.courier.Courier.TrackedView;
import atrium.devices.courier.Courier.View;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CourierTest {
  private static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config()
      .withFallback(com.typesafe.config.ConfigFactory.load()));
  private static final Instant T0 = Instant.parse("2026-12-24T01:00:00Z");
  private static final AssetId COURIER = AssetId.of("demo-mall", AssetKind.COURIER, "COURIER-0001");
  private static final CourierSettings SETTINGS = new CourierSettings(Duration.ofHours(1), 100, 4.0, 0.5, 0.5, 3);

  private final SimulatedClock clock = new SimulatedClock(T0);
  private final TestTwins.Recorder recorder = new TestTwins.Recorder();
  private final TwinServices services = TestTwins.unsharded(testKit.system(), clock, recorder);
  private final EventSourcedBehaviorTestKit<Command, Event, State> courier =
      EventSourcedBehaviorTestKit.create(testKit.system(), Courier.create(COURIER, services, SETTINGS));

  @AfterEach
  void clear() {
    courier.clear();
    services.history().close();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private CommandResultWithReply<Command, Event, State, StatusReply<View>> at(double x, double y, String floor, Double speed) {
    return courier.runCommand(r -> new Courier.ReportPosition(x, y, floor, speed, clock.now(), r));
  }

  private CommandResultWithReply<Command, Event, State, StatusReply<View>> assign(String order, Place to, Instant promisedBy) {
    return courier.runCommand(r -> new Courier.AssignOrder(order, to, promisedBy, "dispatch-1", r));
  }

  private CommandResultWithReply<Command, Event, State, StatusReply<View>> delivered(String order) {
    return courier.runCommand(r -> new Courier.MarkDelivered(order, "courier", r));
  }

  private View view() {
    return courier.<View>runCommand(Courier.GetState::new).reply();
  }

  private TrackedView tracked() {
    return courier.<TrackedView>runCommand(Courier.GetTrack::new).reply();
  }

  private List<AlarmReport> lateAlarms() {
    return recorder.alarms.stream().filter(a -> a.condition().equals("order-late")).toList();
  }

  private static String rejection(CommandResultWithReply<Command, Event, State, StatusReply<View>> result) {
    assertTrue(result.hasNoEvents(), "nothing persisted on rejection");
    assertTrue(result.reply().isError(), "rejected");
    return result.reply().getError().getMessage();
  }

  /**
   * As {@link #await}, moving the simulated clock on by a second before each look: the prune timer is
   * re-armed by the courier's own thread, and a timer armed after an advance has passed its due time
   * waits for the clock's next move (once seen on a loaded CI machine). A few seconds more do not
   * change what the test shows: the points go an hour after they were taken, not before.
   */
  private void awaitNudging(Predicate<CourierTest> condition, String what) {
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(30), Duration.ofMillis(200), () -> {
      clock.advance(Duration.ofSeconds(1));
      assertTrue(condition.test(this), what);
      return null;
    });
  }

  private void await(Predicate<CourierTest> condition, String what) {
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      assertTrue(condition.test(this), what);
      return null;
    });
  }

  @Test
  void aPositionIsKeptInMemoryAndShownOnlyInTheTrackedView() throws Exception {
    var result = at(123.456, 654.321, "L1", 1.5);
    assertTrue(result.hasNoEvents(), "a position is a measurement, not an event");
    TrackedView t = tracked();
    assertEquals(new Place(123.456, 654.321, "L1"), t.position());
    assertEquals(1, t.track().size());
    assertEquals(T0, t.positionAt());

    View v = view();
    assertEquals(T0, v.lastSeenAt());
    assertEquals(1.5, v.observedSpeed());
    String json = Json.MAPPER.writeValueAsString(v);
    assertFalse(json.contains("123.456") || json.contains("654.321"), json);
    List<String> components = Arrays.stream(View.class.getRecordComponents()).map(c -> c.getName()).toList();
    assertTrue(components.stream().noneMatch(n -> n.contains("position") || n.contains("track") || n.equals("x")),
        components.toString());
  }

  @Test
  void theEtaIsTheRemainingDistanceOverTheObservedSpeedAndFollowsTheCourier() {
    at(0, 0, "L1", 5.0);
    var assigned = assign("O-1", new Place(1000, 0, "L1"), T0.plus(Duration.ofHours(1)));
    assertInstanceOf(Courier.OrderAssigned.class, assigned.event());
    var order = assigned.reply().getValue().orders().get(0);
    assertEquals(1000.0, order.remainingMetres());
    assertEquals(T0.plusSeconds(200), order.eta());

    clock.advance(Duration.ofSeconds(100));
    order = at(500, 0, "L1", 5.0).reply().getValue().orders().get(0);
    assertEquals(500.0, order.remainingMetres());
    assertEquals(T0.plusSeconds(200), order.eta());

    // No speed reported: observed from the distance covered, 200 m in 50 s, smoothed with the 5 m/s before.
    clock.advance(Duration.ofSeconds(50));
    View v = at(700, 0, "L1", null).reply().getValue();
    assertEquals(4.5, v.observedSpeed(), 1e-9);
    assertEquals(300.0, v.orders().get(0).remainingMetres());
    assertEquals(T0.plusSeconds(150).plusMillis(66_667), v.orders().get(0).eta());
  }

  @Test
  void beforeAnySpeedIsObservedTheEtaUsesTheDefaultSpeed() {
    at(0, 0, null, null);
    var order = assign("O-1", new Place(400, 0, null), null).reply().getValue().orders().get(0);
    assertEquals(T0.plusSeconds(100), order.eta());
    assertNull(view().observedSpeed());
  }

  @Test
  void aDestinationOnAnotherFloorAddsTheHeightBetweenFloors() {
    at(30, 40, "L1", 1.0);
    var order = assign("O-1", new Place(0, 0, "L2"), null).reply().getValue().orders().get(0);
    assertEquals(50 + 5.5, order.remainingMetres(), 1e-9);
  }

  @Test
  void anEtaBeyondThePromisedTimeRaisesOrderLateAndCatchingUpClearsIt() {
    at(0, 0, "L1", 5.0);
    var assigned = assign("O-1", new Place(1000, 0, "L1"), T0.plusSeconds(100));
    assertTrue(assigned.reply().getValue().late());
    assertEquals(1, lateAlarms().size());
    assertTrue(lateAlarms().get(0).raised());
    assertTrue(lateAlarms().get(0).message().contains("O-1"), lateAlarms().get(0).message());

    clock.advance(Duration.ofSeconds(10));
    at(100, 0, "L1", 5.0);
    assertEquals(1, lateAlarms().size(), "still late: reported once");
    clock.advance(Duration.ofSeconds(10));
    View v = at(990, 0, "L1", 5.0).reply().getValue();
    assertFalse(v.late());
    assertEquals(2, lateAlarms().size());
    assertFalse(lateAlarms().get(1).raised());
  }

  @Test
  void anOrderStillCarriedAtItsPromisedTimeIsLateOnTheSimulatedClock() {
    assign("O-1", new Place(100, 0, null), T0.plus(Duration.ofMinutes(10)));
    assertTrue(lateAlarms().isEmpty());
    clock.advance(Duration.ofMinutes(9));
    assertFalse(view().late());
    clock.advance(Duration.ofMinutes(1));
    await(t -> t.lateAlarms().size() == 1, "order-late raised at the promised time");
    assertTrue(view().late());

    var done = delivered("O-1");
    assertInstanceOf(Courier.OrderDelivered.class, done.event());
    assertEquals(1, done.reply().getValue().delivered());
    assertEquals(2, lateAlarms().size());
    assertFalse(lateAlarms().get(1).raised());
  }

  @Test
  void aFailedDeliveryIsRecordedWithItsReason() {
    assign("O-1", new Place(100, 0, null), null);
    var failed = courier.<StatusReply<View>>runCommand(r -> new Courier.MarkFailed("O-1", "nobody home", "courier", r));
    var event = assertInstanceOf(Courier.OrderFailed.class, failed.event());
    assertEquals("nobody home", event.reason());
    View v = failed.reply().getValue();
    assertTrue(v.orders().isEmpty());
    assertEquals(1, v.failed());
    assertEquals(Courier.Outcome.FAILED, v.recent().get(0).outcome());
  }

  @Test
  void invalidOrderCommandsAreRejectedWithAReasonAndPersistNothing() {
    assertTrue(rejection(delivered("O-9")).contains("carries no order O-9"));
    assertTrue(rejection(courier.runCommand(r -> new Courier.AssignOrder("O-1", new Place(1, 1, null), null, " ", r)))
        .contains("who assigns"));
    assertTrue(rejection(assign("O-1", new Place(1, 1, null), T0)).contains("not after now"));
    assertTrue(rejection(assign("O-1", new Place(1, 1, "L9"), null)).contains("no floor 'L9'"));
    assertTrue(rejection(assign("O 1", new Place(1, 1, null), null)).contains("order id"));
    assertTrue(rejection(assign("O-1", new Place(Double.NaN, 1, null), null)).contains("metres"));

    assign("O-1", new Place(1, 1, null), null);
    assertTrue(rejection(assign("O-1", new Place(1, 1, null), null)).contains("already carries order O-1"));
    assertTrue(rejection(courier.runCommand(r -> new Courier.MarkFailed("O-1", "", "courier", r))).contains("reason"));
    assign("O-2", new Place(1, 1, null), null);
    assign("O-3", new Place(1, 1, null), null);
    assertTrue(rejection(assign("O-4", new Place(1, 1, null), null)).contains("the most one courier takes"));
    delivered("O-1");
    assertTrue(rejection(delivered("O-1")).contains("already delivered"));
    assertTrue(rejection(assign("O-1", new Place(1, 1, null), null)).contains("already delivered"));
    assertTrue(rejection(at(1, 1, null, -2.0)).contains("speed"));
  }

  @Test
  void theTrackIsPrunedAfterTheRetentionOnTheSimulatedClock() {
    at(1, 1, "L1", null);
    clock.advance(Duration.ofMinutes(30));
    at(2, 2, "L1", null);
    assertEquals(2, tracked().track().size());
    clock.advance(Duration.ofMinutes(31));
    awaitNudging(t -> t.tracked().track().size() == 1, "the first point pruned an hour after it was taken");
    assertEquals(T0.plus(Duration.ofMinutes(30)), tracked().track().get(0).at());
    clock.advance(Duration.ofMinutes(30));
    awaitNudging(t -> t.tracked().track().isEmpty(), "every point pruned");
    assertNull(tracked().position(), "the position goes with the last point of the track");
  }

  @Test
  void theTrackKeepsTheNewestPointsUpToItsLimit() {
    for (int i = 0; i < 150; i++) {
      at(i, 0, null, 1.0);
      clock.advance(Duration.ofSeconds(1));
    }
    var track = tracked().track();
    assertEquals(100, track.size());
    assertEquals(50.0, track.get(0).x());
    assertEquals(149.0, track.get(99).x());
  }

  @Test
  void anOlderOrExpiredPositionIsIgnored() {
    clock.advance(Duration.ofHours(2));
    at(5, 5, null, 1.0);
    var older = courier.<StatusReply<View>>runCommand(r -> new Courier.ReportPosition(9, 9, null, 1.0, clock.now().minusSeconds(10), r));
    assertTrue(older.reply().isSuccess());
    assertEquals(new Place(5, 5, null), tracked().position());
    courier.restart();
    courier.<StatusReply<View>>runCommand(r -> new Courier.ReportPosition(9, 9, null, 1.0, T0, r));
    assertNull(tracked().position(), "a point older than the retention is not kept");
  }

  @Test
  void noPositionOfTheCourierAppearsInAnyPersistedEventOrLiveDelta() throws Exception {
    at(111.125, 222.375, "L1", 2.0);
    assign("O-1", new Place(10, 20, "L1"), T0.plusSeconds(30));
    clock.advance(Duration.ofSeconds(10));
    at(333.625, 444.875, "L1", 2.0);
    assign("O-2", new Place(30, 40, "L2"), null);
    delivered("O-1");
    courier.<StatusReply<View>>runCommand(r -> new Courier.MarkFailed("O-2", "shop closed", "courier", r));
    clock.advance(Duration.ofMinutes(5));

    String pid = PersistenceId.of(Courier.ENTITY_KEY.name(), COURIER.entityId()).id();
    List<Object> stored = courier.persistenceTestKit().persistedInStorage(pid);
    assertEquals(4, stored.size());
    List<String> written = new ArrayList<>();
    for (Object e : stored) written.add(Json.MAPPER.writeValueAsString(e));
    written.add(Json.MAPPER.writeValueAsString(courier.getState()));
    for (var p : recorder.deltas) written.add(Json.MAPPER.writeValueAsString(p.view()));
    assertFalse(recorder.deltas.isEmpty());
    for (String json : written) {
      for (String coordinate : List.of("111.125", "222.375", "333.625", "444.875")) {
        assertFalse(json.contains(coordinate), json);
      }
    }
  }

  @Test
  void ordersSurviveARestartButThePositionAndTrackDoNotAndAPastPromiseIsReportedLate() {
    at(5, 5, "L1", 2.0);
    assign("O-1", new Place(100, 0, "L1"), T0.plus(Duration.ofMinutes(20)));
    assign("O-2", new Place(200, 0, "L1"), null);
    delivered("O-2");
    clock.advance(Duration.ofMinutes(30));
    await(t -> t.lateAlarms().size() == 1, "late at the promised time");

    var restarted = courier.restart();
    assertEquals(List.of("O-1"), restarted.state().orders().stream().map(Courier.Order::orderId).toList());
    assertEquals(1, restarted.state().delivered());
    TrackedView t = tracked();
    assertNull(t.position());
    assertTrue(t.track().isEmpty());
    assertEquals(2, lateAlarms().size(), "the active condition is reported again after recovery");
    assertTrue(lateAlarms().get(1).raised());
    assertTrue(view().late());
  }

  @Test
  void aPromiseDueAfterARestartStillRaisesOrderLate() {
    assign("O-1", new Place(100, 0, null), T0.plus(Duration.ofMinutes(20)));
    courier.restart();
    assertTrue(lateAlarms().isEmpty());
    clock.advance(Duration.ofMinutes(21));
    await(t -> t.lateAlarms().size() == 1, "late at the promised time after a restart");
  }
}
