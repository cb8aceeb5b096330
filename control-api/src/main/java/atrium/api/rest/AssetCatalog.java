package atrium.api.rest;

import atrium.core.asset.AssetKind;
import atrium.core.site.Camera;
import atrium.core.site.CarPark;
import atrium.core.site.CarParkLevel;
import atrium.core.site.Site;
import atrium.core.site.Zone;
import java.util.ArrayList;
import java.util.List;

/**
 * The assets of a site's model, kind by kind, each with where it is (floor, zone), in a stable
 * order: what the asset listing pages through. Alarms are not in the model (the twins raise them).
 */
final class AssetCatalog {
  /** One asset of the model; {@code floor} and {@code zone} may be null where the model says nothing. */
  record Entry(AssetKind kind, String id, String floor, String zone) {}

  static final List<AssetKind> LISTED = List.of(AssetKind.ZONE, AssetKind.CAR_PARK, AssetKind.PARKING_BAY, AssetKind.CAMERA,
      AssetKind.HVAC_ZONE, AssetKind.SHELF_LABEL, AssetKind.KIOSK, AssetKind.COURIER);

  private AssetCatalog() {}

  static List<Entry> of(Site site, AssetKind kind) {
    List<Entry> out = new ArrayList<>();
    switch (kind) {
      case ZONE:
        for (Zone z : site.zones()) out.add(new Entry(kind, z.id(), z.floor(), z.id()));
        break;
      case CAR_PARK:
        for (CarPark cp : site.carParks()) {
          String floor = cp.levels().isEmpty() ? null : cp.levels().get(0).floor();
          out.add(new Entry(kind, cp.id(), floor, cp.entranceZone()));
        }
        break;
      case PARKING_BAY:
        for (CarPark cp : site.carParks()) {
          for (CarParkLevel level : cp.levels()) {
            level.bays().forEach(b -> out.add(new Entry(kind, b.id(), level.floor(), level.zone())));
          }
        }
        break;
      case CAMERA:
        for (Camera c : site.devices().cameras()) out.add(new Entry(kind, c.id(), floorOf(site, c.zone()), c.zone()));
        break;
      case HVAC_ZONE:
        site.devices().hvacZones().forEach(h -> out.add(new Entry(kind, h.id(), h.floor(), null)));
        break;
      case SHELF_LABEL:
        site.devices().shelfLabelGroups().forEach(g -> {
          String floor = floorOf(site, g.zone());
          for (int n = 1; n <= g.count(); n++) {
            out.add(new Entry(kind, g.idPrefix() + "-" + String.format("%05d", n), floor, g.zone()));
          }
        });
        break;
      case KIOSK:
        site.devices().kiosks().forEach(k -> out.add(new Entry(kind, k.id(), floorOf(site, k.zone()), k.zone())));
        break;
      case COURIER:
        var fleet = site.devices().courierFleet();
        if (fleet != null) {
          String floor = floorOf(site, fleet.hubZone());
          for (int n = 1; n <= fleet.count(); n++) {
            out.add(new Entry(kind, fleet.idPrefix() + "-" + String.format("%04d", n), floor, fleet.hubZone()));
          }
        }
        break;
      default:
        break;
    }
    return out;
  }

  private static String floorOf(Site site, String zone) {
    return zone == null ? null : site.zone(zone).map(Zone::floor).orElse(null);
  }
}
