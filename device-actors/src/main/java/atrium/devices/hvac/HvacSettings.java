package atrium.devices.hvac;

import atrium.devices.hvac.HvacZone.Sensor;
import com.typesafe.config.Config;
import java.time.Duration;

/** HVAC zones' settings, read once from {@code atrium.hvac} (see {@code atrium-hvac.conf}). */
public record HvacSettings(
    SetpointLimits setpoints,
    Range temperature,
    Range humidity,
    Range co2,
    Range supplyAirTemperature,
    FaultRules faults,
    CommandRules commands,
    Duration liveInterval) {

  /** Setpoints in degrees C: each within [min, max], cooling at least {@code deadBand} K above heating. */
  public record SetpointLimits(double min, double max, double deadBand, double defaultHeating, double defaultCooling) {
    public SetpointLimits {
      if (!(min < max) || !(deadBand >= 0) || deadBand > max - min) {
        throw new IllegalArgumentException("atrium.hvac.setpoints: need min < max and 0 <= dead-band <= max - min, got "
            + min + ", " + max + ", " + deadBand);
      }
      if (defaultHeating < min || defaultCooling > max || defaultCooling - defaultHeating < deadBand) {
        throw new IllegalArgumentException("atrium.hvac.setpoints: the defaults " + defaultHeating + " and "
            + defaultCooling + " break the limits they are meant to meet");
      }
    }
  }

  /** A sensor's plausible readings, inclusive. */
  public record Range(double min, double max) {
    public Range {
      if (!(min < max)) throw new IllegalArgumentException("a sensor range needs min < max, got " + min + ", " + max);
    }

    public boolean contains(double v) {
      return v >= min && v <= max;
    }
  }

  public record FaultRules(Duration missingAfter, int stuckReadings, Duration stuckAfter,
      Duration stuckWhileActuatingAfter, double actuationSwing) {
    public FaultRules {
      if (missingAfter.isNegative() || missingAfter.isZero() || stuckAfter.isNegative() || stuckAfter.isZero()
          || stuckWhileActuatingAfter.isNegative() || stuckWhileActuatingAfter.isZero()) {
        throw new IllegalArgumentException("atrium.hvac.faults: durations must be positive");
      }
      if (stuckReadings < 2) throw new IllegalArgumentException("atrium.hvac.faults.stuck-readings: at least 2, got " + stuckReadings);
      if (!(actuationSwing > 0 && actuationSwing <= 200)) {
        throw new IllegalArgumentException("atrium.hvac.faults.actuation-swing: more than 0 and at most 200 % points, got " + actuationSwing);
      }
    }
  }

  public record CommandRules(Duration ackTimeout, int attempts) {
    public CommandRules {
      if (ackTimeout.isNegative() || ackTimeout.isZero()) throw new IllegalArgumentException("atrium.hvac.commands.ack-timeout must be positive");
      if (attempts < 1) throw new IllegalArgumentException("atrium.hvac.commands.attempts: at least 1, got " + attempts);
    }
  }

  public HvacSettings {
    if (liveInterval.isNegative()) throw new IllegalArgumentException("atrium.hvac.live-interval must not be negative");
  }

  public Range range(Sensor sensor) {
    switch (sensor) {
      case TEMPERATURE: return temperature;
      case HUMIDITY: return humidity;
      case CO2: return co2;
      case SUPPLY_AIR_TEMPERATURE: return supplyAirTemperature;
      default: throw new IllegalArgumentException("no range for " + sensor);
    }
  }

  public static HvacSettings create(Config config) {
    Config c = config.getConfig("atrium.hvac");
    Config sp = c.getConfig("setpoints");
    Config s = c.getConfig("sensors");
    Config f = c.getConfig("faults");
    Config cmd = c.getConfig("commands");
    return new HvacSettings(
        new SetpointLimits(sp.getDouble("min"), sp.getDouble("max"), sp.getDouble("dead-band"),
            sp.getDouble("default-heating"), sp.getDouble("default-cooling")),
        range(s, "temperature"), range(s, "humidity"), range(s, "co2"), range(s, "supply-air-temperature"),
        new FaultRules(f.getDuration("missing-after"), f.getInt("stuck-readings"), f.getDuration("stuck-after"),
            f.getDuration("stuck-while-actuating-after"), f.getDouble("actuation-swing")),
        new CommandRules(cmd.getDuration("ack-timeout"), cmd.getInt("attempts")),
        c.getDuration("live-interval"));
  }

  private static Range range(Config sensors, String name) {
    return new Range(sensors.getDouble(name + "-min"), sensors.getDouble(name + "-max"));
  }
}
