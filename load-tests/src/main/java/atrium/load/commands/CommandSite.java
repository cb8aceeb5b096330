package atrium.load.commands;

import atrium.core.site.Devices;
import atrium.core.site.Floor;
import atrium.core.site.HvacZone;
import atrium.core.site.LocalizedName;
import atrium.core.site.Point;
import atrium.core.site.Site;
import atrium.core.site.Zone;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A generated site of HVAC zones (and the shop zones they serve): the twins the HTTP commands go to. */
final class CommandSite {
  static final String SITE_ID = "commands-mall";
  /** Shop zones on the floor; the HVAC zones serve them in turn. */
  private static final int SHOPS = 100;

  private CommandSite() {}

  static String hvacId(int n) {
    return String.format(Locale.ROOT, "AHU-%06d", n);
  }

  static Site withHvacZones(int count) {
    if (count < 1) throw new IllegalArgumentException("--zones: at least 1, not " + count);
    List<Floor> floors = List.of(new Floor("L1", 1, new LocalizedName("一层", "Level 1"), 0));
    List<Zone> zones = new ArrayList<>(SHOPS);
    for (int i = 1; i <= SHOPS; i++) {
      zones.add(new Zone(shop(i), "L1", Zone.Kind.SHOP, 120, new LocalizedName("店铺" + i, "Shop " + i), Zone.Category.FASHION,
          new Point(i, 0), null));
    }
    List<HvacZone> hvac = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) hvac.add(new HvacZone(hvacId(i), "L1", List.of(shop((i - 1) % SHOPS + 1)), 120));
    return new Site(SITE_ID, new LocalizedName("命令基准商场", "Commands Benchmark Mall"), "Asia/Shanghai", floors, zones,
        List.of(), List.of(), List.of(), new Devices(List.of(), hvac, List.of(), List.of(), null));
  }

  private static String shop(int i) {
    return String.format(Locale.ROOT, "S-%03d", i);
  }
}
