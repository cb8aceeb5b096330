package atrium.sim.kpi;

import java.util.List;

/**
 * A value that depends on the local time of day only (a time-of-use electricity tariff, a grid's
 * carbon intensity): a list of periods, each [from, to) in hours of the day with its value, and the
 * value {@code otherwise}. A period with {@code from > to} wraps midnight (22:00–06:00). Periods must
 * not overlap. The same profile applies every day.
 */
public record TimeOfDayProfile(List<Period> periods, double otherwise) {

  /** {@code [fromHour, toHour)} at {@code value}; wraps midnight when {@code fromHour > toHour}. */
  public record Period(double fromHour, double toHour, double value) {
    public Period {
      if (!(fromHour >= 0 && fromHour < 24 && toHour >= 0 && toHour <= 24 && fromHour != toHour)) {
        throw new IllegalArgumentException("a period runs between two different hours in 0..24, found " + fromHour + "-" + toHour);
      }
      if (!Double.isFinite(value)) throw new IllegalArgumentException("a period's value must be finite");
    }

    boolean contains(double hour) {
      return fromHour < toHour ? hour >= fromHour && hour < toHour : hour >= fromHour || hour < toHour;
    }
  }

  /**
   * The default tariff (currency units per kWh, read as CNY): peak 14:00–17:00 at 1.20, valley
   * 22:00–06:00 at 0.35, 0.75 otherwise. <b>An assumption</b> shaped like a Chinese commercial
   * time-of-use tariff, not a published rate; the peak window is the 14:00–17:00 demand-response
   * window of MODELS.md (Xu et al., 2004).
   */
  public static final TimeOfDayProfile DEFAULT_TARIFF =
      new TimeOfDayProfile(List.of(new Period(14, 17, 1.20), new Period(22, 6, 0.35)), 0.75);

  /**
   * The default grid carbon intensity, kg CO2 per kWh: a constant 0.57, about the Chinese national
   * grid's published average emission factor of recent years (unverified; an assumption — no hourly
   * profile).
   */
  public static final TimeOfDayProfile DEFAULT_CARBON = constant(0.57);

  public TimeOfDayProfile {
    periods = List.copyOf(periods);
    if (!Double.isFinite(otherwise)) throw new IllegalArgumentException("otherwise must be finite");
    for (int i = 0; i < periods.size(); i++) {
      for (int j = i + 1; j < periods.size(); j++) {
        if (overlap(periods.get(i), periods.get(j))) throw new IllegalArgumentException("periods overlap: " + periods.get(i) + ", " + periods.get(j));
      }
    }
  }

  public static TimeOfDayProfile constant(double value) {
    return new TimeOfDayProfile(List.of(), value);
  }

  private static boolean overlap(Period a, Period b) {
    // Periods start and end on any real hour; test each one's start against the other, which is
    // enough for intervals on a circle.
    return a.contains(b.fromHour) || b.contains(a.fromHour);
  }

  /** The value at a local hour of day (taken modulo 24). */
  public double valueAt(double hour) {
    double h = mod24(hour);
    for (Period p : periods) {
      if (p.contains(h)) return p.value;
    }
    return otherwise;
  }

  /**
   * ∫ value dh from {@code startHour} over {@code hours} (value × hours), splitting at period
   * boundaries, so a step that straddles one is charged exactly.
   */
  public double integral(double startHour, double hours) {
    double sum = 0;
    double h = startHour;
    double end = startHour + hours;
    while (h < end - 1e-12) {
      double next = Math.min(end, nextBoundary(h));
      sum += valueAt(h) * (next - h);
      h = next;
    }
    return sum;
  }

  /** The first period boundary strictly after {@code hour} (absolute hours, not wrapped). */
  private double nextBoundary(double hour) {
    double base = Math.floor(hour / 24) * 24;
    double best = base + 24;
    for (Period p : periods) {
      best = Math.min(best, after(base + p.fromHour, hour));
      best = Math.min(best, after(base + p.toHour, hour));
    }
    return best;
  }

  private static double after(double at, double hour) {
    return at <= hour + 1e-12 ? at + 24 : at;
  }

  private static double mod24(double h) {
    double m = h % 24;
    return m < 0 ? m + 24 : m;
  }
}
