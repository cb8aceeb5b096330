package atrium.load.memory;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.site.Bay;
import atrium.core.site.Camera;
import atrium.core.site.CarPark;
import atrium.core.site.CarParkLevel;
import atrium.core.site.CourierFleet;
import atrium.core.site.Devices;
import atrium.core.site.Floor;
import atrium.core.site.HvacZone;
import atrium.core.site.Kiosk;
import atrium.core.site.LocalizedName;
import atrium.core.site.Point;
import atrium.core.site.ShelfLabelGroup;
import atrium.core.site.Site;
import atrium.core.site.Zone;
import atrium.devices.courier.Courier;
import atrium.devices.parking.ParkingBay;
import atrium.devices.shelflabel.ShelfLabel;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * A generated site with a given number of twins of every kind, for the heap and scale benchmarks.
 * One retail floor ({@code L1}) holds the shop zones; every camera (headcount), HVAC zone, kiosk and
 * label group is placed in or serves a shop zone, round robin. Car parks have one level on {@code B1}
 * with the bays shared out evenly. Alarms are not in the site model: their ids are made up
 * ({@code camera.C-000001.bench}), as the twins make them.
 *
 * <p>Local ids are numbered from 1 and have fixed widths, so that a twin's id is a function of its kind
 * and number ({@link #localId}): the benchmarks need not hold a million id strings between asks.
 */
final class TwinSite {
  static final String SITE_ID = "twins-mall";
  private static final String CAR_PARK_ZONE = "CPL-B1";

  /** How many twins of each kind the site has (alarms: how many alarm ids to ask). */
  record Counts(int zones, int carParks, int bays, int cameras, int hvacZones, int shelfLabels, int kiosks, int couriers,
      int alarms) {

    Counts {
      if (zones < 1) throw new IllegalArgumentException("a site needs at least one shop zone");
      if (bays > 0 && carParks < 1) throw new IllegalArgumentException("bays need a car park");
      if (carParks > bays) throw new IllegalArgumentException("every car park needs a bay");
      if (couriers > CourierFleet.MAX_COUNT) throw new IllegalArgumentException("at most " + CourierFleet.MAX_COUNT + " couriers per site");
    }

    /** The same number of each kind (couriers at most {@link CourierFleet#MAX_COUNT}). */
    static Counts each(int n) {
      return new Counts(n, n, n, n, n, n, n, Math.min(n, CourierFleet.MAX_COUNT), n);
    }

    /**
     * About {@code total} twins in the demo mall's proportions (sites/demo-mall.json: 114 zones, 2 car
     * parks, 2,000 bays, 200 cameras, 120 HVAC zones, 20,000 shelf labels, 40 kiosks, 150 couriers;
     * 22,626 twins), no alarms. Couriers stop at {@link CourierFleet#MAX_COUNT}, the rest go to labels.
     */
    static Counts demoMix(int total) {
      double f = total / 22_626.0;
      int zones = Math.max(1, (int) Math.round(114 * f));
      int bays = Math.max(1, (int) Math.round(2_000 * f));
      int carParks = Math.max(1, Math.min(bays, (int) Math.round(2 * f)));
      int cameras = (int) Math.round(200 * f);
      int hvac = (int) Math.round(120 * f);
      int kiosks = (int) Math.round(40 * f);
      int couriers = Math.min(CourierFleet.MAX_COUNT, (int) Math.round(150 * f));
      int labels = Math.max(0, total - zones - carParks - bays - cameras - hvac - kiosks - couriers);
      return new Counts(zones, carParks, bays, cameras, hvac, labels, kiosks, couriers, 0);
    }

    int of(AssetKind kind) {
      switch (kind) {
        case ZONE: return zones;
        case CAR_PARK: return carParks;
        case PARKING_BAY: return bays;
        case CAMERA: return cameras;
        case HVAC_ZONE: return hvacZones;
        case SHELF_LABEL: return shelfLabels;
        case KIOSK: return kiosks;
        case COURIER: return couriers;
        case ALARM: return alarms;
        default: throw new IllegalArgumentException(kind.toString());
      }
    }

    int total() {
      int t = 0;
      for (AssetKind k : AssetKind.values()) t += of(k);
      return t;
    }
  }

  private TwinSite() {}

  /** The sharding key of each kind's twins. */
  static final Map<AssetKind, EntityTypeKey<?>> KEYS = keys();

  private static Map<AssetKind, EntityTypeKey<?>> keys() {
    Map<AssetKind, EntityTypeKey<?>> m = new EnumMap<>(AssetKind.class);
    m.put(AssetKind.PARKING_BAY, ParkingBay.ENTITY_KEY);
    m.put(AssetKind.CAR_PARK, atrium.devices.parking.CarPark.ENTITY_KEY);
    m.put(AssetKind.CAMERA, atrium.devices.camera.Camera.ENTITY_KEY);
    m.put(AssetKind.ZONE, atrium.devices.zone.Zone.ENTITY_KEY);
    m.put(AssetKind.HVAC_ZONE, atrium.devices.hvac.HvacZone.ENTITY_KEY);
    m.put(AssetKind.SHELF_LABEL, ShelfLabel.ENTITY_KEY);
    m.put(AssetKind.KIOSK, atrium.devices.kiosk.Kiosk.ENTITY_KEY);
    m.put(AssetKind.COURIER, Courier.ENTITY_KEY);
    m.put(AssetKind.ALARM, atrium.core.alarm.Alarm.ENTITY_KEY);
    return m;
  }

  /** The local id of the {@code n}-th twin of a kind, counting from 1. */
  static String localId(AssetKind kind, int n) {
    switch (kind) {
      case ZONE: return number("Z", n);
      case CAR_PARK: return number("CP", n);
      case PARKING_BAY: return number("B", n);
      case CAMERA: return number("C", n);
      case HVAC_ZONE: return number("H", n);
      case SHELF_LABEL: return labelPrefix((n - 1) / ShelfLabelGroup.MAX_COUNT + 1) + String.format(Locale.ROOT, "-%05d", (n - 1) % ShelfLabelGroup.MAX_COUNT + 1);
      case KIOSK: return number("K", n);
      case COURIER: return String.format(Locale.ROOT, "CR-%04d", n);
      case ALARM: return "camera." + number("C", n) + ".bench";
      default: throw new IllegalArgumentException(kind.toString());
    }
  }

  static AssetId assetId(AssetKind kind, int n) {
    return AssetId.of(SITE_ID, kind, localId(kind, n));
  }

  private static String number(String prefix, int n) {
    return String.format(Locale.ROOT, "%s-%06d", prefix, n);
  }

  private static String labelPrefix(int group) {
    return String.format(Locale.ROOT, "ESL%02d", group);
  }

  static Site build(Counts c) {
    List<Floor> floors = List.of(
        new Floor("B1", -1, new LocalizedName("地下1层", "Basement 1"), -4.5),
        new Floor("L1", 1, new LocalizedName("一层", "Level 1"), 0));
    List<Zone> zones = new ArrayList<>(c.zones() + 1);
    for (int i = 1; i <= c.zones(); i++) {
      zones.add(new Zone(localId(AssetKind.ZONE, i), "L1", Zone.Kind.SHOP, 120, new LocalizedName("店铺" + i, "Shop " + i),
          Zone.Category.FASHION, new Point(i % 1000, i / 1000), null));
    }
    zones.add(new Zone(CAR_PARK_ZONE, "B1", Zone.Kind.CAR_PARK_LEVEL, 15_000, new LocalizedName("停车场", "Car park"), null,
        new Point(100, 40), null));

    List<CarPark> carParks = new ArrayList<>(c.carParks());
    int bay = 0;
    for (int p = 1; p <= c.carParks(); p++) {
      int count = c.bays() / c.carParks() + (p - 1 < c.bays() % c.carParks() ? 1 : 0);
      List<Bay> bays = new ArrayList<>(count);
      for (int b = 0; b < count; b++) {
        bay++;
        bays.add(new Bay(localId(AssetKind.PARKING_BAY, bay), bay % 20 == 0 ? Bay.Kind.EV : Bay.Kind.STANDARD, false, bay % 400, bay % 60));
      }
      carParks.add(new CarPark(localId(AssetKind.CAR_PARK, p), new LocalizedName("停车场" + p, "Car park " + p), CAR_PARK_ZONE, null,
          List.of(new CarParkLevel("B1", "B1", CAR_PARK_ZONE, bays))));
    }

    List<Camera> cameras = new ArrayList<>(c.cameras());
    for (int i = 1; i <= c.cameras(); i++) cameras.add(Camera.headcount(localId(AssetKind.CAMERA, i), shop(c, i)));
    List<HvacZone> hvac = new ArrayList<>(c.hvacZones());
    for (int i = 1; i <= c.hvacZones(); i++) hvac.add(new HvacZone(localId(AssetKind.HVAC_ZONE, i), "L1", List.of(shop(c, i)), 120));
    List<Kiosk> kiosks = new ArrayList<>(c.kiosks());
    for (int i = 1; i <= c.kiosks(); i++) kiosks.add(new Kiosk(localId(AssetKind.KIOSK, i), shop(c, i)));
    List<ShelfLabelGroup> groups = new ArrayList<>();
    for (int g = 1, left = c.shelfLabels(); left > 0; g++, left -= ShelfLabelGroup.MAX_COUNT) {
      groups.add(new ShelfLabelGroup(shop(c, g), labelPrefix(g), Math.min(left, ShelfLabelGroup.MAX_COUNT)));
    }
    CourierFleet fleet = c.couriers() > 0 ? new CourierFleet("CR", c.couriers(), shop(c, 1)) : null;
    return new Site(SITE_ID, new LocalizedName("孪生基准商场", "Twins Benchmark Mall"), "Asia/Shanghai", floors, zones,
        List.of(), List.of(), carParks, new Devices(cameras, hvac, groups, kiosks, fleet));
  }

  private static String shop(Counts c, int i) {
    return localId(AssetKind.ZONE, (i - 1) % c.zones() + 1);
  }
}
