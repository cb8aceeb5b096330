package atrium.load.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.protocol.DeviceProtocol;
import atrium.core.protocol.Envelope;
import atrium.core.runtime.SiteDirectory;
import atrium.core.site.Site;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IngestEnvelopesTest {
  static final Instant START = Instant.parse("2026-11-23T07:00:00Z");
  static final Site SITE = SiteDirectory.load(List.of(Path.of("../sites/demo-mall.json"))).site("demo-mall").orElseThrow();

  @Test
  void theDemoMallsHvacZonesAndBaysAreTheDevices() {
    assertEquals(120, IngestEnvelopes.hvacZones(SITE).size());
    assertEquals(2000, IngestEnvelopes.parkingBays(SITE).size());
  }

  @Test
  void anHvacEnvelopeCarriesEightPointsAndSurvivesTheProtocolsOwnParser() throws Exception {
    IngestEnvelopes env = IngestEnvelopes.hvac(IngestEnvelopes.hvacZones(SITE), "t-", START);
    env.next();
    Envelope.Telemetry t = env.next();
    assertEquals(8, t.data().size());
    assertEquals(IngestEnvelopes.HVAC_POINTS, env.pointsPerMessage());
    Envelope parsed = DeviceProtocol.parse(DeviceProtocol.write(t));
    assertEquals(START, parsed.ts(), "the second zone's first reading: the round's device time, kept on the wire");
    assertEquals(new String(DeviceProtocol.write(t)), new String(DeviceProtocol.write(parsed)));
  }

  @Test
  void idsAreFreshAndEachTwinsReadingsAreStrictlyNewerWithEveryValueMoving() {
    AssetId zone = IngestEnvelopes.hvacZones(SITE).get(0);
    IngestEnvelopes env = IngestEnvelopes.hvac(List.of(zone), "hot-", START);
    Set<String> ids = new HashSet<>();
    Envelope.Telemetry prev = null;
    for (int i = 0; i < 1000; i++) {
      Envelope.Telemetry t = env.next();
      assertTrue(ids.add(t.id()), "duplicate id " + t.id());
      assertEquals(zone, t.asset());
      if (prev != null) {
        assertTrue(t.ts().isAfter(prev.ts().plusNanos(999_999)), "device time moves forward by a millisecond at least: a point of its own in the history");
        for (String f : List.of("temperature", "humidity", "co2", "supplyAirTemperature", "power")) {
          assertNotEquals(prev.data().get(f).asDouble(), t.data().get(f).asDouble(), f + " repeats (a stuck sensor) at " + i);
        }
        assertTrue(t.data().get("energy").asDouble() > prev.data().get("energy").asDouble(), "the meter only goes forward");
      }
      prev = t;
    }
    assertEquals(1000, env.made());
  }

  @Test
  void valuesStayInsideWhatTheHvacZoneAccepts() {
    IngestEnvelopes env = IngestEnvelopes.hvac(IngestEnvelopes.hvacZones(SITE), "r-", START);
    for (int i = 0; i < 120 * 400; i++) {
      var d = env.next().data();
      assertTrue(d.get("temperature").asDouble() >= -10 && d.get("temperature").asDouble() <= 50);
      assertTrue(d.get("humidity").asDouble() >= 0 && d.get("humidity").asDouble() <= 100);
      assertTrue(d.get("co2").asDouble() >= 300 && d.get("co2").asDouble() <= 5000);
      assertTrue(d.get("heatingOutput").asDouble() >= 0 && d.get("heatingOutput").asDouble() <= 100);
      assertTrue(d.get("coolingOutput").asDouble() >= 0 && d.get("coolingOutput").asDouble() <= 100);
    }
  }

  @Test
  void aBaysSensorFlipsOnEveryReport() {
    List<AssetId> bays = IngestEnvelopes.parkingBays(SITE).subList(0, 3);
    IngestEnvelopes env = IngestEnvelopes.bayFlips(bays, "b-", START);
    assertEquals(1, env.pointsPerMessage());
    boolean[] last = new boolean[3];
    for (int i = 0; i < 30; i++) {
      Envelope.Telemetry t = env.next();
      assertEquals(bays.get(i % 3), t.asset());
      boolean occupied = t.data().get("occupied").asBoolean();
      if (i >= 3) assertNotEquals(last[i % 3], occupied, "bay " + t.asset() + " report " + i);
      last[i % 3] = occupied;
    }
  }

  @Test
  void assetsOfAnotherKindAreRefused() {
    AssetId bay = IngestEnvelopes.parkingBays(SITE).get(0);
    assertThrows(IllegalArgumentException.class, () -> IngestEnvelopes.hvac(List.of(bay), "x-", START));
    assertThrows(IllegalArgumentException.class, () -> IngestEnvelopes.bayFlips(List.of(AssetId.of("demo-mall", AssetKind.HVAC_ZONE, "AHU-L1-01")), "x-", START));
    assertThrows(IllegalArgumentException.class, () -> IngestEnvelopes.hvac(List.of(), "x-", START));
  }
}
