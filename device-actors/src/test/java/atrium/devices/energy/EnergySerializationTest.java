package atrium.devices.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import atrium.core.json.Json;
import atrium.devices.energy.SiteEnergyOptimiser.Action;
import atrium.devices.energy.SiteEnergyOptimiser.DecisionTaken;
import atrium.devices.energy.SiteEnergyOptimiser.Setting;
import atrium.devices.hvac.HvacZone.Mode;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every persisted optimiser message, its state, its replies and its timer message survive Jackson CBOR. */
class EnergySerializationTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final SerializationTestKit serialization = new SerializationTestKit(testKit.system());
  private static final Instant T = Instant.parse("2026-12-24T06:30:00.250Z");
  private static final DecisionTaken RELAX = new DecisionTaken("AHU-L1-01", Action.RELAX, new Setting(Mode.COMFORT, 20, 24),
      new Setting(Mode.COMFORT, 20, 24.5), "site demand 512.0 kW is over the 450.0 kW limit", -12.5, T);

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void everyOptimiserEventRoundTrips() {
    List<Object> all = List.of(
        RELAX,
        new DecisionTaken("AHU-L1-02", Action.SMOKE_CLEARED, new Setting(Mode.SMOKE_CONTROL, 20, 24), new Setting(null, 20, 24),
            "evacuation cleared", 0, T),
        new SiteEnergyOptimiser.OptimiserSuspended("eng:li", T),
        new SiteEnergyOptimiser.OptimiserResumed("eng:li", T),
        new SiteEnergyOptimiser.DemandLimitSet(450, "eng:li", T),
        new SiteEnergyOptimiser.ZoneControlSet("AHU-L1-01", true, null, null, "eng:li", T),
        new SiteEnergyOptimiser.ZoneControlSet("AHU-L1-02", false, 21.0, 23.0, "eng:li", T),
        new SiteEnergyOptimiser.ZoneControlCleared("AHU-L1-02", "eng:li", T),
        new SiteEnergyOptimiser.EvacuationDeclared("fire alarm L1", "op:ann", T),
        new SiteEnergyOptimiser.EvacuationCleared("op:ann", T),
        SiteEnergyOptimiser.Tick.INSTANCE,
        SiteEnergyOptimiser.Wake.INSTANCE);
    all.forEach(m -> serialization.verifySerialization(m, true));
  }

  @Test
  void theStateEmptyAndFullRoundTrips() {
    var full = new SiteEnergyOptimiser.State(true, "eng:li", T, 450.0,
        new SiteEnergyOptimiser.Evacuation("drill", "op:ann", T),
        Map.of("AHU-L1-01", new SiteEnergyOptimiser.Held(20, 24, 24.5, T), "AHU-L1-03", new SiteEnergyOptimiser.Held(20, 24, 22, null)),
        Map.of("AHU-L1-02", new SiteEnergyOptimiser.ZoneControl(false, 21.0, 23.0, "eng:li", T)),
        List.of("AHU-L1-04"), List.of(RELAX), 17);
    serialization.verifySerialization(SiteEnergyOptimiser.State.EMPTY, true);
    serialization.verifySerialization(full, true);
  }

  @Test
  void theRepliesRoundTripAndReadAsJson() {
    var status = new SiteEnergyOptimiser.Status("demo-mall", "active", null, null, 450, 512.5, T, 0.75, false, 560,
        new SiteEnergyOptimiser.PreCoolWindow(T, T.plusSeconds(7200), T.plusSeconds(18000), 1.25, 0.75, 495, true),
        new SiteEnergyOptimiser.ForecastSummary(T, 28, 120, 322560, List.of(new SiteEnergyOptimiser.ForecastPoint(T, 1234.5))),
        List.of(new SiteEnergyOptimiser.ZoneControlView("AHU-L1-02", false, 21.0, 23.0, "eng:li", T)),
        List.of(new SiteEnergyOptimiser.HeldView("AHU-L1-01", 24, 24.5, T)), null, 17);
    serialization.verifySerialization(status, true);
    var decisions = new SiteEnergyOptimiser.Decisions("demo-mall", 17, List.of(RELAX));
    serialization.verifySerialization(decisions, true);
    JsonNode json = Json.MAPPER.valueToTree(decisions);
    assertEquals("RELAX", json.at("/decisions/0/action").asText());
    assertEquals(24.5, json.at("/decisions/0/to/cooling").asDouble());
    assertEquals("2026-12-24T06:30:00.250Z", json.at("/decisions/0/at").asText());
  }
}
