package atrium.devices.shelflabel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.json.Json;
import atrium.core.protocol.Envelope;
import atrium.core.protocol.ProtocolException;
import atrium.core.site.Site;
import atrium.core.testkit.TestTwins;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The doors' mapping of shelf-label envelopes to label commands, and its refusals. */
class ShelfLabelsTest {
  private static final Instant TS = Instant.parse("2026-12-24T06:30:00Z");
  private static final AssetId LABEL = AssetId.of("demo-mall", AssetKind.SHELF_LABEL, "ESL-S-L1-01-00001");

  private static ObjectNode data(String json) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static ShelfLabel.Command map(Envelope e) {
    return ShelfLabels.command(e).apply(null);
  }

  private static ProtocolException refused(Envelope e) {
    return assertThrows(ProtocolException.class, () -> ShelfLabels.command(e));
  }

  @Test
  void batteryTelemetryBecomesABatteryReadingAtTheDeviceTime() {
    var reading = assertInstanceOf(ShelfLabel.BatteryReading.class,
        map(new Envelope.Telemetry("m-1", LABEL, TS, data("{\"battery\":42.5}"))));
    assertEquals(42.5, reading.percent());
    assertEquals(TS, reading.at());
  }

  @Test
  void anAckBecomesADeviceAckOfItsCommand() {
    var ok = assertInstanceOf(ShelfLabel.DeviceAck.class,
        map(new Envelope.Ack("a-1", LABEL, TS, "price-3", Envelope.AckStatus.OK, null)));
    assertEquals("price-3", ok.ref());
    assertTrue(ok.ok());
    var failed = assertInstanceOf(ShelfLabel.DeviceAck.class,
        map(new Envelope.Ack("a-2", LABEL, TS, "price-4", Envelope.AckStatus.FAILED, "display fault")));
    assertFalse(failed.ok());
    assertEquals("display fault", failed.reason());
  }

  @Test
  void badBatteryDataIsRefusedByField() {
    assertEquals("$.data.battery", refused(new Envelope.Telemetry("m", LABEL, TS, data("{\"battery\":\"full\"}"))).field());
    assertEquals("$.data.battery", refused(new Envelope.Telemetry("m", LABEL, TS, data("{}"))).field());
    var range = refused(new Envelope.Telemetry("m", LABEL, TS, data("{\"battery\":101}")));
    assertEquals("$.data.battery", range.field());
    assertTrue(range.reason().contains("0 to 100"), range.reason());
    assertEquals("$.data.voltage", refused(new Envelope.Telemetry("m", LABEL, TS, data("{\"battery\":50,\"voltage\":3}"))).field());
  }

  @Test
  void eventsAndCommandsFromALabelAreRefused() {
    assertEquals("$.type", refused(new Envelope.Event("e", LABEL, TS, "button-pressed", data("{}"))).field());
    assertEquals("$.type", refused(new Envelope.Command("c", LABEL, TS, "set-price", data("{}"))).field());
  }

  @Test
  void aCampaignIsReadAsAShelfLabelAssetButTakesNoDeviceMessages() {
    Site site = TestTwins.demoSites().site("demo-mall").orElseThrow();
    ShelfLabels kind = new ShelfLabels();
    assertTrue(kind.exists(site, "ESL-S-L1-01-00001"));
    assertTrue(kind.exists(site, "campaign.xmas-2026"));
    assertFalse(kind.exists(site, "ESL-S-L1-01-99999"));
    assertFalse(kind.exists(site, "campaign."));
    AssetId campaign = AssetId.of("demo-mall", AssetKind.SHELF_LABEL, "campaign.xmas-2026");
    assertEquals("$.asset", refused(new Envelope.Telemetry("m", campaign, TS, data("{\"battery\":50}"))).field());
  }
}
