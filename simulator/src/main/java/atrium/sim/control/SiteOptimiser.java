package atrium.sim.control;

import atrium.sim.thermal.ZoneParams;
import java.util.List;

/**
 * The site energy optimiser of issue 6, prototype: the supervisory layer above the zone loops that
 * decides, for the whole site at once, what no single zone can — when each zone starts, which comfort
 * setpoints it holds (pre-cooling before the tariff peak), how much hot outdoor air it may take, and
 * how much power the site may draw during the peak. The twin's optimiser entity will do the same on
 * the twin's clock and readings; here it runs inside {@link AtriumZoneController} on the simulated plant.
 *
 * <p>Every decision is a pure function of the step's hour, the outdoor temperature and the zones'
 * readings and loop commands, except the site limit's estimate, which sums the commands' power with
 * the plant parameters (heating ÷ efficiency + cooling ÷ COP + fans).
 */
public final class SiteOptimiser {

  /**
   * @param startGroups zones start in this many groups spread over the pre-start (1: all at once)
   * @param hotDayOutdoor a day is hot (pre-cooling and the demand limit apply) while outdoor air is above this, °C
   * @param preCoolFromHour pre-cooling begins (local hour)
   * @param peakFromHour the tariff peak begins
   * @param peakToHour the tariff peak ends
   * @param preCoolCooling the cooling setpoint while pre-cooling, °C (inside the comfort band)
   * @param demandLimitFraction during the peak on a hot day, the site's power is held under this share of its design electric load
   * @param outdoorAirCapPerArea on a hot day (outdoor above the zone) the outdoor air is capped at this, L/(s·m²)
   */
  public record Settings(int startGroups, double hotDayOutdoor, double preCoolFromHour, double peakFromHour, double peakToHour,
      double preCoolCooling, double demandLimitFraction, double outdoorAirCapPerArea) {
    /**
     * Four start groups; hot above 28 °C; pre-cool 12:00–14:00 to 22 °C; peak 14:00–17:00 (the tariff's,
     * KpiSettings); limit at 45 % of the design electric load; hot outdoor air capped at 2.2 L/(s·m²)
     * (about the baseline's design ventilation).
     */
    public static final Settings DEFAULTS = new Settings(4, 28, 10, 14, 22, 21, 0.45, 2.0);

    public Settings {
      if (startGroups < 1) throw new IllegalArgumentException("at least one start group");
      if (!(preCoolFromHour <= peakFromHour && peakFromHour < peakToHour)) throw new IllegalArgumentException("pre-cool <= peak start < peak end");
      if (!(demandLimitFraction > 0 && demandLimitFraction <= 1)) throw new IllegalArgumentException("demand limit fraction must be in (0, 1]");
      if (!(outdoorAirCapPerArea >= 0)) throw new IllegalArgumentException("outdoor-air cap must be >= 0");
    }
  }

  /** One zone's command for the next step, which the optimiser may change before it is applied. */
  public static final class Command {
    final ZoneParams params;
    final double temperature, upper;
    double heatingPct, coolingPct, outdoorAirLps;

    public Command(ZoneParams params, double temperature, double upper, double heatingPct, double coolingPct, double outdoorAirLps) {
      this.params = params;
      this.temperature = temperature;
      this.upper = upper;
      this.heatingPct = heatingPct;
      this.coolingPct = coolingPct;
      this.outdoorAirLps = outdoorAirLps;
    }

    public double heatingPct() {
      return heatingPct;
    }

    public double coolingPct() {
      return coolingPct;
    }

    public double outdoorAirLps() {
      return outdoorAirLps;
    }

    /** The electric power this command draws, kW. */
    public double powerKw() {
      return (params.heatingCapacity() * heatingPct / 100 / params.heatingEfficiency()
          + params.coolingCapacity() * coolingPct / 100 / params.coolingCop() + params.fanPerArea() * params.floorArea()) / 1000;
    }

    double coolingKw() {
      return params.coolingCapacity() * coolingPct / 100 / params.coolingCop() / 1000;
    }
  }

  private final Settings settings;
  private final BaselineController.Settings schedule;

  public SiteOptimiser(Settings settings, BaselineController.Settings schedule) {
    this.settings = settings;
    this.schedule = schedule;
  }

  public Settings settings() {
    return settings;
  }

  /** The hour (local) zone {@code index} of {@code count} starts: groups spread evenly over the pre-start, group 0 at its beginning. */
  public double startHour(int index, int count) {
    int groups = Math.min(settings.startGroups(), Math.max(1, count));
    int group = index % groups;
    double first = schedule.openFromHour() - schedule.preStartHours();
    return first + schedule.preStartHours() * group / groups;
  }

  /** True while zone {@code index} of {@code count} runs: from its staggered start to closing. */
  public boolean zoneOn(int index, int count, double hour) {
    return hour >= startHour(index, count) && hour < schedule.openToHour();
  }

  /**
   * Optimal start within the zone's group window: a zone already in the band waits until the time it
   * needs to reach it by opening — its distance from the band over half its plant's full-output rate
   * (capacity ÷ capacitance; the other half is left for losses and gains) — has come. Once started, a
   * zone runs to closing (the controller keeps it on).
   */
  public boolean startNow(double hour, double temperature, ZoneParams p) {
    if (hour >= schedule.openFromHour()) return true;
    double below = Math.max(0, schedule.heating() + 0.5 - temperature), above = Math.max(0, temperature - (schedule.cooling() - 0.5));
    double kPerHour = (below > 0 ? p.heatingCapacity() : p.coolingCapacity()) / p.capacitance() * 3600 / 2;
    double needHours = (below + above) / Math.max(1e-9, kPerHour);
    return hour >= schedule.openFromHour() - needHours;
  }

  /** True while the day is hot enough for pre-cooling, the outdoor-air cap and the demand limit. */
  public boolean hot(double outdoor) {
    return outdoor > settings.hotDayOutdoor();
  }

  /** The comfort cooling setpoint now: the pre-cooling setpoint before the peak on a hot day, else the schedule's. */
  public double coolingSetpoint(double hour, double outdoor) {
    boolean preCool = hot(outdoor) && hour >= settings.preCoolFromHour() && hour < settings.peakFromHour();
    if (!preCool) return schedule.cooling();
    // Lowered gradually over the first half of the pre-cooling window, so the loops do not all saturate at once.
    double ramp = Math.min(1, (hour - settings.preCoolFromHour()) / Math.max(1e-9, (settings.peakFromHour() - settings.preCoolFromHour()) / 2));
    double target = Math.max(settings.preCoolCooling(), schedule.heating() + 1);
    return schedule.cooling() + (target - schedule.cooling()) * ramp;
  }

  /** True on a hot day from the start of pre-cooling to the end of the tariff peak: the pre-cooling must not set a new peak itself. */
  public boolean limiting(double hour, double outdoor) {
    return hot(outdoor) && hour >= settings.preCoolFromHour() && hour < settings.peakToHour();
  }

  /**
   * DCV on a hot day: where outdoor air is hotter than the zone, each litre costs cooling, so the flow
   * is held at the loop's occupied minimum until CO2 is halfway between its lower and upper thresholds
   * (the IAQ KPI counts only above the upper one), then raised linearly to the cap per m² at the upper
   * threshold — never above what the loop asked for.
   */
  public double outdoorAir(double loopLps, double outdoor, double zoneTemperature, double co2, double co2Low, double co2High,
      double minimumLps, double floorArea) {
    if (!(outdoor > zoneTemperature) || !Double.isFinite(co2)) return loopLps;
    double from = (co2Low + co2High) / 2;
    double ramp = Math.max(0, Math.min(1, (co2 - from) / Math.max(1e-9, co2High - from)));
    double cap = Math.max(minimumLps, settings.outdoorAirCapPerArea() * floorArea);
    return Math.min(loopLps, minimumLps + (cap - minimumLps) * ramp);
  }

  /** The site's design electric load: every zone at full heating or cooling (the larger) plus its fans, kW. */
  public static double designLoadKw(List<ZoneParams> zones) {
    double sum = 0;
    for (ZoneParams p : zones) {
      sum += (Math.max(p.heatingCapacity() / p.heatingEfficiency(), p.coolingCapacity() / p.coolingCop()) + p.fanPerArea() * p.floorArea()) / 1000;
    }
    return sum;
  }

  /** The site limit, kW: {@link Settings#demandLimitFraction} of the design load. */
  public double limitKw(List<ZoneParams> zones) {
    return settings.demandLimitFraction() * designLoadKw(zones);
  }

  /**
   * The demand limit: if the commands together would draw more than {@code limitKw}, cooling is cut
   * until they do not (or no cooling is left), the relief spread across the zones in proportion to their
   * cooling power times their headroom under the band's upper edge (a zone at or over the edge gives
   * little; one well under it, e.g. pre-cooled, gives most). Returns the site's power after the cut, kW.
   */
  public static double limit(List<Command> commands, double limitKw) {
    double total = 0;
    for (Command c : commands) total += c.powerKw();
    for (int pass = 0; pass < 4 && total > limitKw + 1e-9; pass++) {
      double excess = total - limitKw, weights = 0;
      for (Command c : commands) weights += weight(c);
      if (weights <= 0) break;
      for (Command c : commands) {
        double w = weight(c);
        if (w <= 0) continue;
        double kw = c.coolingKw();
        double cut = Math.min(kw, excess * w / weights);
        c.coolingPct = kw > 0 ? c.coolingPct * (kw - cut) / kw : 0;
        total -= cut;
      }
    }
    return total;
  }

  /** A zone within this of the band's upper edge gives no relief: the limit yields rather than let it leave the band, K. */
  static final double COMFORT_MARGIN = 0.2;

  private static double weight(Command c) {
    double kw = c.coolingKw();
    return kw <= 0 ? 0 : kw * Math.max(0, c.upper - COMFORT_MARGIN - c.temperature);
  }
}
