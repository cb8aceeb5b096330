package atrium.core.runtime;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The runtime's settings, read once from {@code atrium.*}. */
public record AtriumSettings(
    Path dataDir,
    List<Path> siteFiles,
    String persistenceProfile,
    ClockMode clockMode,
    Instant clockStart,
    double clockSpeed,
    Duration clockStep,
    Duration askTimeout) {

  public enum ClockMode {
    /** Real time. */
    WALL,
    /** Starts at clock.start and runs clock.speed times faster than real time. */
    SIMULATED,
    /** Starts at clock.start and moves only when advanced (tests, stand-alone drills). */
    MANUAL
  }

  public static AtriumSettings create(Config config) {
    Config a = config.getConfig("atrium");
    String mode = a.getString("clock.mode");
    ClockMode clockMode = switch (mode) {
      case "wall" -> ClockMode.WALL;
      case "simulated" -> ClockMode.SIMULATED;
      case "manual" -> ClockMode.MANUAL;
      default -> throw new IllegalArgumentException("atrium.clock.mode: '" + mode + "' is not wall, simulated or manual");
    };
    double speed = a.getDouble("clock.speed");
    if (!(speed > 0)) throw new IllegalArgumentException("atrium.clock.speed: must be positive, was " + speed);
    return new AtriumSettings(
        Path.of(a.getString("data-dir")).toAbsolutePath().normalize(),
        siteFiles(a),
        a.getString("persistence.profile"),
        clockMode,
        Instant.parse(a.getString("clock.start")),
        speed,
        a.getDuration("clock.step"),
        a.getDuration("ask-timeout"));
  }

  private static List<Path> siteFiles(Config a) {
    // A list in files; a comma-separated string from the environment variable.
    List<String> names = switch (a.getValue("site-files").valueType()) {
      case LIST -> a.getStringList("site-files");
      default -> List.of(a.getString("site-files").split(","));
    };
    return names.stream().map(String::trim).filter(s -> !s.isEmpty()).map(Path::of).toList();
  }
}
