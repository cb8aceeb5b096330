package atrium.devices.hvac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.SimulatedClock;
import atrium.core.protocol.Envelope;
import atrium.core.runtime.TwinServices;
import atrium.core.testkit.TestTwins;
import atrium.core.testkit.TestTwins.AlarmReport;
import atrium.devices.hvac.HvacZone.Command;
import atrium.devices.hvac.HvacZone.CommandStatus;
import atrium.devices.hvac.HvacZone.Control;
import atrium.devices.hvac.HvacZone.Event;
import atrium.devices.hvac.HvacZone.Measurements;
import atrium.devices.hvac.HvacZone.Mode;
import atrium.devices.hvac.HvacZone.State;
import atrium.devices.hvac.HvacZone.View;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The twin's own loops in the HVAC zone (control {@code atrium}): outputs, set-back, DCV, fallback, lighting. */
class HvacZoneControlTest {
  private static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config()
      .withFallback(com.typesafe.config.ConfigFactory.load()));
  /** 10:30 in the demo mall's time zone (Asia/Shanghai): open. */
  private static final Instant T0 = Instant.parse("2026-12-24T02:30:00Z");
  /** Serves ATR-L1, LL-L1-N and LL-L1-S; 2,040 m². */
  private static final AssetId AHU = AssetId.of("demo-mall", AssetKind.HVAC_ZONE, "AHU-L1-16");

  private final SimulatedClock clock = new SimulatedClock(T0);
  private final TestTwins.Recorder recorder = new TestTwins.Recorder();
  private final TwinServices services = TestTwins.unsharded(testKit.system(), clock, recorder);
  private final EventSourcedBehaviorTestKit<Command, Event, State> zone =
      EventSourcedBehaviorTestKit.create(testKit.system(), HvacZone.create(AHU, services, HvacZoneTest.SETTINGS));

  @AfterEach
  void clear() {
    zone.clear();
    services.history().close();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  // ---- helpers

  private static Measurements air(double temperature, double co2) {
    return new Measurements(temperature, 45.0, co2, null, null, null, null, null);
  }

  private void read(Measurements m) {
    zone.<StatusReply<View>>runCommand(r -> new HvacZone.Readings(m, clock.now(), r));
  }

  private View state() {
    return zone.<View>runCommand(HvacZone.GetState::new).reply();
  }

  private void people(int n) {
    zone.runCommand(new HvacZone.ServedZoneOccupancy("ATR-L1", n, clock.now()));
  }

  private StatusReply<View> control(Control c) {
    return zone.<StatusReply<View>>runCommand(r -> new HvacZone.SetControl(c, "op:alice", r)).reply();
  }

  private void mode(Mode m) {
    zone.<StatusReply<View>>runCommand(r -> new HvacZone.SetMode(m, "op:alice", r));
  }

  /** Advances the clock a minute at a time (one loop step each), reading the zone air every five minutes. */
  private void minutes(int n, double temperature, double co2) {
    for (int i = 1; i <= n; i++) {
      clock.advance(Duration.ofMinutes(1));
      if (i % 5 == 0) read(air(temperature + (i % 10 == 0 ? 0.1 : 0), co2));
      state(); // the tick has been handled
    }
  }

  private List<Envelope.Command> sent(String name) {
    return recorder.commands.stream().filter(c -> c.name().equals(name)).collect(Collectors.toList());
  }

  private Envelope.Command last(String name) {
    List<Envelope.Command> all = sent(name);
    assertFalse(all.isEmpty(), "no " + name + " sent: " + recorder.commands);
    return all.get(all.size() - 1);
  }

  private List<AlarmReport> alarms(String condition) {
    return recorder.alarms.stream().filter(a -> a.condition().equals(condition)).collect(Collectors.toList());
  }

  private void atriumInComfort(double temperature, double co2) {
    read(air(temperature, co2));
    mode(Mode.COMFORT);
    control(Control.ATRIUM);
    state();
  }

  // ---- the control choice

  @Test
  void controlIsLocalUntilAnOperatorHandsItToTheTwinWhichSendsSetControlAndTracksItsAck() {
    assertEquals(Control.LOCAL, state().control().control());
    var result = zone.<StatusReply<View>>runCommand(r -> new HvacZone.SetControl(Control.ATRIUM, "op:alice", r));
    var changed = assertInstanceOf(HvacZone.ControlChanged.class, result.event());
    assertEquals(Control.LOCAL, changed.previous());
    assertEquals("set-control-1", changed.commandId());
    assertEquals("atrium", last(HvacZone.SET_CONTROL).data().get("control").asText());
    assertEquals(CommandStatus.PENDING, result.reply().getValue().control().command().status());

    var ack = zone.<StatusReply<View>>runCommand(r -> new HvacZone.DeviceAck("set-control-1", true, null, clock.now(), r));
    assertInstanceOf(HvacZone.CommandApplied.class, ack.event());
    assertEquals(CommandStatus.APPLIED, ack.reply().getValue().control().command().status());

    var same = zone.<StatusReply<View>>runCommand(r -> new HvacZone.SetControl(Control.ATRIUM, "op:bob", r));
    assertTrue(same.hasNoEvents(), "the control it already has: nothing persisted");
    assertEquals("op:alice", same.reply().getValue().control().by());
  }

  @Test
  void aControlChangeWithoutAChoiceOrWithoutWhoIsRejectedAndNothingPersisted() {
    var none = zone.<StatusReply<View>>runCommand(r -> new HvacZone.SetControl(null, "op:alice", r));
    assertTrue(none.hasNoEvents());
    assertTrue(none.reply().getError().getMessage().contains("local or atrium"));
    var nobody = zone.<StatusReply<View>>runCommand(r -> new HvacZone.SetControl(Control.ATRIUM, " ", r));
    assertTrue(nobody.hasNoEvents());
    assertTrue(nobody.reply().isError());
    assertTrue(recorder.commands.isEmpty());
  }

  @Test
  void underLocalControlTheTwinSendsNoOutputsOrLighting() {
    read(air(27, 600));
    mode(Mode.COMFORT);
    minutes(10, 27, 600);
    assertTrue(sent(HvacZone.SET_OUTPUTS).isEmpty());
    assertTrue(sent(HvacZone.SET_LIGHTING).isEmpty());
    assertNull(state().control().outputs());
  }

  // ---- the zone loop

  @Test
  void aZoneAboveItsCoolingSetpointGetsSetOutputsWithCooling() {
    atriumInComfort(26.5, 600);
    Envelope.Command out = last(HvacZone.SET_OUTPUTS);
    assertTrue(out.data().get("cooling").doubleValue() > 0, out.data().toString());
    assertEquals(0, out.data().get("heating").doubleValue());
    assertTrue(out.id().startsWith("set-outputs-"), out.id());
    View v = state();
    assertEquals(out.data().get("cooling").doubleValue(), v.control().outputs().cooling());
    assertFalse(v.control().outputs().acknowledged());

    // Latest value wins: its ack is kept in memory, nothing is journaled.
    var ack = zone.<StatusReply<View>>runCommand(r -> new HvacZone.DeviceAck(out.id(), true, null, clock.now(), r));
    assertTrue(ack.hasNoEvents());
    assertTrue(ack.reply().getValue().control().outputs().acknowledged());
  }

  @Test
  void aServedZoneEmptyForThirtyMinutesOfTwinTimeGetsSetBackOutputs() {
    people(30);
    atriumInComfort(19.4, 600);
    assertTrue(last(HvacZone.SET_OUTPUTS).data().get("heating").doubleValue() > 0, "below 20 °C: heating");
    people(0);
    minutes(25, 19.4, 600);
    assertFalse(state().control().outputs().setback(), "25 min empty: comfort still");
    assertTrue(last(HvacZone.SET_OUTPUTS).data().get("heating").doubleValue() > 0);
    minutes(6, 19.4, 600);
    View v = state();
    assertTrue(v.control().outputs().setback(), "31 min empty: set back");
    assertEquals(17.0, v.control().outputs().heatingSetpoint());
    assertEquals(27.0, v.control().outputs().coolingSetpoint());
    assertEquals(0, last(HvacZone.SET_OUTPUTS).data().get("heating").doubleValue(), "19.4 °C is above the set-back 17 °C");

    people(4);
    state();
    assertFalse(state().control().outputs().setback(), "the first person restores comfort at once");
    assertTrue(last(HvacZone.SET_OUTPUTS).data().get("heating").doubleValue() > 0);
  }

  @Test
  void aModeChangeInsideTheDeadBandLeavesTheIdleLoopsIdle() {
    atriumInComfort(22, 600);
    minutes(2, 22, 600);
    mode(Mode.ECONOMY);
    clock.advance(Duration.ofSeconds(30));
    read(air(21.6, 600));
    minutes(3, 21.6, 600);
    assertEquals(0, last(HvacZone.SET_OUTPUTS).data().get("heating").doubleValue(), "21.6 °C is above the 17 °C economy setpoint");
    mode(Mode.COMFORT);
    clock.advance(Duration.ofSeconds(30));
    read(air(22.4, 600));
    minutes(3, 22.4, 600);
    assertEquals(0, last(HvacZone.SET_OUTPUTS).data().get("cooling").doubleValue(), "22.4 °C is below the 24 °C cooling setpoint");
  }

  @Test
  void co2RisingAbove800PpmRaisesTheOutdoorAir() {
    people(50);
    atriumInComfort(22, 600);
    double before = last(HvacZone.SET_OUTPUTS).data().get("outdoorAir").doubleValue();
    assertEquals(0.3 * 2040, before, 0.05, "the occupied minimum below 800 ppm");
    clock.advance(Duration.ofSeconds(30));
    read(air(22.1, 950));
    minutes(1, 22.1, 950);
    double after = last(HvacZone.SET_OUTPUTS).data().get("outdoorAir").doubleValue();
    assertEquals(612 + (10_200 - 612) * 0.75, after, 0.05, "three quarters of the way from 800 to 1000 ppm");
  }

  @Test
  void outputsWithinTheDeadBandAreNotSentAgainUntilTheRefresh() {
    atriumInComfort(22, 600);
    assertEquals(1, sent(HvacZone.SET_OUTPUTS).size());
    minutes(14, 22, 600);
    assertEquals(1, sent(HvacZone.SET_OUTPUTS).size(), () -> "in the dead band, unchanged outputs are not sent" + recorder.commands);
    minutes(1, 22, 600);
    assertEquals(2, sent(HvacZone.SET_OUTPUTS).size(), "sent again after the 15 min refresh");
  }

  @Test
  void aSmallDriftIsHeldBackUntilItLeavesTheDeadBand() {
    atriumInComfort(19.5, 600); // proportional action at once, then the integral's 0.45 %/min
    double first = last(HvacZone.SET_OUTPUTS).data().get("heating").doubleValue();
    int count = sent(HvacZone.SET_OUTPUTS).size();
    minutes(3, 19.5, 600);
    assertEquals(count, sent(HvacZone.SET_OUTPUTS).size(), "less than 2 percentage points: held");
    minutes(5, 19.5, 600);
    assertTrue(sent(HvacZone.SET_OUTPUTS).size() > count, "more than 2 points: sent");
    double now = last(HvacZone.SET_OUTPUTS).data().get("heating").doubleValue();
    assertTrue(now - first > 2, first + " -> " + now);
  }

  @Test
  void outputsTheControllerLeavesUnacknowledgedAreAlarmedAndTheNextAckClearsIt() {
    atriumInComfort(22, 600);
    // Each setpoint change steps the loop and sends set-outputs, whatever the dead band.
    for (double h : new double[] {19.0, 19.5, 20.5}) {
      zone.<StatusReply<View>>runCommand(r -> new HvacZone.SetSetpoints(h, 24.0, "op:alice", r));
      state();
    }
    assertEquals(4, sent(HvacZone.SET_OUTPUTS).size());
    List<AlarmReport> raised = alarms(HvacZone.OUTPUTS_NOT_APPLIED);
    assertEquals(1, raised.size(), "three set-outputs in a row unanswered: " + raised);
    assertTrue(raised.get(0).message().contains("3 set-outputs in a row"), raised.get(0).message());

    String latest = last(HvacZone.SET_OUTPUTS).id();
    zone.<StatusReply<View>>runCommand(r -> new HvacZone.DeviceAck(latest, true, null, clock.now(), r));
    assertEquals(2, alarms(HvacZone.OUTPUTS_NOT_APPLIED).size());
    assertFalse(alarms(HvacZone.OUTPUTS_NOT_APPLIED).get(1).raised(), "cleared by the ack of the latest");
  }

  @Test
  void outputsTheControllerRefusesAreAlarmedWithItsReasonAndALateAckOfAnOlderOneChangesNothing() {
    atriumInComfort(22, 600);
    String first = last(HvacZone.SET_OUTPUTS).id();
    zone.<StatusReply<View>>runCommand(r -> new HvacZone.SetSetpoints(19.0, 24.0, "op:alice", r));
    state();
    String second = last(HvacZone.SET_OUTPUTS).id();
    var late = zone.<StatusReply<View>>runCommand(r -> new HvacZone.DeviceAck(first, true, null, clock.now(), r));
    assertTrue(late.reply().isSuccess());
    assertFalse(late.reply().getValue().control().outputs().acknowledged(), "superseded: its ack is not the latest's");
    zone.<StatusReply<View>>runCommand(r -> new HvacZone.DeviceAck(second, false, "damper jammed", clock.now(), r));
    List<AlarmReport> raised = alarms(HvacZone.OUTPUTS_NOT_APPLIED);
    assertEquals(1, raised.size());
    assertTrue(raised.get(0).message().contains("damper jammed"), raised.get(0).message());
  }

  // ---- sensor faults

  @Test
  void aMissingTemperatureSensorPutsTheLoopOnItsFallbackWithAnAlarmAndItsReturnEndsBoth() {
    atriumInComfort(18, 600);
    minutes(4, 18, 600);
    assertTrue(last(HvacZone.SET_OUTPUTS).data().get("heating").doubleValue() > 0, "heating season");
    clock.advance(Duration.ofMinutes(10)); // the sensor falls silent
    state();
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      assertNotNull(zone.getState().fallback());
      return null;
    });
    HvacZone.Fallback f = zone.getState().fallback();
    assertTrue(f.reason().contains("temperature sensor missing"), f.reason());
    assertEquals(20.0, f.heating(), "the winter fallback: 20 % heating");
    assertEquals(20.0, last(HvacZone.SET_OUTPUTS).data().get("heating").doubleValue(), "and it was sent");
    List<AlarmReport> raised = alarms(HvacZone.CONTROL_FALLBACK);
    assertEquals(1, raised.size());
    assertTrue(raised.get(0).raised());
    assertTrue(raised.get(0).message().contains("20.0 %"), raised.get(0).message());

    read(air(18.2, 600));
    state();
    assertNull(zone.getState().fallback());
    assertEquals(2, alarms(HvacZone.CONTROL_FALLBACK).size());
    assertFalse(alarms(HvacZone.CONTROL_FALLBACK).get(1).raised(), "cleared when the sensor recovers");
    assertEquals(20.0, last(HvacZone.SET_OUTPUTS).data().get("heating").doubleValue(), 2.0,
        "back on its temperature bumplessly, from the fallback's 20 %");
  }

  @Test
  void aStuckTemperatureSensorPutsTheLoopOnItsFallback() {
    atriumInComfort(18, 600);
    // Ten identical reports over 30 min while the output swings: the stuck-while-actuating rule.
    for (int i = 0; i < 10; i++) {
      zone.<StatusReply<View>>runCommand(r -> new HvacZone.Readings(new Measurements(18.0, null, null, null, 0.0 + (clock.now().getEpochSecond() % 2) * 60,
          0.0, null, null), clock.now(), r));
      clock.advance(Duration.ofMinutes(4));
      state();
    }
    read(new Measurements(18.0, null, null, null, 80.0, 0.0, null, null));
    state();
    assertTrue(zone.getState().hasFault(HvacZone.Sensor.TEMPERATURE, HvacZone.Fault.STUCK));
    assertNotNull(zone.getState().fallback());
    assertTrue(zone.getState().fallback().reason().contains("stuck"));
    assertTrue(alarms(HvacZone.CONTROL_FALLBACK).get(0).raised());
  }

  @Test
  void handingControlBackEndsTheFallbackAndStopsTheLoops() {
    atriumInComfort(60, 600); // implausible: out of range from the first report
    assertNotNull(zone.getState().fallback());
    var back = zone.<StatusReply<View>>runCommand(r -> new HvacZone.SetControl(Control.LOCAL, "op:alice", r));
    assertInstanceOf(HvacZone.ControlFallbackExited.class, back.events().get(1));
    assertNull(back.reply().getValue().control().fallback());
    assertNull(back.reply().getValue().control().outputs());
    assertEquals("local", last(HvacZone.SET_CONTROL).data().get("control").asText());
    int outputs = sent(HvacZone.SET_OUTPUTS).size();
    minutes(5, 22, 600);
    assertEquals(outputs, sent(HvacZone.SET_OUTPUTS).size(), "no ticks once local");
  }

  // ---- lighting

  @Test
  void lightingDimsWhenTheServedZonesEmptyAndComesBackWhenOccupied() {
    people(20);
    atriumInComfort(22, 600);
    assertEquals(100.0, last(HvacZone.SET_LIGHTING).data().get("level").doubleValue());
    people(0);
    minutes(9, 22, 600);
    assertEquals(100.0, last(HvacZone.SET_LIGHTING).data().get("level").doubleValue(), "9 min empty: full");
    minutes(3, 22, 600);
    assertEquals(60.0, last(HvacZone.SET_LIGHTING).data().get("level").doubleValue(), "dimmed after 10 min");
    assertTrue(sent(HvacZone.SET_LIGHTING).stream().anyMatch(c -> c.data().get("level").doubleValue() == 70.0),
        "ramped down, not switched: " + sent(HvacZone.SET_LIGHTING));
    assertTrue(state().control().lighting().dimmed());

    people(3);
    minutes(1, 22, 600);
    assertEquals(100.0, last(HvacZone.SET_LIGHTING).data().get("level").doubleValue(), "back to full when occupied");
    assertFalse(state().control().lighting().dimmed());
  }

  // ---- recovery

  @Test
  void takingOverFromTheZonesOwnControllerStartsFromTheOutputsItReports() {
    zone.<StatusReply<View>>runCommand(r -> new HvacZone.Readings(new Measurements(26.5, null, 600.0, null, 0.0, 30.0, null, null),
        clock.now(), r));
    mode(Mode.COMFORT);
    control(Control.ATRIUM);
    state();
    assertEquals(30.0, last(HvacZone.SET_OUTPUTS).data().get("cooling").doubleValue(), 0.1, "bumpless from the reported 30 %");
    minutes(5, 26.5, 600);
    assertTrue(last(HvacZone.SET_OUTPUTS).data().get("cooling").doubleValue() > 32, "then the integral of the 2.5 K error");
  }

  @Test
  void afterARestartControlStaysWithTheTwinAndTheLoopTakesOverBumplesslyFromTheReportedOutputs() {
    atriumInComfort(19.0, 600);
    minutes(3, 19.0, 600);
    var restarted = zone.restart();
    assertEquals(Control.ATRIUM, restarted.state().control());
    int count = sent(HvacZone.SET_OUTPUTS).size();
    zone.<StatusReply<View>>runCommand(r -> new HvacZone.Readings(new Measurements(19.1, null, 600.0, null, 47.0, 0.0, null, null), clock.now(), r));
    minutes(1, 19.1, 600);
    assertTrue(sent(HvacZone.SET_OUTPUTS).size() > count, "the new incarnation steps and sends");
    Envelope.Command first = sent(HvacZone.SET_OUTPUTS).get(count);
    assertEquals(47.0, first.data().get("heating").doubleValue(), 1.0, "from the 47 % the controller reported");
    assertFalse(first.id().equals(sent(HvacZone.SET_OUTPUTS).get(0).id()), "ids are not reused across incarnations");
  }
}
