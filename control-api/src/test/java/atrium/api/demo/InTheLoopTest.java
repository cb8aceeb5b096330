package atrium.api.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.AtriumMain;
import atrium.api.TestNode;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.SimulatedClock;
import atrium.core.testkit.TestTwins;
import atrium.sim.link.HttpDeviceLink;
import atrium.sim.run.InTheLoopRun;
import atrium.sim.scenario.ScenarioLoader;
import atrium.sim.traffic.BayChooser;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator in the loop with a whole node, as the demo runs it: the models follow the node's
 * clock, their devices report through the node's HTTP device door as a site gateway, drivers follow
 * the twin's parking guidance, and the twin sees the crowd, the cars and the plant.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InTheLoopTest {
  @TempDir
  static Path dir;

  private AtriumMain.Node node;

  @BeforeAll
  void start() {
    node = AtriumMain.Node.start(TestNode.config(dir));
  }

  @AfterAll
  void stop() {
    if (node != null) node.close();
  }

  private JsonNode state(AssetKind kind, String id) throws Exception {
    return node.gateway().state(AssetId.of("demo-mall", kind, id)).toCompletableFuture().get(30, TimeUnit.SECONDS).orElseThrow();
  }

  @Test
  void theTwinGuidesADriverToAFreeBayOfTheCarPark() {
    var site = node.runtime().services().sites().site("demo-mall").orElseThrow();
    // A driver waits only GUIDANCE_WAIT_MILLIS for the signs; the car park's first answer (recovering
    // it and its bays) may take longer on a busy machine, so the test asks until the twin answers in time.
    var guidance = DemoTraffic.guidance(node.runtime().services(), site);
    new org.apache.pekko.testkit.javadsl.TestKit(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(node.runtime().system()))
        .awaitAssert(Duration.ofSeconds(20), Duration.ofMillis(200), () -> {
          Optional<String> bay = guidance.guide("P-south", "TEST-1", BayChooser.Preference.ENTRANCE, 0);
          assertTrue(bay.isPresent() && site.bay(bay.get()).orElseThrow().carParkId().equals("P-south"), String.valueOf(bay));
          return null;
        });
  }

  @Test
  void theTwinSeesTheSimulatedCrowdCarsAndPlantAsTheClockRuns() throws Exception {
    SimulatedClock clock = (SimulatedClock) node.runtime().clock();
    Path scenario = dir.resolve("loop.json");
    Files.writeString(scenario, "{\"site\":\"" + TestTwins.demoMallFile().toAbsolutePath().toString().replace("\\", "/") + "\","
        + "\"start\":\"2026-12-24T13:00\",\"duration\":\"PT2H\",\"seed\":7,"
        + "\"visitors\":{\"arrivals\":[{\"from\":\"00:00\",\"to\":\"24:00\",\"perHour\":4000}]},"
        + "\"cars\":{\"arrivals\":[{\"from\":\"00:00\",\"to\":\"24:00\",\"perHour\":1200}]}}");
    int freeBefore = state(AssetKind.CAR_PARK, "P-north").get("free").asInt() + state(AssetKind.CAR_PARK, "P-south").get("free").asInt();
    var loaded = ScenarioLoader.load(scenario).startingAt(clock.now());
    try (HttpDeviceLink link = new HttpDeviceLink(node.baseUri(), TestNode.GATEWAY, TestNode.GATEWAY_PASSWORD);
        InTheLoopRun run = new InTheLoopRun(loaded, link, clock::now,
            DemoTraffic.guidance(node.runtime().services(), node.runtime().services().sites().site("demo-mall").orElseThrow()))) {
      run.start();
      for (int minute = 0; minute < 20; minute++) {
        clock.advance(Duration.ofMinutes(1));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (run.simulation().time() < (minute + 1) * 60 - 1 && System.nanoTime() < deadline) Thread.onSpinWait();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        int free = state(AssetKind.CAR_PARK, "P-north").get("free").asInt() + state(AssetKind.CAR_PARK, "P-south").get("free").asInt();
        if (free < freeBefore - 100) break;
        Thread.onSpinWait();
      }
      int freeAfter = state(AssetKind.CAR_PARK, "P-north").get("free").asInt() + state(AssetKind.CAR_PARK, "P-south").get("free").asInt();
      assertTrue(freeAfter < freeBefore - 100, "cars parked in the twin: " + freeBefore + " -> " + freeAfter);
      JsonNode hvac = state(AssetKind.HVAC_ZONE, "AHU-L1-01");
      assertTrue(hvac.get("temperature").get("value").isNumber(), "the plant's temperature reached the twin: " + hvac);
      assertEquals(0, run.failed(), "the twin took every simulated message");
      assertTrue(run.sent() > 1000, "device messages sent: " + run.sent());
    }
  }
}
