package atrium.sim.traffic;

import java.util.Map;

/**
 * The traffic model's parameters.
 *
 * @param arrivals arrival profile per car park id (its entrance); car parks left out get no arrivals
 *     of their own, only redirected cars
 * @param dwell how long a car stays in its bay
 * @param patience how long a car waits at a full car park's entrance before giving up; {@code Fixed(0)}
 *     means no queue (a car finding it full gives up at once: the Erlang-B loss system)
 * @param maxQueue cars that fit in the queue at an entrance; a car finding the queue full gives up at once
 * @param maxRedirects how many other car parks a car tries after giving up (0: it leaves at once)
 * @param redirectDriveSeconds the drive from one car park's entrance to another's
 * @param liftShare the share of drivers who look for a bay near a lift rather than the entrance
 */
public record TrafficParams(
    Map<String, ArrivalProfile> arrivals,
    TimeDistribution dwell,
    TimeDistribution patience,
    int maxQueue,
    int maxRedirects,
    double redirectDriveSeconds,
    double liftShare) {

  public TrafficParams {
    arrivals = Map.copyOf(arrivals);
    if (dwell == null || patience == null) throw new IllegalArgumentException("dwell and patience are required");
    if (maxQueue < 0 || maxRedirects < 0) throw new IllegalArgumentException("maxQueue and maxRedirects must be >= 0");
    if (!(redirectDriveSeconds >= 0)) throw new IllegalArgumentException("redirectDriveSeconds must be >= 0");
    if (!(liftShare >= 0 && liftShare <= 1)) throw new IllegalArgumentException("liftShare must be 0..1, was " + liftShare);
  }

  /** Median stay 100 min (σ = 0.5, mean ≈ 113 min), 5 min mean patience, a 15-car queue, one redirect. */
  public static final TimeDistribution DEFAULT_DWELL = TimeDistribution.LogNormal.ofMedian(100 * 60, 0.5);

  public static TrafficParams defaults(Map<String, ArrivalProfile> arrivals) {
    return new TrafficParams(arrivals, DEFAULT_DWELL, new TimeDistribution.Exponential(300), 15, 1, 180, 0.5);
  }

  /** The loss system of the Erlang-B check: no queue, no redirect. */
  public static TrafficParams lossSystem(Map<String, ArrivalProfile> arrivals, TimeDistribution dwell) {
    return new TrafficParams(arrivals, dwell, new TimeDistribution.Fixed(0), 0, 0, 0, 0);
  }

  public TrafficParams withDwell(TimeDistribution d) {
    return new TrafficParams(arrivals, d, patience, maxQueue, maxRedirects, redirectDriveSeconds, liftShare);
  }
}
