package atrium.sim.scenario;

import atrium.core.site.FieldError;
import atrium.core.site.ShelfLabelGroup;
import atrium.core.site.Site;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Checks what a bound scenario means: ranges, shares that sum to 1, ordered profile periods, event
 * times inside the run, and that every id it names is in the site. Collects every error with its
 * JSON path. Without a site (it failed to load), the checks that need one are skipped.
 */
final class ScenarioValidator {
  /** How far shares may be from summing to 1 (three shares of 0.333 pass). */
  static final double SHARE_TOLERANCE = 0.001;
  static final Duration LONGEST_RUN = Duration.ofDays(366);
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final List<FieldError> errors = new ArrayList<>();
  private final Site site;
  private ZoneId zone;
  private Instant start, end;

  private ScenarioValidator(Site site) {
    this.site = site;
  }

  static List<FieldError> validate(Scenario s, Site site) {
    ScenarioValidator v = new ScenarioValidator(site);
    v.scenario(s);
    return v.errors;
  }

  private void scenario(Scenario s) {
    required("$.site", s.site());
    when(s);
    if (s.visitors() != null) visitors("$.visitors", s.visitors());
    if (s.cars() != null) cars("$.cars", s.cars());
    weather("$.weather", s.weather());
    events(s.events());
    results("$.results", s.results(), s.duration());
    devices("$.devices", s.devices());
  }

  // --- when

  private void when(Scenario s) {
    if (site != null) zone = ZoneId.of(site.timezone());
    if (required("$.start", s.start())) {
      if (s.start().isTimeOfDay()) {
        error("$.start", "expected a date and time: a local date-time like \"2026-12-24T08:00\" or an instant like "
            + "\"2026-12-24T00:00:00Z\", found \"" + s.start() + "\" (a time of day alone is for events)");
      } else if (zone != null) {
        start = s.start().resolve(zone, Instant.EPOCH);
      }
    }
    Duration d = s.duration();
    if (required("$.duration", d)) {
      if (d.isNegative() || d.isZero()) error("$.duration", "must be positive, was " + d);
      else if (d.compareTo(LONGEST_RUN) > 0) error("$.duration", "at most " + LONGEST_RUN.toDays() + " days, was " + d);
      else if (start != null) end = start.plus(d);
    }
  }

  // --- arrivals

  private void visitors(String p, Scenario.Visitors v) {
    stages(p + ".arrivals", v.arrivals());
    shares(p + ".entrances", v.entrances(), "exit",
        site == null ? null : id -> site.exits().stream().anyMatch(e -> e.id().equals(id)),
        site == null ? List.of() : site.exits().stream().map(e -> e.id()).toList());
    Scenario.AgeGroups a = v.ageGroups();
    String ap = p + ".ageGroups";
    boolean each = share(ap + ".under30", a.under30()) & share(ap + ".from30To50", a.from30To50())
        & share(ap + ".over50", a.over50()) & share(ap + ".reducedMobility", a.reducedMobility());
    if (each && Math.abs(a.sum() - 1) > SHARE_TOLERANCE) {
      error(ap, "the shares must sum to 1, they sum to " + num(a.sum()));
    }
    range(p + ".shopsPerVisit", v.shopsPerVisit(), 0, 50);
    logNormal(p + ".dwell", v.dwell());
    Scenario.WalkingSpeeds w = v.walkingSpeeds();
    speed(p + ".walkingSpeeds.under30", w.under30());
    speed(p + ".walkingSpeeds.from30To50", w.from30To50());
    speed(p + ".walkingSpeeds.over50", w.over50());
    speed(p + ".walkingSpeeds.reducedMobility", w.reducedMobility());
  }

  private void cars(String p, Scenario.Cars c) {
    stages(p + ".arrivals", c.arrivals());
    shares(p + ".carParks", c.carParks(), "car park",
        site == null ? null : id -> site.carPark(id).isPresent(),
        site == null ? List.of() : site.carParksById().stream().map(k -> k.id()).toList());
    logNormal(p + ".dwell", c.dwell());
    if (c.patience().isNegative()) error(p + ".patience", "must not be negative, was " + c.patience());
    range(p + ".guidedShare", c.guidedShare(), 0, 1);
  }

  private void stages(String p, List<Scenario.Stage> list) {
    if (!required(p, list)) return;
    if (list.isEmpty()) error(p, "at least one period (leave the whole section out for no arrivals)");
    Scenario.Stage prev = null;
    for (int i = 0; i < list.size(); i++) {
      String sp = p + "[" + i + "]";
      Scenario.Stage st = list.get(i);
      if (!required(sp, st)) continue;
      boolean times = required(sp + ".from", st.from()) & required(sp + ".to", st.to());
      rate(sp + ".perHour", st.perHour());
      if (st.rampTo() != null) rate(sp + ".rampTo", st.rampTo());
      if (!times) continue;
      if (st.to().compareTo(st.from()) <= 0) {
        error(sp + ".to", "must be after from (" + st.from() + "), was " + st.to());
        continue;
      }
      if (prev != null && st.from().compareTo(prev.from()) < 0) {
        error(sp + ".from", "periods must be in order of time: " + period(st) + " starts before the period above it ("
            + period(prev) + ")");
      } else if (prev != null && st.from().compareTo(prev.to()) < 0) {
        error(sp + ".from", "overlaps the period above it (" + period(prev) + "): starts at " + st.from()
            + ", before " + prev.to());
      }
      prev = st;
    }
  }

  private static String period(Scenario.Stage s) {
    return s.from() + "–" + s.to();
  }

  private void rate(String p, double v) {
    if (!Double.isFinite(v) || v < 0) error(p, "arrivals per hour must be a finite number ≥ 0, was " + num(v));
  }

  private void shares(String p, Map<String, Double> map, String what, Predicate<String> exists, List<String> ids) {
    if (map == null) return;
    if (map.isEmpty()) error(p, "at least one " + what + " (leave the field out to spread arrivals over all)");
    double sum = 0;
    boolean each = true;
    for (Map.Entry<String, Double> e : map.entrySet()) {
      String kp = key(p, e.getKey());
      if (exists != null && !exists.test(e.getKey())) {
        error(kp, "the site has no " + what + " '" + e.getKey() + "'; expected one of " + String.join(", ", ids));
      }
      if (required(kp, e.getValue()) && share(kp, e.getValue())) sum += e.getValue();
      else each = false;
    }
    if (each && !map.isEmpty() && Math.abs(sum - 1) > SHARE_TOLERANCE) {
      error(p, "the shares must sum to 1, they sum to " + num(sum));
    }
  }

  private boolean share(String p, double v) {
    if (Double.isFinite(v) && v >= 0 && v <= 1) return true;
    error(p, "a share must be between 0 and 1, was " + num(v));
    return false;
  }

  private void speed(String p, Scenario.SpeedRange r) {
    if (!required(p, r)) return;
    boolean ok = range(p + ".min", r.min(), 0.05, 3) & range(p + ".max", r.max(), 0.05, 3);
    if (ok && r.max() < r.min()) error(p + ".max", "must not be below min (" + num(r.min()) + "), was " + num(r.max()));
  }

  private void logNormal(String p, Scenario.LogNormal d) {
    if (!required(p, d)) return;
    if (required(p + ".median", d.median()) && (d.median().isNegative() || d.median().isZero())) {
      error(p + ".median", "must be positive, was " + d.median());
    }
    range(p + ".sigma", d.sigma(), 0, 3);
  }

  // --- weather

  private void weather(String p, Scenario.Weather w) {
    if (required(p + ".points", w.points())) {
      if (w.points().isEmpty()) error(p + ".points", "at least one point (leave weather out for the default day)");
      ClockTime prev = null;
      for (int i = 0; i < w.points().size(); i++) {
        String pp = p + ".points[" + i + "]";
        Scenario.WeatherPoint pt = w.points().get(i);
        if (!required(pp, pt)) continue;
        range(pp + ".temperature", pt.temperature(), -60, 60);
        range(pp + ".humidity", pt.humidity(), 0, 100);
        if (!required(pp + ".at", pt.at())) continue;
        if (pt.at().isEndOfDay()) {
          error(pp + ".at", "must be before 24:00 (the day wraps round: 24:00 is the next day's 00:00)");
        } else if (prev != null && pt.at().compareTo(prev) <= 0) {
          error(pp + ".at", "points must be in order of time of day, each after the one above it (" + prev + "), was "
              + pt.at());
        }
        prev = pt.at();
      }
    }
    range(p + ".solarPeak", w.solarPeak(), 0, 1400);
    if (w.sunset().compareTo(w.sunrise()) <= 0) {
      error(p + ".sunset", "must be after sunrise (" + w.sunrise() + "), was " + w.sunset());
    }
  }

  // --- events

  private record Resolved(int index, Instant at, ScenarioEvent event) {}

  private void events(List<ScenarioEvent> list) {
    List<Resolved> timed = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String p = "$.events[" + i + "]";
      ScenarioEvent e = list.get(i);
      if (!required(p, e)) continue;
      Instant at = required(p + ".at", e.at()) ? time(p + ".at", e.at(), start, "the run's start") : null;
      if (at != null) timed.add(new Resolved(i, at, e));
      event(p, e, at);
    }
    openings(timed);
  }

  /** Resolves a time and checks it is inside the run; null if it cannot be resolved or is outside. */
  private Instant time(String p, TimePoint t, Instant after, String afterWhat) {
    if (zone == null || after == null || end == null) return null;
    Instant at = t.resolve(zone, after);
    String shown = t.isTimeOfDay() ? "\"" + t + "\" (the first " + t + " after " + afterWhat + ", "
        + local(at) + ")" : local(at);
    if (at.isBefore(start)) {
      error(p, "is " + shown + ", before the run starts (" + local(start) + ")");
      return null;
    }
    if (!at.isBefore(end)) {
      error(p, "is " + shown + ", not before the run ends (" + local(end) + ")");
      return null;
    }
    return at;
  }

  private String local(Instant t) {
    return t.atZone(zone).toLocalDateTime().toString();
  }

  private void until(String p, TimePoint until, Instant at) {
    if (until == null || at == null) return;
    Instant u = until.resolve(zone, at);
    if (!u.isAfter(at)) error(p, "must be after the event's at (" + local(at) + "), was " + local(u));
  }

  private void event(String p, ScenarioEvent e, Instant at) {
    if (e instanceof ScenarioEvent.FireAlarm f) {
      zoneRef(p + ".zone", f.zone());
      logNormal(p + ".reaction", f.reaction());
    } else if (e instanceof ScenarioEvent.ExitClosed c) {
      exitRef(p + ".exit", c.exit());
    } else if (e instanceof ScenarioEvent.ExitOpened o) {
      exitRef(p + ".exit", o.exit());
    } else if (e instanceof ScenarioEvent.HvacFailure h) {
      ids(p + ".hvacZones", h.hvacZones(), "HVAC zone", id -> site.hvacZone(id).isPresent());
      until(p + ".until", h.until(), at);
      if (h.capacityFactor() < 0 || h.capacityFactor() >= 1 || !Double.isFinite(h.capacityFactor())) {
        error(p + ".capacityFactor", "the capacity left, at least 0 and below 1, was " + num(h.capacityFactor()));
      }
    } else if (e instanceof ScenarioEvent.PriceCampaign c) {
      priceCampaign(p, c);
    } else if (e instanceof ScenarioEvent.KioskFault k) {
      ids(p + ".kiosks", k.kiosks(), "kiosk", id -> site.kiosk(id).isPresent());
      until(p + ".until", k.until(), at);
    } else if (e instanceof ScenarioEvent.CameraFault c) {
      ids(p + ".cameras", c.cameras(), "camera", id -> site.camera(id).isPresent());
      until(p + ".until", c.until(), at);
      if (required(p + ".mode", c.mode()) && c.noise() != null) {
        if (c.mode() != ScenarioEvent.CameraFaultMode.NOISE) error(p + ".noise", "only with mode noise");
        else if (!(c.noise() > 0 && c.noise() <= 5)) error(p + ".noise", "a relative standard deviation above 0 and at most 5, was " + num(c.noise()));
      }
    } else if (e instanceof ScenarioEvent.CarParkClosed c) {
      carParkRef(p + ".carPark", c.carPark());
    } else if (e instanceof ScenarioEvent.CarParkOpened o) {
      carParkRef(p + ".carPark", o.carPark());
    }
  }

  private void priceCampaign(String p, ScenarioEvent.PriceCampaign c) {
    if (c.zones().isEmpty() && c.labelPrefixes().isEmpty()) {
      error(p, "name the labels: zones, labelPrefixes or both, at least one entry");
    }
    if (site != null) {
      List<ShelfLabelGroup> groups = site.devices().shelfLabelGroups();
      for (int i = 0; i < c.zones().size(); i++) {
        String zp = p + ".zones[" + i + "]";
        String z = c.zones().get(i);
        if (zoneRef(zp, z) && groups.stream().noneMatch(g -> g.zone().equals(z))) {
          error(zp, "zone '" + z + "' has no shelf labels");
        }
      }
      for (int i = 0; i < c.labelPrefixes().size(); i++) {
        String lp = p + ".labelPrefixes[" + i + "]";
        String prefix = c.labelPrefixes().get(i);
        if (required(lp, prefix) && groups.stream().noneMatch(g -> g.idPrefix().startsWith(prefix))) {
          error(lp, "no shelf-label group's id prefix starts with '" + prefix + "'");
        }
      }
    }
    if (!(c.priceChange() > -1 && c.priceChange() <= 10)) {
      error(p + ".priceChange", "a relative change above -1 and at most 10 (-0.2 is 20 % off), was " + num(c.priceChange()));
    }
  }

  /** Exits and car parks: opened only when closed, closed only when open, in order of time. */
  private void openings(List<Resolved> timed) {
    Map<String, Integer> closedBy = new HashMap<>();
    timed.sort(Comparator.comparing(Resolved::at).thenComparingInt(Resolved::index));
    for (Resolved r : timed) {
      String p = "$.events[" + r.index() + "]";
      if (r.event() instanceof ScenarioEvent.ExitClosed c) close(closedBy, p + ".exit", "exit", c.exit());
      else if (r.event() instanceof ScenarioEvent.ExitOpened o) open(closedBy, p + ".exit", "exit", o.exit());
      else if (r.event() instanceof ScenarioEvent.CarParkClosed c) close(closedBy, p + ".carPark", "car park", c.carPark());
      else if (r.event() instanceof ScenarioEvent.CarParkOpened o) open(closedBy, p + ".carPark", "car park", o.carPark());
    }
  }

  private void close(Map<String, Integer> closedBy, String p, String what, String id) {
    if (id == null) return;
    if (closedBy.putIfAbsent(what + " " + id, 0) != null) error(p, what + " '" + id + "' is already closed at that time");
  }

  private void open(Map<String, Integer> closedBy, String p, String what, String id) {
    if (id == null) return;
    if (closedBy.remove(what + " " + id) == null) error(p, what + " '" + id + "' is not closed at that time");
  }

  private boolean zoneRef(String p, String id) {
    if (!required(p, id)) return false;
    if (site != null && site.zone(id).isEmpty()) {
      error(p, "the site has no zone '" + id + "'");
      return false;
    }
    return true;
  }

  private void exitRef(String p, String id) {
    if (required(p, id) && site != null && site.exits().stream().noneMatch(e -> e.id().equals(id))) {
      error(p, "the site has no exit '" + id + "'; expected one of "
          + site.exits().stream().map(e -> e.id()).collect(Collectors.joining(", ")));
    }
  }

  private void carParkRef(String p, String id) {
    if (required(p, id) && site != null && site.carPark(id).isEmpty()) {
      error(p, "the site has no car park '" + id + "'; expected one of "
          + site.carParksById().stream().map(c -> c.id()).collect(Collectors.joining(", ")));
    }
  }

  private void ids(String p, List<String> list, String what, Predicate<String> exists) {
    if (!required(p, list)) return;
    if (list.isEmpty()) error(p, "at least one " + what);
    Set<String> seen = new HashSet<>();
    IntStream.range(0, list.size()).forEach(i -> {
      String ip = p + "[" + i + "]";
      String id = list.get(i);
      if (!required(ip, id)) return;
      if (!seen.add(id)) error(ip, "'" + id + "' is listed twice");
      else if (site != null && !exists.test(id)) error(ip, "the site has no " + what + " '" + id + "'");
    });
  }

  // --- results and devices

  private void results(String p, Scenario.Results r, Duration runLength) {
    Set<Scenario.Series> seen = new HashSet<>();
    for (int i = 0; i < r.series().size(); i++) {
      Scenario.Series s = r.series().get(i);
      if (required(p + ".series[" + i + "]", s) && !seen.add(s)) error(p + ".series[" + i + "]", "'" + s + "' is listed twice");
    }
    if (r.every().isNegative() || r.every().isZero()) error(p + ".every", "must be positive, was " + r.every());
    else if (runLength != null && runLength.compareTo(Duration.ZERO) > 0 && r.every().compareTo(runLength) > 0) {
      error(p + ".every", "must not be longer than the run (" + runLength + "), was " + r.every());
    }
  }

  private void devices(String p, Scenario.DeviceBehaviour d) {
    range(p + ".cameras.countNoise", d.cameras().countNoise(), 0, 1);
    Scenario.ShelfLabelBehaviour l = d.shelfLabels();
    if (l.labelsPerBaseStation() < 1) error(p + ".shelfLabels.labelsPerBaseStation", "at least 1, was " + l.labelsPerBaseStation());
    if (!(l.updatesPerMinute() > 0 && l.updatesPerMinute() <= 1e6)) {
      error(p + ".shelfLabels.updatesPerMinute", "above 0 and at most 1000000, was " + num(l.updatesPerMinute()));
    }
    if (!(l.ackLoss() >= 0 && l.ackLoss() < 1)) error(p + ".shelfLabels.ackLoss", "a probability at least 0 and below 1, was " + num(l.ackLoss()));
    range(p + ".shelfLabels.batteryPerUpdate", l.batteryPerUpdate(), 0, 100);
    range(p + ".shelfLabels.batteryPerDay", l.batteryPerDay(), 0, 100);
    positive(p + ".kiosks.heartbeatEvery", d.kiosks().heartbeatEvery());
    positive(p + ".couriers.reportEvery", d.couriers().reportEvery());
  }

  // --- helpers

  private void positive(String p, Duration d) {
    if (d.isNegative() || d.isZero()) error(p, "must be positive, was " + d);
  }

  private boolean range(String p, double v, double min, double max) {
    if (Double.isFinite(v) && v >= min && v <= max) return true;
    error(p, "must be between " + num(min) + " and " + num(max) + ", was " + num(v));
    return false;
  }

  private boolean required(String p, Object value) {
    if (value != null) return true;
    error(p, "required");
    return false;
  }

  private void error(String p, String message) {
    errors.add(new FieldError(p, message));
  }

  /** {@code $.a.b} for a plain key, {@code $.a['EXIT-01']} for one with other characters. */
  static String key(String p, String key) {
    return PLAIN_KEY.matcher(key).matches() ? p + "." + key : p + "['" + key.replace("'", "\\'") + "']";
  }

  static String num(double v) {
    if (!Double.isFinite(v)) return String.valueOf(v);
    return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
  }
}
