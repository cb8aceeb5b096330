package atrium.core.control;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Occupancy forecast learnt from the twin's own history: for each zone, day type (weekday or weekend)
 * and 15-minute slot of the site's local day, an exponentially weighted mean of the people seen in
 * that slot on past days of the same type. Observations must arrive in time order per zone and slot
 * (the history's downsampled buckets do); the first observation of a slot sets its mean, each later
 * one moves it by {@code alpha} of the difference, so a slot's forecast weighs day d−k of its type by
 * α(1−α)^k.
 *
 * <p>Falls back, in order: the zone's slot of the other day type; the site-wide profile of the slot
 * (the mean over zones that have the slot, per zone) of the day type, then of the other; 0. Pure and
 * deterministic; not thread-safe (one owner, e.g. the optimiser entity).
 */
public final class OccupancyForecast {
  public static final Duration SLOT = Duration.ofMinutes(15);
  public static final int SLOTS_PER_DAY = 96;

  public enum DayType {
    WEEKDAY,
    WEEKEND;

    public static DayType of(LocalDate day) {
      DayOfWeek d = day.getDayOfWeek();
      return d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY ? WEEKEND : WEEKDAY;
    }
  }

  /** Forecast error over {@code n} slots: mean absolute and root-mean-square, in people. */
  public record Error(double mae, double rmse, int n) {
    public static Error of(double[] actual, double[] predicted) {
      if (actual.length != predicted.length || actual.length == 0) {
        throw new IllegalArgumentException("need two series of the same, non-zero length");
      }
      double abs = 0, sq = 0;
      for (int i = 0; i < actual.length; i++) {
        double e = predicted[i] - actual[i];
        abs += Math.abs(e);
        sq += e * e;
      }
      return new Error(abs / actual.length, Math.sqrt(sq / actual.length), actual.length);
    }
  }

  /** One zone's learnt means: [day type][slot], NaN where nothing was seen. */
  private static final class Profile {
    final double[][] mean = new double[2][SLOTS_PER_DAY];
    int observations;

    Profile() {
      for (double[] m : mean) java.util.Arrays.fill(m, Double.NaN);
    }
  }

  private final ZoneId timezone;
  private final double alpha;
  private final Map<String, Profile> zones = new TreeMap<>();

  public OccupancyForecast(ZoneId timezone, double alpha) {
    if (!(alpha > 0 && alpha <= 1)) throw new IllegalArgumentException("alpha must be in (0, 1], was " + alpha);
    this.timezone = timezone;
    this.alpha = alpha;
  }

  public double alpha() {
    return alpha;
  }

  /**
   * {@code people} were in {@code zone} during the slot containing {@code at}. Give one observation
   * per slot and day (the history's 15-minute buckets do): a second one of the same slot and day is
   * averaged in with weight α like a later day's. Negative or non-finite values are ignored.
   */
  public void observe(String zone, Instant at, double people) {
    if (!Double.isFinite(people) || people < 0) return;
    ZonedDateTime local = at.atZone(timezone);
    int type = DayType.of(local.toLocalDate()).ordinal();
    int slot = slotOf(local);
    Profile p = zones.computeIfAbsent(zone, z -> new Profile());
    double m = p.mean[type][slot];
    p.mean[type][slot] = Double.isNaN(m) ? people : m + alpha * (people - m);
    p.observations++;
  }

  /** The expected people in {@code zone} during the slot containing {@code at}. */
  public double forecast(String zone, Instant at) {
    ZonedDateTime local = at.atZone(timezone);
    int type = DayType.of(local.toLocalDate()).ordinal();
    int slot = slotOf(local);
    Profile p = zones.get(zone);
    if (p != null) {
      if (!Double.isNaN(p.mean[type][slot])) return p.mean[type][slot];
      if (!Double.isNaN(p.mean[1 - type][slot])) return p.mean[1 - type][slot];
    }
    double site = sitePerZone(type, slot);
    if (!Double.isNaN(site)) return site;
    site = sitePerZone(1 - type, slot);
    return Double.isNaN(site) ? 0 : site;
  }

  /** The sum over every known zone of the forecast for the slot containing {@code at}. */
  public double siteForecast(Instant at) {
    double sum = 0;
    for (String z : zones.keySet()) sum += forecast(z, at);
    return sum;
  }

  /** The largest forecast for {@code zone} over the slots starting in {@code [from, to)}. */
  public double peak(String zone, Instant from, Instant to) {
    double max = 0;
    for (Instant t = slotStart(from); t.isBefore(to); t = t.plus(SLOT)) max = Math.max(max, forecast(zone, t));
    return max;
  }

  public Set<String> zones() {
    return java.util.Collections.unmodifiableSet(zones.keySet());
  }

  /** Observations taken in, over every zone. */
  public long observations() {
    long n = 0;
    for (Profile p : zones.values()) n += p.observations;
    return n;
  }

  /** The start of the slot containing {@code at}, on the site's local clock. */
  public Instant slotStart(Instant at) {
    ZonedDateTime local = at.atZone(timezone);
    return local.toLocalDate().atStartOfDay(timezone).plus(SLOT.multipliedBy(slotOf(local))).toInstant();
  }

  private double sitePerZone(int type, int slot) {
    double sum = 0;
    int n = 0;
    for (Profile p : zones.values()) {
      double m = p.mean[type][slot];
      if (!Double.isNaN(m)) {
        sum += m;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  private static int slotOf(ZonedDateTime local) {
    int minute = local.getHour() * 60 + local.getMinute();
    return Math.min(SLOTS_PER_DAY - 1, minute / 15);
  }
}
