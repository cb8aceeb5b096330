package atrium.api.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.SimulatedClock;
import atrium.core.history.TelemetryHistory;
import atrium.core.history.TelemetryPoint;
import atrium.core.site.Bay;
import atrium.core.site.Camera;
import atrium.core.site.CarPark;
import atrium.core.site.CarParkLevel;
import atrium.core.site.Devices;
import atrium.core.site.Floor;
import atrium.core.site.HvacZone;
import atrium.core.site.LocalizedName;
import atrium.core.site.Point;
import atrium.core.site.Site;
import atrium.core.site.Zone;
import atrium.core.testkit.TestTwins;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReportsTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Instant FROM = Instant.parse("2026-12-24T01:00:00Z"); // 09:00 in Shanghai
  private static final Instant TO = FROM.plus(Duration.ofHours(2));
  private static final Duration HOUR = Duration.ofHours(1);
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  private static final Site SITE = new Site("mall", new LocalizedName("测试商场", "Test mall"), "Asia/Shanghai",
      List.of(new Floor("L1", 1, new LocalizedName("一层", "L1"), 0), new Floor("B1", -1, new LocalizedName("地下一层", "B1"), -4)),
      List.of(
          zone("C-L1", Zone.Kind.CORRIDOR, null, "一层走廊", "L1 corridor"),
          zone("S-1", Zone.Kind.SHOP, Zone.Category.FASHION, "鞋包店", "Shoes, Bags"),
          zone("S-2", Zone.Kind.SHOP, Zone.Category.FASHION, "时装店", "Fashion"),
          zone("S-3", Zone.Kind.SHOP, Zone.Category.FOOD, "面包房", "Bakery"),
          new Zone("PB1", "B1", Zone.Kind.CAR_PARK_LEVEL, 900, new LocalizedName("停车层", "Car park"), null, new Point(0, 0), null)),
      List.of(), List.of(),
      List.of(new CarPark("P1", new LocalizedName("停车场", "Car park"), "PB1", null, List.of(new CarParkLevel("P1-B1", "B1", "PB1",
          List.of(bay("B-1"), bay("B-2"), bay("B-3")))))),
      new Devices(
          List.of(Camera.line("CAM-1", "S-1", "C-L1", "S-1"), Camera.line("CAM-2", "S-2", "C-L1", "S-2"),
              Camera.line("CAM-3", "S-3", "C-L1", "S-3"), Camera.headcount("CAM-H", "S-1")),
          List.of(new HvacZone("AHU-1", "L1", List.of("C-L1", "S-1"), 100.0)), List.of(), List.of(), null));

  private TelemetryHistory history;
  private Reports reports;

  @BeforeEach
  void recordTelemetry() throws Exception {
    history = TestTwins.memoryHistory(testKit.system(), new SimulatedClock(FROM));
    reports = new Reports(history);
    crossing("CAM-1", "01:10", 5, 1);
    crossing("CAM-1", "01:50", 3, 0);
    crossing("CAM-1", "02:15", 2, 4);
    crossing("CAM-2", "01:20", 4, 2);
    crossing("CAM-3", "02:30", 7, 1);
    crossing("CAM-3", "03:00", 100, 100); // at `to`: outside the range
    record(AssetKind.ZONE, "S-1", "01:15", "occupancy", 4);
    record(AssetKind.ZONE, "S-1", "01:55", "occupancy", 7);
    record(AssetKind.ZONE, "S-1", "02:20", "occupancy", 5);
    record(AssetKind.PARKING_BAY, "B-1", "00:30", "occupied", 1);
    record(AssetKind.PARKING_BAY, "B-1", "01:40", "occupied", 0);
    record(AssetKind.PARKING_BAY, "B-2", "00:50", "occupied", 0);
    record(AssetKind.PARKING_BAY, "B-2", "01:20", "occupied", 1);
    record(AssetKind.PARKING_BAY, "B-2", "01:25", "occupied", 1);
    record(AssetKind.PARKING_BAY, "B-3", "02:10", "occupied", 1);
    record(AssetKind.HVAC_ZONE, "AHU-1", "00:30", "energy", 100.0);
    record(AssetKind.HVAC_ZONE, "AHU-1", "01:30", "energy", 102.5);
    record(AssetKind.HVAC_ZONE, "AHU-1", "01:59", "energy", 103.0);
    record(AssetKind.HVAC_ZONE, "AHU-1", "02:30", "energy", 104.25);
    record(AssetKind.HVAC_ZONE, "AHU-1", "01:30", "power", 10);
    record(AssetKind.HVAC_ZONE, "AHU-1", "01:59", "power", 14);
    record(AssetKind.HVAC_ZONE, "AHU-1", "02:30", "power", 5);
    history.flush().toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() {
    history.close();
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void footfallByZoneSumsTheLineCamerasIntoEachZoneAndTakesThePeakHeadcount() throws Exception {
    assertEquals(String.join("\r\n",
        "slot_start,slot_end,zone,name_zh,name_en,floor,zone_kind,category,entries,exits,peak_occupancy",
        "2026-12-24T09:00:00,2026-12-24T10:00:00,C-L1,一层走廊,L1 corridor,L1,corridor,,3,12,",
        "2026-12-24T09:00:00,2026-12-24T10:00:00,S-1,鞋包店,\"Shoes, Bags\",L1,shop,fashion,8,1,7",
        "2026-12-24T09:00:00,2026-12-24T10:00:00,S-2,时装店,Fashion,L1,shop,fashion,4,2,",
        "2026-12-24T09:00:00,2026-12-24T10:00:00,S-3,面包房,Bakery,L1,shop,food,0,0,",
        "2026-12-24T10:00:00,2026-12-24T11:00:00,C-L1,一层走廊,L1 corridor,L1,corridor,,5,9,",
        "2026-12-24T10:00:00,2026-12-24T11:00:00,S-1,鞋包店,\"Shoes, Bags\",L1,shop,fashion,2,4,5",
        "2026-12-24T10:00:00,2026-12-24T11:00:00,S-2,时装店,Fashion,L1,shop,fashion,0,0,",
        "2026-12-24T10:00:00,2026-12-24T11:00:00,S-3,面包房,Bakery,L1,shop,food,7,1,", ""),
        csv(ReportKind.FOOTFALL_BY_ZONE));
  }

  @Test
  void footfallByCategoryAddsUpTheShopsOfEachMerchantCategory() throws Exception {
    assertEquals(String.join("\r\n",
        "slot_start,slot_end,category,shops,entries,exits",
        "2026-12-24T09:00:00,2026-12-24T10:00:00,fashion,2,12,3",
        "2026-12-24T09:00:00,2026-12-24T10:00:00,food,1,0,0",
        "2026-12-24T10:00:00,2026-12-24T11:00:00,fashion,2,2,4",
        "2026-12-24T10:00:00,2026-12-24T11:00:00,food,1,7,1", ""),
        csv(ReportKind.FOOTFALL_BY_CATEGORY));
  }

  @Test
  void carParkOccupancyReplaysEachBaysReadingsIncludingTheStateBeforeTheRange() throws Exception {
    assertEquals(String.join("\r\n",
        "slot_start,slot_end,car_park,level,floor,capacity,bays_reporting,occupied_at_end,arrivals,departures",
        "2026-12-24T09:00:00,2026-12-24T10:00:00,P1,P1-B1,B1,3,2,1,1,1",
        "2026-12-24T10:00:00,2026-12-24T11:00:00,P1,P1-B1,B1,3,3,2,0,0", ""),
        csv(ReportKind.CAR_PARK_OCCUPANCY));
  }

  @Test
  void hvacEnergyIsTheMetersAdvanceFromTheLastReadingBeforeEachSlot() throws Exception {
    assertEquals(String.join("\r\n",
        "slot_start,slot_end,hvac_zone,floor,floor_area_m2,energy_kwh,kwh_per_m2,mean_power_kw",
        "2026-12-24T09:00:00,2026-12-24T10:00:00,AHU-1,L1,100,3,0.03,12",
        "2026-12-24T10:00:00,2026-12-24T11:00:00,AHU-1,L1,100,1.25,0.0125,5", ""),
        csv(ReportKind.HVAC_ENERGY));
  }

  @Test
  void aShorterLastSlotEndsAtTo() throws Exception {
    String csv = reports.csv(ReportKind.HVAC_ENERGY, SITE, FROM, FROM.plus(Duration.ofMinutes(90)), HOUR, SHANGHAI)
        .toCompletableFuture().get(15, TimeUnit.SECONDS);
    assertTrue(csv.contains("\r\n2026-12-24T10:00:00,2026-12-24T10:30:00,AHU-1,"), csv);
  }

  @Test
  void chineseNamesSurviveUtf8AndTheExcelBomIsOptional() throws Exception {
    String csv = csv(ReportKind.FOOTFALL_BY_ZONE);
    byte[] utf8 = Reports.withExcelBom(csv).getBytes(StandardCharsets.UTF_8);
    assertEquals(List.of((byte) 0xEF, (byte) 0xBB, (byte) 0xBF), List.of(utf8[0], utf8[1], utf8[2]));
    String back = new String(utf8, 3, utf8.length - 3, StandardCharsets.UTF_8);
    assertTrue(back.contains("鞋包店"), back);
    assertEquals(csv, back);
  }

  @Test
  void badArgumentsAreRefusedNamingTheParameter() {
    assertRefused("to", FROM, FROM, HOUR, SHANGHAI);
    assertRefused("to", TO, FROM, HOUR, SHANGHAI);
    assertRefused("to", FROM, FROM.plus(Duration.ofDays(32)), HOUR, SHANGHAI);
    assertRefused("slot", FROM, TO, Duration.ofSeconds(30), SHANGHAI);
    assertRefused("slot", FROM, TO, Duration.ofDays(2), SHANGHAI);
    assertRefused("slot", FROM, FROM.plus(Duration.ofDays(31)), Duration.ofMinutes(1), SHANGHAI); // 178,560 rows
    assertRefused("tz", FROM, TO, HOUR, null);
    assertRefused("from", null, TO, HOUR, SHANGHAI);
    assertRefused("slot", FROM, TO, null, SHANGHAI);
  }

  @Test
  void thirtyOneDaysOfHourlySlotsAreWithinTheLimits() throws Exception {
    String csv = reports.csv(ReportKind.FOOTFALL_BY_CATEGORY, SITE, FROM, FROM.plus(Duration.ofDays(31)), HOUR, SHANGHAI)
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(1 + 31 * 24 * 2, csv.split("\r\n").length);
  }

  private void assertRefused(String parameter, Instant from, Instant to, Duration slot, ZoneId tz) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> reports.csv(ReportKind.FOOTFALL_BY_ZONE, SITE, from, to, slot, tz));
    assertTrue(e.getMessage().startsWith(parameter + ": "), e.getMessage());
  }

  private String csv(ReportKind kind) throws Exception {
    return reports.csv(kind, SITE, FROM, TO, HOUR, SHANGHAI).toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  private void crossing(String camera, String hhmm, int in, int out) {
    record(AssetKind.CAMERA, camera, hhmm, "in", in);
    record(AssetKind.CAMERA, camera, hhmm, "out", out);
  }

  private void record(AssetKind kind, String id, String hhmm, String name, double value) {
    Instant at = Instant.parse("2026-12-24T" + hhmm + ":00Z");
    assertTrue(history.record(TelemetryPoint.of(AssetId.of("mall", kind, id), at, name, value)));
  }

  private static Zone zone(String id, Zone.Kind kind, Zone.Category category, String zh, String en) {
    return new Zone(id, "L1", kind, 200, new LocalizedName(zh, en), category, new Point(0, 0), null);
  }

  private static Bay bay(String id) {
    return new Bay(id, Bay.Kind.STANDARD, false, 10, 5);
  }
}
