package atrium.sim.kpi;

/**
 * What the KPIs are measured against: the comfort band, the CO2 threshold, the tariff and the grid's
 * carbon intensity.
 *
 * @param co2Threshold ppm; above it the IAQ KPI accumulates. Default 1,000 ppm — <b>an assumption</b>:
 *     the familiar indoor figure (about 700 ppm above outdoor air, the old ASHRAE 62 rule of thumb);
 *     BOPTEST sets the bound per test case and MODELS.md gives no number
 * @param tariff currency units per kWh by local time of day
 * @param carbon kg CO2 per kWh by local time of day
 */
public record KpiSettings(ComfortBand comfort, double co2Threshold, TimeOfDayProfile tariff, TimeOfDayProfile carbon) {
  public static final double DEFAULT_CO2_THRESHOLD = 1000;
  public static final KpiSettings DEFAULTS =
      new KpiSettings(ComfortBand.MALL, DEFAULT_CO2_THRESHOLD, TimeOfDayProfile.DEFAULT_TARIFF, TimeOfDayProfile.DEFAULT_CARBON);

  /** The defaults with the season's comfort band ({@link ComfortBand#forMonth}). */
  public static KpiSettings forMonth(int month) {
    return new KpiSettings(ComfortBand.forMonth(month), DEFAULT_CO2_THRESHOLD, TimeOfDayProfile.DEFAULT_TARIFF, TimeOfDayProfile.DEFAULT_CARBON);
  }

  public KpiSettings {
    if (comfort == null || tariff == null || carbon == null) throw new IllegalArgumentException("comfort, tariff and carbon are required");
    if (!(co2Threshold > 0) || Double.isInfinite(co2Threshold)) throw new IllegalArgumentException("co2Threshold must be positive");
  }
}
