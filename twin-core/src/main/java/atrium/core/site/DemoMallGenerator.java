package atrium.core.site;

import atrium.core.site.Zone.Category;
import atrium.core.site.Zone.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Builds the demo mall {@code demo-mall} (checked in as {@code sites/demo-mall.json}): three retail
 * floors L1–L3 around a central atrium, two parking levels B1–B2 holding the car parks P-north and
 * P-south (2,000 bays), and the devices of a large mall. Every choice comes from one fixed seed, so
 * the output is the same on every run; a test keeps the checked-in file equal to it.
 *
 * <p>Retail floor plan (metres): shops in a north band (y below 40) and a south band (y above 100),
 * corridors around an atrium at (70..130, 54..86), lifts north-west and south-east, stairs west and
 * east.
 */
public final class DemoMallGenerator {
  public static final String SITE_ID = "demo-mall";
  static final int BAYS_PER_LEVEL = 500;
  static final int CAMERAS = 200;
  static final int HVAC_ZONES_PER_FLOOR = 40;
  static final int SHELF_LABELS = 20_000;
  static final int KIOSKS = 40;
  static final int COURIERS = 150;

  private static final long SEED = 20_260_501L;
  private static final List<String> RETAIL = List.of("L1", "L2", "L3");
  private static final List<String> PARKING = List.of("B1", "B2");
  private static final Map<String, String> FLOOR_ZH =
      Map.of("B2", "地下二层", "B1", "地下一层", "L1", "一层", "L2", "二层", "L3", "三层");
  private static final double BAND_START = 10;
  private static final double BAND_END = 190;

  private final SplittableRandom random = new SplittableRandom(SEED);
  private final List<Floor> floors = new ArrayList<>();
  private final List<Zone> zones = new ArrayList<>();
  private final List<Link> links = new ArrayList<>();
  private final Map<Category, Integer> namesUsed = new EnumMap<>(Category.class);

  private DemoMallGenerator() {}

  /** Writes the demo mall to the file given as the only argument. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: DemoMallGenerator <output.json>");
      System.exit(2);
    }
    Site site = generate();
    String json = SiteJson.write(site);
    SiteLoader.parse(json.getBytes(StandardCharsets.UTF_8)); // the same checks as any site file
    Path out = Path.of(args[0]).toAbsolutePath().normalize();
    Files.writeString(out, json, StandardCharsets.UTF_8);
    System.out.println("wrote " + out + ": " + site);
  }

  public static Site generate() {
    return new DemoMallGenerator().site();
  }

  private Site site() {
    floor("B2", -2, "Basement 2", -9.0);
    floor("B1", -1, "Basement 1", -4.5);
    floor("L1", 1, "Level 1", 0.0);
    floor("L2", 2, "Level 2", 5.5);
    floor("L3", 3, "Level 3", 11.0);
    RETAIL.forEach(this::retailFloor);
    PARKING.forEach(this::parkingFloor);
    verticalLinks();
    List<CarPark> carParks = List.of(
        carPark("P-north", "PN", "CP-N", "北区停车场", "North Car Park", new Point(45, 51)),
        carPark("P-south", "PS", "CP-S", "南区停车场", "South Car Park", new Point(155, 89)));
    escalatorBanks();
    String hub = zones.stream().filter(z -> z.name().en().equals("Courier Station")).findFirst().orElseThrow().id();
    Devices devices = new Devices(cameras(carParks), hvacZones(), shelfLabelGroups(), kiosks(),
        new CourierFleet("COURIER", COURIERS, hub));
    return new Site(SITE_ID, new LocalizedName("万象汇 demo", "Atrium Demo Mall"), "Asia/Shanghai",
        floors, zones, links, exits(), carParks, devices);
  }

  // --- floors and zones

  private void floor(String id, int level, String en, double elevation) {
    floors.add(new Floor(id, level, new LocalizedName(FLOOR_ZH.get(id), en), elevation));
  }

  private void retailFloor(String f) {
    String zh = FLOOR_ZH.get(f);
    Zone north = rectZone("C-" + f + "-N", f, Kind.CORRIDOR, zh + "北走廊", f + " North Corridor", 20, 40, 180, 48);
    Zone west = rectZone("C-" + f + "-W", f, Kind.CORRIDOR, zh + "西走廊", f + " West Corridor", 20, 48, 28, 92);
    Zone east = rectZone("C-" + f + "-E", f, Kind.CORRIDOR, zh + "东走廊", f + " East Corridor", 172, 48, 180, 92);
    Zone south = rectZone("C-" + f + "-S", f, Kind.CORRIDOR, zh + "南走廊", f + " South Corridor", 20, 92, 180, 100);
    corridorLink(north, west, 8.0);
    corridorLink(west, south, 8.0);
    corridorLink(south, east, 8.0);
    corridorLink(east, north, 8.0);
    // the atrium is open through all three floors: the full floor on L1, a gallery round the void above
    Zone atrium = f.equals("L1")
        ? rectZone("ATR-L1", f, Kind.ATRIUM, "一层中庭", "L1 Atrium", 70, 54, 130, 86)
        : zone("ATR-" + f, f, Kind.ATRIUM, 960, zh + "中庭回廊", f + " Atrium Gallery", null, new Point(100, 70), null);
    corridorLink(atrium, north, between(6, 8));
    corridorLink(atrium, south, between(6, 8));
    door(zone("LL-" + f + "-N", f, Kind.LIFT_LOBBY, 60, zh + "北电梯厅", f + " North Lift Lobby", null, new Point(45, 51), null), north, 3.0);
    door(zone("LL-" + f + "-S", f, Kind.LIFT_LOBBY, 60, zh + "南电梯厅", f + " South Lift Lobby", null, new Point(155, 89), null), south, 3.0);
    door(zone("ST-" + f + "-W", f, Kind.STAIRS, 64, zh + "西楼梯", f + " West Stairs", null, new Point(14, 56), null), west, 1.8);
    door(zone("ST-" + f + "-E", f, Kind.STAIRS, 64, zh + "东楼梯", f + " East Stairs", null, new Point(186, 84), null), east, 1.8);
    if (f.equals("L1")) {
      door(zone("ENT-W", f, Kind.ENTRANCE, 150, "西门", "West Entrance", null, new Point(10, 74), null), west, 6.0);
      door(zone("ENT-E", f, Kind.ENTRANCE, 150, "东门", "East Entrance", null, new Point(190, 62), null), east, 6.0);
    }
    if (f.equals("L3")) {
      door(zone("PR-L3", f, Kind.PLANT_ROOM, 300, "三层空调机房", "L3 Plant Room", null, new Point(190, 30), null), north, 1.5);
    }
    shops(f, north, south);
  }

  /** Shops along the north and south bands, anchors first, then the rest in a seeded order. */
  private void shops(String f, Zone northCorridor, Zone southCorridor) {
    Band north = new Band(f, northCorridor, true);
    Band south = new Band(f, southCorridor, false);
    List<Category> plan = new ArrayList<>();
    switch (f) {
      case "L1" -> {
        north.shop(Category.SUPERMARKET, between(2900, 3100));
        add(plan, Category.FASHION, 6, Category.BEAUTY, 4, Category.JEWELLERY, 3, Category.FOOD, 3,
            Category.SERVICES, 3, Category.ELECTRONICS, 2);
      }
      case "L2" -> add(plan, Category.FASHION, 8, Category.SPORTS, 4, Category.KIDS, 3, Category.ELECTRONICS, 3,
          Category.HOMEWARE, 3, Category.BEAUTY, 2, Category.SERVICES, 2, Category.FOOD, 2, Category.BOOKS, 1);
      default -> {
        north.shop(Category.CINEMA, between(1400, 1500));
        south.place("FC-L3", Kind.FOOD_COURT, 2000, new LocalizedName("美食广场", "Food Court"), null, Link.Kind.CORRIDOR, 8.0);
        add(plan, Category.FOOD, 10, Category.ENTERTAINMENT, 2, Category.ELECTRONICS, 2, Category.KIDS, 1,
            Category.HOMEWARE, 1, Category.BOOKS, 1);
      }
    }
    shuffle(plan); // the first services shop made, on L1, is the courier station (see NAMES)
    for (int i = 0; i < plan.size(); i++) {
      if (f.equals("L1") && i == plan.size() / 2) {
        north.place("ENT-N", Kind.ENTRANCE, 200, new LocalizedName("北门", "North Entrance"), null, Link.Kind.DOOR, 6.0);
        south.place("ENT-S", Kind.ENTRANCE, 200, new LocalizedName("南门", "South Entrance"), null, Link.Kind.DOOR, 6.0);
      }
      Category c = plan.get(i);
      double[] range = areaRange(c);
      (north.x <= south.x ? north : south).shop(c, between(range[0], range[1]));
    }
  }

  /** One side of a floor where shops line up along a corridor, filled from west to east. */
  private final class Band {
    final String floor;
    final Zone corridor;
    final boolean north;
    double x = BAND_START;

    Band(String floor, Zone corridor, boolean north) {
      this.floor = floor;
      this.corridor = corridor;
      this.north = north;
    }

    void shop(Category category, double area) {
      String id = String.format(Locale.ROOT, "S-%s-%02d", floor, zones.stream().filter(z -> z.kind() == Kind.SHOP && z.floor().equals(floor)).count() + 1);
      double doorWidth = area > 1000 ? 4.0 : between(2, 4);
      place(id, Kind.SHOP, Math.rint(area), shopName(category), category, Link.Kind.DOOR, doorWidth);
    }

    void place(String id, Kind kind, double area, LocalizedName name, Category category, Link.Kind linkKind, double width) {
      double depth = Math.min(40, Math.max(10, Math.sqrt(area) * 1.6));
      double length = area / depth;
      if (x + length > BAND_END) throw new IllegalStateException("the " + (north ? "north" : "south") + " band of " + floor + " is full at " + id);
      double y0 = north ? 40 - depth : 100;
      Zone z = rectZone(id, floor, kind, area, name, category, x, y0, x + length, y0 + depth);
      links.add(new Link(corridor.id(), z.id(), linkKind, width, 0));
      x += length;
    }
  }

  private void parkingFloor(String f) {
    String zh = FLOOR_ZH.get(f);
    Zone north = rectZone("CP-N-" + f, f, Kind.CAR_PARK_LEVEL, 15_000, new LocalizedName("北区停车场" + zh, "North Car Park " + f),
        null, 0, 0, 200, 75);
    Zone south = rectZone("CP-S-" + f, f, Kind.CAR_PARK_LEVEL, 15_000, new LocalizedName("南区停车场" + zh, "South Car Park " + f),
        null, 0, 75, 200, 150);
    links.add(new Link(north.id(), south.id(), Link.Kind.CORRIDOR, 7.0, 75.0));
    door(zone("LL-" + f + "-N", f, Kind.LIFT_LOBBY, 60, zh + "北电梯厅", f + " North Lift Lobby", null, new Point(45, 51), null), north, 2.0);
    door(zone("LL-" + f + "-S", f, Kind.LIFT_LOBBY, 60, zh + "南电梯厅", f + " South Lift Lobby", null, new Point(155, 89), null), south, 2.0);
    door(zone("ST-" + f + "-W", f, Kind.STAIRS, 64, zh + "西楼梯", f + " West Stairs", null, new Point(14, 56), null), north, 1.8);
    door(zone("ST-" + f + "-E", f, Kind.STAIRS, 64, zh + "东楼梯", f + " East Stairs", null, new Point(186, 84), null), south, 1.8);
    if (f.equals("B1")) {
      door(zone("PR-B1", f, Kind.PLANT_ROOM, 400, "地下一层设备机房", "B1 Plant Room", null, new Point(100, 65), null), north, 1.5);
    } else {
      links.add(new Link("CP-N-B1", north.id(), Link.Kind.RAMP, 7.0, 45.0));
      links.add(new Link("CP-S-B1", south.id(), Link.Kind.RAMP, 7.0, 45.0));
    }
  }

  /** Lifts and stairs from B2 to L3, escalators through the atrium. */
  private void verticalLinks() {
    List<String> all = List.of("B2", "B1", "L1", "L2", "L3");
    for (int i = 1; i < all.size(); i++) {
      String below = all.get(i - 1);
      String above = all.get(i);
      double rise = elevation(above) - elevation(below);
      links.add(new Link("LL-" + below + "-N", "LL-" + above + "-N", Link.Kind.LIFT, 1.4, rise));
      links.add(new Link("LL-" + below + "-S", "LL-" + above + "-S", Link.Kind.LIFT, 1.4, rise));
      links.add(new Link("ST-" + below + "-W", "ST-" + above + "-W", Link.Kind.STAIRS, between(1.6, 2.4), round(2 * rise)));
      links.add(new Link("ST-" + below + "-E", "ST-" + above + "-E", Link.Kind.STAIRS, between(1.6, 2.4), round(2 * rise)));
      if (RETAIL.contains(below)) {
        links.add(new Link("ATR-" + below, "ATR-" + above, Link.Kind.ESCALATOR, 1.0, round(2 * rise)));
      }
    }
  }

  /**
   * Escalator banks as a mall has them: besides the atrium's escalator, a bank (an up and a down
   * escalator side by side, one 2 m link) at the north and the south corridors between retail floors.
   * With only the atrium's escalator and two stairwells, a holiday crowd queued for hours to change
   * floors (the crowd model's run of the demo mall). Added last, so the other links and cameras keep
   * their order.
   */
  private void escalatorBanks() {
    for (int i = 1; i < RETAIL.size(); i++) {
      String below = RETAIL.get(i - 1);
      String above = RETAIL.get(i);
      double run = round(2 * (elevation(above) - elevation(below)));
      for (String side : List.of("N", "S")) {
        links.add(new Link("C-" + below + "-" + side, "C-" + above + "-" + side, Link.Kind.ESCALATOR, 2.0, run));
      }
    }
  }

  private List<Exit> exits() {
    String supermarket = zones.stream().filter(z -> z.category() == Category.SUPERMARKET).findFirst().orElseThrow().id();
    List<Exit> exits = new ArrayList<>();
    exit(exits, "ENT-N", 6.0, "北门", "North Entrance");
    exit(exits, "ENT-S", 6.0, "南门", "South Entrance");
    exit(exits, "ENT-E", 4.8, "东门", "East Entrance");
    exit(exits, "ENT-W", 4.8, "西门", "West Entrance");
    exit(exits, "ST-L1-W", 2.4, "西楼梯直通室外", "West Stairs to Street");
    exit(exits, "ST-L1-E", 2.4, "东楼梯直通室外", "East Stairs to Street");
    exit(exits, supermarket, 2.0, "超市消防出口", "Supermarket Fire Exit");
    exit(exits, "C-L1-S", 2.0, "南走廊侧门", "South Corridor Side Door");
    exit(exits, "CP-N-B1", 1.8, "北区车库人行出口", "North Car Park Pedestrian Exit");
    exit(exits, "CP-S-B1", 1.8, "南区车库人行出口", "South Car Park Pedestrian Exit");
    return exits;
  }

  private static void exit(List<Exit> exits, String zone, double width, String zh, String en) {
    exits.add(new Exit(String.format(Locale.ROOT, "EXIT-%02d", exits.size() + 1), zone, width, new LocalizedName(zh, en)));
  }

  // --- car parks

  private CarPark carPark(String id, String code, String zonePrefix, String zh, String en, Point lift) {
    List<CarParkLevel> levels = new ArrayList<>();
    for (String f : PARKING) {
      double fromEntrance = f.equals("B1") ? 0 : 45; // B2 is down the ramp
      levels.add(new CarParkLevel(code + "-" + f, f, zonePrefix + "-" + f, bays(code + "-" + f, fromEntrance)));
    }
    return new CarPark(id, new LocalizedName(zh, en), zonePrefix + "-B1", CarPark.DEFAULT_OVERFLOW_FILL, levels);
  }

  /**
   * 500 bays on a grid of 20 rows by 25, entered at the grid's corner, the lift in its middle. The
   * bays nearest the lift are accessible (2 %) and family (5 %) bays, 8 % at the back have chargers,
   * and a random 10 % (not accessible ones) are shared.
   */
  private List<Bay> bays(String prefix, double fromEntrance) {
    int rows = 20;
    int columns = BAYS_PER_LEVEL / rows;
    double[] toEntrance = new double[BAYS_PER_LEVEL];
    double[] toLift = new double[BAYS_PER_LEVEL];
    for (int i = 0; i < BAYS_PER_LEVEL; i++) {
      double x = 1.25 + 2.5 * (i % columns);
      double y = 4 + 8 * (i / columns);
      toEntrance[i] = round(fromEntrance + x + y);
      toLift[i] = round(Math.abs(x - 31.25) + Math.abs(y - 80));
    }
    Bay.Kind[] kinds = new Bay.Kind[BAYS_PER_LEVEL];
    Arrays.fill(kinds, Bay.Kind.STANDARD);
    List<Integer> nearLift = IntStream.range(0, BAYS_PER_LEVEL).boxed()
        .sorted(Comparator.<Integer>comparingDouble(i -> toLift[i]).thenComparing(i -> i)).toList();
    int accessible = BAYS_PER_LEVEL * 2 / 100;
    int family = BAYS_PER_LEVEL * 5 / 100;
    nearLift.subList(0, accessible).forEach(i -> kinds[i] = Bay.Kind.ACCESSIBLE);
    nearLift.subList(accessible, accessible + family).forEach(i -> kinds[i] = Bay.Kind.FAMILY);
    List<Integer> back = new ArrayList<>(IntStream.range(BAYS_PER_LEVEL - 4 * columns, BAYS_PER_LEVEL)
        .filter(i -> kinds[i] == Bay.Kind.STANDARD).boxed().toList());
    shuffle(back);
    back.subList(0, BAYS_PER_LEVEL * 8 / 100).forEach(i -> kinds[i] = Bay.Kind.EV);
    List<Integer> shareable = new ArrayList<>(IntStream.range(0, BAYS_PER_LEVEL)
        .filter(i -> kinds[i] != Bay.Kind.ACCESSIBLE).boxed().toList());
    shuffle(shareable);
    boolean[] shared = new boolean[BAYS_PER_LEVEL];
    shareable.subList(0, BAYS_PER_LEVEL / 10).forEach(i -> shared[i] = true);
    List<Bay> bays = new ArrayList<>();
    for (int i = 0; i < BAYS_PER_LEVEL; i++) {
      bays.add(new Bay(String.format(Locale.ROOT, "%s-%04d", prefix, i + 1), kinds[i], shared[i], toEntrance[i], toLift[i]));
    }
    return bays;
  }

  // --- devices

  /**
   * Plate readers at each car park's entry and exit; line cameras at the entrances, every shop door,
   * the atrium's sides, the escalators, the food court and the car-park lift lobbies; headcount
   * cameras in the busy open zones, going round them until there are {@value #CAMERAS}.
   */
  private List<Camera> cameras(List<CarPark> carParks) {
    List<Camera> cameras = new ArrayList<>();
    for (CarPark p : carParks) {
      cameras.add(Camera.plateGate(cameraId(cameras), p.entranceZone(), p.id(), Camera.Direction.ENTRY));
      cameras.add(Camera.plateGate(cameraId(cameras), p.entranceZone(), p.id(), Camera.Direction.EXIT));
    }
    for (String side : List.of("N", "S", "E", "W")) {
      for (int i = 0; i < 2; i++) cameras.add(Camera.line(cameraId(cameras), "ENT-" + side, "ENT-" + side, "C-L1-" + side));
    }
    for (Link l : links) {
      Zone to = zone(l.to());
      boolean shopDoor = to.kind() == Kind.SHOP || to.kind() == Kind.FOOD_COURT;
      boolean atriumSide = zone(l.from()).kind() == Kind.ATRIUM && to.kind() == Kind.CORRIDOR;
      boolean escalator = l.kind() == Link.Kind.ESCALATOR;
      boolean parkingLift = to.kind() == Kind.CAR_PARK_LEVEL && zone(l.from()).kind() == Kind.LIFT_LOBBY;
      if (shopDoor) cameras.add(Camera.line(cameraId(cameras), l.to(), l.from(), l.to()));
      if (atriumSide) cameras.add(Camera.line(cameraId(cameras), l.to(), l.to(), l.from()));
      if (escalator) cameras.add(Camera.line(cameraId(cameras), l.from(), l.from(), l.to()));
      if (parkingLift) cameras.add(Camera.line(cameraId(cameras), l.from(), l.to(), l.from()));
    }
    List<String> busy = zones.stream()
        .filter(z -> switch (z.kind()) {
          case ATRIUM, FOOD_COURT, CORRIDOR, CAR_PARK_LEVEL, ENTRANCE, LIFT_LOBBY -> true;
          default -> z.category() == Category.SUPERMARKET;
        })
        .map(Zone::id).toList();
    if (cameras.size() > CAMERAS) throw new IllegalStateException(cameras.size() + " cameras before headcounts");
    for (int i = 0; cameras.size() < CAMERAS; i++) cameras.add(Camera.headcount(cameraId(cameras), busy.get(i % busy.size())));
    return cameras;
  }

  private static String cameraId(List<Camera> made) {
    return String.format(Locale.ROOT, "CAM-%04d", made.size() + 1);
  }

  /**
   * {@value #HVAC_ZONES_PER_FLOOR} per retail floor over its conditioned zones (not stairs or plant
   * rooms): a small zone shares with the zone before it, then the largest zones are split until the
   * count is reached. Floor areas add up to the zones' areas.
   */
  private List<HvacZone> hvacZones() {
    List<HvacZone> out = new ArrayList<>();
    for (String f : RETAIL) {
      List<List<Zone>> groups = new ArrayList<>();
      for (Zone z : zones) {
        if (!z.floor().equals(f) || z.kind() == Kind.STAIRS || z.kind() == Kind.PLANT_ROOM) continue;
        if (z.area() < 100 && !groups.isEmpty()) groups.get(groups.size() - 1).add(z);
        else groups.add(new ArrayList<>(List.of(z)));
      }
      while (groups.size() > HVAC_ZONES_PER_FLOOR) {
        int i = IntStream.range(0, groups.size() - 1).boxed()
            .min(Comparator.comparingDouble(k -> area(groups.get(k)) + area(groups.get(k + 1)))).orElseThrow();
        groups.get(i).addAll(groups.remove(i + 1));
      }
      int[] split = new int[groups.size()];
      Arrays.fill(split, 1);
      for (int made = groups.size(); made < HVAC_ZONES_PER_FLOOR; made++) {
        int largest = IntStream.range(0, groups.size()).filter(k -> groups.get(k).size() == 1).boxed()
            .max(Comparator.comparingDouble(k -> area(groups.get(k)) / split[k])).orElseThrow();
        split[largest]++;
      }
      int n = 1;
      for (int k = 0; k < groups.size(); k++) {
        List<String> served = groups.get(k).stream().map(Zone::id).toList();
        for (int part = 0; part < split[k]; part++) {
          out.add(new HvacZone(String.format(Locale.ROOT, "AHU-%s-%02d", f, n++), f, served, round(area(groups.get(k)) / split[k])));
        }
      }
    }
    return out;
  }

  /**
   * {@value #SHELF_LABELS} labels: 8,000 in the supermarket, 6,000 over the electronics shops, the
   * rest over the other shops that sell goods off shelves, each share by floor area.
   */
  private List<ShelfLabelGroup> shelfLabelGroups() {
    List<Zone> shops = zones.stream().filter(z -> z.kind() == Kind.SHOP).toList();
    List<Zone> supermarket = shops.stream().filter(z -> z.category() == Category.SUPERMARKET).toList();
    List<Zone> electronics = shops.stream().filter(z -> z.category() == Category.ELECTRONICS).toList();
    List<Category> shelved = List.of(Category.FASHION, Category.BEAUTY, Category.JEWELLERY, Category.KIDS,
        Category.HOMEWARE, Category.BOOKS, Category.SPORTS);
    List<Zone> others = shops.stream().filter(z -> shelved.contains(z.category())).toList();
    Map<String, Integer> perShop = new HashMap<>();
    apportion(8_000, supermarket, perShop);
    apportion(6_000, electronics, perShop);
    apportion(SHELF_LABELS - 14_000, others, perShop);
    return shops.stream().filter(z -> perShop.getOrDefault(z.id(), 0) > 0)
        .map(z -> new ShelfLabelGroup(z.id(), "ESL-" + z.id(), perShop.get(z.id()))).toList();
  }

  /** Splits {@code total} over the shops by area, rounding so the parts add up exactly. */
  private static void apportion(int total, List<Zone> shops, Map<String, Integer> into) {
    double area = area(shops);
    int given = 0;
    for (int i = 0; i < shops.size(); i++) {
      int share = i == shops.size() - 1 ? total - given : (int) Math.round(total * shops.get(i).area() / area);
      into.put(shops.get(i).id(), share);
      given += share;
    }
  }

  /** Kiosks at the entrances, atriums, food court, every lift lobby, car park and corridor, then the busiest again. */
  private List<Kiosk> kiosks() {
    List<String> places = new ArrayList<>();
    for (Kind kind : List.of(Kind.ENTRANCE, Kind.ATRIUM, Kind.FOOD_COURT, Kind.LIFT_LOBBY, Kind.CAR_PARK_LEVEL, Kind.CORRIDOR)) {
      zones.stream().filter(z -> z.kind() == kind).map(Zone::id).forEach(places::add);
    }
    List<String> busiest = List.of("ATR-L1", "ATR-L2", "ATR-L3", "FC-L3", "ENT-N", "ENT-S");
    List<Kiosk> kiosks = new ArrayList<>();
    for (int i = 0; kiosks.size() < KIOSKS; i++) {
      String zone = i < places.size() ? places.get(i) : busiest.get((i - places.size()) % busiest.size());
      kiosks.add(new Kiosk(String.format(Locale.ROOT, "KIOSK-%02d", kiosks.size() + 1), zone));
    }
    return kiosks;
  }

  // --- helpers

  private Zone zone(String id, String floor, Kind kind, double area, String zh, String en, Category category,
      Point centre, List<Point> outline) {
    Zone z = new Zone(id, floor, kind, area, new LocalizedName(zh, en), category, centre, outline);
    zones.add(z);
    return z;
  }

  private Zone rectZone(String id, String floor, Kind kind, String zh, String en, double x0, double y0, double x1, double y1) {
    return rectZone(id, floor, kind, (x1 - x0) * (y1 - y0), new LocalizedName(zh, en), null, x0, y0, x1, y1);
  }

  private Zone rectZone(String id, String floor, Kind kind, double area, LocalizedName name, Category category,
      double x0, double y0, double x1, double y1) {
    x0 = round(x0);
    y0 = round(y0);
    x1 = round(x1);
    y1 = round(y1);
    List<Point> outline = List.of(new Point(x0, y0), new Point(x1, y0), new Point(x1, y1), new Point(x0, y1));
    Zone z = new Zone(id, floor, kind, area, name, category, new Point(round((x0 + x1) / 2), round((y0 + y1) / 2)), outline);
    zones.add(z);
    return z;
  }

  private Zone zone(String id) {
    return zones.stream().filter(z -> z.id().equals(id)).findFirst().orElseThrow(() -> new IllegalStateException(id));
  }

  private void corridorLink(Zone a, Zone b, double width) {
    links.add(new Link(a.id(), b.id(), Link.Kind.CORRIDOR, width, round(distance(a.centre(), b.centre()))));
  }

  private void door(Zone z, Zone corridor, double width) {
    links.add(new Link(corridor.id(), z.id(), Link.Kind.DOOR, width, 0));
  }

  private LocalizedName shopName(Category c) {
    String[][] pool = NAMES.get(c);
    int n = namesUsed.merge(c, 1, Integer::sum) - 1;
    String[] name = pool[n % pool.length];
    String suffix = n < pool.length ? "" : " " + (n / pool.length + 1);
    return new LocalizedName(name[0] + suffix, name[1] + suffix);
  }

  private static double[] areaRange(Category c) {
    return switch (c) {
      case FASHION -> new double[] {80, 400};
      case FOOD -> new double[] {60, 320};
      case ELECTRONICS -> new double[] {120, 600};
      case SERVICES -> new double[] {40, 150};
      case BEAUTY -> new double[] {40, 200};
      case JEWELLERY -> new double[] {40, 120};
      case KIDS -> new double[] {80, 400};
      case HOMEWARE -> new double[] {150, 800};
      case BOOKS -> new double[] {200, 700};
      case SPORTS -> new double[] {150, 700};
      case ENTERTAINMENT -> new double[] {300, 1200};
      case CINEMA -> new double[] {1400, 1500};
      case SUPERMARKET -> new double[] {2900, 3100};
    };
  }

  private static final Map<Category, String[][]> NAMES = Map.ofEntries(
      Map.entry(Category.FASHION, new String[][] {{"女装", "Womenswear"}, {"男装", "Menswear"}, {"快时尚", "Fast Fashion"},
          {"牛仔", "Denim"}, {"鞋履", "Footwear"}, {"箱包", "Bags & Luggage"}, {"内衣", "Lingerie"},
          {"设计师品牌", "Designer Label"}, {"户外服饰", "Outdoor Wear"}, {"眼镜", "Eyewear"}}),
      Map.entry(Category.FOOD, new String[][] {{"咖啡", "Coffee House"}, {"烘焙", "Bakery"}, {"茶饮", "Tea Bar"},
          {"面馆", "Noodle House"}, {"火锅", "Hotpot"}, {"粤菜", "Cantonese Kitchen"}, {"日料", "Japanese Dining"},
          {"川菜", "Sichuan Kitchen"}, {"西餐", "Bistro"}, {"甜品", "Dessert Bar"}, {"烧烤", "Barbecue Grill"},
          {"素食", "Vegetarian Kitchen"}, {"粥铺", "Congee House"}, {"饺子馆", "Dumpling House"}, {"东南亚菜", "Southeast Asian Kitchen"}}),
      Map.entry(Category.ELECTRONICS, new String[][] {{"手机", "Mobile Store"}, {"数码", "Digital Store"},
          {"家电", "Home Appliances"}, {"电脑", "Computer Store"}, {"相机", "Camera Shop"}, {"智能家居", "Smart Home"},
          {"游戏设备", "Gaming Gear"}}),
      Map.entry(Category.SERVICES, new String[][] {{"骑手驿站", "Courier Station"}, {"银行", "Bank Branch"},
          {"药房", "Pharmacy"}, {"美发", "Hair Salon"}, {"洗衣", "Laundry"}, {"维修", "Repairs"}, {"快递", "Parcel Point"}}),
      Map.entry(Category.BEAUTY, new String[][] {{"美妆", "Cosmetics"}, {"护肤", "Skincare"}, {"香水", "Perfumery"},
          {"美甲", "Nail Studio"}}),
      Map.entry(Category.JEWELLERY, new String[][] {{"珠宝", "Jewellery"}, {"黄金", "Gold Shop"}, {"腕表", "Watches"},
          {"饰品", "Accessories"}}),
      Map.entry(Category.KIDS, new String[][] {{"童装", "Kidswear"}, {"玩具", "Toy Store"}, {"母婴", "Mother & Baby"},
          {"儿童乐园", "Kids Playground"}}),
      Map.entry(Category.HOMEWARE, new String[][] {{"家居", "Homeware"}, {"厨具", "Kitchenware"}, {"床品", "Bedding"},
          {"家具", "Furniture"}}),
      Map.entry(Category.BOOKS, new String[][] {{"书店", "Bookstore"}, {"文具", "Stationery"}}),
      Map.entry(Category.SPORTS, new String[][] {{"运动", "Sportswear"}, {"跑步", "Running Store"},
          {"健身房", "Fitness Club"}, {"户外", "Outdoor Gear"}}),
      Map.entry(Category.ENTERTAINMENT, new String[][] {{"电玩城", "Game Arcade"}, {"KTV", "Karaoke"},
          {"密室逃脱", "Escape Room"}}),
      Map.entry(Category.CINEMA, new String[][] {{"影城", "Cinema"}}),
      Map.entry(Category.SUPERMARKET, new String[][] {{"超市", "Supermarket"}}));

  private static void add(List<Category> plan, Object... categoryThenCount) {
    for (int i = 0; i < categoryThenCount.length; i += 2) {
      for (int n = 0; n < (Integer) categoryThenCount[i + 1]; n++) plan.add((Category) categoryThenCount[i]);
    }
  }

  private <T> void shuffle(List<T> list) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      list.set(j, list.set(i, list.get(j)));
    }
  }

  /** A seeded value from {@code min} to {@code max}, to 0.1. */
  private double between(double min, double max) {
    return round(min + random.nextDouble() * (max - min));
  }

  private double elevation(String floor) {
    return floors.stream().filter(f -> f.id().equals(floor)).findFirst().orElseThrow().elevation();
  }

  private static double area(List<Zone> zones) {
    return zones.stream().mapToDouble(Zone::area).sum();
  }

  private static double distance(Point a, Point b) {
    return Math.hypot(a.x() - b.x(), a.y() - b.y());
  }

  private static double round(double d) {
    return Math.round(d * 10) / 10.0;
  }
}
