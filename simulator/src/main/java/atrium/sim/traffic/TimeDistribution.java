package atrium.sim.traffic;

import java.util.SplittableRandom;

/** A distribution of durations in seconds: dwell times and patience. */
public sealed interface TimeDistribution {

  double sample(SplittableRandom random);

  double mean();

  /** Always the same duration. */
  record Fixed(double seconds) implements TimeDistribution {
    public Fixed {
      if (!(seconds >= 0)) throw new IllegalArgumentException("seconds must be >= 0, was " + seconds);
    }

    @Override
    public double sample(SplittableRandom random) {
      return seconds;
    }

    @Override
    public double mean() {
      return seconds;
    }
  }

  /** Exponential with the given mean (the M/M/c/c dwell of the Erlang-B check). */
  record Exponential(double meanSeconds) implements TimeDistribution {
    public Exponential {
      if (!(meanSeconds > 0)) throw new IllegalArgumentException("meanSeconds must be positive, was " + meanSeconds);
    }

    @Override
    public double sample(SplittableRandom random) {
      return -meanSeconds * Math.log(1 - random.nextDouble());
    }

    @Override
    public double mean() {
      return meanSeconds;
    }
  }

  /** Log-normal: ln(duration) ~ N(mu, sigma²); median e^mu, mean e^(mu + sigma²/2). */
  record LogNormal(double mu, double sigma) implements TimeDistribution {
    public LogNormal {
      if (!(sigma >= 0) || !Double.isFinite(mu)) throw new IllegalArgumentException("bad log-normal mu " + mu + ", sigma " + sigma);
    }

    public static LogNormal ofMedian(double medianSeconds, double sigma) {
      return new LogNormal(Math.log(medianSeconds), sigma);
    }

    public static LogNormal ofMean(double meanSeconds, double sigma) {
      return new LogNormal(Math.log(meanSeconds) - sigma * sigma / 2, sigma);
    }

    @Override
    public double sample(SplittableRandom random) {
      // Box–Muller on the seeded generator (one of the pair is enough here).
      double u1 = 1 - random.nextDouble(), u2 = random.nextDouble();
      double z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      return Math.exp(mu + sigma * z);
    }

    @Override
    public double mean() {
      return Math.exp(mu + sigma * sigma / 2);
    }
  }
}
