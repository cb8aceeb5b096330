package atrium.sim.crowd;

/**
 * Weidmann's fundamental diagram of pedestrian traffic, the speed-density relation the crowd model
 * walks by: {@code v(ρ) = v_free · (1 − exp(−γ (1/ρ − 1/ρ_max)))} with {@code γ = 1.913 persons/m²}
 * and {@code ρ_max = 5.4 persons/m²} (Weidmann 1993, as quoted by the RiMEA guideline; the
 * parameters are widely quoted but marked unverified in MODELS.md). The specific flow is
 * {@code q(ρ) = ρ · v(ρ)}; with {@code v_free = 1.34 m/s} it peaks at about 1.22 persons/(m·s) near
 * 1.75 persons/m², just under the 1.3 persons/(m·s) the model caps doors at.
 *
 * <p>The model cannot tell who in a crowded area stands at the door, so a jammed area would freeze at
 * {@code ρ ≥ ρ_max}; {@link #CREEP} keeps a small fraction of the free speed there instead.
 */
public final class FundamentalDiagram {
  public static final double GAMMA = 1.913;
  public static final double RHO_MAX = 5.4;
  /** The least fraction of the free speed anyone walks at, however dense (a model choice). */
  public static final double CREEP = 0.05;

  /**
   * The density at which the specific flow {@code ρ·v(ρ)} peaks (≈ 1.75 persons/m²): past it more
   * people on a link carry fewer through it, so links admit people only below it (the supply side of
   * Daganzo's cell transmission model).
   */
  public static final double CRITICAL_DENSITY = criticalDensity();

  private FundamentalDiagram() {}

  private static double criticalDensity() {
    double best = 0, at = 0;
    for (int i = 1; i < 5400; i++) {
      double rho = i / 1000.0, q = rho * weidmann(rho);
      if (q > best) {
        best = q;
        at = rho;
      }
    }
    return at;
  }

  /** Weidmann's ratio v(ρ)/v_free, without the creep floor: 1 for an empty area, 0 at ρ_max and above. */
  public static double weidmann(double density) {
    if (density <= 1e-9) return 1.0;
    if (density >= RHO_MAX) return 0.0;
    return 1.0 - StrictMath.exp(-GAMMA * (1.0 / density - 1.0 / RHO_MAX));
  }

  /** The ratio the model walks by: Weidmann's, but never below {@link #CREEP}. */
  public static double speedFactor(double density) {
    return Math.max(CREEP, weidmann(density));
  }
}
