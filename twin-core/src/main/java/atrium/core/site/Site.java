package atrium.core.site;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Optional;

/**
 * A mall as the twin sees it: floors, zones and the ways between them, exits, car parks and the
 * devices installed. Read one with {@link SiteLoader}, write one with {@link SiteJson}; the format is
 * described in {@code docs/site-format.md}.
 *
 * <p>The lookups use tables built once, when the site is constructed ({@code index}, which is derived
 * from the other components and never written). They are meant for a site that {@link SiteLoader}
 * accepted; on an unchecked site, the first of two entries with the same id wins.
 */
public record Site(
    String id,
    LocalizedName name,
    String timezone,
    List<Floor> floors,
    List<Zone> zones,
    List<Link> links,
    List<Exit> exits,
    List<CarPark> carParks,
    Devices devices,
    @JsonIgnore SiteIndex index) {

  /** Whatever is passed as {@code index} is replaced by one built from the other components. */
  public Site {
    floors = Lists.frozen(floors);
    zones = Lists.frozen(zones);
    links = Lists.frozen(links);
    exits = Lists.frozen(exits);
    carParks = Lists.frozen(carParks);
    index = new SiteIndex(floors, zones, carParks, devices);
  }

  @JsonCreator
  public Site(String id, LocalizedName name, String timezone, List<Floor> floors, List<Zone> zones, List<Link> links,
      List<Exit> exits, List<CarPark> carParks, Devices devices) {
    this(id, name, timezone, floors, zones, links, exits, carParks, devices, null);
  }

  public Optional<Floor> floor(String id) {
    return Optional.ofNullable(index.floors().get(id));
  }

  public Optional<Zone> zone(String id) {
    return Optional.ofNullable(index.zones().get(id));
  }

  public Optional<CarPark> carPark(String id) {
    return Optional.ofNullable(index.carParks().get(id));
  }

  /** The car parks in order of id (the file may list them in any order). */
  public List<CarPark> carParksById() {
    return index.carParksById();
  }

  public Optional<BayLocation> bay(String bayId) {
    return Optional.ofNullable(index.bays().get(bayId));
  }

  public Optional<Camera> camera(String id) {
    return Optional.ofNullable(index.cameras().get(id));
  }

  public Optional<HvacZone> hvacZone(String id) {
    return Optional.ofNullable(index.hvacZones().get(id));
  }

  public Optional<Kiosk> kiosk(String id) {
    return Optional.ofNullable(index.kiosks().get(id));
  }

  public int totalBays() {
    return index.bays().size();
  }

  public int shelfLabelCount() {
    return index.shelfLabelCount();
  }

  /** The group a shelf-label id belongs to, if it names one of the site's labels. */
  public Optional<ShelfLabelGroup> shelfLabelGroupOf(String labelId) {
    return SiteIndex.numbered(labelId, 5)
        .flatMap(n -> Optional.ofNullable(index.labelGroups().get(n.prefix()))
            .filter(g -> n.number() >= 1 && n.number() <= g.count()));
  }

  public boolean hasShelfLabel(String labelId) {
    return shelfLabelGroupOf(labelId).isPresent();
  }

  public boolean hasCourier(String courierId) {
    CourierFleet fleet = devices == null ? null : devices.courierFleet();
    if (fleet == null) return false;
    return SiteIndex.numbered(courierId, 4)
        .filter(n -> n.prefix().equals(fleet.idPrefix()) && n.number() >= 1 && n.number() <= fleet.count())
        .isPresent();
  }

  @Override
  public String toString() {
    return "Site[" + id + ": " + size(floors) + " floors, " + size(zones) + " zones, " + size(carParks) + " car parks, "
        + totalBays() + " bays]";
  }

  private static int size(List<?> list) {
    return list == null ? 0 : list.size();
  }
}
