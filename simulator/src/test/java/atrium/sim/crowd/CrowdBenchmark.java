package atrium.sim.crowd;

import atrium.core.site.Site;
import atrium.core.site.SiteLoader;
import atrium.core.site.Zone;
import java.nio.file.Path;
import java.util.Set;

/**
 * How fast the crowd model steps the demo mall with ~15,000 people inside: an hour of shopping at
 * 1 s steps with visitors arriving and leaving, then an evacuation. Prints agent-steps per second.
 * A benchmark, not a test: run it with
 * {@code java -cp <test classpath> atrium.sim.crowd.CrowdBenchmark [sites/demo-mall.json] [people]}.
 */
public final class CrowdBenchmark {
  public static void main(String[] args) throws Exception {
    Site site = SiteLoader.load(Path.of(args.length > 0 ? args[0] : "sites/demo-mall.json"));
    int people = args.length > 1 ? Integer.parseInt(args[1]) : 15_000;
    CrowdNetwork net = CrowdNetwork.fromSite(site);
    for (int round = 0; round < 3; round++) {
      CrowdModel model = new CrowdModel(net, VisitorMix.DEFAULT, 42 + round);
      double shopArea = site.zones().stream().filter(z -> z.kind() != Zone.Kind.CAR_PARK_LEVEL && z.kind() != Zone.Kind.PLANT_ROOM)
          .mapToDouble(Zone::area).sum();
      for (Zone z : site.zones()) {
        if (z.kind() == Zone.Kind.CAR_PARK_LEVEL || z.kind() == Zone.Kind.PLANT_ROOM) continue;
        long n = Math.round(people * z.area() / shopArea);
        for (int i = 0; i < n; i++) model.spawnVisitorIn(z.id());
      }
      // keep the mall about as full: as many arrive per second as the mean visit lets leave
      double arrivalsPerSecond = people / 3600.0, owed = 0;
      long agentSteps = 0;
      long t0 = System.nanoTime();
      for (int s = 0; s < 3600; s++) {
        owed += arrivalsPerSecond;
        for (; owed >= 1; owed--) model.spawnVisitor(site.exits().get(s % 4).id());
        agentSteps += model.inside();
        model.step(1.0);
      }
      double shopping = (System.nanoTime() - t0) / 1e9;
      int inside = model.inside();
      model.startEvacuation(Set.of());
      double alarm = model.time();
      long evacSteps = 0;
      t0 = System.nanoTime();
      while (model.inside() > 0 && model.time() < alarm + 7200) {
        evacSteps += model.inside();
        model.step(1.0);
      }
      double evac = (System.nanoTime() - t0) / 1e9;
      System.out.printf("round %d: shopping 1 h, %,d inside at the end: %,d agent-steps in %.2f s = %,.0f agent-steps/s (%.0fx real time); "
              + "evacuation of %,d: %.0f s simulated in %.2f s (%,.0f agent-steps/s), %d trapped; worst queue %s%n",
          round, inside, agentSteps, shopping, agentSteps / shopping, 3600 / shopping, inside, model.lastExitTime() - alarm, evac,
          evacSteps / evac, model.trapped(), model.bottlenecks(1));
    }
  }
}
