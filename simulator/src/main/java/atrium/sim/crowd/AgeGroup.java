package atrium.sim.crowd;

/**
 * Age groups and their free walking speeds, uniformly distributed over Weidmann's ranges as the RiMEA
 * guideline (test 7) uses them; see MODELS.md. The guideline gives the ranges, not the shape of the
 * distribution within them: uniform is our assumption.
 */
public enum AgeGroup {
  UNDER_30(0.58, 1.61),
  FROM_30_TO_50(1.41, 1.54),
  OVER_50(0.68, 1.41),
  LIMITED_MOBILITY(0.46, 0.76);

  private final double minSpeed, maxSpeed;

  AgeGroup(double minSpeed, double maxSpeed) {
    this.minSpeed = minSpeed;
    this.maxSpeed = maxSpeed;
  }

  /** m/s */
  public double minSpeed() {
    return minSpeed;
  }

  /** m/s */
  public double maxSpeed() {
    return maxSpeed;
  }

  public double drawSpeed(java.util.SplittableRandom random) {
    return minSpeed + (maxSpeed - minSpeed) * random.nextDouble();
  }
}
