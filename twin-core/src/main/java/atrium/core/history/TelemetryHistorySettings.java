package atrium.core.history;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;

/**
 * How the telemetry history buffers, batches and forgets; read once from
 * {@code atrium.telemetry-history} (defaults and environment variables in {@code atrium-history.conf}).
 *
 * @param bufferSize points held in memory waiting to be written; beyond it points are dropped
 * @param batchSize most points written in one JDBC batch
 * @param batchWindow longest a point waits for its batch to fill
 * @param retention how long points are kept, in twin-clock time
 * @param purgeInterval how often (twin-clock time) points older than the retention are deleted
 */
public record TelemetryHistorySettings(
    int bufferSize, int batchSize, Duration batchWindow, Duration retention, Duration purgeInterval) {

  public static final String CONFIG_PATH = "atrium.telemetry-history";
  /** The resource that holds the defaults; the runtime's reference.conf includes it. */
  public static final String RESOURCE = "atrium-history.conf";

  public TelemetryHistorySettings {
    if (bufferSize < 1) throw new IllegalArgumentException("buffer-size must be at least 1, was " + bufferSize);
    if (batchSize < 1) throw new IllegalArgumentException("batch-size must be at least 1, was " + batchSize);
    requirePositive("batch-window", batchWindow);
    requirePositive("retention", retention);
    requirePositive("purge-interval", purgeInterval);
  }

  public static TelemetryHistorySettings defaults() {
    return new TelemetryHistorySettings(10_000, 500, Duration.ofMillis(200), Duration.ofDays(90), Duration.ofHours(1));
  }

  /**
   * Reads {@code atrium.telemetry-history} from {@code config}; keys it does not set come from
   * {@value #RESOURCE}, so the settings are complete even where that resource is not included.
   */
  public static TelemetryHistorySettings create(Config config) {
    Config c = config.withFallback(ConfigFactory.parseResources(RESOURCE).resolve()).getConfig(CONFIG_PATH);
    return new TelemetryHistorySettings(
        c.getInt("buffer-size"),
        c.getInt("batch-size"),
        c.getDuration("batch-window"),
        c.getDuration("retention"),
        c.getDuration("purge-interval"));
  }

  private static void requirePositive(String key, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) throw new IllegalArgumentException(key + " must be positive, was " + d);
  }
}
