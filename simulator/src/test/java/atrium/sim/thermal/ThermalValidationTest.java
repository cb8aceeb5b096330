package atrium.sim.thermal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * A single zone with BOPTEST test case 1's parameters (C = 10⁶ J/K, R = 0.01 K/W, τ = 10⁴ s) against
 * the analytic exponential T(t) = T∞ + (T0 − T∞)·exp(−t/RC), within 1 % of the change T0 − T∞, at
 * several times; the CO2 of a ventilated, occupied zone against the analytic mass balance; and the
 * energy meter against the integral of the reported power.
 */
class ThermalValidationTest {
  private static final double TAU = 1e4;
  private static final double[] CHECK_TIMES = {1_000, 5_000, 10_000, 20_000, 30_000, 50_000};

  private static double analytic(double tInf, double t0, double t) {
    return tInf + (t0 - tInf) * Math.exp(-t / TAU);
  }

  /** Steps a zone to each check time with {@code dt} steps; returns the temperatures there. */
  private static double[] run(ThermalZone zone, Weather weather, double dt) {
    double[] result = new double[CHECK_TIMES.length];
    double t = 0;
    for (int i = 0; i < CHECK_TIMES.length; i++) {
      while (t < CHECK_TIMES[i] - 1e-9) {
        double h = Math.min(dt, CHECK_TIMES[i] - t);
        zone.step(h, weather, 0);
        t += h;
      }
      result[i] = zone.temperature();
    }
    return result;
  }

  private static void assertWithinOnePercent(double tInf, double t0, double[] ours, String what) {
    for (int i = 0; i < CHECK_TIMES.length; i++) {
      double expected = analytic(tInf, t0, CHECK_TIMES[i]);
      System.out.printf("%s t=%6.0f s: analytic %.4f °C, ours %.4f °C%n", what, CHECK_TIMES[i], expected, ours[i]);
      assertEquals(expected, ours[i], 0.01 * Math.abs(t0 - tInf), what + " at t = " + CHECK_TIMES[i] + " s");
    }
  }

  @Test
  void freeResponseOfTheBoptestCase1ZoneIsTheAnalyticExponential() {
    for (double dt : new double[] {60, 900, 3600}) {
      var zone = new ThermalZone("case1", ZoneParams.boptestCase1(), 20, 420, 50);
      zone.setMode(HvacMode.OFF);
      assertWithinOnePercent(5, 20, run(zone, Weather.of(5, 50), dt), "free, dt " + dt);
    }
  }

  @Test
  void responseToAHeatingPowerStepIsTheAnalyticExponential() {
    // A 1 kW heater (the zone's whole capacity) against a setpoint it cannot reach: Q is a step of
    // 1,000 W from t = 0, so T∞ = T_out + R·Q = 5 + 10 = 15 °C.
    for (double dt : new double[] {60, 900, 3600}) {
      var params = ZoneParams.boptestCase1().withPlant(1_000, 0, 1, 1, 0);
      var zone = new ThermalZone("case1", params, 5, 420, 50);
      zone.setSetpoints(29, 30);
      assertWithinOnePercent(15, 5, run(zone, Weather.of(5, 50), dt), "heated, dt " + dt);
      assertEquals(100, zone.heatingOutput(), 1e-9, "saturated throughout");
    }
  }

  @Test
  void co2SettlesAtTheAnalyticMassBalance() {
    // 1,000 m², 200 people: outdoor air 200 × 3.8 + 1,000 × 0.3 = 1,060 L/s, infiltration 0.2 ACH of
    // 4,500 m³ = 250 L/s; generation 200 × 0.0052 L/s. C∞ = 420 + 10⁶ · 0.00104 / 1.31 ≈ 1,213.9 ppm.
    var params = ZoneParams.forFloorArea(1000);
    var zone = new ThermalZone("z", params, 21, 420, 50);
    zone.setOccupants(200);
    double flow = (200 * 3.8 + 1000 * 0.3) / 1000 + 0.2 * 4500 / 3600;
    double steady = 420 + 1e6 * 200 * 0.0052 / 1000 / flow;
    double tauCo2 = 4500 / flow;
    double t = 0;
    for (double check : new double[] {tauCo2, 3 * tauCo2, 10 * tauCo2}) {
      while (t < check) {
        double h = Math.min(60, check - t);
        zone.step(h, Weather.of(10, 60), 0);
        t += h;
      }
      double expected = steady + (420 - steady) * Math.exp(-t / tauCo2);
      System.out.printf("CO2 t=%6.0f s: analytic %.2f ppm, ours %.2f ppm (steady %.2f)%n", t, expected, zone.co2(), steady);
      assertEquals(expected, zone.co2(), 0.01 * (steady - 420), "CO2 at " + t + " s");
    }
    assertEquals(steady, zone.co2(), 0.01 * (steady - 420), "steady state");
  }

  @Test
  void theEnergyMeterRisesByTheIntegralOfThePowerAndOfTheDeliveredHeatOverEfficiency() {
    var params = ZoneParams.forFloorArea(2040);
    var zone = new ThermalZone("AHU-L1-16", params, 16, 420, 50);
    Sun sun = Sun.SHANGHAI_WINTER;
    double fromPower = 0, fromHeat = 0;
    double start = zone.energyKwh();
    double dt = 30;
    for (double t = 0; t < 2 * 86_400; t += dt) {
      double hour = (t / 3600) % 24;
      zone.setOccupants(hour > 10 && hour < 22 ? 400 : 0);
      zone.setMode(hour >= 8 && hour < 22 ? HvacMode.COMFORT : HvacMode.ECONOMY);
      var weather = Weather.of(3 + 6 * Math.sin(2 * Math.PI * (hour - 9) / 24), 70);
      zone.step(dt, weather, sun.irradiance(hour, weather.cloudCover()));
      fromPower += zone.powerKw() * dt / 3600;
      double heat = zone.heatingOutput() / 100 * params.heatingCapacity(), cool = zone.coolingOutput() / 100 * params.coolingCapacity();
      double fan = params.fanPerArea() * params.floorArea();
      fromHeat += (heat / params.heatingEfficiency() + cool / params.coolingCop() + fan) * dt / 3.6e6;
    }
    double meter = zone.energyKwh() - start;
    System.out.printf("energy over two days: meter %.3f kWh, ∫P dt %.3f kWh, ∫(Q/eff + fan) dt %.3f kWh%n", meter, fromPower, fromHeat);
    assertEquals(fromPower, meter, 1e-9 * meter, "meter vs ∫ power");
    assertEquals(fromHeat, meter, 1e-9 * meter, "meter vs ∫ delivered heat / efficiency + fans");
    assertEquals(true, meter > 100, "a winter mall zone uses energy: " + meter);
  }
}
