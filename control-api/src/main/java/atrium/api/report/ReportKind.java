package atrium.api.report;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The reports of S §4(4)2 (statistics by zone, time slot and merchant category) and the car parks and energy. */
public enum ReportKind {
  /** People entering and leaving each counted zone per slot, from the line cameras; peak headcount from the zone. */
  FOOTFALL_BY_ZONE("footfall-by-zone"),
  /** The shops' footfall summed by merchant category per slot. */
  FOOTFALL_BY_CATEGORY("footfall-by-category"),
  /** Occupied bays at each slot's end, arrivals and departures, per car-park level. */
  CAR_PARK_OCCUPANCY("car-park-occupancy"),
  /** Energy (kWh, from the meter's advance) and mean power per HVAC zone per slot. */
  HVAC_ENERGY("hvac-energy");

  private final String wireName;

  ReportKind(String wireName) {
    this.wireName = wireName;
  }

  /** The spelling in REST paths, e.g. {@code /reports/footfall-by-zone.csv}. */
  public String wireName() {
    return wireName;
  }

  public static Optional<ReportKind> fromWireName(String name) {
    return Arrays.stream(values()).filter(k -> k.wireName.equals(name)).findFirst();
  }

  public static String wireNames() {
    return Arrays.stream(values()).map(ReportKind::wireName).collect(Collectors.joining(", "));
  }
}
