package atrium.devices.hvac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.json.Json;
import atrium.devices.hvac.HvacZone.CommandStatus;
import atrium.devices.hvac.HvacZone.DeviceCommand;
import atrium.devices.hvac.HvacZone.EnergyLedger;
import atrium.devices.hvac.HvacZone.Fault;
import atrium.devices.hvac.HvacZone.Mode;
import atrium.devices.hvac.HvacZone.Sensor;
import atrium.devices.hvac.HvacZone.SensorFault;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every persisted HVAC message, its state, its view and its timer messages survive Jackson CBOR. */
class HvacSerializationTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final SerializationTestKit serialization = new SerializationTestKit(testKit.system());
  private static final Instant T = Instant.parse("2026-12-24T06:30:00.250Z");
  private static final LocalDate DAY = LocalDate.of(2026, 12, 24);

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void everyHvacZoneEventRoundTrips() {
    List<Object> all = List.of(
        new HvacZone.ModeChanged(Mode.SMOKE_CONTROL, Mode.COMFORT, "fire-panel", "set-mode-4", T),
        new HvacZone.SmokeControlCleared(Mode.COMFORT, "fire-officer:li", "set-mode-5", T),
        new HvacZone.SetpointsChanged(20.5, 24.0, "op:alice", "set-setpoints-6", T),
        new HvacZone.CommandResent("set-mode-5", 2, T),
        new HvacZone.CommandApplied("set-mode-5", T),
        new HvacZone.CommandFailed("set-setpoints-6", "valve jammed", T),
        new HvacZone.CommandUnacknowledged("set-setpoints-6", 3, T),
        new HvacZone.SensorFitted(Sensor.SUPPLY_AIR_TEMPERATURE, T),
        new HvacZone.SensorFaultRaised(Sensor.CO2, Fault.OUT_OF_RANGE, "reported 0.0 ppm", T),
        new HvacZone.SensorFaultCleared(Sensor.TEMPERATURE, Fault.STUCK, T),
        new HvacZone.MeterBaselined(1234.5, DAY, T),
        new HvacZone.MeterReset(1300.25, 0.5, T),
        new HvacZone.EnergyDayClosed(DAY, 88.75, DAY.plusDays(1), 1389.0, T),
        new HvacZone.ControlChanged(HvacZone.Control.ATRIUM, HvacZone.Control.LOCAL, "op:alice", "set-control-8", T),
        new HvacZone.ControlFallbackEntered("temperature sensor missing: no report since " + T, 20.0, 0.0, 612.0, T),
        new HvacZone.ControlFallbackExited("the zone air temperature is usable again (21.5 °C)", T));
    all.forEach(m -> serialization.verifySerialization(m, true));
  }

  @Test
  void theStateInitialAndFullRoundTrips() {
    var full = new HvacZone.State(Mode.SMOKE_CONTROL, Mode.ECONOMY, "fire-panel", T, 19.5, 25.0, "loop:energy", T, 7,
        new DeviceCommand("set-mode-7", HvacZone.SET_MODE, CommandStatus.PENDING, 2, T, null, null),
        new DeviceCommand("set-setpoints-6", HvacZone.SET_SETPOINTS, CommandStatus.FAILED, 1, T, T, "valve jammed"),
        Set.of(Sensor.TEMPERATURE, Sensor.CO2),
        List.of(new SensorFault(Sensor.CO2, Fault.MISSING, "no report since " + T, T)),
        new EnergyLedger(1389.0, 420.5, DAY.plusDays(1), 0.0, DAY, 88.75, T.minusSeconds(86400)),
        HvacZone.Control.ATRIUM, "op:alice", T,
        new DeviceCommand("set-control-8", HvacZone.SET_CONTROL, CommandStatus.APPLIED, 1, T, T, null),
        new HvacZone.Fallback("temperature sensor stuck: reported exactly 21.5", T, 20.0, 0.0, 612.0));
    serialization.verifySerialization(full, true);
    serialization.verifySerialization(HvacZone.State.initial(HvacZoneTest.SETTINGS), true);
  }

  @Test
  void timerMessagesAndTheViewRoundTrip() {
    serialization.verifySerialization(new HvacZone.SilenceCheck(Map.of(Sensor.TEMPERATURE, T, Sensor.HUMIDITY, T)), true);
    serialization.verifySerialization(new HvacZone.AckDue("set-mode-3", 2), true);
    serialization.verifySerialization(new HvacZone.ControlTick(T, true), true);
    var sensor = new HvacZone.SensorView(21.5, T, T, true, false,
        List.of(new SensorFault(Sensor.TEMPERATURE, Fault.STUCK, "reported exactly 21.5", T)));
    var none = new HvacZone.SensorView(null, null, null, false, false, List.of());
    var view = new HvacZone.View("demo-mall", "AHU-L1-16", "L1", 2040.0, List.of("ATR-L1", "LL-L1-N"),
        Mode.COMFORT, null, "op:alice", T, new DeviceCommand("set-mode-1", HvacZone.SET_MODE, CommandStatus.APPLIED, 1, T, T, null),
        new HvacZone.Setpoints(20.0, 24.0, null, null, null), sensor, none, none, none,
        new HvacZone.Outputs(35.0, 0.0, T), new HvacZone.Energy(1389.0, T, 12.5, T, 10.0, 88.75, 420.5, T, 0.0049),
        new HvacZone.Occupancy(45, true, 2, 3), T,
        new HvacZone.ControlView(HvacZone.Control.ATRIUM, "op:alice", T,
            new DeviceCommand("set-control-2", HvacZone.SET_CONTROL, CommandStatus.APPLIED, 1, T, T, null),
            new HvacZone.Fallback("temperature sensor missing", T, 20.0, 0.0, 612.0),
            new HvacZone.LoopOutputs(20.0, 0.0, 612.0, false, 20.0, 24.0, T, "set-outputs-lk3-4", true),
            new HvacZone.Lighting(60.0, true, true, T, "set-lighting-lk3-5", false)));
    serialization.verifySerialization(view, true);

    // The same view as the control room's JSON (state reads and live deltas).
    JsonNode json = Json.MAPPER.valueToTree(view);
    assertEquals("COMFORT", json.at("/mode").asText());
    assertEquals("APPLIED", json.at("/modeCommand/status").asText());
    assertEquals(21.5, json.at("/temperature/value").doubleValue());
    assertEquals("STUCK", json.at("/temperature/faults/0/fault").asText());
    assertFalse(json.at("/temperature/usable").booleanValue());
    assertEquals(10.0, json.at("/energy/todayKwh").doubleValue());
    assertEquals(45, json.at("/occupancy/people").intValue());
    assertEquals("2026-12-24T06:30:00.250Z", json.at("/lastReadingAt").asText());
    assertEquals("ATRIUM", json.at("/control/control").asText());
    assertEquals(612.0, json.at("/control/outputs/outdoorAir").doubleValue());
    assertEquals(60.0, json.at("/control/lighting/level").doubleValue());
    assertEquals(20.0, json.at("/control/fallback/heating").doubleValue());
    serialization.verifySerialization(new HvacZone.Measurements(21.5, null, 650.0, null, 20.0, 0.0, 12.5, 1389.0), true);
  }

  @Test
  void aStateJournaledBeforeTheTwinHadLoopsRecoversWithLocalControl() throws Exception {
    var serializationExt = org.apache.pekko.serialization.SerializationExtension.get(testKit.system());
    HvacZone.State before = HvacZone.State.initial(HvacZoneTest.SETTINGS);
    var serializer = (org.apache.pekko.serialization.SerializerWithStringManifest) serializationExt.findSerializerFor(before);
    var cbor = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.cbor.CBORFactory());
    var tree = (com.fasterxml.jackson.databind.node.ObjectNode) cbor.readTree(serializer.toBinary(before));
    for (String field : List.of("control", "controlBy", "controlSince", "controlCommand", "fallback")) {
      assertTrue(tree.has(field), field + " is written");
      tree.remove(field);
    }
    var old = (HvacZone.State) serializer.fromBinary(cbor.writeValueAsBytes(tree), serializer.manifest(before));
    assertEquals(HvacZone.Control.LOCAL, old.control());
    assertEquals(null, old.fallback());
    assertEquals(before, old);
  }
}
