package atrium.load.drive;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the highest arrival rate that holds a service-level objective: holds the rate for a trial,
 * multiplies it by {@code factor} while the objective holds, then bisects between the last rate that
 * held and the first that broke until they are within {@code tolerance} of each other (or
 * {@code maxTrials} trials have run).
 */
public final class CapacitySearch {
  /** The objective: corrected p99 at most {@code p99Millis}, errors (dropped requests included) at most {@code maxErrorRate}. */
  public record Slo(double p99Millis, double maxErrorRate) {
    public boolean holds(Trial t) {
      return t.completed() > 0 && t.p99Millis() <= p99Millis && t.errorRate() <= maxErrorRate;
    }

    public String describe() {
      return String.format(java.util.Locale.ROOT, "p99 ≤ %.0f ms and errors ≤ %.2f %%", p99Millis, maxErrorRate * 100);
    }
  }

  /** One trial's outcome at a rate. */
  public record Trial(double rate, double achieved, long completed, double p99Millis, double errorRate, boolean held, String saturated) {}

  public interface Runner {
    Trial run(double rate) throws Exception;
  }

  public record Result(Slo slo, double highestHeld, double lowestBroken, List<Trial> trials) {}

  private final Slo slo;
  private final double startRate;
  private final double factor;
  private final double tolerance;
  private final int maxTrials;

  public CapacitySearch(Slo slo, double startRate, double factor, double tolerance, int maxTrials) {
    if (!(startRate > 0)) throw new IllegalArgumentException("the capacity search's start rate must be > 0");
    if (!(factor > 1)) throw new IllegalArgumentException("the capacity search's factor must be > 1");
    if (!(tolerance > 0)) throw new IllegalArgumentException("the capacity search's tolerance must be > 0");
    this.slo = slo;
    this.startRate = startRate;
    this.factor = factor;
    this.tolerance = tolerance;
    this.maxTrials = maxTrials;
  }

  public Result search(Runner runner) throws Exception {
    List<Trial> trials = new ArrayList<>();
    double held = 0;
    double broken = Double.NaN;
    double rate = startRate;
    while (trials.size() < maxTrials) {
      Trial t = runner.run(rate);
      boolean ok = slo.holds(t);
      trials.add(new Trial(t.rate(), t.achieved(), t.completed(), t.p99Millis(), t.errorRate(), ok, t.saturated()));
      if (ok) held = Math.max(held, rate);
      else broken = Double.isNaN(broken) ? rate : Math.min(broken, rate);
      if (Double.isNaN(broken)) {
        rate = rate * factor;
      } else {
        if (held > 0 && (broken - held) / held <= tolerance) break;
        if (held == 0 && broken <= startRate * tolerance) break;
        rate = (held + broken) / 2;
      }
    }
    return new Result(slo, held, broken, trials);
  }
}
