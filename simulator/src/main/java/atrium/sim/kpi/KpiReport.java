package atrium.sim.kpi;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * BOPTEST's key performance indicators for one run (MODELS.md, "Building control"): each over the
 * test period.
 *
 * @param hours the period the KPIs cover
 * @param floorArea the conditioned floor area, m², the per-m² figures divide by
 * @param tdis thermal discomfort, K·h: ∫ max(0, T_low − T) + max(0, T − T_up) dt, per zone and summed ÷ zones
 * @param idis indoor air quality, ppm·h above {@code co2Threshold}: ∫ max(0, CO2 − CO2_up) dt, per zone and ÷ zones
 * @param ener electric energy, kWh and kWh/m²
 * @param cost ∫ price·P dt, currency and currency/m²
 * @param emis ∫ factor·P dt, kg CO2 and kg CO2/m²
 * @param pele the highest 15-minute mean electric demand, kW and kW/m²
 * @param peleAtHours when that window started, hours since the start of the period
 * @param timeRatio mean controller compute time per step ÷ step length (0 with no controller)
 */
public record KpiReport(double hours, double floorArea, PerZone tdis, PerZone idis, double co2Threshold, PerArea ener,
    PerArea cost, PerArea emis, PerArea pele, double peleAtHours, double timeRatio) {

  /** A figure per zone and BOPTEST's whole-building figure, the sum over zones ÷ the number of zones. */
  public record PerZone(double perZone, Map<String, Double> byZone) {
    public PerZone {
      byZone = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byZone));
    }
  }

  /** A total and the total ÷ the conditioned floor area. */
  public record PerArea(double total, double perM2) {}

  /** The figures as labelled summary lines of a run report, rounded for reading. */
  public Map<String, Object> summary() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("HVAC energy (kWh)", round(ener.total(), 1));
    s.put("HVAC energy per m² (kWh/m²)", round(ener.perM2(), 3));
    s.put("thermal discomfort (K·h per zone)", round(tdis.perZone(), 2));
    s.put("CO2 above " + Math.round(co2Threshold) + " ppm (ppm·h per zone)", Math.round(idis.perZone()));
    s.put("energy cost", round(cost.total(), 1));
    s.put("energy cost per m²", round(cost.perM2(), 4));
    s.put("emissions (kg CO2)", round(emis.total(), 1));
    s.put("emissions per m² (kg CO2/m²)", round(emis.perM2(), 4));
    s.put("peak electric demand, highest 15-minute mean (kW)", round(pele.total(), 1));
    s.put("peak electric demand per m² (W/m²)", round(pele.perM2() * 1000, 2));
    s.put("computation time ratio", timeRatio);
    return s;
  }

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
