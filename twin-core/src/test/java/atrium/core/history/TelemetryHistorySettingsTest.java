package atrium.core.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TelemetryHistorySettingsTest {

  @Test
  void theResourceDefaultsAreTheDocumentedDefaults() {
    Config resource = ConfigFactory.parseResources(TelemetryHistorySettings.RESOURCE).resolve(ConfigResolveOptions.noSystem());

    assertEquals(TelemetryHistorySettings.defaults(), TelemetryHistorySettings.create(resource));
    assertEquals(new TelemetryHistorySettings(10_000, 500, Duration.ofMillis(200), Duration.ofDays(90), Duration.ofHours(1)),
        TelemetryHistorySettings.defaults());
  }

  @Test
  void environmentVariablesOverrideEveryKey() {
    // stands in for the environment: ${?X} looks at the config's root before the real environment
    Config env = ConfigFactory.parseMap(Map.of(
        "ATRIUM_HISTORY_BUFFER_SIZE", "2000",
        "ATRIUM_HISTORY_BATCH_SIZE", "100",
        "ATRIUM_HISTORY_BATCH_WINDOW", "1s",
        "ATRIUM_HISTORY_RETENTION", "400 days",
        "ATRIUM_HISTORY_PURGE_INTERVAL", "15m"));

    Config resolved = env.withFallback(ConfigFactory.parseResources(TelemetryHistorySettings.RESOURCE))
        .resolve(ConfigResolveOptions.noSystem());

    assertEquals(new TelemetryHistorySettings(2000, 100, Duration.ofSeconds(1), Duration.ofDays(400), Duration.ofMinutes(15)),
        TelemetryHistorySettings.create(resolved));
  }

  @Test
  void anApplicationConfigOverridesSomeKeysAndTheResourceSuppliesTheRest() {
    Config app = ConfigFactory.parseString("atrium.telemetry-history { retention = 61 days, batch-size = 50 }");

    TelemetryHistorySettings settings = TelemetryHistorySettings.create(app);

    assertEquals(Duration.ofDays(61), settings.retention());
    assertEquals(50, settings.batchSize());
    assertEquals(TelemetryHistorySettings.defaults().bufferSize(), settings.bufferSize());
  }

  @Test
  void nonPositiveSettingsAreRefusedWithTheKeyNamed() {
    Config app = ConfigFactory.parseString("atrium.telemetry-history.batch-size = 0");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TelemetryHistorySettings.create(app));
    assertTrue(e.getMessage().contains("batch-size"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new TelemetryHistorySettings(1, 1, Duration.ofMillis(1), Duration.ZERO, Duration.ofHours(1)));
  }
}
