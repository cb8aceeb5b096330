package atrium.sim.control;

import atrium.core.control.ZoneLoop;
import atrium.sim.thermal.HvacMode;
import atrium.sim.thermal.ZoneParams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Atrium's zone control on the simulated plant (issue 6): one {@link ZoneLoop} per HVAC zone — PI
 * heating and cooling with anti-windup, CO2 demand-controlled ventilation, sensor-fault fallback
 * (docs/control.md) — fed each plant step with the zone's temperature, CO2, humidity and occupants,
 * under a {@link SiteOptimiser} that decides for the site as a whole, its outputs applied with
 * {@link PlantView.Zone#actuate}.
 *
 * <p>The schedule is the baseline's opening hours and pre-start; within it the optimiser decides:
 * each zone starts in its group over the pre-start hour, and on mild days only when it needs to be in
 * the band by opening (optimal start); once started it runs to closing in {@code COMFORT} — no
 * set-back while the site is on, since the comfort band applies during opening hours whoever is in —
 * with setpoints {@link #BAND_MARGIN} inside the band; on hot days the cooling setpoint is lowered
 * before the tariff peak (pre-cooling), hot outdoor air is capped, and a site demand limit cuts cooling
 * from the zones with headroom. During the pre-start the loop is told the zone is occupied (comfort by
 * opening) but gets no outdoor air while nobody is in. Outside the schedule loop and plant are off, as
 * the baseline's, and every start begins with a fresh loop (integrals at 0): a bumpless transfer from
 * "off" at a free-floating temperature far from the setpoint would load the integral with the whole
 * error.
 */
public final class AtriumZoneController implements PlantController {
  private final BaselineController.Settings schedule;
  /** The occupancy the loops are told during the pre-start (above their 0.5-person threshold). */
  static final double PRESTART_PEOPLE = 1;
  /**
   * The loops hold their setpoints this far inside the schedule's band, K: a PI loop swings a little
   * about its setpoint, where the baseline's ideal plant controller sits exactly on the band's edge.
   */
  static final double BAND_MARGIN = 0.1;

  private final Map<String, ZoneLoop> loops = new LinkedHashMap<>();
  private final SiteOptimiser optimiser;
  private List<ZoneParams> zoneParams;

  /** The baseline's default schedule: open 10:00–22:00, pre-start 1 h. */
  public AtriumZoneController() {
    this(BaselineController.Settings.DEFAULTS);
  }

  /** @param schedule opening hours and pre-start (its setpoints become the loops' comfort setpoints) */
  public AtriumZoneController(BaselineController.Settings schedule) {
    this(schedule, SiteOptimiser.Settings.DEFAULTS);
  }

  /** @param site the site optimiser's settings */
  public AtriumZoneController(BaselineController.Settings schedule, SiteOptimiser.Settings site) {
    this(schedule, site, schedule.heating(), schedule.cooling());
  }

  /**
   * @param bandLower the comfort band's lower edge, °C: pre-cooling stays above it
   * @param bandUpper its upper edge: the site demand limit may let zones float up to it (less a margin)
   */
  public AtriumZoneController(BaselineController.Settings schedule, SiteOptimiser.Settings site, double bandLower, double bandUpper) {
    this.schedule = schedule;
    this.optimiser = new SiteOptimiser(site, schedule, bandLower, bandUpper);
  }

  /** The site optimiser above the loops. */
  public SiteOptimiser optimiser() {
    return optimiser;
  }

  /**
   * The loop settings for a zone, tuned as docs/control.md § Tuning does: the plant is first order with
   * conductance H = UA + ρ·c_p·(V̇_oa,min + V̇_inf) at the occupied minimum ventilation (R_a·A), process
   * gain capacity ÷ H per % and time constant C ÷ H; SIMC gains from {@link ZoneLoop.Settings#defaults}.
   */
  public static ZoneLoop.Settings settingsFor(ZoneParams p) {
    double litresPerSecond = p.outdoorAirPerArea() * p.floorArea() + p.infiltrationAch() * p.volume() / 3.6;
    double h = p.envelopeUa() + 1.2 * 1005 * litresPerSecond / 1000;
    return ZoneLoop.Settings.defaults(p.floorArea(), p.heatingCapacity() / h / 100, p.coolingCapacity() / h / 100, p.capacitance() / h);
  }

  /** The loop of a zone (created at its first step), for tests and reports. */
  public ZoneLoop loop(String zoneId) {
    return loops.get(zoneId);
  }

  @Override
  public void control(Step step, PlantView plant) {
    double hour = ((step.hourOfDay() % 24) + 24) % 24;
    double outdoor = step.weather().temperature();
    boolean open = hour >= schedule.openFromHour() && hour < schedule.openToHour();
    List<PlantView.Zone> zones = plant.zones();
    if (zoneParams == null) {
      zoneParams = new ArrayList<>();
      for (PlantView.Zone z : zones) zoneParams.add(z.params());
    }
    double cooling = optimiser.coolingSetpoint(hour, outdoor);
    List<SiteOptimiser.Command> commands = new ArrayList<>(zones.size());
    List<PlantView.Zone> running = new ArrayList<>(zones.size());
    for (int i = 0; i < zones.size(); i++) {
      PlantView.Zone z = zones.get(i);
      boolean started = hour < schedule.openToHour()
          && (loops.containsKey(z.id()) || optimiser.startNow(hour, z.temperature(), z.params()));
      if (!started) {
        // Before its (staggered) start and after closing: air handler off, as the baseline's; each start
        // begins with a fresh loop.
        loops.remove(z.id());
        z.setMode(HvacMode.OFF);
        z.actuate(0, 0, 0);
        continue;
      }
      ZoneLoop loop = loops.computeIfAbsent(z.id(), id -> new ZoneLoop(settingsFor(z.params())));
      double heating = Math.max(schedule.heating(), optimiser.bandLower()) + BAND_MARGIN;
      loop.setComfortSetpoints(heating, Math.max(heating + ZoneLoop.MIN_DEAD_BAND, cooling - BAND_MARGIN));
      // Before opening the schedule expects people: the loop is told the zone is occupied. While the
      // site is on, the loop holds comfort (no set-back): the comfort band applies during opening hours
      // whoever is in.
      double people = open ? z.occupants() : Math.max(z.occupants(), PRESTART_PEOPLE);
      loop.update(step.seconds(), z.temperature(), z.co2(), z.humidity(), people, open, ZoneLoop.Mode.COMFORT);
      double oa = loop.outdoorAirLps();
      // Before opening nobody is in: recirculation only (the loop's empty minimum), no outdoor air to condition.
      if (!open && z.occupants() <= loop.settings().occupancyThreshold()) oa = Math.min(oa, loop.settings().minOutdoorAirEmpty());
      if (optimiser.hot(outdoor)) {
        oa = optimiser.outdoorAir(oa, outdoor, z.temperature(), z.co2(), loop.settings().co2Low(), loop.settings().co2High(),
            loop.settings().minOutdoorAirOccupied(),
            z.floorArea());
      }
      commands.add(new SiteOptimiser.Command(z.params(), z.temperature(), optimiser.bandUpper(), loop.heatingPct(), loop.coolingPct(), oa));
      running.add(z);
    }
    if (optimiser.limiting(hour, outdoor)) SiteOptimiser.limit(commands, optimiser.limitKw(zoneParams));
    for (int i = 0; i < running.size(); i++) {
      SiteOptimiser.Command c = commands.get(i);
      running.get(i).setMode(HvacMode.COMFORT);
      running.get(i).actuate(c.heatingPct(), c.coolingPct(), c.outdoorAirLps());
    }
  }

  @Override
  public String name() {
    return "Atrium zone loops + site optimiser";
  }
}
