package atrium.api.stream;

import atrium.core.asset.AssetKind;
import atrium.core.site.CarPark;
import atrium.core.site.CarParkLevel;
import atrium.core.site.Site;
import atrium.core.site.Zone;
import java.util.Optional;

/**
 * Where an asset of a site's model is: its floor and zone, either of which may be null where the model
 * says nothing (an HVAC zone has a floor but no zone; alarms and campaign progress have neither). The
 * same placement as the asset listing ({@code AssetCatalog}), looked up one asset at a time.
 */
record Placement(String floor, String zone) {
  static final Placement NOWHERE = new Placement(null, null);

  static Placement of(Site site, AssetKind kind, String id) {
    switch (kind) {
      case ZONE:
        return site.zone(id).map(z -> new Placement(z.floor(), z.id())).orElse(NOWHERE);
      case CAR_PARK:
        return site.carPark(id)
            .map(cp -> new Placement(cp.levels().isEmpty() ? null : cp.levels().get(0).floor(), cp.entranceZone()))
            .orElse(NOWHERE);
      case PARKING_BAY:
        return site.bay(id)
            .flatMap(b -> site.carPark(b.carParkId()).flatMap(cp -> level(cp, b.levelId())))
            .map(level -> new Placement(level.floor(), level.zone()))
            .orElse(NOWHERE);
      case CAMERA:
        return site.camera(id).map(c -> inZone(site, c.zone())).orElse(NOWHERE);
      case HVAC_ZONE:
        return site.hvacZone(id).map(h -> new Placement(h.floor(), null)).orElse(NOWHERE);
      case SHELF_LABEL:
        return site.shelfLabelGroupOf(id).map(g -> inZone(site, g.zone())).orElse(NOWHERE);
      case KIOSK:
        return site.kiosk(id).map(k -> inZone(site, k.zone())).orElse(NOWHERE);
      case COURIER:
        return site.hasCourier(id) ? inZone(site, site.devices().courierFleet().hubZone()) : NOWHERE;
      default:
        return NOWHERE;
    }
  }

  private static Optional<CarParkLevel> level(CarPark carPark, String levelId) {
    return carPark.levels().stream().filter(l -> l.id().equals(levelId)).findFirst();
  }

  private static Placement inZone(Site site, String zone) {
    return zone == null ? NOWHERE : new Placement(site.zone(zone).map(Zone::floor).orElse(null), zone);
  }
}
