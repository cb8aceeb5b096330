package atrium.devices.energy;

import com.typesafe.config.Config;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;

/** The site energy optimiser's settings, read once from {@code atrium.energy} (see {@code atrium-energy.conf}). */
public record EnergySettings(
    boolean enabled,
    Duration tick,
    double coolingMin,
    double coolingMax,
    double comfortMargin,
    double deadBand,
    double setpointMin,
    double setpointMax,
    double preCoolDepth,
    Duration preCoolDuration,
    Duration preCoolSearch,
    double preCoolWarmMargin,
    double occupiedPeople,
    double demandLimitKw,
    double relaxStep,
    double restoreBelow,
    double responsePerKelvin,
    List<TariffPeriod> tariff,
    List<Double> carbonIntensity,
    double carbonWeight,
    double forecastAlpha,
    int forecastDays,
    int maxDecisions) {

  /** A tariff period of the local day: {@code [from, to)}, {@code to} 00:00 meaning midnight. */
  public record TariffPeriod(LocalTime from, LocalTime to, double price, boolean peak) {
    public TariffPeriod {
      if (from == null || to == null) throw new IllegalArgumentException("a tariff period needs from and to");
      if (!(to.equals(LocalTime.MIDNIGHT) || to.isAfter(from))) {
        throw new IllegalArgumentException("tariff period " + from + "–" + to + ": to must be after from (00:00 is midnight)");
      }
      if (!(price >= 0) || !Double.isFinite(price)) throw new IllegalArgumentException("tariff period " + from + ": price must be >= 0");
    }

    boolean contains(LocalTime t) {
      return !t.isBefore(from) && (to.equals(LocalTime.MIDNIGHT) || t.isBefore(to));
    }
  }

  public EnergySettings {
    if (tick.isNegative() || tick.isZero()) throw new IllegalArgumentException("atrium.energy.tick must be positive");
    if (!(coolingMin < coolingMax)) {
      throw new IllegalArgumentException("atrium.energy.comfort: cooling-min " + coolingMin + " must be below cooling-max " + coolingMax);
    }
    if (!(comfortMargin >= 0) || !(deadBand >= 0)) throw new IllegalArgumentException("atrium.energy.comfort.margin and the dead band must be >= 0");
    if (!(setpointMin <= coolingMin && coolingMax <= setpointMax)) {
      throw new IllegalArgumentException("atrium.energy.comfort: the band " + coolingMin + "–" + coolingMax
          + " must lie within the HVAC setpoint limits " + setpointMin + "–" + setpointMax);
    }
    if (!(preCoolDepth >= 0)) throw new IllegalArgumentException("atrium.energy.pre-cool.depth must be >= 0");
    if (preCoolDuration.isNegative() || preCoolDuration.isZero() || preCoolSearch.compareTo(preCoolDuration) < 0) {
      throw new IllegalArgumentException("atrium.energy.pre-cool: need 0 < duration <= search");
    }
    if (!(demandLimitKw >= 0)) throw new IllegalArgumentException("atrium.energy.demand-limit.kw must be >= 0 (0: none)");
    if (!(relaxStep > 0)) throw new IllegalArgumentException("atrium.energy.demand-limit.step must be > 0");
    if (!(restoreBelow >= 0 && restoreBelow < 1)) throw new IllegalArgumentException("atrium.energy.demand-limit.restore-below must be in [0, 1)");
    if (!(responsePerKelvin > 0)) throw new IllegalArgumentException("atrium.energy.demand-limit.response-per-kelvin must be > 0");
    tariff = List.copyOf(tariff);
    carbonIntensity = List.copyOf(carbonIntensity);
    checkCovers(tariff);
    if (carbonIntensity.size() != 24) {
      throw new IllegalArgumentException("atrium.energy.carbon-intensity: 24 hourly values, got " + carbonIntensity.size());
    }
    for (double c : carbonIntensity) if (!(c >= 0)) throw new IllegalArgumentException("atrium.energy.carbon-intensity: values must be >= 0");
    if (!(carbonWeight >= 0 && carbonWeight <= 1)) throw new IllegalArgumentException("atrium.energy.carbon-weight must be in [0, 1]");
    if (!(forecastAlpha > 0 && forecastAlpha <= 1)) throw new IllegalArgumentException("atrium.energy.forecast.alpha must be in (0, 1]");
    if (forecastDays < 1 || forecastDays > 90) throw new IllegalArgumentException("atrium.energy.forecast.days must be 1 to 90");
    if (maxDecisions < 1) throw new IllegalArgumentException("atrium.energy.max-decisions must be at least 1");
  }

  /** The periods, in order, must begin at 00:00, each begin where the last ended, and end at midnight. */
  private static void checkCovers(List<TariffPeriod> tariff) {
    if (tariff.isEmpty()) throw new IllegalArgumentException("atrium.energy.tariff: at least one period");
    LocalTime expect = LocalTime.MIDNIGHT;
    for (int i = 0; i < tariff.size(); i++) {
      TariffPeriod p = tariff.get(i);
      if (!p.from().equals(expect)) {
        throw new IllegalArgumentException("atrium.energy.tariff: period " + i + " begins at " + p.from() + ", expected " + expect);
      }
      if (p.to().equals(LocalTime.MIDNIGHT) && i != tariff.size() - 1) {
        throw new IllegalArgumentException("atrium.energy.tariff: period " + i + " ends at midnight but is not the last");
      }
      expect = p.to();
    }
    if (!expect.equals(LocalTime.MIDNIGHT)) throw new IllegalArgumentException("atrium.energy.tariff: the periods end at " + expect + ", not midnight");
  }

  public TariffPeriod period(LocalTime t) {
    for (TariffPeriod p : tariff) if (p.contains(t)) return p;
    throw new IllegalStateException("no tariff period at " + t); // unreachable: the constructor checks coverage
  }

  public double carbon(LocalTime t) {
    return carbonIntensity.get(t.getHour());
  }

  /** The same settings with another tick, limit or tariff (tests, what-ifs). */
  public EnergySettings withDemandLimitKw(double kw) {
    return new EnergySettings(enabled, tick, coolingMin, coolingMax, comfortMargin, deadBand, setpointMin, setpointMax, preCoolDepth, preCoolDuration,
        preCoolSearch, preCoolWarmMargin, occupiedPeople, kw, relaxStep, restoreBelow, responsePerKelvin, tariff,
        carbonIntensity, carbonWeight, forecastAlpha, forecastDays, maxDecisions);
  }

  public EnergySettings withTariff(List<TariffPeriod> periods) {
    return new EnergySettings(enabled, tick, coolingMin, coolingMax, comfortMargin, deadBand, setpointMin, setpointMax, preCoolDepth, preCoolDuration,
        preCoolSearch, preCoolWarmMargin, occupiedPeople, demandLimitKw, relaxStep, restoreBelow, responsePerKelvin, periods,
        carbonIntensity, carbonWeight, forecastAlpha, forecastDays, maxDecisions);
  }

  public EnergySettings withCarbon(List<Double> hourly, double weight) {
    return new EnergySettings(enabled, tick, coolingMin, coolingMax, comfortMargin, deadBand, setpointMin, setpointMax, preCoolDepth, preCoolDuration,
        preCoolSearch, preCoolWarmMargin, occupiedPeople, demandLimitKw, relaxStep, restoreBelow, responsePerKelvin, tariff,
        hourly, weight, forecastAlpha, forecastDays, maxDecisions);
  }

  public static EnergySettings create(Config config) {
    Config c = config.getConfig("atrium.energy");
    List<TariffPeriod> tariff = new ArrayList<>();
    for (Config p : c.getConfigList("tariff")) {
      tariff.add(new TariffPeriod(time(p.getString("from")), time(p.getString("to")), p.getDouble("price"),
          p.hasPath("peak") && p.getBoolean("peak")));
    }
    return new EnergySettings(
        c.getBoolean("enabled"),
        c.getDuration("tick"),
        c.getDouble("comfort.cooling-min"),
        c.getDouble("comfort.cooling-max"),
        c.getDouble("comfort.margin"),
        config.getDouble("atrium.hvac.setpoints.dead-band"),
        config.getDouble("atrium.hvac.setpoints.min"),
        config.getDouble("atrium.hvac.setpoints.max"),
        c.getDouble("pre-cool.depth"),
        c.getDuration("pre-cool.duration"),
        c.getDuration("pre-cool.search"),
        c.getDouble("pre-cool.warm-margin"),
        c.getDouble("pre-cool.occupied-people"),
        c.getDouble("demand-limit.kw"),
        c.getDouble("demand-limit.step"),
        c.getDouble("demand-limit.restore-below"),
        c.getDouble("demand-limit.response-per-kelvin"),
        tariff,
        c.getDoubleList("carbon-intensity"),
        c.getDouble("carbon-weight"),
        c.getDouble("forecast.alpha"),
        c.getInt("forecast.days"),
        c.getInt("max-decisions"));
  }

  private static LocalTime time(String s) {
    try {
      return LocalTime.parse(s);
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("atrium.energy.tariff: '" + s + "' is not a time such as 14:00", e);
    }
  }
}
