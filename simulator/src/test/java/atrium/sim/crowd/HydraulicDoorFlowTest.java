package atrium.sim.crowd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A room emptying through doors of known total width W against the hydraulic hand calculation (SFPE
 * handbook, IMO MSC.1/Circ.1533): {@code T = t_1 + N / (F_s · W)}, with {@code F_s = 1.3} persons/(m·s)
 * and {@code t_1} the walking time of whoever reaches a door first (at their free speed). Within 10 %.
 */
class HydraulicDoorFlowTest {

  @ParameterizedTest(name = "{0} people, {1} door(s) of {2} m")
  @CsvSource({"200, 2, 1.0", "300, 1, 1.5", "500, 3, 1.2", "100, 1, 0.9"})
  void roomEmptiesInTheHydraulicTimeWithinTenPercent(int people, int doors, double doorWidth) {
    CrowdNetwork.Builder b = CrowdNetwork.builder().room("room", 0, 0, 20, 10);
    double[] doorY = new double[doors];
    for (int d = 0; d < doors; d++) {
      doorY[d] = 10.0 * (d + 1) / (doors + 1);
      b.exit("D" + d, "room", doorWidth, 0, doorY[d]);
    }
    CrowdModel model = new CrowdModel(b.build(), VisitorMix.DEFAULT, people);
    SplittableRandom random = new SplittableRandom(people * 31L + doors);
    double first = Double.MAX_VALUE;
    for (int i = 0; i < people; i++) {
      AgeGroup g = AgeGroup.values()[random.nextInt(3)];
      double x = 20 * random.nextDouble(), y = 10 * random.nextDouble(), v = g.drawSpeed(random);
      for (double dy : doorY) first = Math.min(first, Math.hypot(x, y - dy) / v);
      model.spawnEvacuee("room", x, y, Pedestrian.of(g, v, 0));
    }
    double width = doors * doorWidth, hand = first + people / (1.3 * width);
    double ours = RimeaValidationTest.evacuate(model, 3600);
    System.out.printf("hydraulic: N=%d, W=%.1f m: hand %.1f s, model %.1f s (%+.1f %%)%n", people, width, hand, ours,
        100 * (ours - hand) / hand);
    assertEquals(hand, ours, 0.10 * hand);
  }
}
