package atrium.devices.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.json.Json;
import atrium.core.protocol.Envelope;
import atrium.core.protocol.ProtocolException;
import atrium.core.site.Site;
import atrium.core.testkit.TestTwins;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The zone kind's door: every zone of the site exists; no device speaks for one. */
class ZonesTest {
  private static final Site DEMO = TestTwins.demoSites().site("demo-mall").orElseThrow();
  private final Zones zones = new Zones();

  @Test
  void everyZoneOfTheSiteExists() {
    assertTrue(zones.exists(DEMO, "ATR-L1"));
    assertTrue(zones.exists(DEMO, "CP-N-B1"));
    assertFalse(zones.exists(DEMO, "NOWHERE"));
    assertEquals(AssetKind.ZONE, zones.kind());
  }

  @Test
  void aDeviceMessageForAZoneIsRefusedOnItsKind() {
    var telemetry = new Envelope.Telemetry("m-1", AssetId.of("demo-mall", AssetKind.ZONE, "ATR-L1"),
        Instant.parse("2026-12-24T06:30:00Z"), Json.MAPPER.createObjectNode().put("count", 3));
    var e = assertThrows(ProtocolException.class, () -> zones.ingest(null, telemetry));
    assertEquals("$.kind", e.field());
    assertTrue(e.reason().contains("cameras"), e.reason());
  }

  @Test
  void onlyAZoneWhoseEveryWayInIsCountedCanRefuseCounts() {
    assertTrue(Zone.fullyCounted(DEMO, "S-L1-02")); // one door, one line camera
    assertFalse(Zone.fullyCounted(DEMO, "S-L1-01")); // the supermarket: a fire exit and headcount cameras
    assertFalse(Zone.fullyCounted(DEMO, "C-L1-S")); // corridor-to-corridor ways are not counted
    assertEquals(3, Zone.headcountCameras(DEMO, "LL-L1-N"));
  }
}
