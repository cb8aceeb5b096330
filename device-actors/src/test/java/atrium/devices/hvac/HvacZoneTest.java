package atrium.devices.hvac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.alarm.Severity;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.SimulatedClock;
import atrium.core.history.TelemetryPoint;
import atrium.core.protocol.Envelope;
import atrium.core.runtime.TwinServices;
import atrium.core.testkit.TestTwins;
import atrium.core.testkit.TestTwins.AlarmReport;
import atrium.devices.hvac.HvacZone.Command;
import atrium.devices.hvac.HvacZone.CommandStatus;
import atrium.devices.hvac.HvacZone.Event;
import atrium.devices.hvac.HvacZone.Fault;
import atrium.devices.hvac.HvacZone.Measurements;
import atrium.devices.hvac.HvacZone.Mode;
import atrium.devices.hvac.HvacZone.Sensor;
import atrium.devices.hvac.HvacZone.State;
import atrium.devices.hvac.HvacZone.View;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HvacZoneTest {
  private static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config()
      .withFallback(com.typesafe.config.ConfigFactory.load()));
  /** 09:00 in the demo mall's time zone (Asia/Shanghai). */
  private static final Instant T0 = Instant.parse("2026-12-24T01:00:00Z");
  /** Serves ATR-L1, LL-L1-N and LL-L1-S; 2,040 m². */
  private static final AssetId AHU = AssetId.of("demo-mall", AssetKind.HVAC_ZONE, "AHU-L1-16");
  static final HvacSettings SETTINGS = new HvacSettings(
      new HvacSettings.SetpointLimits(16, 30, 1.0, 20, 24),
      new HvacSettings.Range(-10, 50), new HvacSettings.Range(0, 100), new HvacSettings.Range(300, 5000),
      new HvacSettings.Range(0, 60),
      new HvacSettings.FaultRules(Duration.ofMinutes(10), 10, Duration.ofHours(4), Duration.ofMinutes(30), 30),
      new HvacSettings.CommandRules(Duration.ofSeconds(30), 3),
      Duration.ofMinutes(1), HvacSettings.ControlRules.defaults());

  private final SimulatedClock clock = new SimulatedClock(T0);
  private final TestTwins.Recorder recorder = new TestTwins.Recorder();
  private final TwinServices services = TestTwins.unsharded(testKit.system(), clock, recorder);
  private final EventSourcedBehaviorTestKit<Command, Event, State> zone =
      EventSourcedBehaviorTestKit.create(testKit.system(), HvacZone.create(AHU, services, SETTINGS));

  @AfterEach
  void clear() {
    zone.clear();
    services.history().close();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static Measurements temperature(double t) {
    return new Measurements(t, null, null, null, null, null, null, null);
  }

  private static Measurements temperatureWithHeating(double t, double heating) {
    return new Measurements(t, null, null, null, heating, 0.0, null, null);
  }

  private static Measurements humidity(double h) {
    return new Measurements(null, h, null, null, null, null, null, null);
  }

  private static Measurements meter(double kwh) {
    return new Measurements(null, null, null, null, null, null, null, kwh);
  }

  private CommandResultWithReply<Command, Event, State, StatusReply<View>> read(Measurements m) {
    return zone.runCommand(r -> new HvacZone.Readings(m, clock.now(), r));
  }

  private View state() {
    return zone.<View>runCommand(HvacZone.GetState::new).reply();
  }

  private List<AlarmReport> alarms(String condition) {
    return recorder.alarms.stream().filter(a -> a.condition().equals(condition)).collect(Collectors.toList());
  }

  private void awaitAlarms(String condition, int count) {
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      assertEquals(count, alarms(condition).size(), () -> condition + ": " + alarms(condition));
      return null;
    });
  }

  private void awaitCommands(int count) {
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      assertEquals(count, recorder.commands.size(), () -> "device commands: " + recorder.commands);
      return null;
    });
  }

  // ---- readings

  @Test
  void readingsAreFoldedIntoTheViewAndTheHistoryWithoutEvents() throws Exception {
    var first = read(new Measurements(21.5, 45.0, 650.0, 16.0, 20.0, 0.0, 12.5, null));
    assertEquals(4, first.events().size(), "each sensor's first report fits it: " + first.events());
    first.events().forEach(e -> assertInstanceOf(HvacZone.SensorFitted.class, e));

    clock.advance(Duration.ofMinutes(1));
    var second = read(new Measurements(21.7, 46.0, 700.0, 15.5, 25.0, 0.0, 13.0, null));
    assertTrue(second.hasNoEvents());
    View v = second.reply().getValue();
    assertEquals(21.7, v.temperature().value());
    assertEquals(clock.now(), v.temperature().at());
    assertTrue(v.temperature().usable());
    assertEquals(46.0, v.humidity().value());
    assertEquals(700.0, v.co2().value());
    assertEquals(15.5, v.supplyAirTemperature().value());
    assertEquals(25.0, v.outputs().heating());
    assertEquals(13.0, v.energy().powerKw());
    assertEquals(List.of("ATR-L1", "LL-L1-N", "LL-L1-S"), v.serves());
    assertEquals(2040.0, v.floorArea());

    services.history().flush().toCompletableFuture().get(10, TimeUnit.SECONDS);
    List<TelemetryPoint> temps = services.history()
        .query(AHU, Optional.of("temperature"), T0, T0.plusSeconds(3600), 100).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(List.of(21.5, 21.7), temps.stream().map(TelemetryPoint::value).collect(Collectors.toList()));
    List<TelemetryPoint> all = services.history()
        .query(AHU, Optional.empty(), T0, T0.plusSeconds(3600), 100).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(14, all.size(), "seven measurements twice: " + all);
  }

  @Test
  void aLateReadingGoesToTheHistoryButDoesNotReplaceTheCurrentValue() {
    read(temperature(21.0));
    clock.advance(Duration.ofMinutes(1));
    read(temperature(22.0));
    var late = zone.<StatusReply<View>>runCommand(r -> new HvacZone.Readings(temperature(19.0), T0.plusSeconds(30), r));
    assertTrue(late.hasNoEvents());
    assertEquals(22.0, late.reply().getValue().temperature().value());
  }

  // ---- setpoints

  @Test
  void setpointsCloserThanTheDeadBandAreRejectedWithAReasonAndNothingPersisted() {
    var result = zone.<StatusReply<View>>runCommand(r -> new HvacZone.SetSetpoints(22.0, 22.5, "op:alice", r));
    assertTrue(result.hasNoEvents());
    assertTrue(result.reply().isError());
    String reason = result.reply().getError().getMessage();
    assertTrue(reason.contains("at least 1.0 K above the heating setpoint"), reason);
    assertTrue(recorder.commands.isEmpty());
  }

  @Test
  void setpointsOutsideTheAllowedRangeAreRejected() {
    var tooHot = zone.<StatusReply<View>>runCommand(r -> new HvacZone.SetSetpoints(21.0, 31.0, "op:alice", r));
    assertTrue(tooHot.hasNoEvents());
    assertTrue(tooHot.reply().getError().getMessage().contains("cooling setpoint 31.0 °C is outside 16.0 to 30.0 °C"),
        tooHot.reply().getError().getMessage());
    var tooCold = zone.<StatusReply<View>>runCommand(r -> new HvacZone.SetSetpoints(15.0, 24.0, "op:alice", r));
    assertTrue(tooCold.hasNoEvents());
    assertTrue(tooCold.reply().getError().getMessage().contains("heating setpoint 15.0"));
    var nobody = zone.<StatusReply<View>>runCommand(r -> new HvacZone.SetSetpoints(20.0, 24.0, " ", r));
    assertTrue(nobody.hasNoEvents());
    assertTrue(nobody.reply().isError());
  }

  @Test
  void validSetpointsArePersistedAndSentToTheController() {
    var result = zone.<StatusReply<View>>runCommand(r -> new HvacZone.SetSetpoints(21.0, 23.5, "op:alice", r));
    var changed = assertInstanceOf(HvacZone.SetpointsChanged.class, result.event());
    assertEquals("set-setpoints-1", changed.commandId());
    View v = result.reply().getValue();
    assertEquals(21.0, v.setpoints().heating());
    assertEquals(23.5, v.setpoints().cooling());
    assertEquals("op:alice", v.setpoints().by());
    assertEquals(CommandStatus.PENDING, v.setpoints().command().status());

    Envelope.Command sent = recorder.commands.get(0);
    assertEquals("set-setpoints", sent.name());
    assertEquals("set-setpoints-1", sent.id());
    assertEquals(AHU, sent.asset());
    assertEquals(21.0, sent.data().get("heating").doubleValue());
    assertEquals(23.5, sent.data().get("cooling").doubleValue());
  }

  // ---- mode and device commands

  @Test
  void aModeChangeSendsASetModeCommandAndTheAckMarksItApplied() {
    var result = zone.<StatusReply<View>>runCommand(r -> new HvacZone.SetMode(Mode.PRE_COOL, "loop:energy", r));
    var changed = assertInstanceOf(HvacZone.ModeChanged.class, result.event());
    assertEquals(Mode.OFF, changed.previous());
    assertEquals(Mode.PRE_COOL, result.reply().getValue().mode());
    Envelope.Command sent = recorder.commands.get(0);
    assertEquals("set-mode", sent.name());
    assertEquals("pre-cool", sent.data().get("mode").asText());

    var ack = zone.<StatusReply<View>>runCommand(r -> new HvacZone.DeviceAck(sent.id(), true, null, clock.now(), r));
    assertInstanceOf(HvacZone.CommandApplied.class, ack.event());
    assertEquals(CommandStatus.APPLIED, ack.reply().getValue().modeCommand().status());
    assertEquals(clock.now(), ack.reply().getValue().modeCommand().settledAt());

    clock.advance(Duration.ofMinutes(5));
    assertEquals(1, recorder.commands.size(), "an acknowledged command is not sent again");
    var again = zone.<StatusReply<View>>runCommand(r -> new HvacZone.DeviceAck(sent.id(), true, null, clock.now(), r));
    assertTrue(again.hasNoEvents(), "a repeated ack changes nothing");
  }

  @Test
  void settingTheModeItAlreadyHasPersistsNothing() {
    zone.<StatusReply<View>>runCommand(r -> new HvacZone.SetMode(Mode.COMFORT, "op:alice", r));
    var same = zone.<StatusReply<View>>runCommand(r -> new HvacZone.SetMode(Mode.COMFORT, "op:bob", r));
    assertTrue(same.hasNoEvents());
    assertTrue(same.reply().isSuccess());
    assertEquals(1, recorder.commands.size());
  }

  @Test
  void anUnacknowledgedCommandIsResentThenAlarmedAndALateAckClearsTheAlarm() {
    zone.<StatusReply<View>>runCommand(r -> new HvacZone.SetSetpoints(19.0, 25.0, "op:alice", r));
    awaitCommands(1);
    clock.advance(Duration.ofSeconds(30));
    awaitCommands(2);
    clock.advance(Duration.ofSeconds(30));
    awaitCommands(3);
    assertEquals(List.of("set-setpoints-1", "set-setpoints-1", "set-setpoints-1"),
        recorder.commands.stream().map(Envelope.Command::id).collect(Collectors.toList()), "resent under the same id");
    clock.advance(Duration.ofSeconds(30));
    awaitAlarms(HvacZone.COMMAND_NOT_APPLIED, 1);
    AlarmReport raised = alarms(HvacZone.COMMAND_NOT_APPLIED).get(0);
    assertEquals(Severity.MEDIUM, raised.severity());
    assertTrue(raised.message().contains("not acknowledged after 3"), raised.message());
    assertEquals(CommandStatus.UNACKNOWLEDGED, zone.getState().setpointsCommand().status());
    assertEquals(3, recorder.commands.size());

    var late = zone.<StatusReply<View>>runCommand(r -> new HvacZone.DeviceAck("set-setpoints-1", true, null, clock.now(), r));
    assertInstanceOf(HvacZone.CommandApplied.class, late.event());
    awaitAlarms(HvacZone.COMMAND_NOT_APPLIED, 2);
    assertFalse(alarms(HvacZone.COMMAND_NOT_APPLIED).get(1).raised());
  }

  @Test
  void aCommandTheControllerRefusesIsAlarmedWithItsReason() {
    zone.<StatusReply<View>>runCommand(r -> new HvacZone.SetMode(Mode.COMFORT, "op:alice", r));
    var failed = zone.<StatusReply<View>>runCommand(
        r -> new HvacZone.DeviceAck("set-mode-1", false, "damper actuator jammed", clock.now(), r));
    var event = assertInstanceOf(HvacZone.CommandFailed.class, failed.event());
    assertEquals("damper actuator jammed", event.reason());
    assertEquals(CommandStatus.FAILED, failed.reply().getValue().modeCommand().status());
    assertTrue(alarms(HvacZone.COMMAND_NOT_APPLIED).get(0).message().contains("damper actuator jammed"));

    // Setting the same mode again re-issues it, since the last one did not take.
    var retry = zone.<StatusReply<View>>runCommand(r -> new HvacZone.SetMode(Mode.COMFORT, "op:alice", r));
    assertInstanceOf(HvacZone.ModeChanged.class, retry.event());
    assertEquals("set-mode-2", recorder.commands.get(1).id());
  }

  @Test
  void anAckForACommandNeverSentIsRejectedAndALateAckOfASupersededOneIsIgnored() {
    var unknown = zone.<StatusReply<View>>runCommand(r -> new HvacZone.DeviceAck("set-mode-7", true, null, clock.now(), r));
    assertTrue(unknown.hasNoEvents());
    assertTrue(unknown.reply().getError().getMessage().contains("sent no command 'set-mode-7'"));

    zone.<StatusReply<View>>runCommand(r -> new HvacZone.SetMode(Mode.COMFORT, "op:alice", r));
    zone.<StatusReply<View>>runCommand(r -> new HvacZone.SetMode(Mode.ECONOMY, "op:alice", r));
    var stale = zone.<StatusReply<View>>runCommand(r -> new HvacZone.DeviceAck("set-mode-1", true, null, clock.now(), r));
    assertTrue(stale.hasNoEvents());
    assertTrue(stale.reply().isSuccess());
    assertEquals(CommandStatus.PENDING, stale.reply().getValue().modeCommand().status());
  }

  // ---- smoke control

  @Test
  void smokeControlOverridesEveryModeUntilClearedAndThenResumesTheModeBefore() {
    zone.<StatusReply<View>>runCommand(r -> new HvacZone.SetMode(Mode.COMFORT, "op:alice", r));
    var smoke = zone.<StatusReply<View>>runCommand(r -> new HvacZone.SetMode(Mode.SMOKE_CONTROL, "fire-panel", r));
    assertEquals(Mode.SMOKE_CONTROL, smoke.reply().getValue().mode());
    assertEquals(Mode.COMFORT, smoke.reply().getValue().resumeMode());
    assertEquals("smoke-control", recorder.commands.get(1).data().get("mode").asText());

    var overridden = zone.<StatusReply<View>>runCommand(r -> new HvacZone.SetMode(Mode.ECONOMY, "loop:energy", r));
    assertTrue(overridden.hasNoEvents());
    assertTrue(overridden.reply().getError().getMessage().contains("under smoke control"),
        overridden.reply().getError().getMessage());
    var off = zone.<StatusReply<View>>runCommand(r -> new HvacZone.SetMode(Mode.OFF, "op:alice", r));
    assertTrue(off.reply().isError(), "not even OFF leaves smoke control");

    var cleared = zone.<StatusReply<View>>runCommand(r -> new HvacZone.ClearSmokeControl("fire-officer:li", r));
    var event = assertInstanceOf(HvacZone.SmokeControlCleared.class, cleared.event());
    assertEquals(Mode.COMFORT, event.resumed());
    assertEquals(Mode.COMFORT, cleared.reply().getValue().mode());
    assertNull(cleared.reply().getValue().resumeMode());
    assertEquals("comfort", recorder.commands.get(2).data().get("mode").asText());
    assertEquals("set-mode-3", recorder.commands.get(2).id());
  }

  @Test
  void clearingSmokeControlWhenNotUnderItIsRejected() {
    var result = zone.<StatusReply<View>>runCommand(r -> new HvacZone.ClearSmokeControl("op:alice", r));
    assertTrue(result.hasNoEvents());
    assertTrue(result.reply().getError().getMessage().contains("not under smoke control"));
  }

  // ---- sensor faults

  @Test
  void aSilentTemperatureSensorIsMissingAfterTenMinutesOfClockTimeAndClearsOnItsNextReport() {
    read(temperature(21.0));
    clock.advance(Duration.ofMinutes(9));
    assertTrue(alarms("temperature-missing").isEmpty());
    clock.advance(Duration.ofMinutes(1));
    awaitAlarms("temperature-missing", 1);
    AlarmReport raised = alarms("temperature-missing").get(0);
    assertEquals(Severity.HIGH, raised.severity());
    assertEquals(T0.plus(Duration.ofMinutes(10)), raised.at());
    assertTrue(zone.getState().hasFault(Sensor.TEMPERATURE, Fault.MISSING));
    assertFalse(state().temperature().usable());

    clock.advance(Duration.ofMinutes(3));
    var back = read(temperature(21.2));
    var cleared = assertInstanceOf(HvacZone.SensorFaultCleared.class, back.event());
    assertEquals(Fault.MISSING, cleared.fault());
    assertTrue(back.reply().getValue().temperature().usable());
    assertFalse(alarms("temperature-missing").get(1).raised());

    clock.advance(Duration.ofMinutes(10));
    awaitAlarms("temperature-missing", 3);
  }

  @Test
  void aSensorReportingEveryMinuteIsNeverMissing() {
    for (int i = 0; i < 25; i++) {
      read(temperature(21.0 + i / 10.0));
      clock.advance(Duration.ofMinutes(1));
    }
    assertTrue(state().temperature().usable());
    assertTrue(recorder.alarms.isEmpty(), () -> "alarms: " + recorder.alarms);
    assertTrue(clock.pending() <= 3, "one silence timer at a time (cancelled ones wait for their time): " + clock.pending());
  }

  @Test
  void aSensorThatNeverReportedIsNotMissing() {
    state();
    clock.advance(Duration.ofHours(2));
    assertTrue(recorder.alarms.isEmpty());
    assertFalse(state().co2().fitted());
  }

  @Test
  void aTemperatureThatDoesNotMoveWhileTheActuatorDoesIsStuckAndClearsWhenItChanges() {
    for (int i = 0; i <= 9; i++) {
      assertTrue(read(temperatureWithHeating(21.5, i * 10.0)).events().stream()
          .noneMatch(e -> e instanceof HvacZone.SensorFaultRaised), "not yet at reading " + i);
      clock.advance(Duration.ofMinutes(3));
    }
    var stuck = read(temperatureWithHeating(21.5, 100.0));
    var raised = assertInstanceOf(HvacZone.SensorFaultRaised.class, stuck.event());
    assertEquals(Fault.STUCK, raised.fault());
    assertTrue(raised.detail().contains("11 times over 30 min while the actuator output moved 100.0 % points"), raised.detail());
    assertEquals(Severity.HIGH, alarms("temperature-stuck").get(0).severity());
    assertFalse(stuck.reply().getValue().temperature().usable());
    assertEquals(21.5, stuck.reply().getValue().temperature().value(), "the value is shown, marked unusable");

    clock.advance(Duration.ofMinutes(1));
    var moved = read(temperatureWithHeating(21.6, 100.0));
    assertInstanceOf(HvacZone.SensorFaultCleared.class, moved.event());
    assertTrue(moved.reply().getValue().temperature().usable());
    assertFalse(alarms("temperature-stuck").get(1).raised());
  }

  @Test
  void aFlatTemperatureUnderASteadyActuatorIsNotStuckWithinTheLongRule() {
    for (int i = 0; i <= 40; i++) {
      read(temperatureWithHeating(21.5, 40.0));
      clock.advance(Duration.ofMinutes(3));
    }
    assertTrue(state().temperature().usable(), "two hours flat with a steady output is a well-controlled zone");
    assertTrue(alarms("temperature-stuck").isEmpty());
  }

  @Test
  void aHumidityStuckForFourHoursIsStuckWithoutAnyActuation() {
    for (int i = 0; i < 27; i++) {
      read(humidity(48.0));
      clock.advance(Duration.ofMinutes(9));
    }
    assertTrue(alarms("humidity-stuck").isEmpty(), "27 reports over 3 h 54 min");
    var stuck = read(humidity(48.0));
    var raised = assertInstanceOf(HvacZone.SensorFaultRaised.class, stuck.event());
    assertEquals(Sensor.HUMIDITY, raised.sensor());
    assertEquals(Severity.MEDIUM, alarms("humidity-stuck").get(0).severity());
  }

  @Test
  void aRepeatedReportDoesNotCountTowardsStuck() {
    for (int i = 0; i < 30; i++) {
      zone.<StatusReply<View>>runCommand(r -> new HvacZone.Readings(humidity(48.0), T0, r));
    }
    clock.advance(Duration.ofHours(5));
    awaitAlarms("humidity-missing", 1);
    var next = read(humidity(48.0));
    assertTrue(next.events().stream().noneMatch(e -> e instanceof HvacZone.SensorFaultRaised),
        "two reports, however long apart, are not a run of ten: " + next.events());
  }

  @Test
  void anOutOfRangeReadingIsAFaultNotAValueAndClearsWhenPlausibleAgain() {
    read(new Measurements(null, null, 650.0, null, null, null, null, null));
    clock.advance(Duration.ofMinutes(1));
    var bad = read(new Measurements(null, null, 0.0, null, null, null, null, null));
    var raised = assertInstanceOf(HvacZone.SensorFaultRaised.class, bad.event());
    assertEquals(Fault.OUT_OF_RANGE, raised.fault());
    assertTrue(raised.detail().contains("reported 0.0 ppm, outside 300.0 to 5000.0 ppm"), raised.detail());
    View v = bad.reply().getValue();
    assertEquals(650.0, v.co2().value(), "the last plausible value stays");
    assertEquals(T0, v.co2().at());
    assertEquals(clock.now(), v.co2().lastReportAt());
    assertFalse(v.co2().usable());
    assertEquals("co2-out-of-range", alarms("co2-out-of-range").get(0).condition());

    clock.advance(Duration.ofMinutes(1));
    assertTrue(read(new Measurements(null, null, 0.0, null, null, null, null, null)).hasNoEvents(), "raised once");
    clock.advance(Duration.ofMinutes(1));
    var good = read(new Measurements(null, null, 700.0, null, null, null, null, null));
    assertInstanceOf(HvacZone.SensorFaultCleared.class, good.event());
    assertTrue(good.reply().getValue().co2().usable());
    assertFalse(alarms("co2-out-of-range").get(1).raised());
  }

  // ---- energy

  @Test
  void energyIsCountedFromTheMetersAdvanceAndAMeterResetLosesNothingCounted() {
    var first = read(meter(1000.0));
    assertInstanceOf(HvacZone.MeterBaselined.class, first.event());
    clock.advance(Duration.ofHours(1));
    var hour = read(meter(1012.5));
    assertTrue(hour.hasNoEvents());
    assertEquals(12.5, hour.reply().getValue().energy().todayKwh(), 1e-9);
    assertEquals(12.5, hour.reply().getValue().energy().totalKwh(), 1e-9);
    assertEquals(12.5 / 2040.0, hour.reply().getValue().energy().todayKwhPerM2(), 1e-12);

    clock.advance(Duration.ofMinutes(10));
    var reset = read(meter(3.0));
    var event = assertInstanceOf(HvacZone.MeterReset.class, reset.event());
    assertEquals(1012.5, event.previousKwh());
    assertEquals(12.5, reset.reply().getValue().energy().totalKwh(), 1e-9);
    clock.advance(Duration.ofMinutes(10));
    assertEquals(14.5, read(meter(5.0)).reply().getValue().energy().totalKwh(), 1e-9);
  }

  @Test
  void theSitesMidnightClosesTheDayOfEnergy() {
    read(meter(500.0));
    clock.advance(Duration.ofHours(14).plusMinutes(59));
    read(meter(620.0));
    clock.advance(Duration.ofMinutes(2)); // 00:01 on 25 December in Shanghai
    var next = read(meter(621.0));
    var closed = assertInstanceOf(HvacZone.EnergyDayClosed.class, next.event());
    assertEquals(LocalDate.of(2026, 12, 24), closed.day());
    assertEquals(120.0, closed.dayKwh(), 1e-9);
    assertEquals(LocalDate.of(2026, 12, 25), closed.next());
    View v = next.reply().getValue();
    assertEquals(1.0, v.energy().todayKwh(), 1e-9);
    assertEquals(120.0, v.energy().yesterdayKwh(), 1e-9);
    assertEquals(121.0, v.energy().totalKwh(), 1e-9);
  }

  // ---- occupancy

  @Test
  void theOccupancyOfTheServedZonesIsSummedAndOtherZonesAreIgnored() {
    zone.runCommand(new HvacZone.ServedZoneOccupancy("ATR-L1", 40, T0));
    zone.runCommand(new HvacZone.ServedZoneOccupancy("LL-L1-N", 5, T0));
    zone.runCommand(new HvacZone.ServedZoneOccupancy("S-L1-01", 500, T0));
    View v = state();
    assertEquals(45, v.occupancy().people());
    assertTrue(v.occupancy().occupied());
    assertEquals(2, v.occupancy().zonesReporting());
    assertEquals(3, v.occupancy().zonesServed());
    assertEquals(1, recorder.deltas.size(), "becoming occupied is published");

    zone.runCommand(new HvacZone.ServedZoneOccupancy("ATR-L1", 0, T0.plusSeconds(60)));
    zone.runCommand(new HvacZone.ServedZoneOccupancy("LL-L1-N", 0, T0.plusSeconds(60)));
    zone.runCommand(new HvacZone.ServedZoneOccupancy("LL-L1-N", 9, T0)); // older than the last count: ignored
    assertFalse(state().occupancy().occupied());
    assertEquals(2, recorder.deltas.size());
  }

  // ---- live deltas

  @Test
  void persistedChangesArePublishedAndReadingsAtMostOncePerInterval() {
    read(temperature(21.0)); // fits the sensor: persisted, published
    assertEquals(1, recorder.deltas.size());
    clock.advance(Duration.ofSeconds(10));
    read(temperature(21.1));
    assertEquals(1, recorder.deltas.size(), "a reading within the interval is not published");
    clock.advance(Duration.ofSeconds(50));
    read(temperature(21.2));
    assertEquals(2, recorder.deltas.size());
    assertEquals(21.2, ((View) recorder.deltas.get(1).view()).temperature().value());
    zone.<StatusReply<View>>runCommand(r -> new HvacZone.SetMode(Mode.COMFORT, "op:alice", r));
    assertEquals(3, recorder.deltas.size(), "a persisted change is always published");
    assertEquals(Mode.COMFORT, ((View) recorder.deltas.get(2).view()).mode());
  }

  // ---- recovery

  @Test
  void modeSetpointsFaultsAndThePendingCommandSurviveARestart() {
    zone.<StatusReply<View>>runCommand(r -> new HvacZone.SetSetpoints(21.0, 23.0, "op:alice", r));
    zone.<StatusReply<View>>runCommand(r -> new HvacZone.DeviceAck("set-setpoints-1", true, null, clock.now(), r));
    read(new Measurements(21.0, null, 0.0, null, null, null, null, 800.0));
    clock.advance(Duration.ofMinutes(5));
    read(meter(810.0));
    zone.<StatusReply<View>>runCommand(r -> new HvacZone.SetMode(Mode.COMFORT, "op:alice", r));
    assertEquals(1, alarms("co2-out-of-range").size());

    var restarted = zone.restart();
    State s = restarted.state();
    assertEquals(Mode.COMFORT, s.mode());
    assertEquals(21.0, s.heatingSetpoint());
    assertEquals(CommandStatus.APPLIED, s.setpointsCommand().status());
    assertEquals(CommandStatus.PENDING, s.modeCommand().status());
    assertTrue(s.hasFault(Sensor.CO2, Fault.OUT_OF_RANGE));
    assertEquals(2, alarms("co2-out-of-range").size(), "an active fault is reported again on recovery");
    assertTrue(alarms("co2-out-of-range").get(1).raised());

    // The pending mode command is resent on the new incarnation's clock timer.
    int sent = recorder.commands.size();
    clock.advance(Duration.ofSeconds(30));
    awaitCommands(sent + 1);
    assertEquals("set-mode-2", recorder.commands.get(sent).id());

    // Energy counts on from the persisted baseline.
    assertEquals(15.0, read(meter(815.0)).reply().getValue().energy().totalKwh(), 1e-9);
  }

  @Test
  void aZoneWokenByItsSilenceTimerJudgesBySilenceHandedOverFromTheLastIncarnation() {
    read(temperature(21.0));
    clock.advance(Duration.ofMinutes(8));
    zone.restart(); // as passivation would; the new incarnation has heard nothing yet
    // The timer the stopped incarnation left carries when it last heard the sensor.
    zone.runCommand(new HvacZone.SilenceCheck(Map.of(Sensor.TEMPERATURE, T0)));
    clock.advance(Duration.ofMinutes(2));
    awaitAlarms("temperature-missing", 1);
    assertEquals(T0.plus(Duration.ofMinutes(10)), alarms("temperature-missing").get(0).at(),
        "missing ten minutes after the sensor was last heard, not after the restart");
  }
}
