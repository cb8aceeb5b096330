package atrium.api.demo;

import atrium.core.clock.TwinClock;
import atrium.core.live.DeviceCommands;
import atrium.core.protocol.Envelope;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Bay;
import atrium.core.site.Site;
import atrium.devices.parking.CarPark;
import atrium.devices.parking.ParkingGuidance;
import atrium.sim.traffic.BayChooser;
import atrium.sim.traffic.TwinGuidance;
import atrium.sim.link.HttpDeviceLink;
import atrium.sim.run.InTheLoopRun;
import atrium.sim.scenario.LoadedScenario;
import atrium.sim.scenario.ScenarioLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's virtual mall: the simulator in the loop with the node — crowds, cars, the thermal
 * plant and every device of the demo scenario ({@code scenarios/demo.json}), following the node's
 * simulated clock and reporting through the node's own HTTP device door as a site gateway. The
 * twin's commands to the site's devices come back to the simulated devices (HVAC setpoints drive
 * the plant; every command is acknowledged). The clock and the parked cars are saved under the data
 * directory so that a restarted demo carries on where it was, like a real car park would.
 */
public final class DemoTraffic implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DemoTraffic.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path stateFile;
  private final TwinClock clock;
  private final InTheLoopRun run;
  private final HttpDeviceLink link;
  private final ScheduledExecutorService saver = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "demo-state-saver");
    t.setDaemon(true);
    return t;
  });

  public record Saved(Instant clock, Map<String, Instant> parked) {}

  private DemoTraffic(Path stateFile, TwinClock clock, InTheLoopRun run, HttpDeviceLink link) {
    this.stateFile = stateFile;
    this.clock = clock;
    this.run = run;
    this.link = link;
  }

  /** The saved virtual mall, if a demo ran in this data directory before. */
  public static Optional<Saved> load(Path dataDir) {
    Path f = dataDir.resolve("demo-traffic.json");
    if (!Files.isRegularFile(f)) return Optional.empty();
    try {
      JsonNode n = JSON.readTree(f.toFile());
      Map<String, Instant> parked = new HashMap<>();
      n.get("parked").fields().forEachRemaining(e -> parked.put(e.getKey(), Instant.parse(e.getValue().asText())));
      return Optional.of(new Saved(Instant.parse(n.get("clock").asText()), parked));
    } catch (IOException | RuntimeException e) {
      log.warn("ignoring unreadable demo state {}: {}", f, e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Starts the virtual mall of {@code scenarioFile} at the twin's present — with the cars saved
   * ({@code parked}) and the people the twin counts in each zone ({@code people}) when the demo
   * resumes — reporting over HTTP to
   * {@code server}; the twin's device commands for the site reach it through {@code commands}, as
   * they would reach real devices through the door that holds their connections.
   */
  public static DemoTraffic start(Path dataDir, Site site, TwinClock clock, URI server, String deviceUser, String devicePassword,
      Path scenarioFile, Map<String, Instant> parked, Map<String, Integer> people, TwinServices services) {
    ActorSystem<?> system = services.system();
    DeviceCommands commands = services.commands();
    LoadedScenario scenario;
    try {
      scenario = ScenarioLoader.load(scenarioFile).startingAt(clock.now());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the demo scenario " + scenarioFile, e);
    }
    if (!scenario.site().id().equals(site.id())) {
      throw new IllegalArgumentException("the demo scenario " + scenarioFile + " is for site " + scenario.site().id()
          + ", the node serves " + site.id());
    }
    HttpDeviceLink link = new HttpDeviceLink(server, deviceUser, devicePassword);
    InTheLoopRun run = new InTheLoopRun(scenario, link, clock::now, guidance(services, site));
    run.placeCars(parked);
    run.simulation().populate(people);
    DemoTraffic traffic = new DemoTraffic(dataDir.resolve("demo-traffic.json"), clock, run, link);
    ActorRef<Envelope.Command> inbox = system.systemActorOf(Behaviors.receiveMessage(c -> {
      run.command(c);
      return Behaviors.same();
    }), "demo-devices", Props.empty());
    commands.deliverTo(site.id(), inbox);
    run.start();
    traffic.saver.scheduleAtFixedRate(traffic::save, 2, 2, TimeUnit.SECONDS);
    return traffic;
  }

  /**
   * Drivers ask the twin's car park for a bay, as its guidance signs would tell them (the car park's
   * own answer, or its overflow to the next car park). A slow answer is no answer: the driver takes
   * the nearest free bay, as without signs.
   */
  static TwinGuidance guidance(TwinServices services, Site site) {
    return (carParkId, plate, preference, time) -> {
      try {
        CarPark.Preference p = preference == BayChooser.Preference.LIFT ? CarPark.Preference.LIFT : CarPark.Preference.ENTRANCE;
        CarPark.Guidance g = ParkingGuidance.guide(services, site, carParkId, p, Bay.Kind.STANDARD).toCompletableFuture()
            .get(GUIDANCE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        return Optional.ofNullable(g.bayId());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      } catch (Exception e) {
        return Optional.empty();
      }
    };
  }

  static final long GUIDANCE_WAIT_MILLIS = 500;

  /** Device messages the twin has taken, and refused. */
  public long sent() {
    return run.sent();
  }

  public long failed() {
    return run.failed();
  }

  private void save() {
    try {
      ObjectNode n = JSON.createObjectNode();
      n.put("clock", clock.now().toString());
      ObjectNode parked = n.putObject("parked");
      run.parkedCars().entrySet().stream().sorted(Map.Entry.comparingByKey())
          .forEach(e -> parked.put(e.getKey(), e.getValue().toString()));
      Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
      JSON.writeValue(tmp.toFile(), n);
      Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      log.warn("could not save the demo state: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    saver.shutdownNow();
    save();
    run.close();
    link.close();
  }
}
