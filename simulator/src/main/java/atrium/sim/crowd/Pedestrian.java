package atrium.sim.crowd;

/**
 * One person placed by hand (the test geometries, or a drill): free walking speed in m/s, reaction
 * (pre-movement) time in seconds counted from when they are placed or from the alarm, whichever is
 * later, and the exit they must use ({@code null}: their own choice).
 */
public record Pedestrian(AgeGroup group, double freeSpeed, double reactionSeconds, String assignedExit) {
  public Pedestrian {
    if (!(freeSpeed > 0)) throw new IllegalArgumentException("freeSpeed must be > 0");
    if (!(reactionSeconds >= 0)) throw new IllegalArgumentException("reactionSeconds must be >= 0");
  }

  public static Pedestrian of(AgeGroup group, double freeSpeed, double reactionSeconds) {
    return new Pedestrian(group, freeSpeed, reactionSeconds, null);
  }
}
