package atrium.core.control;

/**
 * A fixed-step PI(D) controller in the parallel ("ideal") form
 *
 * <pre>  u = clamp( Kp·(b·r − y)·s + I + D , min, max ),  s = +1 reverse acting (heating), −1 direct acting (cooling)</pre>
 *
 * with the integral I = (Kp/Ti)·∫e dt kept in output units, e = s·(r − y), and the derivative taken on
 * the measurement only (no kick on setpoint changes), filtered with a first-order lag Td/N (N = 10).
 *
 * <p><b>Anti-windup</b> ({@link AntiWindup}): {@code CONDITIONAL} integration (clamping) — the integral
 * is frozen while the output is saturated and the error would drive it further into saturation;
 * {@code BACK_CALCULATION} — the integral is pulled back by (u − v)/Tt, v the unclamped output, with the
 * tracking time Tt ({@link Settings#trackingTime()}); {@code NONE} — the plain integral (for comparison).
 *
 * <p><b>Bumpless transfer.</b> {@link #transfer(double, double, double)} re-initialises the integral so
 * that the next output at the given setpoint and measurement equals the given output (mode changes,
 * manual → automatic, recovery from a sensor fault). Setpoint changes are bumpless when the setpoint
 * weight b is 0 — which is the same as re-initialising the integral on every setpoint change; b = 1
 * gives the usual proportional kick.
 *
 * <p>Deterministic, not thread-safe; {@link #update} allocates nothing.
 */
public final class Pid {
  /** How the integral is kept from winding up while the output is saturated. */
  public enum AntiWindup { NONE, CONDITIONAL, BACK_CALCULATION }

  /**
   * @param kp proportional gain, output units per measurement unit (> 0)
   * @param ti integral time, s (+∞ for no integral action)
   * @param td derivative time, s (0 for PI)
   * @param min lowest output
   * @param max highest output
   * @param directActing true when the output must rise as the measurement rises (cooling)
   * @param setpointWeight b in the proportional term (0…1; 0 makes setpoint changes bumpless)
   * @param antiWindup the anti-windup scheme
   * @param trackingTime Tt for back-calculation, s (NaN: √(Ti·Td) with D, Ti/10 without)
   */
  public record Settings(double kp, double ti, double td, double min, double max, boolean directActing,
      double setpointWeight, AntiWindup antiWindup, double trackingTime) {
    public Settings {
      if (!(kp > 0) || Double.isInfinite(kp)) throw new IllegalArgumentException("kp must be positive and finite: " + kp);
      if (!(ti > 0)) throw new IllegalArgumentException("ti must be positive (or infinite): " + ti);
      if (!(td >= 0) || Double.isInfinite(td)) throw new IllegalArgumentException("td must be >= 0: " + td);
      if (!(min < max)) throw new IllegalArgumentException("min " + min + " must be below max " + max);
      if (!(setpointWeight >= 0 && setpointWeight <= 1)) throw new IllegalArgumentException("setpoint weight must be 0..1");
      if (antiWindup == null) throw new IllegalArgumentException("antiWindup");
      if (Double.isNaN(trackingTime)) trackingTime = td > 0 && Double.isFinite(ti) ? Math.sqrt(ti * td) : ti / 10;
      if (!(trackingTime > 0)) throw new IllegalArgumentException("tracking time must be positive");
    }

    /** A reverse-acting PI (output rises as the measurement falls below the setpoint) with conditional integration. */
    public static Settings pi(double kp, double ti, double min, double max) {
      return new Settings(kp, ti, 0, min, max, false, 1, AntiWindup.CONDITIONAL, Double.NaN);
    }

    /**
     * SIMC tuning (Skogestad 2003) for a first-order-plus-delay plant: Kp = τ/(K·(λ + θ)), Ti = min(τ, 4·(λ + θ)).
     *
     * @param processGain K, steady-state measurement change per output unit (> 0)
     * @param timeConstant τ, s
     * @param delay θ, s (half a sample period at least for a sampled loop)
     * @param closedLoopTime λ, the desired closed-loop time constant, s
     */
    public static Settings simc(double processGain, double timeConstant, double delay, double closedLoopTime, double min, double max) {
      double kp = timeConstant / (processGain * (closedLoopTime + delay));
      double ti = Math.min(timeConstant, 4 * (closedLoopTime + delay));
      return pi(kp, ti, min, max);
    }

    public Settings withDirectActing(boolean direct) {
      return new Settings(kp, ti, td, min, max, direct, setpointWeight, antiWindup, trackingTime);
    }

    public Settings withAntiWindup(AntiWindup scheme) {
      return new Settings(kp, ti, td, min, max, directActing, setpointWeight, scheme, trackingTime);
    }

    public Settings withSetpointWeight(double b) {
      return new Settings(kp, ti, td, min, max, directActing, b, antiWindup, trackingTime);
    }

    public Settings withDerivative(double derivativeTime) {
      return new Settings(kp, ti, derivativeTime, min, max, directActing, setpointWeight, antiWindup, Double.NaN);
    }
  }

  static final double DERIVATIVE_FILTER = 10;

  private final Settings s;
  private final double sign;
  private double integral, derivative, lastMeasurement = Double.NaN, output, unclamped;

  public Pid(Settings settings) {
    this.s = settings;
    this.sign = settings.directActing() ? -1 : 1;
    reset();
  }

  public Settings settings() {
    return s;
  }

  /**
   * One fixed step: the output to hold for the next {@code dt} seconds. A non-finite setpoint or
   * measurement, or a non-positive step, leaves the state alone and repeats the last output.
   */
  public double update(double setpoint, double measurement, double dt) {
    if (!(dt > 0) || !Double.isFinite(setpoint) || !Double.isFinite(measurement)) return output;
    double e = sign * (setpoint - measurement);
    double p = s.kp() * sign * (s.setpointWeight() * setpoint - measurement);
    if (s.td() > 0 && !Double.isNaN(lastMeasurement)) {
      double tf = s.td() / DERIVATIVE_FILTER;
      derivative = (tf * derivative - s.kp() * s.td() * sign * (measurement - lastMeasurement)) / (tf + dt);
    }
    lastMeasurement = measurement;
    double v = p + integral + derivative;
    double u = Math.max(s.min(), Math.min(s.max(), v));
    if (Double.isFinite(s.ti())) {
      double di = s.kp() * dt / s.ti() * e;
      switch (s.antiWindup()) {
        case NONE -> integral += di;
        case CONDITIONAL -> {
          boolean pushesUp = di > 0, pushesDown = di < 0;
          if (!(v >= s.max() && pushesUp) && !(v <= s.min() && pushesDown)) integral += di;
        }
        case BACK_CALCULATION -> integral += di + Math.min(1, dt / s.trackingTime()) * (u - v);
      }
    } else {
      integral = 0;
    }
    unclamped = v;
    output = u;
    return u;
  }

  /**
   * Bumpless transfer: re-initialise the integral so that {@link #update} at this setpoint and
   * measurement returns {@code currentOutput} (clamped to the limits); the derivative state is reset.
   */
  public void transfer(double currentOutput, double setpoint, double measurement) {
    double u = Math.max(s.min(), Math.min(s.max(), currentOutput));
    derivative = 0;
    lastMeasurement = measurement;
    output = u;
    unclamped = u;
    if (!Double.isFinite(setpoint) || !Double.isFinite(measurement)) {
      integral = u;
      return;
    }
    double p = s.kp() * sign * (s.setpointWeight() * setpoint - measurement);
    integral = Double.isFinite(s.ti()) ? u - p : 0;
  }

  /** Back to the initial state: integral and output at 0 clamped to the limits, no derivative history. */
  public void reset() {
    integral = Math.max(s.min(), Math.min(s.max(), 0));
    derivative = 0;
    lastMeasurement = Double.NaN;
    output = integral;
    unclamped = integral;
  }

  /** The last output. */
  public double output() {
    return output;
  }

  /** The integral term, output units. */
  public double integral() {
    return integral;
  }

  /** True when the last output was clamped at a limit. */
  public boolean saturated() {
    return unclamped > s.max() || unclamped < s.min();
  }
}
