package atrium.sim.kpi;

/**
 * The comfort band the thermal-discomfort KPI measures against, as BOPTEST does: a band for occupied
 * hours and a wider one for the rest of the day. It is fixed by the test, not by the controller under
 * test (a controller that widened its own setpoints would otherwise score no discomfort).
 *
 * <p>Defaults ({@link #MALL}): 20–24 °C from 10:00 to 22:00, when the scenarios bring visitors in
 * (the plant's and the twin's default setpoints); 15–30 °C otherwise. The occupied band is the
 * project's setpoint default; the unoccupied 15–30 °C is <b>an assumption</b> in the style of
 * BOPTEST's test cases (unverified).
 */
public record ComfortBand(double occupiedFromHour, double occupiedToHour, double occupiedLower, double occupiedUpper,
    double unoccupiedLower, double unoccupiedUpper) {

  public static final ComfortBand MALL = new ComfortBand(10, 22, 20, 24, 15, 30);

  /**
   * The cooling season's band (May–September, the months the simulator's summer sun covers): 24–28 °C
   * from 10:00 to 22:00 — GB 50736-2012 (China's design code for HVAC in civil buildings) Table 3.0.2
   * gives 24–26 °C for comfort level I and 26–28 °C for level II in cooling conditions — and 15–32 °C
   * otherwise (<b>an assumption</b>: wide enough that a night without cooling in a heatwave is not
   * discomfort; nobody is in). The heating-season band stays {@link #MALL}: level I heating is 22–24 °C,
   * level II 18–22 °C.
   */
  public static final ComfortBand MALL_COOLING_SEASON = new ComfortBand(10, 22, 24, 28, 15, 32);

  /** {@link #MALL_COOLING_SEASON} from May to September, {@link #MALL} otherwise. */
  public static ComfortBand forMonth(int month) {
    return month >= 5 && month <= 9 ? MALL_COOLING_SEASON : MALL;
  }

  public ComfortBand {
    if (!(occupiedFromHour >= 0 && occupiedFromHour < occupiedToHour && occupiedToHour <= 24)) {
      throw new IllegalArgumentException("occupied hours must satisfy 0 <= from < to <= 24");
    }
    if (!(occupiedLower < occupiedUpper && unoccupiedLower < unoccupiedUpper)) throw new IllegalArgumentException("lower must be below upper");
  }

  public boolean occupied(double hourOfDay) {
    double h = ((hourOfDay % 24) + 24) % 24;
    return h >= occupiedFromHour && h < occupiedToHour;
  }

  public double lowerAt(double hourOfDay) {
    return occupied(hourOfDay) ? occupiedLower : unoccupiedLower;
  }

  public double upperAt(double hourOfDay) {
    return occupied(hourOfDay) ? occupiedUpper : unoccupiedUpper;
  }
}
