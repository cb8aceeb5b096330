package atrium.core.site;

import atrium.core.asset.AssetId;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Checks what a bound site means: ranges, id syntax, unique ids, and that every reference resolves.
 * Walks the records once, collecting every error with its JSON path. Nulls are reported as
 * "required" and the checks that need the value are skipped.
 */
final class SiteValidator {
  private final List<FieldError> errors = new ArrayList<>();
  private final Map<String, Floor> floors = new HashMap<>();
  private final Map<String, Zone> zones = new HashMap<>();
  private final Map<String, CarPark> carParks = new HashMap<>();

  private SiteValidator() {}

  static List<FieldError> validate(Site site) {
    SiteValidator v = new SiteValidator();
    v.site(site);
    return v.errors;
  }

  private void site(Site s) {
    id("$.id", s.id());
    name("$.name", s.name());
    timezone("$.timezone", s.timezone());
    // declarations first, so that references can be checked in any order
    floors(s.floors());
    zoneIds(s.zones());
    carParkIds(s.carParks());
    forEach("$.zones", s.zones(), this::zone);
    links(s.links());
    Ids exitIds = new Ids();
    forEach("$.exits", s.exits(), (p, e) -> exit(p, e, exitIds));
    Ids bayIds = new Ids();
    forEach("$.carParks", s.carParks(), (p, c) -> carPark(p, c, bayIds));
    if (required("$.devices", s.devices())) devices(s.devices(), s.links());
  }

  // --- floors and zones

  private void floors(List<Floor> list) {
    if (!required("$.floors", list)) return;
    if (list.isEmpty()) error("$.floors", "a site has at least one floor");
    Ids ids = new Ids();
    Map<Integer, String> levels = new HashMap<>();
    forEach("$.floors", list, (p, f) -> {
      if (ids.add(p + ".id", f.id())) floors.put(f.id(), f);
      String other = levels.putIfAbsent(f.level(), p);
      if (other != null) error(p + ".level", "level " + f.level() + " is already used by " + other);
      name(p + ".name", f.name());
      finite(p + ".elevation", f.elevation());
    });
    List<Integer> byLevel = IntStream.range(0, list.size()).filter(i -> list.get(i) != null).boxed()
        .sorted(Comparator.comparingInt(i -> list.get(i).level())).toList();
    for (int k = 1; k < byLevel.size(); k++) {
      Floor below = list.get(byLevel.get(k - 1));
      Floor f = list.get(byLevel.get(k));
      if (f.level() != below.level() && f.elevation() <= below.elevation()) {
        error("$.floors[" + byLevel.get(k) + "].elevation", "must be above floor '" + below.id() + "' (level "
            + below.level() + ", elevation " + below.elevation() + " m), was " + f.elevation());
      }
    }
  }

  private void zoneIds(List<Zone> list) {
    if (!required("$.zones", list)) return;
    if (list.isEmpty()) error("$.zones", "a site has at least one zone");
    Ids ids = new Ids();
    forEach("$.zones", list, (p, z) -> {
      if (ids.add(p + ".id", z.id())) zones.put(z.id(), z);
    });
  }

  private void zone(String p, Zone z) {
    ref(p + ".floor", z.floor(), floors, "floor");
    required(p + ".kind", z.kind());
    positive(p + ".area", z.area());
    name(p + ".name", z.name());
    if (z.category() != null && z.kind() != Zone.Kind.SHOP) {
      error(p + ".category", "only shops have a category; this zone is a " + z.kind());
    }
    if (required(p + ".centre", z.centre())) point(p + ".centre", z.centre());
    if (z.outline() != null) {
      if (z.outline().size() < 3) error(p + ".outline", "an outline has at least 3 points, this one " + z.outline().size());
      forEach(p + ".outline", z.outline(), this::point);
    }
  }

  private void point(String p, Point pt) {
    finite(p + ".x", pt.x());
    finite(p + ".y", pt.y());
  }

  private void links(List<Link> list) {
    if (!required("$.links", list)) return;
    Map<String, String> seen = new HashMap<>();
    forEach("$.links", list, (p, l) -> {
      Zone from = ref(p + ".from", l.from(), zones, "zone");
      Zone to = ref(p + ".to", l.to(), zones, "zone");
      required(p + ".kind", l.kind());
      positive(p + ".width", l.width());
      nonNegative(p + ".length", l.length());
      if (from == null || to == null || l.kind() == null) return;
      if (from == to) error(p + ".to", "a link joins two different zones");
      boolean level = l.kind() == Link.Kind.DOOR || l.kind() == Link.Kind.CORRIDOR;
      if (level && !Objects.equals(from.floor(), to.floor())) {
        error(p + ".kind", "a " + l.kind() + " joins zones on one floor; '" + from.id() + "' is on " + from.floor()
            + " and '" + to.id() + "' on " + to.floor() + " (use stairs, escalator, lift or ramp)");
      }
      String key = l.kind() + " " + (l.from().compareTo(l.to()) < 0 ? l.from() + " " + l.to() : l.to() + " " + l.from());
      String other = seen.putIfAbsent(key, p);
      if (other != null) error(p, "the same " + l.kind() + " link between '" + l.from() + "' and '" + l.to() + "' is already at " + other);
    });
  }

  private void exit(String p, Exit e, Ids ids) {
    ids.add(p + ".id", e.id());
    ref(p + ".zone", e.zone(), zones, "zone");
    positive(p + ".width", e.width());
    name(p + ".name", e.name());
  }

  // --- car parks

  private void carParkIds(List<CarPark> list) {
    if (!required("$.carParks", list)) return;
    Ids ids = new Ids();
    forEach("$.carParks", list, (p, c) -> {
      if (ids.add(p + ".id", c.id())) carParks.put(c.id(), c);
    });
  }

  private void carPark(String p, CarPark c, Ids bayIds) {
    name(p + ".name", c.name());
    ref(p + ".entranceZone", c.entranceZone(), zones, "zone");
    double fill = c.overflowFill();
    if (!(fill > 0 && fill <= 1)) error(p + ".overflowFill", "must be a fraction above 0 and at most 1, was " + fill);
    if (!required(p + ".levels", c.levels())) return;
    if (c.levels().isEmpty()) error(p + ".levels", "a car park has at least one level");
    Ids levelIds = new Ids();
    forEach(p + ".levels", c.levels(), (lp, level) -> {
      levelIds.add(lp + ".id", level.id());
      Floor floor = ref(lp + ".floor", level.floor(), floors, "floor");
      Zone zone = ref(lp + ".zone", level.zone(), zones, "zone");
      if (zone != null && zone.kind() != Zone.Kind.CAR_PARK_LEVEL) {
        error(lp + ".zone", "zone '" + zone.id() + "' is a " + zone.kind() + ", not a car-park-level");
      }
      if (zone != null && floor != null && !floor.id().equals(zone.floor())) {
        error(lp + ".zone", "zone '" + zone.id() + "' is on floor " + zone.floor() + ", not on " + floor.id());
      }
      if (!required(lp + ".bays", level.bays())) return;
      if (level.bays().isEmpty()) error(lp + ".bays", "a car-park level has at least one bay");
      forEach(lp + ".bays", level.bays(), (bp, bay) -> {
        bayIds.add(bp + ".id", bay.id());
        required(bp + ".kind", bay.kind());
        nonNegative(bp + ".toEntrance", bay.toEntrance());
        nonNegative(bp + ".toLift", bay.toLift());
      });
    });
  }

  // --- devices

  private void devices(Devices d, List<Link> links) {
    Ids cameraIds = new Ids();
    if (required("$.devices.cameras", d.cameras())) {
      forEach("$.devices.cameras", d.cameras(), (p, c) -> camera(p, c, cameraIds, links));
    }
    Ids hvacIds = new Ids();
    if (required("$.devices.hvacZones", d.hvacZones())) {
      forEach("$.devices.hvacZones", d.hvacZones(), (p, h) -> hvacZone(p, h, hvacIds));
    }
    Ids prefixes = new Ids();
    if (required("$.devices.shelfLabelGroups", d.shelfLabelGroups())) {
      forEach("$.devices.shelfLabelGroups", d.shelfLabelGroups(), (p, g) -> labelGroup(p, g, prefixes));
    }
    Ids kioskIds = new Ids();
    if (required("$.devices.kiosks", d.kiosks())) {
      forEach("$.devices.kiosks", d.kiosks(), (p, k) -> {
        kioskIds.add(p + ".id", k.id());
        ref(p + ".zone", k.zone(), zones, "zone");
      });
    }
    if (d.courierFleet() != null) courierFleet("$.devices.courierFleet", d.courierFleet());
  }

  private void camera(String p, Camera c, Ids ids, List<Link> links) {
    ids.add(p + ".id", c.id());
    ref(p + ".zone", c.zone(), zones, "zone");
    if (!required(p + ".mode", c.mode())) return;
    boolean line = c.mode() == Camera.Mode.LINE;
    boolean gate = c.mode() == Camera.Mode.PLATE_GATE;
    onlyFor(p + ".from", c.from(), line, c.mode());
    onlyFor(p + ".to", c.to(), line, c.mode());
    onlyFor(p + ".carPark", c.carPark(), gate, c.mode());
    onlyFor(p + ".direction", c.direction(), gate, c.mode());
    if (gate) ref(p + ".carPark", c.carPark(), carParks, "car park");
    if (!line) return;
    Zone from = ref(p + ".from", c.from(), zones, "zone");
    Zone to = ref(p + ".to", c.to(), zones, "zone");
    if (from == null || to == null) return;
    if (from == to) {
      error(p + ".to", "a line camera counts the border between two different zones");
    } else if (links != null && links.stream().noneMatch(l -> l != null && l.from() != null && l.to() != null && l.joins(c.from(), c.to()))) {
      error(p, "no link joins '" + c.from() + "' and '" + c.to() + "', so there is no border to count");
    }
    if (c.zone() != null && !c.zone().equals(c.from()) && !c.zone().equals(c.to())) {
      error(p + ".zone", "a line camera is in one of the zones it counts between ('" + c.from() + "' or '" + c.to() + "')");
    }
  }

  private void onlyFor(String p, Object value, boolean used, Camera.Mode mode) {
    if (used && value == null) error(p, "required for a " + mode + " camera");
    if (!used && value != null) error(p, "not used by a " + mode + " camera; leave it out");
  }

  private void hvacZone(String p, HvacZone h, Ids ids) {
    ids.add(p + ".id", h.id());
    Floor floor = ref(p + ".floor", h.floor(), floors, "floor");
    positive(p + ".floorArea", h.floorArea());
    if (!required(p + ".serves", h.serves())) return;
    if (h.serves().isEmpty()) error(p + ".serves", "an HVAC zone serves at least one zone");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < h.serves().size(); i++) {
      String sp = p + ".serves[" + i + "]";
      Zone z = ref(sp, h.serves().get(i), zones, "zone");
      if (z == null) continue;
      if (!seen.add(z.id())) error(sp, "zone '" + z.id() + "' is listed twice");
      if (floor != null && !floor.id().equals(z.floor())) {
        error(sp, "zone '" + z.id() + "' is on floor " + z.floor() + "; this HVAC zone is on " + floor.id());
      }
    }
  }

  private void labelGroup(String p, ShelfLabelGroup g, Ids prefixes) {
    Zone shop = ref(p + ".zone", g.zone(), zones, "zone");
    if (shop != null && shop.kind() != Zone.Kind.SHOP) {
      error(p + ".zone", "shelf labels are in shops; zone '" + shop.id() + "' is a " + shop.kind());
    }
    if (required(p + ".idPrefix", g.idPrefix())) {
      if (!AssetId.isValidName(g.idPrefix() + "-00000")) {
        error(p + ".idPrefix", "'" + g.idPrefix() + "' does not make valid label ids; " + idRule(58));
      } else {
        prefixes.add(p + ".idPrefix", g.idPrefix());
      }
    }
    if (g.count() < 1 || g.count() > ShelfLabelGroup.MAX_COUNT) {
      error(p + ".count", "must be 1 to " + ShelfLabelGroup.MAX_COUNT + ", was " + g.count());
    }
  }

  private void courierFleet(String p, CourierFleet f) {
    if (required(p + ".idPrefix", f.idPrefix()) && !AssetId.isValidName(f.idPrefix() + "-0000")) {
      error(p + ".idPrefix", "'" + f.idPrefix() + "' does not make valid courier ids; " + idRule(59));
    }
    if (f.count() < 1 || f.count() > CourierFleet.MAX_COUNT) {
      error(p + ".count", "must be 1 to " + CourierFleet.MAX_COUNT + ", was " + f.count());
    }
    ref(p + ".hubZone", f.hubZone(), zones, "zone");
  }

  // --- the checks every part uses

  /** The ids of one collection: syntax, and each used once. */
  private final class Ids {
    private final Map<String, String> firstAt = new HashMap<>();

    /** True if the id is well formed and new. */
    boolean add(String p, String id) {
      if (!id(p, id)) return false;
      String other = firstAt.putIfAbsent(id, p);
      if (other != null) error(p, "duplicate id '" + id + "', already used at " + other);
      return other == null;
    }
  }

  private boolean id(String p, String id) {
    if (!required(p, id)) return false;
    if (AssetId.isValidName(id)) return true;
    error(p, "'" + abbreviate(id) + "' is not a valid id; " + idRule(64));
    return false;
  }

  private static String idRule(int maxLength) {
    return "use letters, digits, '.', '_' and '-', starting with a letter or digit, at most " + maxLength + " characters";
  }

  private <T> T ref(String p, String id, Map<String, T> declared, String what) {
    if (!required(p, id)) return null;
    T target = declared.get(id);
    if (target == null) error(p, "unknown " + what + " '" + abbreviate(id) + "'");
    return target;
  }

  private void name(String p, LocalizedName name) {
    if (!required(p, name)) return;
    text(p + ".zh", name.zh());
    text(p + ".en", name.en());
  }

  private void text(String p, String s) {
    if (required(p, s) && s.isBlank()) error(p, "must not be blank");
  }

  private void timezone(String p, String tz) {
    if (required(p, tz) && !ZoneId.getAvailableZoneIds().contains(tz)) {
      error(p, "'" + abbreviate(tz) + "' is not an IANA time zone such as Asia/Shanghai");
    }
  }

  private boolean finite(String p, double d) {
    if (Double.isFinite(d)) return true;
    error(p, "must be a finite number");
    return false;
  }

  private void positive(String p, double d) {
    if (finite(p, d) && d <= 0) error(p, "must be greater than 0, was " + d);
  }

  private void nonNegative(String p, double d) {
    if (finite(p, d) && d < 0) error(p, "must be 0 or more, was " + d);
  }

  private boolean required(String p, Object value) {
    if (value == null) error(p, "required");
    return value != null;
  }

  private interface Check<T> {
    void check(String path, T item);
  }

  /** Checks each element of a list at its path; null elements are reported, not checked. */
  private <T> void forEach(String p, List<T> list, Check<T> check) {
    if (list == null) return;
    for (int i = 0; i < list.size(); i++) {
      String ip = p + "[" + i + "]";
      if (required(ip, list.get(i))) check.check(ip, list.get(i));
    }
  }

  private void error(String path, String message) {
    errors.add(new FieldError(path, message));
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}
