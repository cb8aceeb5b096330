package atrium.sim.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import atrium.core.site.Site;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The car park as a loss system (no queue, no overflow) against Erlang-B: stationary Poisson
 * arrivals at rate λ, mean dwell 1/μ, c bays, offered load a = λ/μ. The share of arriving cars
 * refused must be within 2 percentage points of B(c, a), the time-mean occupancy within 2 % of
 * a(1 − B); by insensitivity the same holds for a log-normal dwell of the same mean (M/G/c/c).
 * Seeded runs of 4,000 simulated hours after a 50-hour warm-up (about 180,000–240,000 arrivals).
 */
class ErlangBValidationTest {
  private static final int BAYS = 50;
  private static final double MEAN_DWELL = 3600;
  private static final double WARM_UP = 50 * 3600, RUN = 4000 * 3600;

  record Result(double blocking, double meanOccupied) {}

  static Result run(double offeredLoad, TimeDistribution dwell, long seed) {
    Site site = TestSites.carParks(BAYS);
    double carsPerHour = offeredLoad / MEAN_DWELL * 3600;
    var params = TrafficParams.lossSystem(Map.of("P-a", ArrivalProfile.constant(carsPerHour)), dwell);
    var model = new CarParkModel(site, params, seed, null);
    model.advanceTo(WARM_UP);
    var start = model.stats("P-a");
    model.advanceTo(WARM_UP + RUN);
    var end = model.stats("P-a");
    double blocking = (double) (end.refusals() - start.refusals()) / (end.arrivals() - start.arrivals());
    return new Result(blocking, end.meanOccupiedSince(start));
  }

  private static void check(double a, TimeDistribution dwell, long seed) {
    double b = TestSites.erlangB(BAYS, a);
    Result r = run(a, dwell, seed);
    System.out.printf("Erlang-B c=%d a=%.0f %s: B=%.4f ours=%.4f; a(1-B)=%.3f ours=%.3f%n", BAYS, a,
        dwell.getClass().getSimpleName(), b, r.blocking(), a * (1 - b), r.meanOccupied());
    assertEquals(b, r.blocking(), 0.02, "blocking probability vs B(" + BAYS + ", " + a + ")");
    double occupancy = a * (1 - b);
    assertEquals(occupancy, r.meanOccupied(), 0.02 * occupancy, "mean occupancy vs a(1 - B)");
  }

  @Test
  void blockingAndOccupancyMatchErlangBAt50BaysAndOfferedLoad45() {
    check(45, new TimeDistribution.Exponential(MEAN_DWELL), 101);
  }

  @Test
  void blockingAndOccupancyMatchErlangBAt50BaysAndOfferedLoad60() {
    check(60, new TimeDistribution.Exponential(MEAN_DWELL), 202);
  }

  @Test
  void logNormalDwellOfTheSameMeanGivesTheSameBlockingAt45() {
    check(45, TimeDistribution.LogNormal.ofMean(MEAN_DWELL, 1.0), 303);
  }

  @Test
  void logNormalDwellOfTheSameMeanGivesTheSameBlockingAt60() {
    check(60, TimeDistribution.LogNormal.ofMean(MEAN_DWELL, 1.0), 404);
  }

  @Test
  void theRecursionGivesTheClosedForm() {
    // B(c, a) = (a^c / c!) / Σ a^k / k!, summed directly for a small case: c = 3, a = 2 → 4/19.
    assertEquals(4.0 / 19.0, TestSites.erlangB(3, 2), 1e-12);
  }
}
