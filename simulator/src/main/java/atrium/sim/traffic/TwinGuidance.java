package atrium.sim.traffic;

import java.util.Optional;

/**
 * The twin's parking guidance, as the runner reaches it when the simulator is in the loop (the car
 * park's {@code Guide(preference, kind, evenIfOverflowing)}; see docs/assets/parking.md). The
 * runner implements this by calling the twin; the traffic model only asks.
 *
 * <p>The answer is a bay id, possibly in another car park of the site (the twin's overflow
 * redirect), or empty when the twin offers nothing. The model checks the answer against its own
 * state: a bay that is in fact taken (the twin lags the world) sends the driver to the local rule.
 */
@FunctionalInterface
public interface TwinGuidance {
  Optional<String> guide(String carParkId, String plate, BayChooser.Preference preference, double simTimeSeconds);
}
