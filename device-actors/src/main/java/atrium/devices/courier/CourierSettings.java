package atrium.devices.courier;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;

/**
 * Couriers' settings, read once from {@code atrium.courier}; keys the configuration lacks come from
 * {@value #RESOURCE}.
 *
 * @param trackRetention how long a track point is kept (twin-clock time)
 * @param trackMaxPoints most points one courier's track holds
 * @param defaultSpeed m/s assumed for an ETA before any speed is observed
 * @param minSpeed the slowest m/s an ETA assumes
 * @param speedSmoothing weight of a new sample in the observed speed's moving average
 * @param maxOrders most orders a courier carries at once
 */
public record CourierSettings(Duration trackRetention, int trackMaxPoints, double defaultSpeed, double minSpeed,
    double speedSmoothing, int maxOrders) {
  public static final String RESOURCE = "atrium-courier.conf";

  public CourierSettings {
    if (trackRetention == null || trackRetention.isNegative() || trackRetention.isZero()) {
      throw new IllegalArgumentException("atrium.courier.track-retention must be positive, was " + trackRetention);
    }
    if (trackMaxPoints < 1 || trackMaxPoints > 100_000) {
      throw new IllegalArgumentException("atrium.courier.track-max-points must be 1 to 100000, was " + trackMaxPoints);
    }
    if (!(minSpeed > 0) || !(defaultSpeed >= minSpeed) || defaultSpeed > 50) {
      throw new IllegalArgumentException("atrium.courier: need 0 < min-speed <= default-speed <= 50 m/s, got "
          + minSpeed + ", " + defaultSpeed);
    }
    if (!(speedSmoothing > 0 && speedSmoothing <= 1)) {
      throw new IllegalArgumentException("atrium.courier.speed-smoothing must be in (0, 1], was " + speedSmoothing);
    }
    if (maxOrders < 1 || maxOrders > 100) {
      throw new IllegalArgumentException("atrium.courier.max-orders must be 1 to 100, was " + maxOrders);
    }
  }

  public static CourierSettings create(Config config) {
    Config c = config.withFallback(ConfigFactory.parseResources(RESOURCE).resolve()).getConfig("atrium.courier");
    return new CourierSettings(c.getDuration("track-retention"), c.getInt("track-max-points"), c.getDouble("default-speed"),
        c.getDouble("min-speed"), c.getDouble("speed-smoothing"), c.getInt("max-orders"));
  }
}
