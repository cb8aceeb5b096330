package atrium.load.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.asset.AssetKind;
import atrium.core.protocol.Envelope;
import atrium.core.runtime.SiteDirectory;
import atrium.core.site.Site;
import atrium.core.testkit.TestTwins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceFleetTest {
  private static Site demoMall() {
    return SiteDirectory.load(List.of(TestTwins.demoMallFile())).site("demo-mall").orElseThrow();
  }

  @Test
  void theFleetPlaysEveryDeviceOfTheKindsInTurnWithFreshIds() {
    Site site = demoMall();
    DeviceFleet fleet = new DeviceFleet(site, List.of(AssetKind.HVAC_ZONE));
    int zones = site.devices().hvacZones().size();
    assertEquals(zones, fleet.size());

    Set<String> ids = new HashSet<>();
    Set<String> assets = new HashSet<>();
    for (int i = 0; i < 2 * zones; i++) {
      Envelope e = fleet.next();
      assertTrue(e instanceof Envelope.Telemetry t && t.data().has("temperature"));
      assertTrue(ids.add(e.id()), "ids are unique");
      assets.add(e.asset().localId());
    }
    assertEquals(zones, assets.size(), "every zone, in turn");
  }

  @Test
  void kindsTheGeneratorDoesNotPlayAreRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> new DeviceFleet(demoMall(), List.of(AssetKind.ALARM)));
    assertTrue(e.getMessage().startsWith("the load generator does not play 'alarm' devices"), e.getMessage());
  }

  @Test
  void aRecordedDayIsPlayedWithoutItsAcksAndWithFreshIdsAndTimes(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("day.jsonl");
    Files.writeString(file, String.join("\n",
        "{\"v\":1,\"type\":\"telemetry\",\"id\":\"a1\",\"site\":\"demo-mall\",\"kind\":\"parking-bay\",\"asset\":\"PN-B1-0001\",\"ts\":\"2026-12-24T06:30:00Z\",\"data\":{\"occupied\":true}}",
        "{\"v\":1,\"type\":\"ack\",\"id\":\"a2\",\"site\":\"demo-mall\",\"kind\":\"kiosk\",\"asset\":\"KIOSK-01\",\"ts\":\"2026-12-24T06:30:01Z\",\"ref\":\"c1\",\"status\":\"ok\"}",
        "{\"v\":1,\"type\":\"event\",\"id\":\"a3\",\"site\":\"demo-mall\",\"kind\":\"kiosk\",\"asset\":\"KIOSK-01\",\"ts\":\"2026-12-24T06:30:02Z\",\"name\":\"fault\",\"data\":{\"component\":\"printer\",\"active\":true}}",
        "{\"v\":1,\"type\":\"telemetry\",\"id\":\"a4\",\"site\":\"other-mall\",\"kind\":\"parking-bay\",\"asset\":\"X-1\",\"ts\":\"2026-12-24T06:30:03Z\",\"data\":{\"occupied\":true}}",
        ""));

    DeviceFleet fleet = DeviceFleet.fromRecording(file, "demo-mall");

    Envelope first = fleet.next();
    Envelope second = fleet.next();
    Envelope third = fleet.next();
    assertEquals("PN-B1-0001", first.asset().localId());
    assertTrue(second instanceof Envelope.Event ev && ev.name().equals("fault"));
    assertEquals("PN-B1-0001", third.asset().localId(), "played again from the start");
    assertNotEquals("a1", first.id());
    assertNotEquals(first.id(), third.id());
    assertNotEquals(java.time.Instant.parse("2026-12-24T06:30:00Z"), first.ts(), "the time is now, not the recorded one");
    assertEquals(2, fleet.size());
  }

  @Test
  void aRecordingWithoutTheSitesTrafficIsRefused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("empty.jsonl");
    Files.writeString(file, "\n");
    var e = assertThrows(IllegalArgumentException.class, () -> DeviceFleet.fromRecording(file, "demo-mall"));
    assertTrue(e.getMessage().contains("has no telemetry or events of site 'demo-mall'"), e.getMessage());
  }
}
