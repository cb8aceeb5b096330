package atrium.core.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoMallGeneratorTest {
  /** Tests run in the module directory. */
  static final Path CHECKED_IN = Path.of("../sites/demo-mall.json");

  private static Site site;

  @BeforeAll
  static void loadCheckedInFile() throws IOException {
    site = SiteLoader.load(CHECKED_IN);
  }

  @Test
  void theCheckedInDemoMallIsWhatTheGeneratorWritesNow() throws IOException {
    assertEquals(SiteJson.write(DemoMallGenerator.generate()), Files.readString(CHECKED_IN, StandardCharsets.UTF_8),
        "sites/demo-mall.json is generated, never edited: regenerate it as docs/site-format.md says");
  }

  @Test
  void generatingTwiceGivesTheSameSite() {
    assertEquals(DemoMallGenerator.generate(), DemoMallGenerator.generate());
    assertEquals(site, DemoMallGenerator.generate());
  }

  @Test
  void mainWritesThePrettyPrintedSiteWithATrailingNewline(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("mall.json");
    DemoMallGenerator.main(new String[] {out.toString()});
    String written = Files.readString(out, StandardCharsets.UTF_8);
    assertEquals(SiteJson.write(DemoMallGenerator.generate()), written);
    assertTrue(written.startsWith("{\n  \"id\": \"demo-mall\",\n"), written.substring(0, 40));
    assertTrue(written.endsWith("}\n"));
  }

  @Test
  void theSiteIsNamedAndPlaced() {
    assertEquals("demo-mall", site.id());
    assertEquals(new LocalizedName("万象汇 demo", "Atrium Demo Mall"), site.name());
    assertEquals("Asia/Shanghai", site.timezone());
    assertEquals(List.of("B2", "B1", "L1", "L2", "L3"), site.floors().stream().map(Floor::id).toList());
    assertEquals(List.of(-2, -1, 1, 2, 3), site.floors().stream().map(Floor::level).toList());
  }

  @Test
  void theZonesCoverEveryKindWhereTheyBelong() {
    assertTrue(site.zones().size() >= 60, "zones: " + site.zones().size());
    assertEquals(EnumSet.allOf(Zone.Kind.class), site.zones().stream().map(Zone::kind).collect(Collectors.toSet()));
    assertTrue(site.zones().stream().map(Zone::category).collect(Collectors.toSet()).containsAll(EnumSet.of(
        Zone.Category.FASHION, Zone.Category.FOOD, Zone.Category.ELECTRONICS, Zone.Category.CINEMA,
        Zone.Category.SUPERMARKET, Zone.Category.SERVICES)));
    assertEquals(List.of("L1", "L2", "L3"), floorsOf(Zone.Kind.ATRIUM));
    assertEquals(List.of("L3"), floorsOf(Zone.Kind.FOOD_COURT));
    assertEquals(List.of("L1"), floorsOf(Zone.Kind.ENTRANCE));
    assertEquals(List.of("B1", "B2"), floorsOf(Zone.Kind.CAR_PARK_LEVEL));
    for (Zone z : site.zones()) {
      if (z.kind() == Zone.Kind.SHOP && z.category() == Zone.Category.SUPERMARKET) {
        assertTrue(z.area() >= 2_500 && z.area() <= 3_500, z.toString());
      } else if (z.kind() == Zone.Kind.SHOP) {
        assertTrue(z.area() >= 40 && z.area() <= 1_500, z.toString());
      } else if (z.kind() == Zone.Kind.CAR_PARK_LEVEL) {
        assertTrue(z.area() >= 12_000 && z.area() <= 18_000, z.toString());
      }
    }
  }

  @Test
  void linksHavePlausibleWidths() {
    for (Link l : site.links()) {
      boolean shopDoor = l.kind() == Link.Kind.DOOR && site.zone(l.to()).orElseThrow().kind() == Zone.Kind.SHOP;
      if (shopDoor) assertTrue(l.width() >= 2 && l.width() <= 4, l.toString());
      if (l.kind() == Link.Kind.CORRIDOR) assertTrue(l.width() >= 4 && l.width() <= 8, l.toString());
      if (l.kind() == Link.Kind.STAIRS) assertTrue(l.width() >= 1.6 && l.width() <= 2.4, l.toString());
    }
    assertEquals(EnumSet.allOf(Link.Kind.class), site.links().stream().map(Link::kind).collect(Collectors.toSet()));
    assertEquals(10, site.exits().size());
  }

  @Test
  void twoCarParksHold2000BaysWithTheirShareOfEachKind() {
    assertEquals(List.of("P-north", "P-south"), site.carParks().stream().map(CarPark::id).toList());
    for (CarPark p : site.carParks()) {
      assertEquals(List.of("B1", "B2"), p.levels().stream().map(CarParkLevel::floor).toList());
      p.levels().forEach(l -> assertEquals(500, l.bays().size(), l.id()));
    }
    List<Bay> bays = site.carParks().stream().flatMap(p -> p.levels().stream()).flatMap(l -> l.bays().stream()).toList();
    assertEquals(2_000, bays.size());
    Map<Bay.Kind, Long> kinds = bays.stream().collect(Collectors.groupingBy(Bay::kind, Collectors.counting()));
    assertEquals(40, kinds.get(Bay.Kind.ACCESSIBLE));
    assertEquals(160, kinds.get(Bay.Kind.EV));
    assertEquals(100, kinds.get(Bay.Kind.FAMILY));
    assertEquals(200, bays.stream().filter(Bay::shared).count());
    assertEquals("PN-B1-0001", bays.get(0).id());
  }

  @Test
  void bayDistancesGrowAlongTheGrid() {
    List<Bay> level = site.carPark("P-north").orElseThrow().levels().get(0).bays();
    assertTrue(level.get(0).toEntrance() < level.get(24).toEntrance());
    assertTrue(level.get(24).toEntrance() < level.get(499).toEntrance());
    Bay onB2 = site.bay("PN-B2-0001").orElseThrow().bay();
    assertTrue(onB2.toEntrance() > level.get(0).toEntrance(), "B2 is further from the entrance than B1");
    double nearestAccessible = level.stream().filter(b -> b.kind() == Bay.Kind.ACCESSIBLE).mapToDouble(Bay::toLift).max().orElseThrow();
    double nearestStandard = level.stream().filter(b -> b.kind() == Bay.Kind.STANDARD).mapToDouble(Bay::toLift).min().orElseThrow();
    assertTrue(nearestAccessible <= nearestStandard, "accessible bays are nearest the lift");
  }

  @Test
  void hvacZonesServeTheRetailZonesOnTheirFloor() {
    List<HvacZone> hvac = site.devices().hvacZones();
    assertEquals(120, hvac.size());
    assertTrue(hvac.stream().anyMatch(h -> h.serves().size() > 1), "some HVAC zones serve several zones");
    for (String floor : List.of("L1", "L2", "L3")) {
      double served = hvac.stream().filter(h -> h.floor().equals(floor)).mapToDouble(HvacZone::floorArea).sum();
      double zones = site.zones().stream().filter(z -> z.floor().equals(floor)).filter(z -> z.kind() != Zone.Kind.STAIRS
          && z.kind() != Zone.Kind.PLANT_ROOM).mapToDouble(Zone::area).sum();
      assertEquals(zones, served, zones * 0.02, floor);
    }
    assertTrue(hvac.stream().allMatch(h -> h.id().matches("AHU-L[123]-\\d\\d")));
  }

  @Test
  void camerasCountAtEntrancesAndBordersAndReadPlatesAtEachGate() {
    List<Camera> cameras = site.devices().cameras();
    assertEquals(200, cameras.size());
    assertEquals("CAM-0001", cameras.get(0).id());
    assertEquals("CAM-0200", cameras.get(199).id());
    Map<Camera.Mode, Long> modes = cameras.stream().collect(Collectors.groupingBy(Camera::mode, Collectors.counting()));
    assertEquals(4, modes.get(Camera.Mode.PLATE_GATE));
    assertEquals(List.of("P-north entry", "P-north exit", "P-south entry", "P-south exit"), cameras.stream()
        .filter(c -> c.mode() == Camera.Mode.PLATE_GATE).map(c -> c.carPark() + " " + c.direction()).sorted().toList());
    assertTrue(cameras.stream().anyMatch(c -> c.mode() == Camera.Mode.LINE && c.from().startsWith("ENT-")));
    for (Zone.Kind kind : List.of(Zone.Kind.ATRIUM, Zone.Kind.FOOD_COURT, Zone.Kind.CORRIDOR)) {
      assertTrue(cameras.stream().anyMatch(c -> c.mode() == Camera.Mode.HEADCOUNT
          && site.zone(c.zone()).orElseThrow().kind() == kind), "headcount in a " + kind);
    }
  }

  @Test
  void shelfLabelsGoMostlyToTheSupermarketAndElectronics() {
    assertEquals(20_000, site.shelfLabelCount());
    Map<Zone.Category, Integer> byCategory = site.devices().shelfLabelGroups().stream().collect(Collectors.groupingBy(
        g -> site.zone(g.zone()).orElseThrow().category(), Collectors.summingInt(ShelfLabelGroup::count)));
    int bigTwo = byCategory.get(Zone.Category.SUPERMARKET) + byCategory.get(Zone.Category.ELECTRONICS);
    assertTrue(bigTwo > 10_000, byCategory.toString());
    assertTrue(site.hasShelfLabel(site.devices().shelfLabelGroups().get(0).labelId(1)));
  }

  @Test
  void kiosksAndCouriersAreThere() {
    assertEquals(40, site.devices().kiosks().size());
    assertEquals("KIOSK-01", site.devices().kiosks().get(0).id());
    CourierFleet fleet = site.devices().courierFleet();
    assertEquals(150, fleet.count());
    assertTrue(site.hasCourier(fleet.courierId(150)));
    assertEquals(Zone.Kind.SHOP, site.zone(fleet.hubZone()).orElseThrow().kind());
  }

  private static List<String> floorsOf(Zone.Kind kind) {
    return site.zones().stream().filter(z -> z.kind() == kind).map(Zone::floor).distinct().sorted().toList();
  }
}
