package atrium.load.drive;

import java.time.Duration;

/**
 * One stage of a load profile: the arrival rate goes linearly from {@code from} to {@code to}
 * requests per second over {@code duration}. A hold has {@code from == to}; a spike is a short hold
 * at a high rate, named apart so the report can show where it was.
 */
public record Stage(String type, double from, double to, Duration duration) {
  public Stage {
    if (!type.equals("ramp") && !type.equals("hold") && !type.equals("spike")) {
      throw new IllegalArgumentException("unknown stage type '" + type + "'; expected ramp, hold or spike");
    }
    if (!(from >= 0) || !(to >= 0) || Double.isInfinite(from) || Double.isInfinite(to)) {
      throw new IllegalArgumentException("a stage's rates must be finite and ≥ 0, found " + from + " → " + to);
    }
    if (duration.isNegative() || duration.isZero()) throw new IllegalArgumentException("a stage must last longer than 0 s");
  }

  public static Stage ramp(double from, double to, Duration duration) {
    return new Stage("ramp", from, to, duration);
  }

  public static Stage hold(double rate, Duration duration) {
    return new Stage("hold", rate, rate, duration);
  }

  public static Stage spike(double rate, Duration duration) {
    return new Stage("spike", rate, rate, duration);
  }

  public double seconds() {
    return duration.toNanos() / 1e9;
  }

  /** Requests planned in the stage: the area under the rate. */
  public long planned() {
    return Math.round((from + to) / 2 * seconds());
  }

  /** Seconds from the stage's start at which the {@code k}-th request (from 0) is due. */
  public double dueAt(long k) {
    double t;
    double T = seconds();
    if (from == to) {
      t = k / from;
    } else {
      // requests due by t: N(t) = from·t + (to − from)·t² / (2T); solve N(t) = k
      double a = (to - from) / (2 * T);
      double disc = Math.max(0, from * from + 4 * a * k);
      t = (-from + Math.sqrt(disc)) / (2 * a);
    }
    return Math.min(Math.max(t, 0), Math.nextDown(T));
  }
}
