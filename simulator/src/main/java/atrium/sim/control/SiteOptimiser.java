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
   * @param maxPreStartHours a zone may start this long before opening at the earliest (optimal start decides when)
   * @param startRateFraction the share of a zone's full-output rate (capacity ÷ capacitance) optimal start counts on;
   *     the rest is left for losses, gains and the demand limit
   * @param hotDayOutdoor a day is hot (pre-cooling and the demand limit apply) while outdoor air is above this, °C
   * @param preCoolFromHour pre-cooling begins (local hour)
   * @param peakFromHour pre-cooling ends: the tariff peak begins
   * @param limitToHour the demand limit holds from the earliest start to this hour on a hot day
   * @param preCoolAboveLower while pre-cooling, the cooling setpoint sits this far above the comfort band's lower edge, K
   * @param demandLimitFraction on a hot day, the site's power is held under this share of its design electric load
   * @param outdoorAirCapPerArea on a hot day (outdoor above the zone) the outdoor air is capped at this, L/(s·m²)
   */
  public record Settings(double maxPreStartHours, double startRateFraction, double hotDayOutdoor, double preCoolFromHour,
      double peakFromHour, double limitToHour, double preCoolAboveLower, double demandLimitFraction, double outdoorAirCapPerArea) {
    /**
     * Start up to 4 h before opening counting on half the plant's rate; hot above 28 °C; pre-cool from
     * 10:00 until the 14:00 tariff peak (KpiSettings) to 0.5 K above the band's lower edge; the limit at
     * 35 % of the design electric load until closing (22:00); hot outdoor air capped at 2.0 L/(s·m²)
     * (about the baseline's design ventilation, 1.82).
     */
    public static final Settings DEFAULTS = new Settings(4, 0.5, 28, 10, 14, 22, 0.5, 0.35, 2.0);

    public Settings {
      if (!(maxPreStartHours >= 0)) throw new IllegalArgumentException("maxPreStartHours must be >= 0");
      if (!(startRateFraction > 0 && startRateFraction <= 1)) throw new IllegalArgumentException("startRateFraction must be in (0, 1]");
      if (!(preCoolFromHour <= peakFromHour && peakFromHour <= limitToHour)) throw new IllegalArgumentException("pre-cool <= peak start <= limit end");
      if (!(preCoolAboveLower >= 0)) throw new IllegalArgumentException("preCoolAboveLower must be >= 0");
      if (!(demandLimitFraction > 0 && demandLimitFraction <= 1)) throw new IllegalArgumentException("demand limit fraction must be in (0, 1]");
      if (!(outdoorAirCapPerArea >= 0)) throw new IllegalArgumentException("outdoor-air cap must be >= 0");
    }

    public Settings withDemandLimitFraction(double fraction) {
      return new Settings(maxPreStartHours, startRateFraction, hotDayOutdoor, preCoolFromHour, peakFromHour, limitToHour, preCoolAboveLower,
          fraction, outdoorAirCapPerArea);
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
  private final double bandLower, bandUpper;

  /** With the schedule's setpoints as the comfort band. */
  public SiteOptimiser(Settings settings, BaselineController.Settings schedule) {
    this(settings, schedule, schedule.heating(), schedule.cooling());
  }

  /**
   * @param schedule opening hours and the comfort setpoints the zones hold normally
   * @param bandLower the comfort band's lower edge, °C (pre-cooling stays above it)
   * @param bandUpper its upper edge (the demand limit lets zones float up to it, less a margin)
   */
  public SiteOptimiser(Settings settings, BaselineController.Settings schedule, double bandLower, double bandUpper) {
    if (!(bandLower < bandUpper)) throw new IllegalArgumentException("band lower edge must be below the upper");
    this.settings = settings;
    this.schedule = schedule;
    this.bandLower = bandLower;
    this.bandUpper = bandUpper;
  }

  public double bandLower() {
    return bandLower;
  }

  public double bandUpper() {
    return bandUpper;
  }

  public Settings settings() {
    return settings;
  }

  /** The earliest hour (local) a zone may start. */
  public double earliestStartHour() {
    return Math.max(0, schedule.openFromHour() - settings.maxPreStartHours());
  }

  /**
   * Optimal start: from the earliest start hour, a zone starts once the time it needs to reach 0.5 K
   * inside its comfort setpoints by opening — its distance over {@link Settings#startRateFraction} of
   * its plant's full-output rate (capacity ÷ capacitance) — has come. Zones far from comfort start
   * first, so the starts spread by themselves and the pull-down does not set the day's peak. Once
   * started, a zone runs to closing (the controller keeps it on).
   */
  public boolean startNow(double hour, double temperature, ZoneParams p) {
    if (hour >= schedule.openFromHour()) return true;
    if (hour < earliestStartHour()) return false;
    double heat = Math.max(schedule.heating(), bandLower);
    double below = Math.max(0, heat + 0.5 - temperature), above = Math.max(0, temperature - (schedule.cooling() - 0.5));
    double kPerHour = (below > 0 ? p.heatingCapacity() : p.coolingCapacity()) / p.capacitance() * 3600 * settings.startRateFraction();
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
    double target = Math.min(schedule.cooling(), Math.max(bandLower + settings.preCoolAboveLower(), schedule.heating() + 1));
    return schedule.cooling() + (target - schedule.cooling()) * ramp;
  }

  /** True on a hot day from the earliest start to {@link Settings#limitToHour}: neither the pull-down nor the pre-cooling may set a new peak. */
  public boolean limiting(double hour, double outdoor) {
    return hot(outdoor) && hour >= earliestStartHour() && hour < settings.limitToHour();
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
