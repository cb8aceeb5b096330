package atrium.sim.scenario;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;

/**
 * A daily arrival profile laid out over one run: the rate (arrivals per hour) at any instant, the
 * expected number of arrivals over any interval (the integral of the rate), and the next arrival of a
 * non-homogeneous Poisson process by inverting that integral.
 *
 * <p>The profile's periods, in the site's local time, repeat every local day of the run and are cut
 * at its start and end. Inside the object they are flat arrays of segments in epoch seconds (each a
 * straight line from one rate to another), so the lookups allocate nothing: {@link #perHourAt(double)}
 * is a binary search and an interpolation.
 */
public final class ProfileRate {
  private final double start, end;
  private final double[] t0, t1, r0, r1;
  private final double peak;

  private ProfileRate(double start, double end, double[] t0, double[] t1, double[] r0, double[] r1) {
    this.start = start;
    this.end = end;
    this.t0 = t0;
    this.t1 = t1;
    this.r0 = r0;
    this.r1 = r1;
    double p = 0;
    for (int i = 0; i < r0.length; i++) p = Math.max(p, Math.max(r0[i], r1[i]));
    this.peak = p;
  }

  /** No arrivals at all. */
  public static ProfileRate none(Instant start, Instant end) {
    return new ProfileRate(seconds(start), seconds(end), new double[0], new double[0], new double[0], new double[0]);
  }

  /** The stages (ordered, not overlapping: see {@link ScenarioLoader}) repeated on each local day from start to end. */
  public static ProfileRate of(List<Scenario.Stage> stages, ZoneId zone, Instant start, Instant end) {
    double s = seconds(start), e = seconds(end);
    LocalDate first = start.atZone(zone).toLocalDate().minusDays(1), last = end.atZone(zone).toLocalDate();
    int days = (int) (last.toEpochDay() - first.toEpochDay()) + 1;
    int cap = days * stages.size(), n = 0;
    double[] t0 = new double[cap], t1 = new double[cap], r0 = new double[cap], r1 = new double[cap];
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
      for (Scenario.Stage st : stages) {
        double a = seconds(at(d, st.from(), zone).toInstant()), b = seconds(at(d, st.to(), zone).toInstant());
        if (n > 0) a = Math.max(a, t1[n - 1]); // a clock change may fold local times over each other
        double x = Math.max(a, s), y = Math.min(b, e);
        if (!(y > x)) continue;
        t0[n] = x;
        t1[n] = y;
        r0[n] = lerp(st.perHour(), st.endPerHour(), a, b, x);
        r1[n] = lerp(st.perHour(), st.endPerHour(), a, b, y);
        n++;
      }
    }
    return new ProfileRate(s, e, Arrays.copyOf(t0, n), Arrays.copyOf(t1, n), Arrays.copyOf(r0, n), Arrays.copyOf(r1, n));
  }

  public Instant start() {
    return instant(start);
  }

  public Instant end() {
    return instant(end);
  }

  /** Arrivals per hour at {@code t}; 0 outside every period and outside the run. */
  public double perHourAt(Instant t) {
    return perHourAt(seconds(t));
  }

  /** Arrivals per hour at {@code epochSecond} (fractional seconds since the epoch). */
  public double perHourAt(double epochSecond) {
    int i = segmentAtOrBefore(epochSecond);
    if (i < 0 || epochSecond >= t1[i]) return 0;
    return rate(i, epochSecond);
  }

  /** The expected number of arrivals from {@code from} to {@code to}: the integral of the rate. */
  public double expected(Instant from, Instant to) {
    return expected(seconds(from), seconds(to));
  }

  public double expected(double fromEpochSecond, double toEpochSecond) {
    double sum = 0;
    int i = Math.max(0, segmentAtOrBefore(fromEpochSecond));
    for (; i < t0.length && t0[i] < toEpochSecond; i++) {
      double x = Math.max(t0[i], fromEpochSecond), y = Math.min(t1[i], toEpochSecond);
      if (y > x) sum += (rate(i, x) + rate(i, y)) / 2 * (y - x) / 3600;
    }
    return sum;
  }

  /** The expected number of arrivals over the whole run. */
  public double total() {
    return expected(start, end);
  }

  /** The highest rate in the run, arrivals per hour (the bound for thinning). */
  public double peakPerHour() {
    return peak;
  }

  /**
   * The time of the next arrival after {@code fromEpochSecond}, given a draw {@code unitExponential}
   * from the exponential distribution with mean 1 (e.g. {@code -Math.log(1 - random.nextDouble())}):
   * the time t with {@code expected(from, t) == unitExponential}. Drawing arrivals this way from one
   * to the next gives a non-homogeneous Poisson process with this rate (time-rescaling theorem).
   * {@link Double#POSITIVE_INFINITY} when the run ends first.
   */
  public double nextArrival(double fromEpochSecond, double unitExponential) {
    double left = unitExponential;
    int i = Math.max(0, segmentAtOrBefore(fromEpochSecond));
    for (; i < t0.length; i++) {
      double x = Math.max(t0[i], fromEpochSecond);
      if (x >= t1[i]) continue;
      double rx = rate(i, x), rb = r1[i];
      double area = (rx + rb) / 2 * (t1[i] - x) / 3600;
      if (left <= area) {
        double k = (r1[i] - r0[i]) / (t1[i] - t0[i]); // per hour, per second
        double need = 3600 * left;
        // solve rx·u + k·u²/2 = need for u ≥ 0 in a form that is stable for k → 0 and k < 0
        double u = 2 * need / (rx + Math.sqrt(Math.max(0, rx * rx + 2 * k * need)));
        return Math.min(x + u, t1[i]);
      }
      left -= area;
    }
    return Double.POSITIVE_INFINITY;
  }

  private int segmentAtOrBefore(double t) {
    int lo = 0, hi = t0.length - 1, found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (t0[mid] <= t) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  private double rate(int i, double t) {
    double span = t1[i] - t0[i];
    return span <= 0 ? r0[i] : r0[i] + (r1[i] - r0[i]) * (t - t0[i]) / span;
  }

  private static double lerp(double ra, double rb, double a, double b, double t) {
    return b <= a ? ra : ra + (rb - ra) * (t - a) / (b - a);
  }

  private static ZonedDateTime at(LocalDate day, ClockTime time, ZoneId zone) {
    return time.isEndOfDay() ? day.plusDays(1).atStartOfDay(zone) : ZonedDateTime.of(day, time.toLocalTime(), zone);
  }

  static double seconds(Instant t) {
    return t.getEpochSecond() + t.getNano() / 1e9;
  }

  private static Instant instant(double epochSecond) {
    long s = (long) Math.floor(epochSecond);
    return Instant.ofEpochSecond(s, Math.round((epochSecond - s) * 1e9));
  }
}
