package atrium.api.demo;

import atrium.core.clock.TwinClock;
import atrium.core.site.Site;
import atrium.core.live.DeviceCommands;
import atrium.core.protocol.Envelope;
import atrium.sim.devices.DemoDevices;
import atrium.sim.link.HttpDeviceLink;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import atrium.sim.traffic.CarArrivalDriver;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's traffic: the simulator's car-arrival driver feeding the node's own HTTP device door.
 * The virtual mall's state (the clock and the parked cars) is saved under the data directory so that
 * a stopped and restarted demo carries on where it was, like a real car park would.
 */
public final class DemoTraffic implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DemoTraffic.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path stateFile;
  private final TwinClock clock;
  private final CarArrivalDriver driver;
  private final HttpDeviceLink link;
  private final ScheduledExecutorService saver = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "demo-state-saver");
    t.setDaemon(true);
    return t;
  });

  public record Saved(Instant clock, Map<String, Instant> parked) {}

  private final DemoDevices devices;

  private DemoTraffic(Path stateFile, TwinClock clock, CarArrivalDriver driver, DemoDevices devices, HttpDeviceLink link) {
    this.stateFile = stateFile;
    this.clock = clock;
    this.driver = driver;
    this.devices = devices;
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
   * Starts the cars and the other virtual devices, all reporting over HTTP to {@code server}; the
   * twin's device commands for the site reach the virtual devices through {@code commands}, as they
   * would reach real ones through the door that holds their connections.
   */
  public static DemoTraffic start(Path dataDir, Site site, TwinClock clock, URI server, String deviceUser, String devicePassword,
      long seed, double rateScale, Map<String, Instant> parked, ActorSystem<?> system, DeviceCommands commands) {
    HttpDeviceLink link = new HttpDeviceLink(server, deviceUser, devicePassword);
    CarArrivalDriver driver = new CarArrivalDriver(site, clock, link, seed, rateScale, parked);
    DemoDevices devices = new DemoDevices(site, clock, link, seed + 1);
    DemoTraffic traffic = new DemoTraffic(dataDir.resolve("demo-traffic.json"), clock, driver, devices, link);
    ActorRef<Envelope.Command> inbox = system.systemActorOf(Behaviors.receiveMessage(c -> {
      devices.onCommand(c);
      return Behaviors.same();
    }), "demo-devices", Props.empty());
    commands.deliverTo(site.id(), inbox);
    driver.start();
    devices.start();
    traffic.saver.scheduleAtFixedRate(traffic::save, 2, 2, TimeUnit.SECONDS);
    return traffic;
  }

  public CarArrivalDriver.Stats stats() {
    return driver.stats();
  }

  private void save() {
    try {
      ObjectNode n = JSON.createObjectNode();
      n.put("clock", clock.now().toString());
      ObjectNode parked = n.putObject("parked");
      driver.snapshot().entrySet().stream().sorted(Map.Entry.comparingByKey())
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
    driver.close();
    devices.close();
    save();
    link.close();
  }
}
