package atrium.core.site;

import java.util.List;

/** The devices installed in the site. A site without couriers leaves {@code courierFleet} out. */
public record Devices(
    List<Camera> cameras,
    List<HvacZone> hvacZones,
    List<ShelfLabelGroup> shelfLabelGroups,
    List<Kiosk> kiosks,
    @OptionalField CourierFleet courierFleet) {

  public Devices {
    cameras = Lists.frozen(cameras);
    hvacZones = Lists.frozen(hvacZones);
    shelfLabelGroups = Lists.frozen(shelfLabelGroups);
    kiosks = Lists.frozen(kiosks);
  }
}
