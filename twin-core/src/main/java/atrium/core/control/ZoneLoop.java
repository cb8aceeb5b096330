package atrium.core.control;

/**
 * One HVAC zone's supervisory loop, stepped on the twin's clock: two PI loops with a dead band
 * (heating to the heating setpoint, cooling to the cooling setpoint; inside the band both idle),
 * occupancy set-back, demand-controlled ventilation on CO2, a humidity limit and a sensor-fault
 * fallback. docs/control.md describes the algorithms, parameters and assumptions.
 *
 * <p>Each {@link #update} takes the step length and the step's inputs and sets the outputs
 * ({@link #heatingPct()}, {@link #coolingPct()}, {@link #outdoorAirLps()}) to hold until the next step.
 * Deterministic, not thread-safe, allocation-free per step.
 */
public final class ZoneLoop {
  /** What the zone is asked to do: off, follow occupancy, or a forced comfort or economy band. */
  public enum Mode { OFF, AUTO, COMFORT, ECONOMY }

  /**
   * @param comfortHeating heating setpoint when occupied, °C
   * @param comfortCooling cooling setpoint when occupied, °C (at least {@link #MIN_DEAD_BAND} above heating)
   * @param setback economy set-back: the heating setpoint is lowered and the cooling one raised by this, K
   * @param emptyHoldSeconds how long the zone must stay empty before the set-back engages, s
   * @param occupancyThreshold people above this count as occupied
   * @param heating the heating PI (reverse acting, output 0…100 %)
   * @param cooling the cooling PI (direct acting, output 0…100 %)
   * @param co2Low CO2 at which demand-controlled ventilation starts to raise outdoor air, ppm
   * @param co2High CO2 at which outdoor air reaches its maximum, ppm
   * @param minOutdoorAirOccupied outdoor air while occupied or open, L/s
   * @param minOutdoorAirEmpty outdoor air while empty and closed, L/s
   * @param maxOutdoorAir the most outdoor air the air handler can bring in, L/s
   * @param maxHumidity relative humidity above which cooling runs at least {@code dehumidifyCoolingPct}, %
   * @param dehumidifyCoolingPct the cooling floor while too humid (and not below the heating setpoint), %
   * @param fallbackHeatingPct heating output while the temperature sensor has failed, if the zone was last heating, %
   *     (with no demand seen yet, the fallback holds neither heating nor cooling)
   * @param fallbackCoolingPct cooling output while the temperature sensor has failed, if the zone was last cooling, %
   * @param fallbackOutdoorAir outdoor air while the CO2 sensor has failed and the zone is occupied or open, L/s
   * @param minPlausible lowest plausible zone temperature, °C (below: a sensor fault)
   * @param maxPlausible highest plausible zone temperature, °C (above: a sensor fault)
   */
  public record Settings(double comfortHeating, double comfortCooling, double setback, double emptyHoldSeconds,
      double occupancyThreshold, Pid.Settings heating, Pid.Settings cooling, double co2Low, double co2High,
      double minOutdoorAirOccupied, double minOutdoorAirEmpty, double maxOutdoorAir, double maxHumidity,
      double dehumidifyCoolingPct, double fallbackHeatingPct, double fallbackCoolingPct, double fallbackOutdoorAir,
      double minPlausible, double maxPlausible) {
    public Settings {
      if (!(comfortCooling - comfortHeating >= MIN_DEAD_BAND)) throw new IllegalArgumentException("dead band below " + MIN_DEAD_BAND + " K");
      if (!(setback >= 0 && emptyHoldSeconds >= 0 && occupancyThreshold >= 0)) throw new IllegalArgumentException("set-back, hold and threshold must be >= 0");
      if (heating.directActing() || !cooling.directActing()) throw new IllegalArgumentException("heating must be reverse acting, cooling direct acting");
      if (!(co2Low < co2High)) throw new IllegalArgumentException("co2Low must be below co2High");
      if (!(0 <= minOutdoorAirEmpty && minOutdoorAirEmpty <= maxOutdoorAir && minOutdoorAirOccupied <= maxOutdoorAir && minOutdoorAirOccupied >= 0)) {
        throw new IllegalArgumentException("outdoor air limits must satisfy 0 <= minimum <= maximum");
      }
      if (!(fallbackOutdoorAir >= 0 && fallbackOutdoorAir <= maxOutdoorAir)) throw new IllegalArgumentException("fallback outdoor air out of range");
      if (!(minPlausible < maxPlausible)) throw new IllegalArgumentException("plausible range");
    }

    /**
     * Defaults for a zone of {@code floorArea} m² whose heating raises the zone by {@code gainKPerPct}
     * K per % of output at steady state with open-loop time constant {@code timeConstant} s: SIMC PI
     * gains with λ = 30 min and θ = 60 s, comfort 20 / 24 °C, 3 K set-back after 30 min empty, DCV
     * 800 → 1000 ppm between 0.3 and 5 L/(s·m²), 65 % RH limit, fallback 20 % heating or 20 % cooling.
     */
    public static Settings defaults(double floorArea, double gainKPerPct, double coolingGainKPerPct, double timeConstant) {
      Pid.Settings heat = Pid.Settings.simc(gainKPerPct, timeConstant, 60, 1800, 0, 100);
      Pid.Settings cool = Pid.Settings.simc(coolingGainKPerPct, timeConstant, 60, 1800, 0, 100).withDirectActing(true);
      return new Settings(20, 24, 3, 1800, 0.5, heat, cool, 800, 1000, 0.3 * floorArea, 0, 5 * floorArea, 65, 30,
          20, 20, 1.5 * floorArea, 5, 45);
    }

    public Settings withPids(Pid.Settings heat, Pid.Settings cool) {
      return new Settings(comfortHeating, comfortCooling, setback, emptyHoldSeconds, occupancyThreshold, heat, cool, co2Low, co2High,
          minOutdoorAirOccupied, minOutdoorAirEmpty, maxOutdoorAir, maxHumidity, dehumidifyCoolingPct, fallbackHeatingPct,
          fallbackCoolingPct, fallbackOutdoorAir, minPlausible, maxPlausible);
    }

    public Settings withOutdoorAir(double minOccupied, double minEmpty, double max) {
      return new Settings(comfortHeating, comfortCooling, setback, emptyHoldSeconds, occupancyThreshold, heating, cooling, co2Low, co2High,
          minOccupied, minEmpty, max, maxHumidity, dehumidifyCoolingPct, fallbackHeatingPct, fallbackCoolingPct,
          Math.min(fallbackOutdoorAir, max), minPlausible, maxPlausible);
    }
  }

  /** The narrowest dead band between the heating and cooling setpoints, K. */
  public static final double MIN_DEAD_BAND = 1;

  private final Settings s;
  private final Pid heat, cool;
  private double heatingSetpoint, coolingSetpoint;
  private Mode lastMode = Mode.AUTO;
  private double emptyFor;
  private boolean setbackActive, temperatureFault, co2Fault, humid, wasFaulted, resumed;
  /** The last demand the loop saw: 0 none yet, +1 heating, −1 cooling (picks the fallback's season). */
  private int lastDemand;
  private double heatingPct, coolingPct, outdoorAir;

  public ZoneLoop(Settings settings) {
    this.s = settings;
    this.heat = new Pid(settings.heating());
    this.cool = new Pid(settings.cooling());
    this.heatingSetpoint = settings.comfortHeating();
    this.coolingSetpoint = settings.comfortCooling();
  }

  public Settings settings() {
    return s;
  }

  /** The twin's set-setpoints: the comfort heating and cooling setpoints (at least {@link #MIN_DEAD_BAND} apart). */
  public void setComfortSetpoints(double heating, double cooling) {
    if (!(cooling - heating >= MIN_DEAD_BAND)) throw new IllegalArgumentException("cooling " + cooling + " must be at least " + MIN_DEAD_BAND + " K above heating " + heating);
    heatingSetpoint = heating;
    coolingSetpoint = cooling;
  }

  /**
   * Takes over from outputs the zone is already getting (the twin restarting or taking over from the
   * zone's own controller; a caller that wants the idle-loop rule below on its own mode changes or
   * fault recoveries passes the loop's current outputs): the next {@link #update} transfers both PIs
   * bumplessly from them, except that an idle PI (0 %) on the idle side of its setpoint starts from an
   * empty integral instead (see {@code takeOver}). A fallback that follows before any update picks its
   * season from these outputs.
   */
  public void resume(double heating, double cooling) {
    heatingPct = Double.isFinite(heating) ? Math.max(0, Math.min(100, heating)) : 0;
    coolingPct = Double.isFinite(cooling) ? Math.max(0, Math.min(100, cooling)) : 0;
    if (heatingPct > 0) lastDemand = 1;
    else if (coolingPct > 0) lastDemand = -1;
    heat.reset();
    cool.reset();
    resumed = true;
  }

  /**
   * One step.
   *
   * @param dt seconds since the last step (the outputs are then held for the next step)
   * @param temperature zone temperature, °C, or NaN when the sensor has failed
   * @param co2 zone CO2, ppm, or NaN when the sensor has failed
   * @param humidity zone relative humidity, %, or NaN (unknown: no humidity limit)
   * @param people people in the zones it serves (the camera-fed occupancy)
   * @param open the site's opening hours (ventilation minimum even while nobody is seen)
   * @param mode the commanded mode
   */
  public void update(double dt, double temperature, double co2, double humidity, double people, boolean open, Mode mode) {
    if (!(dt > 0)) return;
    boolean occupied = people > s.occupancyThreshold();
    emptyFor = occupied ? 0 : emptyFor + dt;
    setbackActive = mode == Mode.ECONOMY || mode == Mode.AUTO && emptyFor >= s.emptyHoldSeconds();
    double off = setbackActive ? s.setback() : 0;
    double hsp = heatingSetpoint - off, csp = coolingSetpoint + off;

    temperatureFault = !(temperature >= s.minPlausible() && temperature <= s.maxPlausible());
    co2Fault = !(co2 >= 0 && co2 < 100_000);
    humid = humidity > s.maxHumidity();

    if (mode == Mode.OFF) {
      heatingPct = coolingPct = outdoorAir = 0;
      heat.reset();
      cool.reset();
      lastMode = mode;
      wasFaulted = temperatureFault;
      resumed = false;
      return;
    }

    // Ventilation: the minimum for the zone's state, raised linearly from co2Low to co2High.
    double base = occupied || open ? s.minOutdoorAirOccupied() : s.minOutdoorAirEmpty();
    if (co2Fault) {
      outdoorAir = occupied || open ? Math.max(base, s.fallbackOutdoorAir()) : base;
    } else {
      double ramp = Math.max(0, Math.min(1, (co2 - s.co2Low()) / (s.co2High() - s.co2Low())));
      outdoorAir = base + (s.maxOutdoorAir() - base) * ramp;
    }

    if (temperatureFault) {
      heatingPct = lastDemand > 0 ? s.fallbackHeatingPct() : 0;
      coolingPct = lastDemand < 0 ? s.fallbackCoolingPct() : 0;
      wasFaulted = true;
      lastMode = mode;
      return;
    }
    if (resumed) {
      takeOver(heat, heatingPct, hsp, temperature);
      takeOver(cool, coolingPct, csp, temperature);
      resumed = false;
      wasFaulted = false;
    } else if (wasFaulted || mode != lastMode) {
      // Bumpless: both loops continue from what the zone was actually getting.
      heat.transfer(heatingPct, hsp, temperature);
      cool.transfer(coolingPct, csp, temperature);
      wasFaulted = false;
    }
    lastMode = mode;

    double h = heat.update(hsp, temperature, dt);
    double c = cool.update(csp, temperature, dt);
    if (humid && temperature > hsp) c = Math.max(c, s.dehumidifyCoolingPct());
    else if (h > 0 && c > 0) {
      // Cannot happen with a dead band unless the loops lag; never heat and cool at once.
      if (temperature < (hsp + csp) / 2) c = 0;
      else h = 0;
    }
    heatingPct = h;
    coolingPct = c;
    if (h > 0) lastDemand = 1;
    else if (c > 0 && !humid) lastDemand = -1;
  }

  /**
   * Bumpless transfer, except for an idle loop (0 %) on the idle side of its setpoint: there the
   * transfer would leave a positive integral of −P, which conditional integration then holds, so the
   * loop would start as soon as the zone moved towards its setpoint instead of at it. An empty
   * integral gives the same 0 % (P is negative there) without that.
   */
  private static void takeOver(Pid pid, double output, double setpoint, double temperature) {
    pid.transfer(output, setpoint, temperature);
    if (output <= 0 && pid.integral() > 0) pid.reset();
  }

  /** Heating output to hold over the next step, 0…100 % of capacity. */
  public double heatingPct() {
    return heatingPct;
  }

  /** Cooling output to hold over the next step, 0…100 % of capacity. */
  public double coolingPct() {
    return coolingPct;
  }

  /** Outdoor air to bring in over the next step, L/s. */
  public double outdoorAirLps() {
    return outdoorAir;
  }

  /** Outdoor air as a share of the maximum, 0…1. */
  public double outdoorAirFraction() {
    return s.maxOutdoorAir() > 0 ? outdoorAir / s.maxOutdoorAir() : 0;
  }

  /** The heating setpoint in force (comfort, or comfort − set-back), °C. */
  public double activeHeatingSetpoint() {
    return heatingSetpoint - (setbackActive ? s.setback() : 0);
  }

  /** The cooling setpoint in force, °C. */
  public double activeCoolingSetpoint() {
    return coolingSetpoint + (setbackActive ? s.setback() : 0);
  }

  /** True while the economy set-back is in force. */
  public boolean setback() {
    return setbackActive;
  }

  /** True while a sensor the loop needs has failed (the entity raises an alarm). */
  public boolean fault() {
    return temperatureFault || co2Fault;
  }

  public boolean temperatureFault() {
    return temperatureFault;
  }

  public boolean co2Fault() {
    return co2Fault;
  }

  /** True while the humidity is above its limit. */
  public boolean humidityHigh() {
    return humid;
  }
}
