package atrium.core.control;

/**
 * One zone's lighting level (M §7.4.10), stepped on the twin's clock: during opening hours full
 * level while occupied and dimmed once the zone has been empty for the hold time; outside opening
 * hours the night (cleaning, security) level. The level moves towards its target at a limited rate,
 * so it is never switched abruptly. docs/control.md describes it.
 *
 * <p>Deterministic, not thread-safe, allocation-free per step.
 */
public final class LightingLoop {

  /**
   * @param occupiedLevel level while occupied during opening hours, % (0…100)
   * @param emptyLevel level once empty for {@code emptyHoldSeconds} during opening hours, %
   * @param closedLevel level outside opening hours, % (0 = off)
   * @param emptyHoldSeconds how long the zone must stay empty before it is dimmed, s
   * @param rampUpPerSecond the fastest rise, % per second (> 0)
   * @param rampDownPerSecond the fastest fall, % per second (> 0)
   */
  public record Settings(double occupiedLevel, double emptyLevel, double closedLevel, double emptyHoldSeconds,
      double rampUpPerSecond, double rampDownPerSecond) {
    public Settings {
      for (double level : new double[] {occupiedLevel, emptyLevel, closedLevel}) {
        if (!(level >= 0 && level <= 100)) throw new IllegalArgumentException("lighting levels must be 0 to 100 %, got " + level);
      }
      if (!(emptyLevel <= occupiedLevel)) {
        throw new IllegalArgumentException("the dimmed level " + emptyLevel + " % must not exceed the occupied level " + occupiedLevel + " %");
      }
      if (!(emptyHoldSeconds >= 0) || Double.isInfinite(emptyHoldSeconds)) throw new IllegalArgumentException("empty hold must be >= 0 s");
      if (!(rampUpPerSecond > 0 && rampDownPerSecond > 0)) throw new IllegalArgumentException("ramp rates must be positive");
    }

    /** 100 % occupied, 60 % after 10 min empty, 10 % outside opening hours; up at 2 %/s, down at 0.5 %/s. */
    public static Settings defaults() {
      return new Settings(100, 60, 10, 600, 2, 0.5);
    }
  }

  private final Settings s;
  private double level;
  private double emptyFor;
  private boolean started;

  public LightingLoop(Settings settings) {
    this.s = settings;
  }

  /** Continues from the level the lights are at (after a restart, or when the twin takes over). */
  public void resume(double currentLevel) {
    level = Math.max(0, Math.min(100, currentLevel));
    started = true;
  }

  /**
   * One step.
   *
   * @param dt seconds since the last step
   * @param occupied whether anybody is seen in the zones lit
   * @param open whether the site is within its opening hours
   */
  public void update(double dt, boolean occupied, boolean open) {
    if (!(dt > 0)) return;
    emptyFor = occupied ? 0 : emptyFor + dt;
    double target = target(open);
    if (!started) {
      // Nothing known of the lights yet: start at the target (there is nothing to ramp from).
      level = target;
      started = true;
      return;
    }
    if (target > level) level = Math.min(target, level + s.rampUpPerSecond() * dt);
    else if (target < level) level = Math.max(target, level - s.rampDownPerSecond() * dt);
  }

  /** The level the lights should reach: occupied, dimmed or closed. */
  public double target(boolean open) {
    if (!open) return s.closedLevel();
    return emptyFor >= s.emptyHoldSeconds() ? s.emptyLevel() : s.occupiedLevel();
  }

  /** The level to hold over the next step, 0…100 %. */
  public double level() {
    return level;
  }

  /** True while dimmed for emptiness (open, empty for the hold time). */
  public boolean dimmed(boolean open) {
    return open && emptyFor >= s.emptyHoldSeconds();
  }

  public Settings settings() {
    return s;
  }
}
