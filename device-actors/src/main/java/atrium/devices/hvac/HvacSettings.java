package atrium.devices.hvac;

import atrium.core.control.LightingLoop;
import atrium.devices.hvac.HvacZone.Sensor;
import com.typesafe.config.Config;
import java.time.Duration;
import java.time.LocalTime;

/** HVAC zones' settings, read once from {@code atrium.hvac} (see {@code atrium-hvac.conf}). */
public record HvacSettings(
    SetpointLimits setpoints,
    Range temperature,
    Range humidity,
    Range co2,
    Range supplyAirTemperature,
    FaultRules faults,
    CommandRules commands,
    Duration liveInterval,
    ControlRules control) {

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

  /**
   * The twin's own zone loops (control {@code atrium}): how often they step, the plant model their PI
   * gains are tuned for, when their outputs are worth sending, the site's opening hours and lighting.
   *
   * @param tick the loops' step on the twin clock (they also step on each fresh temperature and decision)
   * @param heatingGain steady-state zone temperature rise per % of heating output, K/% (SIMC tuning)
   * @param coolingGain steady-state zone temperature fall per % of cooling output, K/%
   * @param timeConstant the zone's open-loop time constant
   * @param outputDeadBand a heating or cooling change smaller than this (percentage points) is not sent
   * @param outdoorAirDeadBand an outdoor-air change smaller than this share of the maximum (%) is not sent
   * @param refresh the outputs and the lighting level are sent again at least this often
   * @param opens opening time, the site's local time
   * @param closes closing time, the site's local time (before {@code opens}: open past midnight)
   * @param preCoolOffset how far pre-cool lowers the cooling setpoint, K
   * @param lighting the lighting loop's levels, hold and ramps
   * @param lightingDeadBand a lighting change smaller than this (percentage points) is not sent unless it reaches its target
   */
  public record ControlRules(Duration tick, double heatingGain, double coolingGain, Duration timeConstant,
      double outputDeadBand, double outdoorAirDeadBand, Duration refresh, LocalTime opens, LocalTime closes,
      double preCoolOffset, LightingLoop.Settings lighting, double lightingDeadBand) {
    public ControlRules {
      if (tick.isNegative() || tick.isZero() || refresh.isNegative() || refresh.isZero()
          || timeConstant.isNegative() || timeConstant.isZero()) {
        throw new IllegalArgumentException("atrium.hvac.control: tick, refresh and time-constant must be positive");
      }
      if (!(heatingGain > 0 && coolingGain > 0)) throw new IllegalArgumentException("atrium.hvac.control: gains must be positive");
      if (!(outputDeadBand >= 0 && outputDeadBand < 100 && outdoorAirDeadBand >= 0 && outdoorAirDeadBand < 100
          && lightingDeadBand >= 0 && lightingDeadBand < 100)) {
        throw new IllegalArgumentException("atrium.hvac.control: dead bands must be 0 to 100 %");
      }
      if (opens.equals(closes)) throw new IllegalArgumentException("atrium.hvac.control: opens and closes must differ");
      if (!(preCoolOffset >= 0)) throw new IllegalArgumentException("atrium.hvac.control.pre-cool-offset must be >= 0");
    }

    /** The shipped defaults (atrium-hvac.conf). */
    public static ControlRules defaults() {
      return new ControlRules(Duration.ofMinutes(1), 0.48, 0.9, Duration.ofSeconds(99_200), 2, 10, Duration.ofMinutes(15),
          LocalTime.of(10, 0), LocalTime.of(22, 0), 2, LightingLoop.Settings.defaults(), 2);
    }

    /** Whether the site is open at {@code local} (its local time of day). */
    public boolean open(LocalTime local) {
      if (opens.isBefore(closes)) return !local.isBefore(opens) && local.isBefore(closes);
      return !local.isBefore(opens) || local.isBefore(closes);
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
        c.getDuration("live-interval"),
        control(c.getConfig("control"), c.getConfig("lighting")));
  }

  private static ControlRules control(Config c, Config l) {
    return new ControlRules(c.getDuration("tick"), c.getDouble("heating-gain"), c.getDouble("cooling-gain"),
        c.getDuration("time-constant"), c.getDouble("output-dead-band"), c.getDouble("outdoor-air-dead-band"),
        c.getDuration("refresh"), time(c, "opens"), time(c, "closes"), c.getDouble("pre-cool-offset"),
        new LightingLoop.Settings(l.getDouble("occupied-level"), l.getDouble("dimmed-level"), l.getDouble("closed-level"),
            l.getDuration("dimmed-after").toMillis() / 1000.0, l.getDouble("ramp-up-per-second"),
            l.getDouble("ramp-down-per-second")),
        l.getDouble("dead-band"));
  }

  private static LocalTime time(Config c, String key) {
    try {
      return LocalTime.parse(c.getString(key));
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("atrium.hvac.control." + key + ": a local time like 10:00, got '" + c.getString(key) + "'");
    }
  }

  private static Range range(Config sensors, String name) {
    return new Range(sensors.getDouble(name + "-min"), sensors.getDouble(name + "-max"));
  }
}
