package atrium.sim.crowd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.site.Camera;
import atrium.core.site.Site;
import atrium.core.testkit.TestTwins;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The crowd model on the demo mall: built from the site, shopping, evacuating, deterministic. */
class CrowdModelSiteTest {
  private final Site site = TestTwins.demoSites().site("demo-mall").orElseThrow();
  private final CrowdNetwork net = CrowdNetwork.fromSite(site);

  @Test
  void theNetworkHasEveryZoneTwoLinksPerSiteLinkAndEveryExit() {
    assertEquals(site.zones().size() + 1, net.nodeCount());
    assertEquals(2 * site.links().size() + 2 * site.exits().size(), net.linkCount());
    assertEquals(site.exits().size(), net.exitCount());
    for (Camera c : site.devices().cameras()) {
      if (c.mode() != Camera.Mode.LINE) continue;
      assertTrue(net.link(c.from(), c.to()) >= 0 && net.link(c.to(), c.from()) >= 0, "camera " + c.id());
    }
  }

  @Test
  void visitorsShopAndLeaveByTheEntranceTheyCameIn() {
    CrowdModel model = new CrowdModel(net, VisitorMix.DEFAULT, 1);
    for (int i = 0; i < 400; i++) model.spawnVisitor(site.exits().get(i % 4).id());
    int[] people = new int[net.nodeCount()];
    boolean shopsVisited = false;
    for (int s = 0; s < 7200; s++) {
      model.step(1.0);
      if (s == 1800) {
        model.copyPeople(people);
        for (int n = 0; n < net.nodeCount(); n++) shopsVisited |= people[n] > 0 && site.zone(net.nodeId(n)).map(z -> z.kind() == atrium.core.site.Zone.Kind.SHOP).orElse(false);
      }
    }
    assertTrue(shopsVisited, "people in shops half an hour in");
    assertEquals(0, model.trapped());
    assertTrue(model.exited() > 300, "most have left after two hours: " + model.exited());
    long out = 0;
    for (int e = 0; e < 4; e++) out += model.exitedVia(site.exits().get(e).id());
    assertEquals(model.exited(), out, "everyone left by one of the four entrances they came in by");
  }

  @Test
  void anEvacuationAvoidsClosedExitsAndBlockedZones() {
    CrowdModel model = new CrowdModel(net, VisitorMix.DEFAULT, 2);
    for (var z : site.zones()) {
      if (z.kind() == atrium.core.site.Zone.Kind.SHOP || z.kind() == atrium.core.site.Zone.Kind.CORRIDOR) {
        for (int i = 0; i < 20; i++) model.spawnVisitorIn(z.id());
      }
    }
    int before = model.inside();
    for (int s = 0; s < 600; s++) model.step(1.0);
    int blockedZone = net.node("ATR-L1");
    long[] into = new long[net.linkCount()];
    for (int l = 0; l < net.linkCount(); l++) into[l] = model.crossings(l);
    model.startEvacuation(Set.of("EXIT-01"), Set.of("ATR-L1"));
    double start = model.time();
    while (model.inside() > 0 && model.time() < start + 3600) model.step(1.0);
    assertEquals(0, model.inside(), "everyone out of the mall in an hour");
    assertEquals(0, model.exitedVia("EXIT-01") - exitedBefore(model, into), "nobody through the closed exit");
    for (int l = 0; l < net.linkCount(); l++) {
      if (net.linkTo(l) == blockedZone) assertEquals(into[l], model.crossings(l), "nobody into the blocked atrium: " + net.describe(l));
    }
    System.out.printf("demo mall: %d people placed, evacuation %.0f s after the alarm; bottlenecks %s%n", before,
        model.lastExitTime() - start, model.bottlenecks(3));
  }

  private long exitedBefore(CrowdModel model, long[] crossingsAtAlarm) {
    return crossingsAtAlarm[net.exitLink(net.exit("EXIT-01"))];
  }

  @Test
  void sameSeedSameRunOtherSeedOtherRun() {
    assertEquals(run(7), run(7));
    assertNotEquals(run(7), run(8));
  }

  private String run(long seed) {
    CrowdModel model = new CrowdModel(net, VisitorMix.DEFAULT, seed);
    for (int s = 0; s < 1200; s++) {
      if (s % 2 == 0) model.spawnVisitor(site.exits().get(s % site.exits().size()).id());
      if (s == 900) model.startEvacuation(Set.of());
      model.step(0.5);
    }
    long[] crossings = new long[net.linkCount()];
    for (int l = 0; l < crossings.length; l++) crossings[l] = model.crossings(l);
    return Arrays.toString(crossings) + model.exited() + "/" + model.lastExitTime();
  }
}
