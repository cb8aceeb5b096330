package atrium.load.memory;

import atrium.core.site.Bay;
import atrium.core.site.CarPark;
import atrium.core.site.CarParkLevel;
import atrium.core.site.Devices;
import atrium.core.site.Floor;
import atrium.core.site.LocalizedName;
import atrium.core.site.Point;
import atrium.core.site.Site;
import atrium.core.site.Zone;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A site holding nothing but parking: {@value #CAR_PARKS} car parks of {@value #LEVELS} basement
 * levels each, with the bays shared out evenly. Bay ids read like the demo mall's ({@code PN-B1-000001}).
 */
final class BenchSite {
  static final String SITE_ID = "bench-mall";
  static final int CAR_PARKS = 2;
  static final int LEVELS = 5;
  static final int MIN_BAYS = CAR_PARKS * LEVELS;

  private BenchSite() {}

  static Site withBays(int bays) {
    if (bays < MIN_BAYS) throw new IllegalArgumentException("a bench site has at least " + MIN_BAYS + " bays, not " + bays);
    List<Floor> floors = new ArrayList<>();
    for (int l = 1; l <= LEVELS; l++) {
      floors.add(new Floor("B" + l, -l, new LocalizedName("地下" + l + "层", "Basement " + l), -4.5 * l));
    }
    List<Zone> zones = new ArrayList<>();
    List<CarPark> carParks = new ArrayList<>();
    String[][] parks = {{"P-north", "PN", "北区停车场", "North Car Park"}, {"P-south", "PS", "南区停车场", "South Car Park"}};
    int made = 0;
    for (int c = 0; c < CAR_PARKS; c++) {
      String[] p = parks[c];
      List<CarParkLevel> levels = new ArrayList<>();
      for (int l = 1; l <= LEVELS; l++) {
        int slot = c * LEVELS + l - 1;
        int count = bays / MIN_BAYS + (slot < bays % MIN_BAYS ? 1 : 0);
        String floor = "B" + l;
        String zone = "CP-" + p[1] + "-" + floor;
        zones.add(new Zone(zone, floor, Zone.Kind.CAR_PARK_LEVEL, 15_000, new LocalizedName(p[2] + floor, p[3] + " " + floor),
            null, new Point(100, 40 + 80 * c), null));
        List<Bay> levelBays = new ArrayList<>(count);
        for (int b = 1; b <= count; b++) {
          Bay.Kind kind = b % 50 == 0 ? Bay.Kind.ACCESSIBLE : b % 20 == 0 ? Bay.Kind.EV : Bay.Kind.STANDARD;
          levelBays.add(new Bay(String.format(Locale.ROOT, "%s-%s-%06d", p[1], floor, b), kind, false, b % 400, b % 60));
        }
        made += count;
        levels.add(new CarParkLevel(p[1] + "-" + floor, floor, zone, levelBays));
      }
      carParks.add(new CarPark(p[0], new LocalizedName(p[2], p[3]), "CP-" + p[1] + "-B1", null, levels));
    }
    if (made != bays) throw new IllegalStateException("made " + made + " bays, not " + bays);
    return new Site(SITE_ID, new LocalizedName("基准商场", "Benchmark Mall"), "Asia/Shanghai", floors, zones,
        List.of(), List.of(), carParks, new Devices(List.of(), List.of(), List.of(), List.of(), null));
  }

  /** The sharding entity ids of the site's bays, in file order. */
  static List<String> entityIds(Site site) {
    List<String> ids = new ArrayList<>(site.totalBays());
    for (CarPark park : site.carParks()) {
      for (CarParkLevel level : park.levels()) {
        for (Bay bay : level.bays()) ids.add(site.id() + "/" + bay.id());
      }
    }
    return ids;
  }
}
