package atrium.load.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CapacitySearchTest {
  private static final double BOUNDARY = 1234;
  private final CapacitySearch.Slo slo = new CapacitySearch.Slo(100, 0.01);

  /** A system that holds p99 = 10 ms up to the boundary and 1 s beyond. */
  private static CapacitySearch.Trial synthetic(double rate) {
    boolean ok = rate <= BOUNDARY;
    return new CapacitySearch.Trial(rate, Math.min(rate, BOUNDARY), 100, ok ? 10 : 1000, 0, false, "synthetic");
  }

  @Test
  void theSearchConvergesOnTheHighestRateThatHolds() throws Exception {
    CapacitySearch.Result r = new CapacitySearch(slo, 100, 2, 0.05, 20).search(CapacitySearchTest::synthetic);

    assertTrue(r.highestHeld() <= BOUNDARY, "held " + r.highestHeld());
    assertTrue(r.highestHeld() >= BOUNDARY / 1.05, "held " + r.highestHeld() + " within 5 % of the boundary");
    assertTrue(r.lowestBroken() > BOUNDARY);
    assertTrue((r.lowestBroken() - r.highestHeld()) / r.highestHeld() <= 0.05);
    assertTrue(r.trials().size() < 20, "stopped on the tolerance, not the trial limit");
    assertEquals(100, r.trials().get(0).rate());
    assertTrue(r.trials().stream().filter(CapacitySearch.Trial::held).allMatch(t -> t.rate() <= BOUNDARY));
  }

  @Test
  void aStartAboveTheBoundarySearchesDownward() throws Exception {
    CapacitySearch.Result r = new CapacitySearch(slo, 10_000, 2, 0.05, 30).search(CapacitySearchTest::synthetic);

    assertTrue(r.highestHeld() <= BOUNDARY && r.highestHeld() >= BOUNDARY / 1.05, "held " + r.highestHeld());
  }

  @Test
  void errorsBreakTheObjectiveLikeLatencyDoes() throws Exception {
    CapacitySearch.Result r = new CapacitySearch(slo, 100, 2, 0.05, 20)
        .search(rate -> new CapacitySearch.Trial(rate, rate, 100, 5, rate > 700 ? 0.02 : 0, false, "synthetic"));

    assertTrue(r.highestHeld() <= 700 && r.highestHeld() >= 700 / 1.05, "held " + r.highestHeld());
  }
}
