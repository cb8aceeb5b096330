package atrium.devices.kiosk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.alarm.Severity;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.SimulatedClock;
import atrium.core.clock.WallClock;
import atrium.core.history.TelemetryPoint;
import atrium.core.protocol.Envelope;
import atrium.core.runtime.TwinServices;
import atrium.core.testkit.TestTwins;
import atrium.core.testkit.TestTwins.AlarmReport;
import atrium.devices.kiosk.Kiosk.Command;
import atrium.devices.kiosk.Kiosk.Component;
import atrium.devices.kiosk.Kiosk.Connectivity;
import atrium.devices.kiosk.Kiosk.ContentMode;
import atrium.devices.kiosk.Kiosk.Counter;
import atrium.devices.kiosk.Kiosk.Delivery;
import atrium.devices.kiosk.Kiosk.Event;
import atrium.devices.kiosk.Kiosk.State;
import atrium.devices.kiosk.Kiosk.View;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KioskTest {
  private static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config()
      .withFallback(com.typesafe.config.ConfigFactory.load()));
  private static final Instant T0 = Instant.parse("2026-12-24T01:00:00Z");
  private static final AssetId KIOSK = AssetId.of("demo-mall", AssetKind.KIOSK, "KIOSK-01");
  private static final KioskSettings SETTINGS = new KioskSettings(Duration.ofSeconds(90), Duration.ofSeconds(30), 4);

  private final SimulatedClock clock = new SimulatedClock(T0);
  private final TestTwins.Recorder recorder = new TestTwins.Recorder();
  private final TwinServices services = TestTwins.unsharded(testKit.system(), clock, recorder);
  private final EventSourcedBehaviorTestKit<Command, Event, State> kiosk =
      EventSourcedBehaviorTestKit.create(testKit.system(), Kiosk.create(KIOSK, services, SETTINGS));

  @AfterEach
  void clear() {
    kiosk.clear();
    services.history().close();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private CommandResultWithReply<Command, Event, State, StatusReply<View>> heartbeat() {
    return kiosk.runCommand(r -> new Kiosk.Report(true, Map.of(), clock.now(), r));
  }

  private CommandResultWithReply<Command, Event, State, StatusReply<View>> fault(Component c, boolean active) {
    return kiosk.runCommand(r -> new Kiosk.ReportFault(c, active, active ? "paper jam" : null, clock.now(), r));
  }

  private CommandResultWithReply<Command, Event, State, StatusReply<View>> setMode(ContentMode mode) {
    return kiosk.runCommand(r -> new Kiosk.SetContentMode(mode, "operator-7", r));
  }

  private CommandResultWithReply<Command, Event, State, StatusReply<View>> ack(String ref, boolean ok) {
    return kiosk.runCommand(r -> new Kiosk.DeviceAck(ref, ok, ok ? null : "content package missing", clock.now(), r));
  }

  private View view() {
    return kiosk.<View>runCommand(Kiosk.GetState::new).reply();
  }

  private List<AlarmReport> alarms(String condition) {
    return recorder.alarms.stream().filter(a -> a.condition().equals(condition)).toList();
  }

  private void awaitView(Predicate<View> condition, String what) {
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      assertTrue(condition.test(view()), what + ": " + view());
      return null;
    });
  }

  @Test
  void aFirstHeartbeatBringsTheKioskOnlineWithoutAnAlarm() {
    var result = heartbeat();
    assertInstanceOf(Kiosk.CameOnline.class, result.event());
    assertEquals(Connectivity.ONLINE, result.reply().getValue().connectivity());
    assertEquals(T0, result.reply().getValue().lastSeenAt());
    assertEquals("ENT-W", result.reply().getValue().zone());
    assertTrue(recorder.alarms.isEmpty());
    assertEquals(1, recorder.deltas.size());
  }

  @Test
  void aRepeatedHeartbeatPersistsNothingButMovesLastSeen() {
    heartbeat();
    clock.advance(Duration.ofSeconds(30));
    var again = heartbeat();
    assertTrue(again.hasNoEvents());
    assertEquals(T0.plusSeconds(30), again.reply().getValue().lastSeenAt());
    assertEquals(T0, again.reply().getValue().since());
  }

  @Test
  void usageCountsAreAddedUpInTheViewAndEachReportGoesToTheHistory() throws Exception {
    heartbeat();
    kiosk.<StatusReply<View>>runCommand(r -> new Kiosk.Report(false, Map.of(Counter.SESSIONS, 3L, Counter.PRINTS, 1L), T0, r));
    var second = kiosk.<StatusReply<View>>runCommand(
        r -> new Kiosk.Report(false, Map.of(Counter.SESSIONS, 2L), T0.plusSeconds(60), r));
    assertTrue(second.hasNoEvents());
    assertEquals(5L, second.reply().getValue().usage().get("sessions"));
    assertEquals(1L, second.reply().getValue().usage().get("prints"));
    assertEquals(0L, second.reply().getValue().usage().get("wayfindingQueries"));
    services.history().flush().toCompletableFuture().get();
    List<TelemetryPoint> sessions = services.history()
        .query(KIOSK, Optional.of("sessions"), T0, T0.plusSeconds(3600), 10).toCompletableFuture().get();
    assertEquals(List.of(3.0, 2.0), sessions.stream().map(TelemetryPoint::value).toList());
    assertEquals(1, services.history().query(KIOSK, Optional.of("heartbeat"), T0, T0.plusSeconds(3600), 10)
        .toCompletableFuture().get().size());
  }

  @Test
  void aNegativeUsageCountIsRejectedAndPersistsNothing() {
    var result = kiosk.<StatusReply<View>>runCommand(r -> new Kiosk.Report(false, Map.of(Counter.PRINTS, -1L), T0, r));
    assertTrue(result.hasNoEvents());
    assertTrue(result.reply().getError().getMessage().contains("prints"), result.reply().getError().getMessage());
  }

  @Test
  void aMissedHeartbeatDeadlineTakesTheKioskOfflineOnTheTwinClockAndRaisesTheAlarm() {
    heartbeat();
    clock.advance(Duration.ofSeconds(89));
    assertEquals(Connectivity.ONLINE, view().connectivity());
    clock.advance(Duration.ofSeconds(2));
    awaitView(v -> v.connectivity() == Connectivity.OFFLINE, "offline after 90 s of silence");
    assertEquals(T0.plusSeconds(90), view().since());
    var offline = alarms("offline");
    assertEquals(1, offline.size());
    assertTrue(offline.get(0).raised());
    assertEquals(Severity.MEDIUM, offline.get(0).severity());
  }

  @Test
  void heartbeatsWithinTheDeadlineKeepItOnlineAndTheDeadlineRunsFromTheLastOne() {
    heartbeat();
    clock.advance(Duration.ofSeconds(60));
    heartbeat();
    clock.advance(Duration.ofSeconds(60));
    heartbeat();
    clock.advance(Duration.ofSeconds(89));
    assertEquals(Connectivity.ONLINE, view().connectivity());
    assertTrue(alarms("offline").isEmpty());
    clock.advance(Duration.ofSeconds(2));
    awaitView(v -> v.connectivity() == Connectivity.OFFLINE, "offline 90 s after the last heartbeat");
    assertEquals(T0.plusSeconds(210), view().since());
  }

  @Test
  void theNextHeartbeatBringsItBackOnlineAndClearsTheOfflineAlarm() {
    heartbeat();
    clock.advance(Duration.ofMinutes(5));
    awaitView(v -> v.connectivity() == Connectivity.OFFLINE, "offline");
    var back = heartbeat();
    assertInstanceOf(Kiosk.CameOnline.class, back.event());
    var offline = alarms("offline");
    assertEquals(2, offline.size());
    assertFalse(offline.get(1).raised());
    clock.advance(Duration.ofSeconds(91));
    awaitView(v -> v.connectivity() == Connectivity.OFFLINE, "offline again after another silence");
  }

  @Test
  void faultEventsRaiseAndClearTheAlarmOfTheirComponent() {
    heartbeat();
    var printer = fault(Component.PRINTER, true);
    var raised = assertInstanceOf(Kiosk.FaultRaised.class, printer.event());
    assertEquals("paper jam", raised.detail());
    var screen = fault(Component.SCREEN, true);
    assertInstanceOf(Kiosk.FaultRaised.class, screen.event());
    assertEquals(List.of(Component.PRINTER, Component.SCREEN),
        screen.reply().getValue().faults().stream().map(Kiosk.Fault::component).toList());
    assertTrue(fault(Component.PRINTER, true).hasNoEvents(), "a fault already active persists nothing");
    var cleared = fault(Component.PRINTER, false);
    assertInstanceOf(Kiosk.FaultCleared.class, cleared.event());
    assertEquals(List.of(Component.SCREEN), cleared.reply().getValue().faults().stream().map(Kiosk.Fault::component).toList());

    var printerAlarms = alarms("fault-printer");
    assertEquals(2, printerAlarms.size());
    assertEquals(Severity.LOW, printerAlarms.get(0).severity());
    assertFalse(printerAlarms.get(1).raised());
    var screenAlarms = alarms("fault-screen");
    assertEquals(1, screenAlarms.size());
    assertEquals(Severity.HIGH, screenAlarms.get(0).severity());
  }

  @Test
  void clearingAFaultThatIsNotActivePersistsNothing() {
    heartbeat();
    assertTrue(fault(Component.NETWORK, false).hasNoEvents());
    assertTrue(recorder.alarms.isEmpty());
  }

  @Test
  void aFaultFromASilentKioskAlsoBringsItOnline() {
    var result = fault(Component.NETWORK, true);
    assertEquals(2, result.events().size());
    assertInstanceOf(Kiosk.CameOnline.class, result.events().get(0));
    assertInstanceOf(Kiosk.FaultRaised.class, result.events().get(1));
  }

  @Test
  void settingTheContentModePersistsItThenSendsTheCommandAndTheAckMarksItApplied() {
    heartbeat();
    var set = setMode(ContentMode.EVACUATION_GUIDANCE);
    var event = assertInstanceOf(Kiosk.ContentModeSet.class, set.event());
    assertEquals(1, event.seq());
    assertEquals("operator-7", event.by());
    assertEquals(Delivery.PENDING, set.reply().getValue().contentDelivery());
    assertEquals(1, recorder.commands.size());
    Envelope.Command sent = recorder.commands.get(0);
    assertEquals("set-content-mode", sent.name());
    assertEquals("content-mode-1", sent.id());
    assertEquals(KIOSK, sent.asset());
    assertEquals("evacuation-guidance", sent.data().get("mode").asText());

    var applied = ack("content-mode-1", true);
    assertInstanceOf(Kiosk.ContentModeApplied.class, applied.event());
    assertEquals(Delivery.APPLIED, applied.reply().getValue().contentDelivery());
    assertEquals(ContentMode.EVACUATION_GUIDANCE, applied.reply().getValue().contentMode());
    assertTrue(ack("content-mode-1", true).hasNoEvents(), "a repeated ack changes nothing");
  }

  @Test
  void settingTheModeTheKioskAlreadyShowsPersistsNothing() {
    var result = setMode(ContentMode.NORMAL);
    assertTrue(result.hasNoEvents());
    assertTrue(result.reply().isSuccess());
    assertTrue(recorder.commands.isEmpty());
  }

  @Test
  void settingAContentModeWithoutSayingWhoIsRejectedAndPersistsNothing() {
    var result = kiosk.<StatusReply<View>>runCommand(r -> new Kiosk.SetContentMode(ContentMode.PROMOTION, " ", r));
    assertTrue(result.hasNoEvents());
    assertTrue(result.reply().getError().getMessage().contains("who"), result.reply().getError().getMessage());
    assertTrue(recorder.commands.isEmpty());
  }

  @Test
  void anAckOfACommandNeverSentIsRejected() {
    setMode(ContentMode.PROMOTION);
    var result = ack("content-mode-2", true);
    assertTrue(result.hasNoEvents());
    assertTrue(result.reply().getError().getMessage().contains("never sent"), result.reply().getError().getMessage());
    assertTrue(ack("price-9", true).reply().isError());
  }

  @Test
  void aLateAckOfASupersededCommandChangesNothing() {
    heartbeat();
    setMode(ContentMode.PROMOTION);
    setMode(ContentMode.EVACUATION_GUIDANCE);
    var late = ack("content-mode-1", true);
    assertTrue(late.hasNoEvents());
    assertEquals(Delivery.PENDING, late.reply().getValue().contentDelivery());
  }

  @Test
  void aRefusedModeRaisesAnAlarmUntilTheKioskAppliesOne() {
    heartbeat();
    setMode(ContentMode.EVACUATION_GUIDANCE);
    var refused = ack("content-mode-1", false);
    var event = assertInstanceOf(Kiosk.ContentModeRefused.class, refused.event());
    assertEquals("content package missing", event.reason());
    assertEquals(Delivery.REFUSED, refused.reply().getValue().contentDelivery());
    var raised = alarms("content-mode-refused");
    assertEquals(1, raised.size());
    assertEquals(Severity.HIGH, raised.get(0).severity());

    var retry = setMode(ContentMode.EVACUATION_GUIDANCE);
    assertEquals(2, assertInstanceOf(Kiosk.ContentModeSet.class, retry.event()).seq());
    assertEquals("content-mode-2", recorder.commands.get(recorder.commands.size() - 1).id());
    ack("content-mode-2", true);
    assertFalse(alarms("content-mode-refused").get(1).raised());
  }

  @Test
  void anUnacknowledgedModeIsSentAgainOnAMessageAfterTheRetryInterval() {
    heartbeat();
    setMode(ContentMode.PROMOTION);
    clock.advance(Duration.ofSeconds(20));
    heartbeat();
    assertEquals(1, recorder.commands.size());
    clock.advance(Duration.ofSeconds(15));
    heartbeat();
    assertEquals(2, recorder.commands.size());
    assertEquals("content-mode-1", recorder.commands.get(1).id());
  }

  @Test
  void aKioskComingBackOnlineIsSentItsPendingModeAtOnce() {
    heartbeat();
    clock.advance(Duration.ofMinutes(2));
    awaitView(v -> v.connectivity() == Connectivity.OFFLINE, "offline");
    setMode(ContentMode.EVACUATION_GUIDANCE);
    assertEquals(1, recorder.commands.size());
    heartbeat();
    assertEquals(2, recorder.commands.size());
    assertEquals("content-mode-1", recorder.commands.get(1).id());
  }

  @Test
  void stateSurvivesARestartAndActiveConditionsAreReportedAgain() {
    heartbeat();
    fault(Component.SCREEN, true);
    setMode(ContentMode.EVACUATION_GUIDANCE);
    clock.advance(Duration.ofMinutes(2));
    awaitView(v -> v.connectivity() == Connectivity.OFFLINE, "offline");
    int before = recorder.alarms.size();

    var restarted = kiosk.restart();
    State s = restarted.state();
    assertEquals(Connectivity.OFFLINE, s.connectivity());
    assertEquals(ContentMode.EVACUATION_GUIDANCE, s.mode());
    assertEquals(Delivery.PENDING, s.delivery());
    assertTrue(s.fault(Component.SCREEN).isPresent());
    var again = recorder.alarms.subList(before, recorder.alarms.size());
    assertTrue(again.stream().anyMatch(a -> a.raised() && a.condition().equals("offline")), again.toString());
    assertTrue(again.stream().anyMatch(a -> a.raised() && a.condition().equals("fault-screen")), again.toString());
    assertNull(view().lastSeenAt());
  }

  @Test
  void theSameDeadlineLogicRunsOnTheWallClock() {
    var wallServices = TestTwins.unsharded(testKit.system(),
        new WallClock(testKit.system().scheduler(), testKit.system().executionContext()), new TestTwins.Recorder());
    var wall = EventSourcedBehaviorTestKit.<Command, Event, State>create(testKit.system(),
        Kiosk.create(KIOSK, wallServices, new KioskSettings(Duration.ofMillis(300), Duration.ofSeconds(30), 4)));
    var online = wall.<StatusReply<View>>runCommand(r -> new Kiosk.Report(true, Map.of(), Instant.now(), r));
    assertEquals(Connectivity.ONLINE, online.state().connectivity());
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      assertEquals(Connectivity.OFFLINE, wall.getState().connectivity());
      return null;
    });
    wallServices.history().close();
  }

  @Test
  void aKioskRestartedWhileOnlineStillGoesOfflineWhenItStaysSilent() {
    heartbeat();
    kiosk.restart();
    assertEquals(Connectivity.ONLINE, view().connectivity());
    clock.advance(Duration.ofSeconds(91));
    awaitView(v -> v.connectivity() == Connectivity.OFFLINE, "offline after a restart and a silence");
  }
}
