package atrium.sim.control;

import atrium.sim.thermal.Weather;
import java.time.Instant;

/**
 * A controller of the simulated HVAC plant: the run engine calls {@link #control} once per plant step
 * (every 60 s of simulated time), before the plant advances over it. The controller reads the zones
 * (temperature, CO2, humidity, occupants, power) through the {@link PlantView} and sets each zone's
 * mode, setpoints and, optionally, a constant outdoor-air flow; what it sets holds over the step.
 * The time it takes is measured for the computation-time-ratio KPI.
 *
 * <p>A controller is stateful if it likes (one instance per run) and is called from one thread.
 */
public interface PlantController {

  /**
   * The step about to be simulated.
   *
   * @param now the instant the step starts
   * @param hourOfDay the local hour of day at that instant (0 ≤ h &lt; 24)
   * @param seconds the step's length
   * @param weather the outdoor conditions over the step
   */
  record Step(Instant now, double hourOfDay, double seconds, Weather weather) {}

  void control(Step step, PlantView plant);

  /** How the run report names it. */
  default String name() {
    return getClass().getSimpleName();
  }
}
