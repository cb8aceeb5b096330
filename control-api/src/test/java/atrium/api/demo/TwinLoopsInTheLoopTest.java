package atrium.api.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.AtriumMain;
import atrium.api.TestNode;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.SimulatedClock;
import atrium.core.protocol.Envelope;
import atrium.core.testkit.TestTwins;
import atrium.devices.hvac.HvacZone;
import atrium.sim.link.HttpDeviceLink;
import atrium.sim.run.InTheLoopRun;
import atrium.sim.scenario.ScenarioLoader;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The twin's own loops closing over the simulated plant: an HVAC zone handed to the twin sends
 * set-outputs to the virtual controller, which drives the plant with them, reports the outputs back
 * and acknowledges — through the node's device door, on the node's clock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwinLoopsInTheLoopTest {
  private static final AssetId AHU = AssetId.of("demo-mall", AssetKind.HVAC_ZONE, "AHU-L1-01");

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

  private JsonNode state() throws Exception {
    return node.gateway().state(AHU).toCompletableFuture().get(30, TimeUnit.SECONDS).orElseThrow();
  }

  @Test
  void aZoneHandedToTheTwinIsDrivenByItsLoopOutputsAndTheControllerAcknowledgesThem() throws Exception {
    var services = node.runtime().services();
    SimulatedClock clock = (SimulatedClock) node.runtime().clock();
    Path scenario = dir.resolve("loops.json");
    Files.writeString(scenario, "{\"site\":\"" + TestTwins.demoMallFile().toAbsolutePath().toString().replace("\\", "/") + "\","
        + "\"start\":\"2026-12-24T13:00\",\"duration\":\"PT2H\",\"seed\":11,"
        + "\"visitors\":{\"arrivals\":[{\"from\":\"00:00\",\"to\":\"24:00\",\"perHour\":2000}]}}");
    var loaded = ScenarioLoader.load(scenario).startingAt(clock.now());
    try (HttpDeviceLink link = new HttpDeviceLink(node.baseUri(), TestNode.GATEWAY, TestNode.GATEWAY_PASSWORD);
        InTheLoopRun run = new InTheLoopRun(loaded, link, clock::now,
            DemoTraffic.guidance(services, services.sites().site("demo-mall").orElseThrow()))) {
      ActorRef<Envelope.Command> devices = services.system().systemActorOf(Behaviors.receiveMessage(c -> {
        run.command(c);
        return Behaviors.same();
      }), "loop-test-devices", Props.empty());
      services.commands().deliverTo("demo-mall", devices);
      var zone = services.entityRef(HvacZone.ENTITY_KEY, AHU);
      zone.<HvacZone.View>askWithStatus(r -> new HvacZone.SetMode(HvacZone.Mode.COMFORT, "test", r), Duration.ofSeconds(30))
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      // A heating setpoint a little above the plant's 20 °C start: the PI asks for part of the heater,
      // a value the plant's own controller would not happen to report to 0.1 %.
      zone.<HvacZone.View>askWithStatus(r -> new HvacZone.SetSetpoints(20.5, 25.0, "test", r), Duration.ofSeconds(30))
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      zone.<HvacZone.View>askWithStatus(r -> new HvacZone.SetControl(HvacZone.Control.ATRIUM, "test", r), Duration.ofSeconds(30))
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      run.start();

      boolean closed = false;
      JsonNode last = null;
      for (int minute = 0; minute < 30 && !closed; minute++) {
        clock.advance(Duration.ofMinutes(1));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (run.simulation().time() < (minute + 1) * 60 - 1 && System.nanoTime() < deadline) Thread.onSpinWait();
        last = state();
        JsonNode sent = last.at("/control/outputs");
        // The plant reports the twin's outputs as its own once it runs on them (rounded to 0.1 %): a
        // partial heating output, not the 0 % or 100 % its own controller might report as well.
        closed = sent.path("acknowledged").asBoolean()
            && sent.path("heating").asDouble() > 0 && sent.path("heating").asDouble() < 100
            && last.at("/outputs/heating").isNumber()
            && Math.abs(last.at("/outputs/heating").asDouble() - sent.path("heating").asDouble()) < 0.11
            && Math.abs(last.at("/outputs/cooling").asDouble() - sent.path("cooling").asDouble()) < 0.11;
      }
      assertTrue(closed, "the plant ran on the twin's acknowledged outputs within 30 min: " + last);
      assertEquals("ATRIUM", last.at("/control/control").asText());
      assertEquals("APPLIED", last.at("/control/command/status").asText(), "set-control acknowledged: " + last.at("/control"));
      assertTrue(last.at("/control/lighting/level").isNumber(), "and a lighting level was sent: " + last.at("/control"));
      services.commands().stopDeliveringTo("demo-mall", devices);
    }
  }
}
