package atrium.sim.traffic;

import atrium.core.site.Camera;

/**
 * What the traffic model observes, for the device layer to turn into telemetry (bay sensors,
 * plate-gate cameras) and for the run's report. Times are simulated seconds since the model's start.
 */
public sealed interface TrafficEvent {
  double time();

  String carParkId();

  /** A plate-gate camera read a plate (only emitted where the site has such a camera). */
  record GateRead(double time, String carParkId, String cameraId, Camera.Direction direction, String plate)
      implements TrafficEvent {}

  record BayOccupied(double time, String carParkId, String bayId, String plate) implements TrafficEvent {}

  record BayVacated(double time, String carParkId, String bayId, String plate) implements TrafficEvent {}

  /** The car found the car park full and waits at its entrance. */
  record CarQueued(double time, String carParkId, String plate) implements TrafficEvent {}

  /** The car gave up on {@code carParkId} (or was guided away) and drives to {@code toCarParkId}. */
  record CarRedirected(double time, String carParkId, String toCarParkId, String plate) implements TrafficEvent {}

  /** The car gave up on the site and left without parking: a refusal. */
  record CarRefused(double time, String carParkId, String plate) implements TrafficEvent {}
}
