package atrium.devices.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.alarm.Severity;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.SimulatedClock;
import atrium.core.site.Zone.Kind;
import atrium.core.testkit.TestTwins;
import atrium.devices.zone.Zone.Command;
import atrium.devices.zone.Zone.Crowding;
import atrium.devices.zone.Zone.Event;
import atrium.devices.zone.Zone.State;
import atrium.devices.zone.Zone.View;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ZoneTest {
  private static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config()
      .withFallback(com.typesafe.config.ConfigFactory.load()));
  private static final Instant T0 = Instant.parse("2026-12-24T06:00:00Z");
  private static final String SITE = "demo-mall";
  /** A 85 m² shop whose only way in is a door watched by a line camera (CAM-0016 from C-L1-S). */
  private static final AssetId SHOP = AssetId.of(SITE, AssetKind.ZONE, "S-L1-02");
  /** A 60 m² lift lobby with four headcount cameras; lift-lobby thresholds 2.0 and 3.0 persons/m². */
  private static final AssetId LOBBY = AssetId.of(SITE, AssetKind.ZONE, "LL-L1-N");
  static final ZoneSettings SETTINGS = settings();

  private final SimulatedClock clock = new SimulatedClock(T0);
  private final TestTwins.Recorder recorder = new TestTwins.Recorder();
  private final List<Object[]> heard = new CopyOnWriteArrayList<>();
  private final EventSourcedBehaviorTestKit<Command, Event, State> shop = zone(SHOP);
  private final EventSourcedBehaviorTestKit<Command, Event, State> lobby = zone(LOBBY);

  /** The shipped defaults, built directly. */
  static ZoneSettings settings() {
    Map<Kind, ZoneSettings.Thresholds> t = new EnumMap<>(Kind.class);
    for (Kind k : Kind.values()) t.put(k, new ZoneSettings.Thresholds(1.5, 2.5));
    t.put(Kind.LIFT_LOBBY, new ZoneSettings.Thresholds(2.0, 3.0));
    t.put(Kind.STAIRS, new ZoneSettings.Thresholds(1.2, 2.0));
    t.put(Kind.FOOD_COURT, new ZoneSettings.Thresholds(1.0, 1.9));
    t.put(Kind.SHOP, new ZoneSettings.Thresholds(0.8, 1.5));
    t.put(Kind.CAR_PARK_LEVEL, new ZoneSettings.Thresholds(0.3, 0.6));
    t.put(Kind.PLANT_ROOM, new ZoneSettings.Thresholds(0.1, 0.3));
    return new ZoneSettings(t, 0.8, Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofHours(1), 12, 32, 5,
        Duration.ofMinutes(5), 5.4);
  }

  private EventSourcedBehaviorTestKit<Command, Event, State> zone(AssetId id) {
    OccupancySink sink = (services, zone, occupancy, density, at) -> heard.add(new Object[] {zone, occupancy, at});
    return EventSourcedBehaviorTestKit.create(testKit.system(),
        Zone.create(id, TestTwins.unsharded(testKit.system(), clock, recorder), SETTINGS, sink));
  }

  @AfterEach
  void clear() {
    shop.clear();
    lobby.clear();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private EventSourcedBehaviorTestKit.CommandResult<Command, Event, State> crossed(
      EventSourcedBehaviorTestKit<Command, Event, State> zone, String neighbour, int in, int out) {
    return zone.runCommand(new Zone.Crossed("CAM-0016", neighbour, in, out, clock.now(), null));
  }

  private EventSourcedBehaviorTestKit.CommandResult<Command, Event, State> headcount(String camera, int count) {
    return lobby.runCommand(new Zone.HeadCounted(camera, count, clock.now()));
  }

  private static View view(EventSourcedBehaviorTestKit<Command, Event, State> zone) {
    return zone.<View>runCommand(Zone.GetState::new).reply();
  }

  private List<TestTwins.AlarmReport> alarms(String condition) {
    return recorder.alarms.stream().filter(a -> a.condition().equals(condition)).toList();
  }

  @Test
  void peopleComingInRaiseTheOccupancyAndAreCountedAsFlowFromTheirNeighbour() {
    var first = crossed(shop, "C-L1-S", 12, 0);
    var checkpoint = assertInstanceOf(Zone.OccupancyCheckpointed.class, first.event());
    assertEquals(12, checkpoint.occupancy());
    crossed(shop, "C-L1-S", 3, 5);
    View v = view(shop);
    assertEquals(10, v.occupancy());
    assertEquals(10 / 85.0, v.density(), 0.001);
    assertEquals(List.of(new Zone.Flow("C-L1-S", 15, 5)), v.flows());
    assertTrue(v.fullyCounted());
    assertEquals("shop", v.kind());
  }

  @Test
  void countsAreMeasurementsPersistedAtMostOncePerCheckpointInterval() {
    crossed(shop, "C-L1-S", 5, 0);
    assertTrue(crossed(shop, "C-L1-S", 5, 0).hasNoEvents());
    assertTrue(crossed(shop, "C-L1-S", 0, 2).hasNoEvents());
    clock.advance(Duration.ofSeconds(61));
    // the checkpoint timer persists the changed occupancy even though no count came
    awaitState(shop, s -> assertEquals(8, s.occupancy()));
    // the timer falls due at T0 + 60 s; the zone takes its message once the clock has moved on
    assertFalse(shop.getState().occupancyAt().isBefore(T0.plusSeconds(60)));
  }

  @Test
  void anOccupancyUnchangedSinceItsCheckpointIsNotPersistedAgain() {
    crossed(shop, "C-L1-S", 5, 0);
    clock.advance(Duration.ofMinutes(2));
    assertTrue(crossed(shop, "C-L1-S", 1, 1).hasNoEvents());
  }

  @Test
  void aZoneWithUncountedWaysNeverGoesBelowZero() {
    var corridor = zone(AssetId.of(SITE, AssetKind.ZONE, "C-L1-S"));
    corridor.runCommand(new Zone.Crossed("CAM-0016", "S-L1-02", 0, 40, clock.now(), null));
    View v = view(corridor);
    assertEquals(0, v.occupancy());
    assertFalse(v.fullyCounted());
    assertEquals(List.of(new Zone.Flow("S-L1-02", 0, 40)), v.flows());
    corridor.clear();
  }

  @Test
  void countsThatWouldLeaveAFullyCountedZoneBelowZeroAreRefusedAndTheCameraIsTold() {
    TestProbe<Zone.Refused> camera = testKit.createTestProbe();
    crossed(shop, "C-L1-S", 4, 0);
    var refused = shop.runCommand(new Zone.Crossed("CAM-0016", "C-L1-S", 0, 30, clock.now(), camera.ref()));
    assertTrue(refused.hasNoEvents());
    var answer = camera.receiveMessage();
    assertEquals("CAM-0016", answer.camera());
    assertEquals("S-L1-02", answer.zone());
    assertTrue(answer.reason().contains("-26"), answer.reason());
    View v = view(shop);
    assertEquals(4, v.occupancy());
    assertEquals(1, v.refusedReports());
    assertEquals(List.of(new Zone.Flow("C-L1-S", 4, 0)), v.flows());
  }

  @Test
  void aSmallUnderflowWithinTheToleranceIsClampedAtZero() {
    TestProbe<Zone.Refused> camera = testKit.createTestProbe();
    crossed(shop, "C-L1-S", 2, 0);
    shop.runCommand(new Zone.Crossed("CAM-0016", "C-L1-S", 0, 6, clock.now(), camera.ref()));
    assertEquals(0, view(shop).occupancy());
    camera.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void aHeadcountSetsTheOccupancyAndSeveralCamerasAgreeOnTheirMedian() {
    headcount("CAM-0099", 20);
    assertEquals(20, view(lobby).occupancy());
    headcount("CAM-0134", 30);
    headcount("CAM-0169", 90);
    View v = view(lobby);
    assertEquals(30, v.occupancy());
    assertEquals(30, v.observedHeadcount());
    assertEquals(3, v.headcountCameras());
  }

  @Test
  void aStaleOrForgottenHeadcountNoLongerCounts() {
    headcount("CAM-0099", 90);
    clock.advance(Duration.ofMinutes(6));
    headcount("CAM-0134", 10);
    assertEquals(10, view(lobby).occupancy());
    headcount("CAM-0169", 30);
    assertEquals(20, view(lobby).occupancy());
    lobby.runCommand(new Zone.ForgetCamera("CAM-0169"));
    headcount("CAM-0134", 12);
    assertEquals(12, view(lobby).occupancy());
  }

  @Test
  void crowdingIsRaisedAtTheWarningDensityAndClearedOnlyBelowTheHysteresisBand() {
    assertTrue(headcount("CAM-0099", 119).events().stream().noneMatch(e -> e instanceof Zone.CrowdingChanged));
    var raised = assertInstanceOf(Zone.CrowdingChanged.class, headcount("CAM-0099", 120).event());
    assertEquals(Crowding.WARNING, raised.to());
    assertEquals(2.0, raised.density(), 1e-9);
    assertEquals(1, alarms(Zone.CROWDING).size());
    assertEquals(Severity.HIGH, alarms(Zone.CROWDING).get(0).severity());
    // 1.6 to 2.0 persons/m² is the hysteresis band: no flapping
    assertTrue(headcount("CAM-0099", 100).hasNoEvents());
    assertTrue(headcount("CAM-0099", 118).events().stream().noneMatch(e -> e instanceof Zone.CrowdingChanged));
    assertTrue(headcount("CAM-0099", 97).events().stream().noneMatch(e -> e instanceof Zone.CrowdingChanged));
    assertEquals(1, alarms(Zone.CROWDING).size());
    var cleared = assertInstanceOf(Zone.CrowdingChanged.class, headcount("CAM-0099", 95).event());
    assertEquals(Crowding.NORMAL, cleared.to());
    assertEquals(2, alarms(Zone.CROWDING).size());
    assertFalse(alarms(Zone.CROWDING).get(1).raised());
  }

  @Test
  void criticalCrowdingRaisesASecondAlarmThatClearsBackToWarning() {
    var critical = assertInstanceOf(Zone.CrowdingChanged.class, headcount("CAM-0099", 185).event());
    assertEquals(Crowding.CRITICAL, critical.to());
    assertEquals(Severity.HIGH, alarms(Zone.CROWDING).get(0).severity());
    assertEquals(Severity.CRITICAL, alarms(Zone.CROWDING_CRITICAL).get(0).severity());
    assertTrue(alarms(Zone.CROWDING_CRITICAL).get(0).message().contains("185 people"));
    assertTrue(headcount("CAM-0099", 150).events().stream().noneMatch(e -> e instanceof Zone.CrowdingChanged));
    var back = assertInstanceOf(Zone.CrowdingChanged.class, headcount("CAM-0099", 140).event());
    assertEquals(Crowding.WARNING, back.to());
    assertFalse(alarms(Zone.CROWDING_CRITICAL).get(1).raised());
    assertEquals(1, alarms(Zone.CROWDING).size()); // still crowded
  }

  @Test
  void dwellTimeFollowsLittlesLawFromOccupancyAndEntryRate() {
    crossed(shop, "C-L1-S", 60, 0);
    clock.advance(Duration.ofMinutes(30));
    crossed(shop, "C-L1-S", 60, 60);
    View v = view(shop);
    // 120 entries in 30 minutes is 240 an hour; 60 people in the shop stay 60 / 240 h = 15 minutes
    assertEquals(240.0, v.entriesPerHour(), 0.01);
    assertEquals(120.0, v.exitsPerHour(), 0.01);
    assertEquals(15.0, v.dwellMinutes(), 0.01);
    assertEquals(1800, v.windowSeconds());
  }

  @Test
  void flowsOlderThanTheWindowAreForgotten() {
    crossed(shop, "C-L1-S", 10, 0);
    clock.advance(Duration.ofMinutes(70));
    crossed(shop, "C-L1-S", 1, 0);
    View v = view(shop);
    assertEquals(List.of(new Zone.Flow("C-L1-S", 1, 0)), v.flows());
    assertEquals(11, v.occupancy());
  }

  @Test
  void aZoneWithoutCountsShowsNoDwellTime() {
    View v = view(lobby);
    assertNull(v.dwellMinutes());
    assertEquals(0, v.occupancy());
    assertEquals(0.0, v.entriesPerHour());
  }

  @Test
  void liveDeltasComeAtMostEveryFewSecondsAndTheLastChangeIsNotLost() {
    crossed(shop, "C-L1-S", 1, 0); // persisted checkpoint: published
    clock.advance(Duration.ofSeconds(1));
    crossed(shop, "C-L1-S", 1, 0);
    crossed(shop, "C-L1-S", 1, 0);
    assertEquals(1, recorder.deltas.size());
    clock.advance(Duration.ofSeconds(5));
    awaitAssert(() -> assertEquals(2, recorder.deltas.size()));
    assertEquals(3, ((View) recorder.deltas.get(1).view()).occupancy());
    assertEquals(2, heard.size());
    assertEquals(3, heard.get(1)[1]);
  }

  @Test
  void anOperatorCorrectsTheOccupancy() {
    crossed(shop, "C-L1-S", 30, 0);
    var result = shop.<StatusReply<View>>runCommand(r -> new Zone.CorrectOccupancy(0, "ops-7", "closing time", r));
    var corrected = assertInstanceOf(Zone.OccupancyCorrected.class, result.event());
    assertEquals("ops-7", corrected.by());
    assertEquals(0, result.reply().getValue().occupancy());
  }

  @Test
  void aCorrectionToAnImpossibleOccupancyIsRejectedAndPersistsNothing() {
    var negative = shop.<StatusReply<View>>runCommand(r -> new Zone.CorrectOccupancy(-1, "ops-7", "count", r));
    assertTrue(negative.hasNoEvents());
    assertTrue(negative.reply().getError().getMessage().contains("0 or more"));
    var tooMany = shop.<StatusReply<View>>runCommand(r -> new Zone.CorrectOccupancy(1000, "ops-7", "count", r));
    assertTrue(tooMany.hasNoEvents());
    assertTrue(tooMany.reply().getError().getMessage().contains("at most 459"), tooMany.reply().getError().getMessage());
    var noReason = shop.<StatusReply<View>>runCommand(r -> new Zone.CorrectOccupancy(3, "ops-7", " ", r));
    assertTrue(noReason.hasNoEvents());
    assertTrue(noReason.reply().isError());
  }

  @Test
  void occupancyAndCrowdingSurviveARestartAndTheActiveAlarmIsReportedAgain() {
    headcount("CAM-0099", 130);
    clock.advance(Duration.ofSeconds(10));
    headcount("CAM-0099", 125);
    clock.advance(Duration.ofSeconds(61));
    awaitState(lobby, s -> assertEquals(125, s.occupancy()));
    int before = alarms(Zone.CROWDING).size();
    var restarted = lobby.restart();
    assertEquals(125, restarted.state().occupancy());
    assertEquals(Crowding.WARNING, restarted.state().crowding());
    View v = view(lobby);
    assertEquals(125, v.occupancy());
    assertEquals(Crowding.WARNING, v.crowding());
    assertNotNull(v.crowdingSince());
    assertEquals(before + 1, alarms(Zone.CROWDING).size());
    assertTrue(alarms(Zone.CROWDING).get(before).raised());
  }

  private void awaitState(EventSourcedBehaviorTestKit<Command, Event, State> zone, java.util.function.Consumer<State> check) {
    awaitAssert(() -> check.accept(zone.getState()));
  }

  private static void awaitAssert(Runnable check) {
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      check.run();
      return null;
    });
  }
}
