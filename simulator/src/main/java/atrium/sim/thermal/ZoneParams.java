package atrium.sim.thermal;

/**
 * One HVAC zone's physical and plant parameters (SI units). {@link #forFloorArea(double)} scales the
 * defaults by the zone's conditioned floor area; docs/simulator-models.md lists each default with its
 * source or marks it as an assumption.
 *
 * @param floorArea conditioned floor area, m²
 * @param volume air volume, m³
 * @param capacitance thermal capacitance C of air and fast mass, J/K
 * @param envelopeUa conductance to outdoors through the envelope, W/K (1/R)
 * @param solarAperture effective solar aperture (glazing area × solar gain factor), m²
 * @param lightingPerArea lighting gain, W/m² (at full internal load)
 * @param equipmentPerArea equipment gain, W/m² (at full internal load)
 * @param sensiblePerPerson sensible heat per occupant, W
 * @param latentPerPerson latent heat per occupant, W
 * @param co2PerPerson CO2 generation per occupant, L/s
 * @param outdoorAirPerPerson ventilation rate per occupant, L/s
 * @param outdoorAirPerArea ventilation rate per floor area, L/(s·m²)
 * @param infiltrationAch air changes per hour by infiltration, always present
 * @param supplyAirPerArea supply air flow when the fans run, L/(s·m²)
 * @param heatingCapacity heat the plant can deliver, W
 * @param coolingCapacity heat the plant can remove, W
 * @param heatingEfficiency delivered heat ÷ energy used for heating (a heat pump's COP, or a boiler's efficiency)
 * @param coolingCop removed heat ÷ energy used for cooling
 * @param fanPerArea fan power when the fans run, W/m²
 * @param economySetback how far economy mode widens the band on each side, K
 * @param preCoolOffset how far pre-cool lowers the cooling setpoint, K
 * @param smokeAch outdoor air changes per hour in smoke control (purge)
 */
public record ZoneParams(
    double floorArea,
    double volume,
    double capacitance,
    double envelopeUa,
    double solarAperture,
    double lightingPerArea,
    double equipmentPerArea,
    double sensiblePerPerson,
    double latentPerPerson,
    double co2PerPerson,
    double outdoorAirPerPerson,
    double outdoorAirPerArea,
    double infiltrationAch,
    double supplyAirPerArea,
    double heatingCapacity,
    double coolingCapacity,
    double heatingEfficiency,
    double coolingCop,
    double fanPerArea,
    double economySetback,
    double preCoolOffset,
    double smokeAch) {

  public static final double CEILING_HEIGHT = 4.5;
  public static final double CAPACITANCE_PER_AREA = 165_000;
  public static final double UA_PER_AREA = 1.0;

  public ZoneParams {
    if (!(floorArea > 0 && volume > 0 && capacitance > 0)) throw new IllegalArgumentException("floor area, volume and capacitance must be positive");
    if (!(envelopeUa > 0)) throw new IllegalArgumentException("envelopeUa must be positive");
    if (!(heatingEfficiency > 0 && coolingCop > 0)) throw new IllegalArgumentException("efficiencies must be positive");
    double[] nonNegative = {solarAperture, lightingPerArea, equipmentPerArea, sensiblePerPerson, latentPerPerson, co2PerPerson,
        outdoorAirPerPerson, outdoorAirPerArea, infiltrationAch, supplyAirPerArea, heatingCapacity, coolingCapacity, fanPerArea,
        economySetback, preCoolOffset, smokeAch};
    for (double v : nonNegative) {
      if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException("zone parameters must be finite and >= 0, found " + v);
    }
  }

  /** The defaults for a mall zone of the given conditioned floor area. */
  public static ZoneParams forFloorArea(double area) {
    return new ZoneParams(area, area * CEILING_HEIGHT, CAPACITANCE_PER_AREA * area, UA_PER_AREA * area, 0.02 * area,
        12, 5, 75, 55, 0.0052, 3.8, 0.3, 0.2, 5.0, 80 * area, 150 * area, 2.8, 3.2, 2.0, 3.0, 2.0, 6.0);
  }

  /**
   * BOPTEST test case 1's zone: C = 10⁶ J/K, R = 0.01 K/W (τ = RC = 10⁴ s), and nothing else — no
   * gains, no infiltration, no ventilation — with an ideal 10 kW heater of efficiency 1 (the case's
   * controller is not modelled here; the plant's own controller or a saturated heater drives it).
   */
  public static ZoneParams boptestCase1() {
    return new ZoneParams(50, 150, 1e6, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10_000, 10_000, 1, 1, 0, 3.0, 2.0, 0);
  }

  /** Thermal resistance to outdoors through the envelope, K/W. */
  public double resistance() {
    return 1 / envelopeUa;
  }

  public ZoneParams withVentilation(double perPerson, double perArea, double infiltration) {
    return new ZoneParams(floorArea, volume, capacitance, envelopeUa, solarAperture, lightingPerArea, equipmentPerArea,
        sensiblePerPerson, latentPerPerson, co2PerPerson, perPerson, perArea, infiltration, supplyAirPerArea, heatingCapacity,
        coolingCapacity, heatingEfficiency, coolingCop, fanPerArea, economySetback, preCoolOffset, smokeAch);
  }

  public ZoneParams withGains(double lighting, double equipment, double sensible, double latent, double co2, double aperture) {
    return new ZoneParams(floorArea, volume, capacitance, envelopeUa, aperture, lighting, equipment, sensible, latent, co2,
        outdoorAirPerPerson, outdoorAirPerArea, infiltrationAch, supplyAirPerArea, heatingCapacity, coolingCapacity,
        heatingEfficiency, coolingCop, fanPerArea, economySetback, preCoolOffset, smokeAch);
  }

  public ZoneParams withPlant(double heating, double cooling, double heatingEff, double cop, double fan) {
    return new ZoneParams(floorArea, volume, capacitance, envelopeUa, solarAperture, lightingPerArea, equipmentPerArea,
        sensiblePerPerson, latentPerPerson, co2PerPerson, outdoorAirPerPerson, outdoorAirPerArea, infiltrationAch,
        supplyAirPerArea, heating, cooling, heatingEff, cop, fan, economySetback, preCoolOffset, smokeAch);
  }
}
