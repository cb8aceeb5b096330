package atrium.sim.crowd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.sim.crowd.CrowdNetwork.LinkKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The RiMEA guideline's test cases (3.0) that a network model can express, with the pass criteria
 * listed in MODELS.md. Geometries and the assumptions each makes are in docs/simulator-validation.md.
 * Every run is seeded; the figures printed are the ones recorded there.
 */
class RimeaValidationTest {
  private static final double DT = 0.5;

  static double evacuate(CrowdModel model, double limit) {
    while (model.inside() > 0 && model.time() < limit) model.step(DT);
    assertEquals(0, model.inside(), "everyone out within " + limit + " s");
    return model.lastExitTime();
  }

  static Pedestrian adult(SplittableRandom random) {
    AgeGroup g = AgeGroup.values()[random.nextInt(3)];
    return Pedestrian.of(g, g.drawSpeed(random), 0);
  }

  @Test
  void rimea1OnePersonCrosses40MetreCorridorIn26To34Seconds() {
    double min = Double.MAX_VALUE, max = 0;
    for (long seed = 1; seed <= 50; seed++) {
      CrowdNetwork net = CrowdNetwork.builder().room("corridor", 0, 0, 40, 2).exit("end", "corridor", 2, 40, 1).build();
      CrowdModel model = new CrowdModel(net, VisitorMix.DEFAULT, seed);
      double speed = 1.33 * (0.95 + 0.10 * new SplittableRandom(seed).nextDouble());
      int p = model.spawnEvacuee("corridor", 0, 1, Pedestrian.of(AgeGroup.FROM_30_TO_50, speed, 0));
      evacuate(model, 100);
      double t = model.leftAt(p) - model.startedAt(p);
      min = Math.min(min, t);
      max = Math.max(max, t);
      assertTrue(t >= 26 && t <= 34, "seed " + seed + ": " + t + " s at " + speed + " m/s");
    }
    System.out.printf("RiMEA 1: travel time %.1f-%.1f s over 50 seeds%n", min, max);
  }

  @Test
  void rimea4SpeedFollowsWeidmannFundamentalDiagramFrom05To6PersonsPerSquareMetre() {
    double[] densities = {0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 5, 6};
    double previous = Double.MAX_VALUE, worst = 0, peakFlow = 0, peakDensity = 0;
    StringBuilder table = new StringBuilder();
    for (double rho : densities) {
      // a 200 m x 2 m corridor; people fill its first half and walk for 10 s towards an exit at its far
      // end, so nobody reaches the exit and the density stays rho
      CrowdNetwork net = CrowdNetwork.builder().room("corridor", 0, 0, 200, 2).exit("end", "corridor", 2, 200, 1).build();
      CrowdModel model = new CrowdModel(net, VisitorMix.DEFAULT, 4);
      SplittableRandom random = new SplittableRandom(40);
      int n = (int) Math.round(rho * 400);
      double freeSum = 0;
      List<Integer> ids = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        double v = 1.34 + 0.1 * (random.nextDouble() - 0.5);
        freeSum += v;
        ids.add(model.spawnEvacuee("corridor", 100 * random.nextDouble(), 2 * random.nextDouble(),
            Pedestrian.of(AgeGroup.FROM_30_TO_50, v, 0)));
      }
      for (int s = 0; s < 20; s++) model.step(DT);
      assertEquals(rho, model.density(net.node("corridor")), 0.01);
      double walked = 0;
      for (int id : ids) walked += model.walkedMetres(id);
      double measured = walked / n / 10.0;
      double expected = freeSum / n * FundamentalDiagram.weidmann(rho);
      worst = Math.max(worst, Math.abs(measured - expected));
      assertEquals(expected, measured, 0.07, "speed at " + rho + " persons/m²");
      double ratio = measured / (freeSum / n);
      if (FundamentalDiagram.weidmann(rho) > FundamentalDiagram.CREEP) assertTrue(ratio < previous, "speed falls with density");
      else assertTrue(ratio <= previous + 1e-9, "speed does not rise with density");
      previous = ratio;
      if (rho * measured > peakFlow) {
        peakFlow = rho * measured;
        peakDensity = rho;
      }
      table.append(String.format(" %.1f:%.3f", rho, measured));
    }
    assertTrue(peakDensity >= 1.5 && peakDensity <= 2.5, "flow peaks at " + peakDensity);
    assertTrue(peakFlow >= 1.1 && peakFlow <= 1.4, "peak specific flow " + peakFlow);
    System.out.printf("RiMEA 4: speeds (rho:v)%s; worst |v - v_Weidmann| %.3f m/s; peak flow %.2f /(m s) at %.1f /m²%n",
        table, worst, peakFlow, peakDensity);
  }

  @Test
  void rimea5EachPersonStartsAtTheirReactionTime() {
    CrowdNetwork net = CrowdNetwork.builder().room("room", 0, 0, 10, 10).exit("door", "room", 1, 10, 5).build();
    CrowdModel model = new CrowdModel(net, VisitorMix.DEFAULT, 5);
    int[] ids = new int[10];
    for (int i = 0; i < 10; i++) {
      ids[i] = model.spawnEvacuee("room", 1, 1 + 0.8 * i, Pedestrian.of(AgeGroup.FROM_30_TO_50, 1.4, 10 * (i + 1)));
    }
    while (model.time() < 10 * 10 + 30) {
      for (int i = 0; i < 10; i++) {
        if (model.time() < 10 * (i + 1)) assertEquals(0, model.walkedMetres(ids[i]), "person " + i + " still waits");
      }
      model.step(DT);
    }
    for (int i = 0; i < 10; i++) {
      assertEquals(10.0 * (i + 1), model.startedAt(ids[i]), 1e-9, "person " + i);
      assertTrue(model.hasLeft(ids[i]));
    }
  }

  @Test
  void rimea7WalkingSpeedsOfEachAgeGroupLieInWeidmannsRanges() {
    CrowdNetwork net = CrowdNetwork.builder().room("hall", 0, 0, 100, 20).exit("door", "hall", 2, 100, 10).build();
    CrowdModel model = new CrowdModel(net, VisitorMix.DEFAULT, 7);
    SplittableRandom random = new SplittableRandom(70);
    List<int[]> byGroup = new ArrayList<>();
    for (AgeGroup g : AgeGroup.values()) {
      int[] ids = new int[50];
      for (int i = 0; i < 50; i++) {
        ids[i] = model.spawnEvacuee("hall", 5 * random.nextDouble(), 20 * random.nextDouble(),
            Pedestrian.of(g, g.drawSpeed(random), 0));
      }
      byGroup.add(ids);
    }
    for (int s = 0; s < 40; s++) model.step(DT);
    StringBuilder report = new StringBuilder();
    for (AgeGroup g : AgeGroup.values()) {
      double lo = Double.MAX_VALUE, hi = 0, slack = 0.005 * (g.maxSpeed() - g.minSpeed());
      for (int id : byGroup.get(g.ordinal())) {
        double v = model.walkedMetres(id) / 20.0;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
        assertTrue(v >= g.minSpeed() - slack && v <= g.maxSpeed() + slack, g + ": " + v);
      }
      double range = g.maxSpeed() - g.minSpeed();
      assertTrue(lo <= g.minSpeed() + 0.25 * range && hi >= g.maxSpeed() - 0.25 * range, g + " spans its range: " + lo + "-" + hi);
      report.append(String.format(" %s %.2f-%.2f;", g, lo, hi));
    }
    System.out.println("RiMEA 7: measured speeds" + report);
  }

  static CrowdNetwork rimea9Room() {
    return CrowdNetwork.builder().room("room", 0, 0, 30, 20)
        .exit("W1", "room", 1, 0, 2).exit("W2", "room", 1, 0, 18)
        .exit("E1", "room", 1, 30, 2).exit("E2", "room", 1, 30, 18).build();
  }

  static double rimea9(long seed, Set<String> closed) {
    CrowdModel model = new CrowdModel(rimea9Room(), VisitorMix.DEFAULT, seed);
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 1000; i++) model.spawnEvacuee("room", adult(random));
    model.startEvacuation(closed);
    return evacuate(model, 3600);
  }

  @Test
  void rimea9ClosingTwoOfFourExitsRoughlyDoublesTheEvacuationTime() {
    for (long seed = 1; seed <= 3; seed++) {
      double four = rimea9(seed, Set.of()), two = rimea9(seed, Set.of("E1", "E2"));
      double ratio = two / four;
      System.out.printf("RiMEA 9 seed %d: four exits %.1f s, two %.1f s, ratio %.2f%n", seed, four, two, ratio);
      assertTrue(ratio >= 1.6 && ratio <= 2.4, "ratio " + ratio);
    }
  }

  @Test
  void rimea10EveryoneUsesTheirAssignedExit() {
    // a 60 m x 3 m corridor with an exit at each end and 12 rooms of 10 m x 5 m off it, six each side
    CrowdNetwork.Builder b = CrowdNetwork.builder().room("corridor", 0, 0, 60, 3)
        .exit("WEST", "corridor", 2, 0, 1.5).exit("EAST", "corridor", 2, 60, 1.5);
    for (int r = 0; r < 12; r++) {
      double x0 = 10 * (r % 6), y0 = r < 6 ? 3 : -5;
      String id = "room" + r;
      b.room(id, x0, y0, x0 + 10, y0 + 5).door(id, "corridor", 1, x0 + 5, r < 6 ? 3 : 0);
    }
    CrowdNetwork net = b.build();
    CrowdModel model = new CrowdModel(net, VisitorMix.DEFAULT, 10);
    SplittableRandom random = new SplittableRandom(100);
    List<int[]> assigned = new ArrayList<>();
    for (int r = 0; r < 12; r++) {
      // the western rooms are sent east and the eastern ones west: nearly everyone passes the nearer exit
      String exit = (r % 6) < 3 ? "EAST" : "WEST";
      for (int i = 0; i < 10; i++) {
        Pedestrian p = adult(random);
        int id = model.spawnEvacuee("room" + r, new Pedestrian(p.group(), p.freeSpeed(), 0, exit));
        assigned.add(new int[] {id, exit.equals("EAST") ? 1 : 0});
      }
    }
    evacuate(model, 3600);
    for (int[] a : assigned) assertEquals(a[1] == 1 ? "EAST" : "WEST", model.exitUsed(a[0]));
    assertEquals(60, model.exitedVia("EAST"));
    assertEquals(60, model.exitedVia("WEST"));
  }

  static CrowdModel rimea11(int people, long seed) {
    CrowdNetwork net = CrowdNetwork.builder().room("room", 0, 0, 30, 20)
        .exit("NEAR", "room", 1, 0, 10).exit("FAR", "room", 1, 30, 10).build();
    CrowdModel model = new CrowdModel(net, VisitorMix.DEFAULT, seed);
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < people; i++) {
      Pedestrian p = adult(random);
      model.spawnEvacuee("room", 10 * random.nextDouble(), 20 * random.nextDouble(), p);
    }
    evacuate(model, 3600);
    return model;
  }

  @Test
  void rimea11NearestExitIsPreferredAndTheOtherIsUsedOnceItsQueueGrows() {
    CrowdModel few = rimea11(20, 11);
    assertEquals(20, few.exitedVia("NEAR"), "a small group all take the nearer exit");
    CrowdModel many = rimea11(1000, 11);
    int near = many.exitedVia("NEAR"), far = many.exitedVia("FAR");
    System.out.printf("RiMEA 11: 20 people: %d near, 0 far; 1000 people: %d near, %d far%n", few.exitedVia("NEAR"), near, far);
    assertTrue(near > far, "nearest preferred: " + near + " vs " + far);
    assertTrue(far >= 200, "the other used too: " + far);
  }

  @Test
  void rimea12TheJamFormsAtTheCorridorEntryNotAtTheFinalExit() {
    CrowdNetwork net = CrowdNetwork.builder()
        .room("A", 0, 0, 10, 10).room("corridor", 10, 4.5, 20, 5.5).room("B", 20, 0, 30, 10)
        .door("A", "corridor", 1, 10, 5).door("corridor", "B", 1, 20, 5).exit("exit", "B", 1, 30, 5).build();
    CrowdModel model = new CrowdModel(net, VisitorMix.DEFAULT, 12);
    SplittableRandom random = new SplittableRandom(120);
    for (int i = 0; i < 150; i++) model.spawnEvacuee("A", adult(random));
    evacuate(model, 3600);
    int entry = model.maxQueue(net.link("A", "corridor")), exit = model.maxQueue(net.exitLink(net.exit("exit")));
    System.out.printf("RiMEA 12: longest queue %d at the corridor entry, %d at the final exit; bottlenecks %s%n", entry, exit,
        model.bottlenecks(3));
    assertEquals(net.describe(net.link("A", "corridor")), model.bottlenecks(1).get(0).link());
    assertTrue(entry >= 100, "a jam at the corridor entry: " + entry);
    // people who overtook one another in the corridor arrive in small bunches: no more than that
    assertTrue(exit <= 0.05 * entry, "no jam at the final exit: " + exit);
  }

  @Test
  void rimea13TheJamFormsAtTheStairFootAndStairFlowIsBelowCorridorFlow() {
    CrowdNetwork net = CrowdNetwork.builder()
        .room("room", 0, 0, 10, 10).room("corridor", 10, 4, 20, 6).room("landing", 20, 3, 24, 7)
        .door("room", "corridor", 2, 10, 5)
        .link("corridor", "landing", LinkKind.STAIRS_UP, LinkKind.STAIRS_DOWN, 2, 10, 20, 5, 20, 5)
        .exit("exit", "landing", 2, 24, 5).build();
    CrowdModel model = new CrowdModel(net, VisitorMix.DEFAULT, 13);
    SplittableRandom random = new SplittableRandom(130);
    for (int i = 0; i < 150; i++) model.spawnEvacuee("room", adult(random));
    int door = net.link("room", "corridor"), stairs = net.link("corridor", "landing");
    double[] doorTimes = new double[2];
    double queuedTime = 0;
    long queuedCrossings = 0;
    while (model.inside() > 0 && model.time() < 3600) {
      boolean queue = model.queueStats(stairs).length() > 0;
      long before = model.crossings(stairs);
      model.step(DT);
      record(model, door, doorTimes);
      if (queue && model.queueStats(stairs).length() > 0) {
        queuedTime += DT;
        queuedCrossings += model.crossings(stairs) - before;
      }
    }
    // the corridor's flow: through its entrance from the first to the 150th person; the stairs': while
    // people queue at their foot
    double doorFlow = 149 / (doorTimes[1] - doorTimes[0]), stairFlow = queuedCrossings / queuedTime;
    QueueStats foot = model.queueStats(stairs);
    System.out.printf("RiMEA 13: flow %.2f/s into the corridor, %.2f/s up the stairs (capacity %.2f); queue at the stair foot: "
        + "longest %d, for %.0f s%n", doorFlow, stairFlow, net.capacity(stairs), foot.maxLength(), foot.secondsWithQueue());
    assertTrue(stairFlow < doorFlow, "stair flow below corridor flow");
    assertEquals(net.capacity(stairs), stairFlow, 0.1 * net.capacity(stairs));
    assertTrue(foot.maxLength() >= 10 && foot.secondsWithQueue() >= 30, "a jam at the stair foot: " + foot);
    int exitQueue = model.maxQueue(net.exitLink(net.exit("exit")));
    assertTrue(exitQueue <= 3, "none at the exit above the stairs: " + exitQueue);
  }

  /** times[0]: when the first person went through, times[1]: when the 150th did. */
  private static void record(CrowdModel model, int link, double[] times) {
    long c = model.crossings(link);
    if (c >= 1 && times[0] == 0) times[0] = model.time();
    if (c >= 150 && times[1] == 0) times[1] = model.time();
  }

  static double rimea15(CrowdNetwork net) {
    CrowdModel model = new CrowdModel(net, VisitorMix.DEFAULT, 15);
    SplittableRandom random = new SplittableRandom(150);
    for (int i = 0; i < 20; i++) model.spawnEvacuee("leg1", 2 * random.nextDouble(), 2 * random.nextDouble(), adult(random));
    return evacuate(model, 600);
  }

  @Test
  void rimea15TheCornersTimeLiesBetweenTheShortAndTheLongCorridor() {
    // 2 m wide corridors; the corner's legs are 10 m on the inside and 12 m on the outside
    CrowdNetwork shortOne = CrowdNetwork.builder().room("leg1", 0, 0, 10, 2).room("leg2", 10, 0, 20, 2)
        .link("leg1", "leg2", LinkKind.CORRIDOR, LinkKind.CORRIDOR, 2, 0, 10, 1, 10, 1).exit("end", "leg2", 2, 20, 1).build();
    CrowdNetwork longOne = CrowdNetwork.builder().room("leg1", 0, 0, 12, 2).room("leg2", 12, 0, 24, 2)
        .link("leg1", "leg2", LinkKind.CORRIDOR, LinkKind.CORRIDOR, 2, 0, 12, 1, 12, 1).exit("end", "leg2", 2, 24, 1).build();
    CrowdNetwork corner = CrowdNetwork.builder().room("leg1", 0, 0, 10, 2).room("corner", 10, 0, 12, 2)
        .room("leg2", 10, 2, 12, 12)
        .link("leg1", "corner", LinkKind.CORRIDOR, LinkKind.CORRIDOR, 2, 0, 10, 1, 10, 1)
        .link("corner", "leg2", LinkKind.CORRIDOR, LinkKind.CORRIDOR, 2, 0, 11, 2, 11, 2)
        .exit("end", "leg2", 2, 11, 12).build();
    double s = rimea15(shortOne), c = rimea15(corner), l = rimea15(longOne);
    System.out.printf("RiMEA 15: short %.1f s, corner %.1f s, long %.1f s%n", s, c, l);
    assertTrue(s < c && c < l, s + " < " + c + " < " + l);
  }
}
