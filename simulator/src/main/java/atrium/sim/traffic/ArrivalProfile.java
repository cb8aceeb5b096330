package atrium.sim.traffic;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A piecewise-constant arrival rate that repeats every {@code rates.length} periods, like a
 * k6/Gatling open-model stage list: {@code carsPerHour[i]} holds from {@code i·periodSeconds} to
 * {@code (i+1)·periodSeconds} of the profile's own clock, which reads {@code phaseSeconds} at
 * simulated time 0 (e.g. 14 h × 3600 for a run that starts at 14:00 on an hourly daily profile).
 *
 * <p>Arrivals are drawn from the non-homogeneous Poisson process by exact inversion of the
 * cumulative rate Λ(t) = ∫ λ: draw E ~ Exp(1), then walk the pieces until Λ(t) − Λ(t₀) = E. No
 * thinning, no rejected candidates, and exact for piecewise-constant rates.
 */
public record ArrivalProfile(double periodSeconds, double[] carsPerHour, double phaseSeconds) {

  public ArrivalProfile {
    if (!(periodSeconds > 0)) throw new IllegalArgumentException("periodSeconds must be positive, was " + periodSeconds);
    if (carsPerHour == null || carsPerHour.length == 0) throw new IllegalArgumentException("carsPerHour must not be empty");
    for (double r : carsPerHour) {
      if (!(r >= 0) || Double.isInfinite(r)) throw new IllegalArgumentException("rates must be finite and >= 0, was " + r);
    }
    carsPerHour = carsPerHour.clone();
  }

  /** A constant rate, in cars per hour. */
  public static ArrivalProfile constant(double carsPerHour) {
    return new ArrivalProfile(3600, new double[] {carsPerHour}, 0);
  }

  /** Hourly rates for the 24 hours of a day; the run starts {@code startSecondOfDay} after midnight. */
  public static ArrivalProfile daily(double[] carsPerHourByHour, double startSecondOfDay) {
    if (carsPerHourByHour.length != 24) throw new IllegalArgumentException("a daily profile has 24 hourly rates");
    return new ArrivalProfile(3600, carsPerHourByHour, startSecondOfDay);
  }

  /** The same profile with every rate multiplied by {@code factor}. */
  public ArrivalProfile scaled(double factor) {
    double[] r = carsPerHour.clone();
    for (int i = 0; i < r.length; i++) r[i] *= factor;
    return new ArrivalProfile(periodSeconds, r, phaseSeconds);
  }

  /** The rate in cars per second at simulated time {@code t}. */
  public double ratePerSecond(double t) {
    return carsPerHour[pieceOf(t)] / 3600.0;
  }

  /** The expected number of arrivals in [t0, t1): ∫ λ. */
  public double expectedArrivals(double t0, double t1) {
    double sum = 0;
    double t = t0;
    while (t < t1) {
      double end = Math.min(pieceEnd(t), t1);
      sum += ratePerSecond(t) * (end - t);
      t = end;
    }
    return sum;
  }

  /** The time of the next arrival after {@code t} (positive infinity if the profile is all zero). */
  double nextArrival(double t, SplittableRandom random) {
    double cycle = cycleArrivals();
    if (cycle == 0) return Double.POSITIVE_INFINITY;
    double e = -Math.log(1 - random.nextDouble());
    // Whole cycles first, so a long closed night costs nothing.
    double cycles = Math.floor(e / cycle);
    if (cycles > 0) {
      e -= cycles * cycle;
      t += cycles * periodSeconds * carsPerHour.length;
    }
    while (true) {
      double rate = ratePerSecond(t);
      double end = pieceEnd(t);
      double mass = rate * (end - t);
      if (mass >= e) return t + e / rate;
      e -= mass;
      t = end;
    }
  }

  private double cycleArrivals() {
    double sum = 0;
    for (double r : carsPerHour) sum += r;
    return sum / 3600.0 * periodSeconds;
  }

  private int pieceOf(double t) {
    long k = (long) Math.floor((t + phaseSeconds) / periodSeconds);
    return (int) Math.floorMod(k, (long) carsPerHour.length);
  }

  private double pieceEnd(double t) {
    long k = (long) Math.floor((t + phaseSeconds) / periodSeconds);
    double end = (k + 1) * periodSeconds - phaseSeconds;
    // Guard against rounding leaving t exactly on a boundary.
    return end > t ? end : end + periodSeconds;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ArrivalProfile p && p.periodSeconds == periodSeconds && p.phaseSeconds == phaseSeconds
        && Arrays.equals(p.carsPerHour, carsPerHour);
  }

  @Override
  public int hashCode() {
    return Double.hashCode(periodSeconds) * 31 + Arrays.hashCode(carsPerHour) + Double.hashCode(phaseSeconds) * 17;
  }

  @Override
  public String toString() {
    return "ArrivalProfile[period " + periodSeconds + " s, " + Arrays.toString(carsPerHour) + " cars/h, phase " + phaseSeconds + " s]";
  }
}
