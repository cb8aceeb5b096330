package atrium.core.testkit;

import atrium.core.alarm.AlarmReporter;
import atrium.core.alarm.Severity;
import atrium.core.asset.AssetId;
import atrium.core.clock.TwinClock;
import atrium.core.history.H2TelemetryHistory;
import atrium.core.history.TelemetryHistory;
import atrium.core.history.TelemetryHistorySettings;
import atrium.core.live.Delta;
import atrium.core.live.DeviceCommands;
import atrium.core.live.LiveDeltas;
import atrium.core.protocol.Envelope;
import atrium.core.runtime.SiteDirectory;
import atrium.core.runtime.TwinServices;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Fixtures for tests of entities: the demo mall, and the twin's services without sharding, whose
 * alarms, deltas and device commands are recorded for the test to assert on.
 */
public final class TestTwins {
  private static SiteDirectory demo;

  private TestTwins() {}

  /** The repository's {@code sites/demo-mall.json}, found from any module's directory. */
  public static Path demoMallFile() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path f = p.resolve("sites/demo-mall.json");
      if (Files.isRegularFile(f)) return f;
    }
    throw new IllegalStateException("sites/demo-mall.json not found above " + Path.of("").toAbsolutePath());
  }

  public static synchronized SiteDirectory demoSites() {
    if (demo == null) demo = SiteDirectory.load(List.of(demoMallFile()));
    return demo;
  }

  /**
   * Writes a copy of the small example site with its one car park level holding {@code bays} bays
   * ({@code P1-B1-000001}...) into {@code dir}, for tests of many twins; returns the file.
   */
  public static Path siteWithBays(Path dir, int bays) {
    try (var in = TestTwins.class.getResourceAsStream("/atrium/core/site/example-site.json")) {
      var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
      var root = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(in);
      var list = mapper.createArrayNode();
      for (int i = 1; i <= bays; i++) {
        list.addObject().put("id", String.format(java.util.Locale.ROOT, "P1-B1-%06d", i)).put("kind", "standard")
            .put("shared", false).put("toEntrance", 10.0 + i * 0.01).put("toLift", 5.0 + i * 0.01);
      }
      ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("carParks").get(0).get("levels").get(0)).set("bays", list);
      Path file = dir.resolve("site-" + bays + "-bays.json");
      mapper.writeValue(file.toFile(), root);
      return file;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A telemetry history in a private in-memory H2 database. */
  public static TelemetryHistory memoryHistory(ActorSystem<?> system, TwinClock clock) {
    return new H2TelemetryHistory(system, "jdbc:h2:mem:history-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
        TelemetryHistorySettings.create(ConfigFactory.load()), clock);
  }

  /** Services for an entity run outside sharding (its timers come back to itself), with recorders. */
  public static TwinServices unsharded(ActorSystem<?> system, TwinClock clock) {
    return unsharded(system, clock, new Recorder());
  }

  public static TwinServices unsharded(ActorSystem<?> system, TwinClock clock, Recorder recorder) {
    return new TwinServices(system, clock, memoryHistory(system, clock), demoSites(), null, Duration.ofSeconds(5),
        recorder, recorder, recorder);
  }

  /** An alarm raised or cleared by a twin under test ({@code severity} is null for a clear). */
  public record AlarmReport(AssetId source, String condition, Severity severity, String message, Instant at) {
    public boolean raised() {
      return severity != null;
    }
  }

  public record Published(AssetId asset, Object view) {}

  /** Records what a twin under test reports, publishes and sends to devices. Thread-safe. */
  public static final class Recorder implements AlarmReporter, LiveDeltas, DeviceCommands {
    public final List<AlarmReport> alarms = new CopyOnWriteArrayList<>();
    public final List<Published> deltas = new CopyOnWriteArrayList<>();
    public final List<Envelope.Command> commands = new CopyOnWriteArrayList<>();

    @Override
    public void raise(AssetId source, String condition, Severity severity, String message, Instant at) {
      alarms.add(new AlarmReport(source, condition, severity, message, at));
    }

    @Override
    public void clear(AssetId source, String condition, Instant at) {
      alarms.add(new AlarmReport(source, condition, null, null, at));
    }

    @Override
    public void publish(AssetId asset, Object view) {
      deltas.add(new Published(asset, view));
    }

    @Override
    public void subscribe(String site, ActorRef<Delta> subscriber) {
      throw new UnsupportedOperationException("the recorder has no subscribers; assert on its lists");
    }

    @Override
    public void unsubscribe(String site, ActorRef<Delta> subscriber) {}

    @Override
    public void send(Envelope.Command command) {
      commands.add(command);
    }

    @Override
    public void deliverTo(String site, ActorRef<Envelope.Command> door) {
      throw new UnsupportedOperationException("the recorder delivers nowhere; assert on its lists");
    }

    @Override
    public void stopDeliveringTo(String site, ActorRef<Envelope.Command> door) {}
  }
}
