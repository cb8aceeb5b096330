package atrium.sim.thermal;

/**
 * One HVAC zone as a single resistance–capacitance node (1R1C) with its air-handling plant.
 *
 * <p><b>Heat.</b> C·dT/dt = H·(T_out − T) + G + Q, where H = UA + ρ·c_p·(V̇_oa + V̇_inf) is the
 * conductance to outdoors through the envelope and by outdoor air (ventilation and infiltration),
 * G = people·q_sens + A·(lighting + equipment)·f + aperture·I_sol the free gains, and Q the plant's
 * heat (heating > 0, cooling < 0). Over a step the inputs are held constant, so the exact solution is
 * used: T(t+Δt) = T∞ + (T − T∞)·exp(−Δt·H/C) with T∞ = T_out + (G + Q)/H. It is stable and exact for
 * any step length (no Euler error); for H = UA alone it is the BOPTEST case-1 exponential with τ = RC.
 *
 * <p><b>Plant.</b> An ideal controller with a capacity: per step, the constant Q that brings the zone
 * exactly to the violated setpoint by the step's end (solving the exact update for Q), clipped to
 * [0, heating capacity] or [−cooling capacity, 0]; no Q while the free-floating temperature stays in
 * the band. Modes: {@code off} (no heat, no fans, infiltration only), {@code comfort} (band [heating,
 * cooling]), {@code economy} (band widened by the setback on each side), {@code pre-cool} (cooling
 * setpoint lowered by the offset), {@code smoke-control} (no heating or cooling, outdoor-air purge at
 * {@link ZoneParams#smokeAch()}). A failed plant ({@link #setAvailable(boolean) unavailable}) acts as
 * {@code off}. Energy used = heating Q / efficiency + |cooling Q| / COP + fan power; the meter
 * integrates it exactly (power is constant over a step).
 *
 * <p><b>Actuated.</b> After {@link #actuate(double, double, double)} an external zone loop drives the
 * plant instead: heat = heating capacity × heating % − cooling capacity × cooling % (both may run, as in
 * reheat), outdoor air as given, in the fan-running modes (comfort, economy, pre-cool; their setpoints are
 * then ignored). {@code off}, {@code smoke-control} and a failed plant behave as without actuation.
 * {@link #release()} returns the zone to the internal controller.
 *
 * <p><b>CO2.</b> V·dC/dt = 10⁶·N·g + V̇·(C_out − C) (ppm, with V̇ = V̇_oa + V̇_inf in m³/s, g in m³/s),
 * solved exactly: C∞ = C_out + 10⁶·N·g/V̇, time constant V/V̇.
 *
 * <p><b>Humidity.</b> The humidity ratio w obeys ρ·V·dw/dt = N·q_lat/h_fg + ρ·V̇·(w_out − w), solved the
 * same way; while cooling, when the mixed supply air is wetter than a saturated 12 °C coil, the whole
 * supply flow V̇_sup enters at the coil's humidity ratio instead: ρ·V·dw/dt = N·q_lat/h_fg +
 * ρ·V̇_sup·(w_coil − w) + ρ·V̇_inf·(w_out − w). Relative humidity from w and T (Magnus formula, capped
 * at 100 %; no condensation modelled).
 *
 * <p>Not thread-safe; allocation-free per step.
 */
public final class ThermalZone {
  static final double RHO = 1.2, CP = 1005, H_FG = 2.45e6, P_ATM = 101_325, COIL_TEMPERATURE = 12;

  private final String id;
  private final ZoneParams p;
  private HvacMode mode = HvacMode.COMFORT;
  private double heatingSetpoint = 20, coolingSetpoint = 24;
  private double people, internalLoadFraction = 1;
  /** The lighting level commanded by the twin, 0…1; NaN: lighting follows the internal load fraction. */
  private double lightingLevel = Double.NaN;
  private boolean available = true;
  /** A fixed outdoor-air flow, L/s, while the fans run; NaN: the ventilation rate procedure on the people present. */
  private double fixedOutdoorAir = Double.NaN;
  private boolean actuated;
  private double actuatedHeating, actuatedCooling, actuatedOutdoorAir;

  private double temperature, co2, humidityRatio;
  private double heatingW, coolingW, powerW, energyKwh, supplyAirTemperature;

  public ThermalZone(String id, ZoneParams params, double temperature, double co2, double relativeHumidity) {
    this.id = id;
    this.p = params;
    this.temperature = temperature;
    this.co2 = co2;
    this.humidityRatio = humidityRatio(temperature, relativeHumidity);
    this.supplyAirTemperature = temperature;
  }

  public String id() {
    return id;
  }

  public ZoneParams params() {
    return p;
  }

  // ---- commands (the twin's set-mode and set-setpoints) ----

  public void setMode(HvacMode mode) {
    this.mode = mode;
  }

  public HvacMode mode() {
    return mode;
  }

  public void setSetpoints(double heating, double cooling) {
    if (!(heating < cooling)) throw new IllegalArgumentException("heating setpoint " + heating + " must be below cooling " + cooling);
    this.heatingSetpoint = heating;
    this.coolingSetpoint = cooling;
  }

  public double heatingSetpoint() {
    return heatingSetpoint;
  }

  public double coolingSetpoint() {
    return coolingSetpoint;
  }

  // ---- inputs ----

  public void setOccupants(double people) {
    this.people = Math.max(0, people);
  }

  public double occupants() {
    return people;
  }

  /** The share (0…1) of the lighting and equipment gains switched on (e.g. lower at night). */
  public void setInternalLoadFraction(double fraction) {
    this.internalLoadFraction = Math.max(0, Math.min(1, fraction));
  }

  /**
   * The lighting level (0…100 %) the twin commands ({@code set-lighting}): the lighting gain becomes
   * lightingPerArea × level, the equipment gain stays with the internal load fraction. NaN (the
   * default) goes back to lighting following the internal load fraction too.
   */
  public void setLightingLevel(double percent) {
    if (Double.isNaN(percent)) {
      lightingLevel = Double.NaN;
      return;
    }
    if (!(percent >= 0 && percent <= 100)) throw new IllegalArgumentException("lighting level must be 0 to 100 %, found " + percent);
    lightingLevel = percent / 100;
  }

  /** The commanded lighting level, %, or NaN while lighting follows the internal load fraction. */
  public double lightingLevel() {
    return lightingLevel * 100;
  }

  /**
   * Constant ventilation: {@code litresPerSecond} of outdoor air whenever the fans run (comfort,
   * economy, pre-cool), whoever is in; NaN (the default) goes back to N·R_p + A·R_a on the people
   * present. Smoke control purges at its own rate either way.
   */
  public void setOutdoorAir(double litresPerSecond) {
    if (!(litresPerSecond >= 0) && !Double.isNaN(litresPerSecond) || Double.isInfinite(litresPerSecond)) {
      throw new IllegalArgumentException("outdoor air must be >= 0 L/s or NaN, found " + litresPerSecond);
    }
    this.fixedOutdoorAir = litresPerSecond;
  }

  /** The fixed outdoor-air flow, L/s, or NaN when it follows the people present. */
  public double fixedOutdoorAir() {
    return fixedOutdoorAir;
  }

  /**
   * Bypasses the internal controller: from the next step on, hold {@code heatingPct} % of the heating
   * capacity, {@code coolingPct} % of the cooling capacity and {@code outdoorAirLps} L/s of outdoor air
   * (while the fans run) until the next call or {@link #release()}. Percentages are clamped to 0…100.
   */
  public void actuate(double heatingPct, double coolingPct, double outdoorAirLps) {
    if (!Double.isFinite(heatingPct) || !Double.isFinite(coolingPct) || !(outdoorAirLps >= 0) || Double.isInfinite(outdoorAirLps)) {
      throw new IllegalArgumentException("actuation must be finite with outdoor air >= 0: " + heatingPct + ", " + coolingPct + ", " + outdoorAirLps);
    }
    actuated = true;
    actuatedHeating = Math.max(0, Math.min(100, heatingPct));
    actuatedCooling = Math.max(0, Math.min(100, coolingPct));
    actuatedOutdoorAir = outdoorAirLps;
  }

  /** Back to the internal controller (the default). */
  public void release() {
    actuated = false;
  }

  /** True while an external loop drives the plant ({@link #actuate}). */
  public boolean actuated() {
    return actuated;
  }

  /** False while the plant has failed: no heating, cooling or fans, whatever the mode. */
  public void setAvailable(boolean available) {
    this.available = available;
  }

  /** Advances the zone by {@code dt} seconds under constant weather and solar irradiance (W/m²). */
  public void step(double dt, Weather weather, double solarIrradiance) {
    if (!(dt > 0)) return;
    boolean running = available && mode != HvacMode.OFF;
    boolean conditioning = running && mode != HvacMode.SMOKE_CONTROL;
    boolean external = conditioning && actuated;
    double outdoorAir = !running ? 0
        : mode == HvacMode.SMOKE_CONTROL ? p.smokeAch() * p.volume() / 3600
        : external ? actuatedOutdoorAir / 1000
        : !Double.isNaN(fixedOutdoorAir) ? fixedOutdoorAir / 1000
        : (people * p.outdoorAirPerPerson() + p.floorArea() * p.outdoorAirPerArea()) / 1000;
    double infiltration = p.infiltrationAch() * p.volume() / 3600;
    double airflow = outdoorAir + infiltration;

    // Heat.
    double h = p.envelopeUa() + RHO * CP * airflow;
    double gains = people * p.sensiblePerPerson()
        + p.floorArea() * (p.lightingPerArea() * (Double.isNaN(lightingLevel) ? internalLoadFraction : lightingLevel)
            + p.equipmentPerArea() * internalLoadFraction)
        + p.solarAperture() * solarIrradiance;
    double decay = Math.exp(-dt * h / p.capacitance());
    double tOut = weather.temperature();
    double q = 0, heatIn = 0, heatOut = 0;
    if (external) {
      heatIn = p.heatingCapacity() * actuatedHeating / 100;
      heatOut = p.coolingCapacity() * actuatedCooling / 100;
      q = heatIn - heatOut;
    } else if (conditioning) {
      double heatTo = heatingSetpoint, coolTo = coolingSetpoint;
      if (mode == HvacMode.ECONOMY) {
        heatTo -= p.economySetback();
        coolTo += p.economySetback();
      } else if (mode == HvacMode.PRE_COOL) {
        coolTo -= p.preCoolOffset();
        heatTo = Math.min(heatTo, coolTo - 1);
      }
      double free = settle(tOut + gains / h, decay);
      if (free < heatTo && p.heatingCapacity() > 0) {
        q = Math.min(p.heatingCapacity(), Math.max(0, neededHeat(heatTo, decay, h, gains, tOut)));
      } else if (free > coolTo && p.coolingCapacity() > 0) {
        q = Math.max(-p.coolingCapacity(), Math.min(0, neededHeat(coolTo, decay, h, gains, tOut)));
      }
    }
    temperature = settle(tOut + (gains + q) / h, decay);

    // Energy.
    heatingW = external ? heatIn : Math.max(0, q);
    coolingW = external ? heatOut : Math.max(0, -q);
    double fan = running ? p.fanPerArea() * p.floorArea() : 0;
    powerW = heatingW / p.heatingEfficiency() + coolingW / p.coolingCop() + fan;
    energyKwh += powerW * dt / 3.6e6;
    double supplyFlow = running ? Math.max(p.supplyAirPerArea() * p.floorArea() / 1000, outdoorAir) : 0;
    supplyAirTemperature = supplyFlow > 0 ? clamp(temperature + q / (RHO * CP * supplyFlow), 5, 50) : temperature;

    // CO2: the exact update with the air's own time constant V / V̇.
    double generation = people * p.co2PerPerson() / 1000;
    if (airflow > 0) {
      double co2Inf = weather.co2() + 1e6 * generation / airflow;
      co2 = co2Inf + (co2 - co2Inf) * Math.exp(-dt * airflow / p.volume());
    } else {
      co2 += 1e6 * generation * dt / p.volume();
    }

    // Moisture: outdoor air (mixed into the supply) and infiltration exchange with the zone; while
    // cooling, if the mixed air is wetter than a saturated 12 °C coil, the whole supply leaves the coil
    // at that humidity ratio.
    double outdoorW = humidityRatio(tOut, weather.relativeHumidity());
    double exchange = airflow, inflow = airflow * outdoorW;
    if (coolingW > 0 && supplyFlow > 0) {
      double mixed = (outdoorAir * outdoorW + (supplyFlow - outdoorAir) * humidityRatio) / supplyFlow;
      double coil = humidityRatio(COIL_TEMPERATURE, 100);
      if (mixed > coil) {
        exchange = supplyFlow + infiltration;
        inflow = supplyFlow * coil + infiltration * outdoorW;
      }
    }
    double moisture = people * p.latentPerPerson() / H_FG;
    if (exchange > 0) {
      double wInf = (inflow + moisture / RHO) / exchange;
      humidityRatio = wInf + (humidityRatio - wInf) * Math.exp(-dt * exchange / p.volume());
    } else {
      humidityRatio += moisture * dt / (RHO * p.volume());
    }
  }

  private double settle(double tInf, double decay) {
    return tInf + (temperature - tInf) * decay;
  }

  /** The constant Q that makes the exact update end at {@code target}. */
  private double neededHeat(double target, double decay, double h, double gains, double tOut) {
    double tInf = (target - temperature * decay) / (1 - decay);
    return h * (tInf - tOut) - gains;
  }

  // ---- observations (the hvac-zone telemetry fields) ----

  /** °C */
  public double temperature() {
    return temperature;
  }

  /** ppm */
  public double co2() {
    return co2;
  }

  /** % RH */
  public double relativeHumidity() {
    double pw = humidityRatio * P_ATM / (0.622 + humidityRatio);
    return Math.min(100, 100 * pw / saturationPressure(temperature));
  }

  /** °C */
  public double supplyAirTemperature() {
    return supplyAirTemperature;
  }

  /** 0–100 % of heating capacity over the last step. */
  public double heatingOutput() {
    return p.heatingCapacity() == 0 ? 0 : 100 * heatingW / p.heatingCapacity();
  }

  /** 0–100 % of cooling capacity over the last step. */
  public double coolingOutput() {
    return p.coolingCapacity() == 0 ? 0 : 100 * coolingW / p.coolingCapacity();
  }

  /** Heat delivered (W, positive heating, negative cooling) over the last step. */
  public double plantHeat() {
    return heatingW - coolingW;
  }

  /** Energy used over the last step, kW. */
  public double powerKw() {
    return powerW / 1000;
  }

  /** The cumulative energy meter, kWh. */
  public double energyKwh() {
    return energyKwh;
  }

  /** The telemetry a zone controller reports, in the device protocol's field names. */
  public Readings readings() {
    return new Readings(temperature, relativeHumidity(), co2, supplyAirTemperature, heatingOutput(), coolingOutput(), powerKw(), energyKwh);
  }

  public record Readings(double temperature, double humidity, double co2, double supplyAirTemperature,
      double heatingOutput, double coolingOutput, double power, double energy) {}

  // ---- psychrometrics ----

  /** Saturation vapour pressure over water, Pa (Magnus form, Alduchov and Eskridge 1996). */
  static double saturationPressure(double celsius) {
    return 610.94 * Math.exp(17.625 * celsius / (celsius + 243.04));
  }

  static double humidityRatio(double celsius, double relativeHumidity) {
    double pw = relativeHumidity / 100 * saturationPressure(celsius);
    return 0.622 * pw / (P_ATM - pw);
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
