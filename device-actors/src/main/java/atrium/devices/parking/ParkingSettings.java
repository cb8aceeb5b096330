package atrium.devices.parking;

import com.typesafe.config.Config;
import java.time.Duration;

/** Parking's settings, read once from {@code atrium.parking}. */
public record ParkingSettings(Duration minHold, Duration maxHold) {
  public ParkingSettings {
    if (minHold.isNegative() || minHold.isZero() || maxHold.compareTo(minHold) < 0) {
      throw new IllegalArgumentException("atrium.parking.reservation: need 0 < min-hold <= max-hold, got " + minHold + ", " + maxHold);
    }
  }

  public static ParkingSettings create(Config config) {
    Config c = config.getConfig("atrium.parking.reservation");
    return new ParkingSettings(c.getDuration("min-hold"), c.getDuration("max-hold"));
  }
}
