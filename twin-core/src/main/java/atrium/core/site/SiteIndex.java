package atrium.core.site;

import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The lookup tables of a {@link Site}, built once from its components. A record so that equal sites
 * have equal indexes. Tolerates what the validator refuses (null entries, repeated ids: first wins),
 * because a site is constructed before it is validated.
 */
record SiteIndex(
    Map<String, Floor> floors,
    Map<String, Zone> zones,
    Map<String, CarPark> carParks,
    List<CarPark> carParksById,
    Map<String, BayLocation> bays,
    Map<String, Camera> cameras,
    Map<String, HvacZone> hvacZones,
    Map<String, Kiosk> kiosks,
    Map<String, ShelfLabelGroup> labelGroups,
    int shelfLabelCount) {

  SiteIndex(List<Floor> floors, List<Zone> zones, List<CarPark> carParks, Devices devices) {
    this(byId(floors, Floor::id), byId(zones, Zone::id), byId(carParks, CarPark::id), sorted(carParks),
        bays(carParks), byId(devices == null ? null : devices.cameras(), Camera::id),
        byId(devices == null ? null : devices.hvacZones(), HvacZone::id),
        byId(devices == null ? null : devices.kiosks(), Kiosk::id),
        byId(devices == null ? null : devices.shelfLabelGroups(), ShelfLabelGroup::idPrefix),
        labelCount(devices));
  }

  /** An id of the form {@code <prefix>-<digits>}, as used for labels and couriers. */
  record Numbered(String prefix, int number) {}

  static Optional<Numbered> numbered(String id, int digits) {
    if (id == null) return Optional.empty();
    int dash = id.length() - digits - 1;
    if (dash < 1 || id.charAt(dash) != '-') return Optional.empty();
    String number = id.substring(dash + 1);
    if (!number.chars().allMatch(c -> c >= '0' && c <= '9')) return Optional.empty();
    return Optional.of(new Numbered(id.substring(0, dash), Integer.parseInt(number)));
  }

  private static <T> Map<String, T> byId(List<T> items, Function<T, String> id) {
    Map<String, T> map = new HashMap<>();
    if (items != null) {
      items.stream().filter(Objects::nonNull).filter(t -> id.apply(t) != null).forEach(t -> map.putIfAbsent(id.apply(t), t));
    }
    return Collections.unmodifiableMap(map);
  }

  private static List<CarPark> sorted(List<CarPark> carParks) {
    if (carParks == null) return List.of();
    return carParks.stream().filter(c -> c != null && c.id() != null).sorted(Comparator.comparing(CarPark::id)).toList();
  }

  private static Map<String, BayLocation> bays(List<CarPark> carParks) {
    Map<String, BayLocation> map = new HashMap<>();
    for (CarPark park : carParks == null ? List.<CarPark>of() : carParks) {
      if (park == null || park.levels() == null) continue;
      for (CarParkLevel level : park.levels()) {
        if (level == null || level.bays() == null) continue;
        for (Bay bay : level.bays()) {
          if (bay != null && bay.id() != null) map.putIfAbsent(bay.id(), new BayLocation(park.id(), level.id(), bay));
        }
      }
    }
    return Collections.unmodifiableMap(map);
  }

  private static int labelCount(Devices devices) {
    if (devices == null || devices.shelfLabelGroups() == null) return 0;
    return devices.shelfLabelGroups().stream().filter(Objects::nonNull).mapToInt(ShelfLabelGroup::count).sum();
  }
}
