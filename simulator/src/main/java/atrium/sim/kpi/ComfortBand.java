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
