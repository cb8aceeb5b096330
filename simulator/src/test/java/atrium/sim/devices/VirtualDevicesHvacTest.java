package atrium.sim.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.json.Json;
import atrium.core.protocol.Envelope;
import atrium.core.site.Site;
import atrium.core.testkit.TestTwins;
import atrium.sim.crowd.CrowdModel;
import atrium.sim.crowd.CrowdNetwork;
import atrium.sim.crowd.VisitorMix;
import atrium.sim.scenario.Scenario;
import atrium.sim.thermal.Plant;
import atrium.sim.thermal.Sun;
import atrium.sim.thermal.ThermalZone;
import atrium.sim.thermal.Weather;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The twin's loop commands reach the thermal plant through the virtual HVAC controllers, and are acknowledged. */
class VirtualDevicesHvacTest {
  private static final Instant T0 = Instant.parse("2026-12-24T02:30:00Z");
  private static final String AHU = "AHU-L1-16";

  private final Site site = TestTwins.demoSites().site("demo-mall").orElseThrow();
  private final Plant plant = Plant.forSite(site, Sun.SHANGHAI_WINTER);
  private final List<Envelope> out = new ArrayList<>();
  private final CrowdNetwork net = CrowdNetwork.fromSite(site);
  private final CrowdModel crowd = new CrowdModel(net, VisitorMix.DEFAULT, 1);
  private final VirtualDevices devices = new VirtualDevices(site, net, Scenario.DeviceBehaviour.DEFAULT, 7, out::addAll);

  private Envelope.Command command(String id, String name, ObjectNode data) {
    return new Envelope.Command(id, AssetId.of(site.id(), AssetKind.HVAC_ZONE, AHU), T0, name, data);
  }

  private List<Envelope.Ack> acks() {
    return out.stream().filter(e -> e instanceof Envelope.Ack).map(e -> (Envelope.Ack) e).collect(Collectors.toList());
  }

  /** Lets the acknowledgements (1–3 s after the command) fall due. */
  private void settle(double t) {
    for (double s = t; s <= t + 5; s += 1) {
      devices.tick(s, T0.plusSeconds((long) s), crowd, plant);
    }
  }

  @Test
  void setOutputsDrivesThePlantAndSetControlLocalHandsItBack() {
    ThermalZone z = plant.zone(AHU);
    devices.command(command("set-outputs-a-1", "set-outputs",
        Json.MAPPER.createObjectNode().put("heating", 35.0).put("cooling", 0.0).put("outdoorAir", 612.0)), 10, plant);
    assertTrue(z.actuated());
    plant.step(60, Weather.of(2, 70), 12);
    assertEquals(35, z.heatingOutput(), 1e-9, "the plant holds the twin's heating output");
    assertEquals(0, z.coolingOutput(), 1e-9);

    devices.command(command("set-control-3", "set-control", Json.MAPPER.createObjectNode().put("control", "local")), 11, plant);
    assertFalse(z.actuated(), "back to the zone's own controller");

    settle(11);
    assertEquals(List.of("set-outputs-a-1", "set-control-3"), acks().stream().map(Envelope.Ack::ref).collect(Collectors.toList()));
    assertTrue(acks().stream().allMatch(a -> a.status() == Envelope.AckStatus.OK));
  }

  @Test
  void setLightingSetsTheLightingGainAndIsAcknowledged() {
    ThermalZone z = plant.zone(AHU);
    assertTrue(Double.isNaN(z.lightingLevel()), "lighting follows the internal load until commanded");
    devices.command(command("set-lighting-a-2", "set-lighting", Json.MAPPER.createObjectNode().put("level", 60.0)), 10, plant);
    assertEquals(60, z.lightingLevel(), 1e-9);
    settle(10);
    assertEquals(Envelope.AckStatus.OK, acks().get(0).status());
  }

  @Test
  void malformedLoopCommandsAreRefusedWithAReasonAndChangeNothing() {
    ThermalZone z = plant.zone(AHU);
    devices.command(command("set-outputs-a-3", "set-outputs",
        Json.MAPPER.createObjectNode().put("heating", 130.0).put("cooling", 0.0).put("outdoorAir", 612.0)), 10, plant);
    devices.command(command("set-lighting-a-4", "set-lighting", Json.MAPPER.createObjectNode().put("level", -1)), 10, plant);
    assertFalse(z.actuated());
    assertTrue(Double.isNaN(z.lightingLevel()));
    settle(10);
    assertEquals(2, acks().size());
    assertTrue(acks().stream().allMatch(a -> a.status() == Envelope.AckStatus.FAILED));
    assertTrue(acks().get(0).reason().contains("0 to 100 %"), acks().get(0).reason());
  }
}
