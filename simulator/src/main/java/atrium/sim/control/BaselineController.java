package atrium.sim.control;

import atrium.sim.thermal.HvacMode;

/**
 * What a typical building management system does, the yardstick Atrium's control is scored against
 * (issue 6, BOPTEST's "baseline"): fixed comfort setpoints on a fixed opening-hours schedule with a
 * fixed pre-start, the plant off (or in economy) outside it, constant ventilation sized for the design
 * occupancy whoever is in, and no demand limit. It reads no sensor: the schedule alone decides.
 */
public final class BaselineController implements PlantController {

  /**
   * @param openFromHour the mall opens (local hour)
   * @param openToHour the mall closes
   * @param preStartHours the plant starts this long before opening, to bring the zones into the band
   * @param heating comfort heating setpoint, °C
   * @param cooling comfort cooling setpoint, °C
   * @param outside the mode outside the schedule: {@code OFF} (time-scheduled air handlers) or {@code ECONOMY}
   * @param designPeoplePerM2 the occupant density the constant outdoor air is sized for
   */
  public record Settings(double openFromHour, double openToHour, double preStartHours, double heating, double cooling, HvacMode outside,
      double designPeoplePerM2) {
    /**
     * Open 10:00–22:00 (when the scenarios bring visitors in; an assumption), a fixed 1 h pre-start,
     * 20–24 °C (the plant's and twin's default setpoints), off outside hours, ventilation sized for
     * 0.4 people/m² — ASHRAE 62.1's default occupant density for mall common areas (40 per 100 m²;
     * unverified), with the plant's R_p and R_a.
     */
    public static final Settings DEFAULTS = new Settings(10, 22, 1, 20, 24, HvacMode.OFF, 0.4);

    /**
     * The cooling season (May–September): the same schedule with the cooling setpoint at 26 °C — the
     * General Office of China's State Council's 2007 notice on air-conditioning temperatures in public
     * buildings (国办发〔2007〕42号): summer setpoints not below 26 °C, winter not above 20 °C; inside
     * the season's comfort band (ComfortBand.MALL_COOLING_SEASON, 24–28 °C).
     */
    public static final Settings COOLING_SEASON = new Settings(10, 22, 1, 20, 26, HvacMode.OFF, 0.4);

    /** {@link #COOLING_SEASON} from May to September, {@link #DEFAULTS} otherwise. */
    public static Settings forMonth(int month) {
      return month >= 5 && month <= 9 ? COOLING_SEASON : DEFAULTS;
    }

    public Settings {
      if (!(openFromHour >= 0 && openFromHour < openToHour && openToHour <= 24)) throw new IllegalArgumentException("need 0 <= open < close <= 24");
      if (!(preStartHours >= 0 && preStartHours <= openFromHour)) throw new IllegalArgumentException("pre-start must be 0..openFromHour hours");
      if (!(heating < cooling)) throw new IllegalArgumentException("heating setpoint must be below cooling");
      if (outside != HvacMode.OFF && outside != HvacMode.ECONOMY) throw new IllegalArgumentException("outside hours the plant is off or in economy");
      if (!(designPeoplePerM2 >= 0) || Double.isInfinite(designPeoplePerM2)) throw new IllegalArgumentException("design density must be >= 0");
    }

    /** True while the plant runs in comfort: from the pre-start to closing. */
    public boolean onAt(double hourOfDay) {
      double h = ((hourOfDay % 24) + 24) % 24;
      return h >= openFromHour - preStartHours && h < openToHour;
    }
  }

  private final Settings settings;

  public BaselineController() {
    this(Settings.DEFAULTS);
  }

  public BaselineController(Settings settings) {
    this.settings = settings;
  }

  public Settings settings() {
    return settings;
  }

  @Override
  public void control(Step step, PlantView plant) {
    HvacMode mode = settings.onAt(step.hourOfDay()) ? HvacMode.COMFORT : settings.outside();
    for (PlantView.Zone z : plant.zones()) {
      z.setMode(mode);
      z.setSetpoints(settings.heating(), settings.cooling());
      z.setOutdoorAir(designOutdoorAir(z));
    }
  }

  /** L/s: the ventilation rate procedure at the design density, N_design·R_p + A·R_a. */
  double designOutdoorAir(PlantView.Zone z) {
    return z.floorArea() * (settings.designPeoplePerM2() * z.outdoorAirPerPerson() + z.outdoorAirPerArea());
  }

  @Override
  public String name() {
    return "baseline (typical BMS schedule)";
  }
}
