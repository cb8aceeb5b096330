package atrium.sim.control;

import atrium.core.control.ZoneLoop;
import atrium.sim.thermal.HvacMode;
import atrium.sim.thermal.ZoneParams;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Atrium's zone control on the simulated plant (issue 6): one {@link ZoneLoop} per HVAC zone — PI
 * heating and cooling with anti-windup, occupancy set-back, CO2 demand-controlled ventilation,
 * sensor-fault fallback (docs/control.md) — fed each plant step with the zone's temperature, CO2,
 * humidity and occupants, its outputs applied with {@link PlantView.Zone#actuate}.
 *
 * <p>The schedule is the baseline's, so the two differ only in how a zone is run, not when: from the
 * pre-start to closing the air handler runs ({@code comfort}, actuated) and the loop in {@code AUTO}
 * (set-back after 30 min empty, comfort at the first person); during the pre-start the loop is told the
 * zone is occupied (the schedule expects people, and the zones must be in the band by opening);
 * outside the schedule loop and plant are off, as the baseline's, and every start begins with fresh
 * loops (integrals at 0) — a bumpless transfer from "off" at a free-floating temperature far from the
 * setpoint would load the integral with the whole error, and a set-back ending under a transferred
 * integral would then hold the wrong output for hours. No site optimiser (pre-cooling, demand limit):
 * each zone acts on its own readings alone.
 */
public final class AtriumZoneController implements PlantController {
  private final BaselineController.Settings schedule;
  /** The occupancy the loops are told during the pre-start (above their 0.5-person threshold). */
  static final double PRESTART_PEOPLE = 1;

  private final Map<String, ZoneLoop> loops = new LinkedHashMap<>();

  /** The baseline's default schedule: open 10:00–22:00, pre-start 1 h. */
  public AtriumZoneController() {
    this(BaselineController.Settings.DEFAULTS);
  }

  /** @param schedule opening hours and pre-start (its setpoints become the loops' comfort setpoints) */
  public AtriumZoneController(BaselineController.Settings schedule) {
    this.schedule = schedule;
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
    boolean on = schedule.onAt(hour);
    boolean open = hour >= schedule.openFromHour() && hour < schedule.openToHour();
    if (!on) {
      // Outside the schedule: air handlers off, as the baseline's; each start begins with fresh loops.
      loops.clear();
      for (PlantView.Zone z : plant.zones()) {
        z.setMode(HvacMode.OFF);
        z.actuate(0, 0, 0);
      }
      return;
    }
    for (PlantView.Zone z : plant.zones()) {
      ZoneLoop loop = loops.computeIfAbsent(z.id(), id -> {
        ZoneLoop l = new ZoneLoop(settingsFor(z.params()));
        l.setComfortSetpoints(schedule.heating(), schedule.cooling());
        return l;
      });
      // Before opening the schedule expects people: the loop is told the zone is occupied, so it holds
      // comfort and its empty hold starts at opening.
      double people = open ? z.occupants() : Math.max(z.occupants(), PRESTART_PEOPLE);
      loop.update(step.seconds(), z.temperature(), z.co2(), z.humidity(), people, open, ZoneLoop.Mode.AUTO);
      z.setMode(HvacMode.COMFORT);
      z.actuate(loop.heatingPct(), loop.coolingPct(), loop.outdoorAirLps());
    }
  }

  @Override
  public String name() {
    return "Atrium zone loops (PI, set-back, DCV; no site optimiser)";
  }
}
