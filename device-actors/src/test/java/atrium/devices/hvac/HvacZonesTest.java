package atrium.devices.hvac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.protocol.DeviceProtocol;
import atrium.core.protocol.Envelope;
import atrium.core.protocol.ProtocolException;
import atrium.core.site.Site;
import atrium.core.testkit.TestTwins;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The doors' adapter: device envelopes to HVAC zone commands, refusing bad data at its field. */
class HvacZonesTest {
  private static final String HEAD = "\"v\":1,\"id\":\"m-1\",\"site\":\"demo-mall\",\"kind\":\"hvac-zone\","
      + "\"asset\":\"AHU-L1-16\",\"ts\":\"2026-12-24T06:30:00Z\"";

  private static Envelope envelope(String json) {
    return DeviceProtocol.parse(("{" + HEAD + "," + json + "}").getBytes(StandardCharsets.UTF_8));
  }

  private static Envelope telemetry(String data) {
    return envelope("\"type\":\"telemetry\",\"data\":" + data);
  }

  private static HvacZone.Command command(Envelope e) {
    return HvacZones.command(e).apply(null);
  }

  @Test
  void telemetryBecomesReadingsWithEveryMeasurementAtTheDevicesTime() {
    var readings = assertInstanceOf(HvacZone.Readings.class, command(telemetry(
        "{\"temperature\":21.5,\"humidity\":45,\"co2\":650,\"supplyAirTemperature\":16.2,"
            + "\"heatingOutput\":35,\"coolingOutput\":0,\"power\":12.5,\"energy\":1389.25}")));
    assertEquals(new HvacZone.Measurements(21.5, 45.0, 650.0, 16.2, 35.0, 0.0, 12.5, 1389.25), readings.measurements());
    assertEquals(Instant.parse("2026-12-24T06:30:00Z"), readings.at());
  }

  @Test
  void anySubsetOfMeasurementsIsAcceptedAndTheRestLeftNull() {
    var readings = assertInstanceOf(HvacZone.Readings.class, command(telemetry("{\"co2\":700}")));
    assertEquals(700.0, readings.measurements().co2());
    assertNull(readings.measurements().temperature());
    assertNull(readings.measurements().energy());
  }

  @Test
  void anImplausibleSensorValueIsNotAProtocolErrorButLeftToTheZoneToJudge() {
    var readings = assertInstanceOf(HvacZone.Readings.class, command(telemetry("{\"temperature\":95.0,\"co2\":0}")));
    assertEquals(95.0, readings.measurements().temperature());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "'{\"temperature\":\"warm\"}'      | $.data.temperature   | expected a number, found a string",
      "'{\"co2\":true}'                  | $.data.co2           | expected a number",
      "'{\"temp\":21}'                   | $.data.temp          | unknown field; expected temperature",
      "'{}'                              | $.data               | no measurement",
      "'{\"heatingOutput\":120}'         | $.data.heatingOutput | must be 0 to 100 %, was 120.0",
      "'{\"coolingOutput\":-5}'          | $.data.coolingOutput | must be 0 to 100 %",
      "'{\"power\":-1.5}'                | $.data.power         | must be 0 kW or more",
      "'{\"energy\":-0.1}'               | $.data.energy        | must be 0 kWh or more",
  })
  void badTelemetryIsRefusedAtItsField(String data, String field, String reason) {
    var e = assertThrows(ProtocolException.class, () -> HvacZones.command(telemetry(data)));
    assertEquals(field, e.field());
    assertTrue(e.reason().contains(reason), e.reason());
  }

  @Test
  void anAckBecomesTheDeviceAckOfItsCommand() {
    var ok = assertInstanceOf(HvacZone.DeviceAck.class,
        command(envelope("\"type\":\"ack\",\"ref\":\"set-mode-3\",\"status\":\"ok\"")));
    assertEquals("set-mode-3", ok.commandId());
    assertTrue(ok.ok());
    var failed = assertInstanceOf(HvacZone.DeviceAck.class,
        command(envelope("\"type\":\"ack\",\"ref\":\"set-setpoints-4\",\"status\":\"failed\",\"reason\":\"valve jammed\"")));
    assertFalse(failed.ok());
    assertEquals("valve jammed", failed.reason());
  }

  @Test
  void eventsAndCommandsFromADeviceAreRefusedAtTheirType() {
    var event = assertThrows(ProtocolException.class,
        () -> HvacZones.command(envelope("\"type\":\"event\",\"name\":\"filter-dirty\",\"data\":{}")));
    assertEquals("$.type", event.field());
    var cmd = assertThrows(ProtocolException.class,
        () -> HvacZones.command(envelope("\"type\":\"command\",\"name\":\"set-mode\",\"data\":{}")));
    assertEquals("$.type", cmd.field());
  }

  @Test
  void theZonesOfTheSiteModelExistAndNoOthers() {
    Site demo = TestTwins.demoSites().site("demo-mall").orElseThrow();
    assertTrue(new HvacZones().exists(demo, "AHU-L1-01"));
    assertFalse(new HvacZones().exists(demo, "AHU-L9-99"));
  }
}
