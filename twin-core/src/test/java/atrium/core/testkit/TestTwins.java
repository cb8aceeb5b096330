package atrium.core.testkit;

import atrium.core.clock.TwinClock;
import atrium.core.history.H2TelemetryHistory;
import atrium.core.history.TelemetryHistory;
import atrium.core.history.TelemetryHistorySettings;
import atrium.core.runtime.SiteDirectory;
import atrium.core.runtime.TwinServices;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorSystem;

/** Fixtures for tests of entities: the demo mall, and the twin's services without sharding. */
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

  /** A telemetry history in a private in-memory H2 database. */
  public static TelemetryHistory memoryHistory(ActorSystem<?> system, TwinClock clock) {
    return new H2TelemetryHistory(system, "jdbc:h2:mem:history-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
        TelemetryHistorySettings.create(ConfigFactory.load()), clock);
  }

  /** Services for an entity run outside sharding (its timers come back to itself). */
  public static TwinServices unsharded(ActorSystem<?> system, TwinClock clock) {
    return new TwinServices(system, clock, memoryHistory(system, clock), demoSites(), null, Duration.ofSeconds(5));
  }
}
