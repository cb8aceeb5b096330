package atrium.devices.kiosk;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;

/**
 * Kiosks' settings, read once from {@code atrium.kiosk}; keys the configuration lacks come from
 * {@value #RESOURCE}.
 *
 * @param heartbeatDeadline silence (twin-clock time) after which a kiosk is offline
 * @param commandRetry how long an unacknowledged content-mode command waits before it is sent again
 * @param fanOutParallelism kiosks asked at once when a mode is set for a whole site
 */
public record KioskSettings(Duration heartbeatDeadline, Duration commandRetry, int fanOutParallelism) {
  public static final String RESOURCE = "atrium-kiosk.conf";

  public KioskSettings {
    if (heartbeatDeadline == null || heartbeatDeadline.isNegative() || heartbeatDeadline.isZero()) {
      throw new IllegalArgumentException("atrium.kiosk.heartbeat-deadline must be positive, was " + heartbeatDeadline);
    }
    if (commandRetry == null || commandRetry.isNegative() || commandRetry.isZero()) {
      throw new IllegalArgumentException("atrium.kiosk.command-retry must be positive, was " + commandRetry);
    }
    if (fanOutParallelism < 1 || fanOutParallelism > 1024) {
      throw new IllegalArgumentException("atrium.kiosk.fan-out-parallelism must be 1 to 1024, was " + fanOutParallelism);
    }
  }

  public static KioskSettings create(Config config) {
    Config c = config.withFallback(ConfigFactory.parseResources(RESOURCE).resolve()).getConfig("atrium.kiosk");
    return new KioskSettings(c.getDuration("heartbeat-deadline"), c.getDuration("command-retry"), c.getInt("fan-out-parallelism"));
  }
}
