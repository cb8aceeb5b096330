package atrium.sim.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.control.Pid;
import atrium.core.control.ZoneLoop;
import atrium.sim.thermal.ThermalZone;
import atrium.sim.thermal.Weather;
import atrium.sim.thermal.ZoneParams;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The zone loop driving the simulator's thermal plant (a 1000 m² mall zone, 1R1C) at a 60 s step, with
 * seeded disturbances: outdoor temperature swinging ±2 K over the day plus noise, occupancy noise.
 */
class ZoneLoopOnPlantTest {
  static final double DT = 60, AREA = 1000;
  static final ZoneParams PARAMS = ZoneParams.forFloorArea(AREA);

  /** The plant's conductance to outdoors at the occupied minimum ventilation, W/K. */
  static double conductance(ZoneParams p) {
    return p.envelopeUa() + 1.2 * 1005 * (0.3 * p.floorArea() + p.infiltrationAch() * p.volume() / 3.6) / 1000;
  }

  /** SIMC gains from the plant's steady-state gain (capacity ÷ conductance per %) and time constant C ÷ H. */
  static ZoneLoop.Settings settings(ZoneParams p) {
    double h = conductance(p);
    return ZoneLoop.Settings.defaults(p.floorArea(), p.heatingCapacity() / h / 100, p.coolingCapacity() / h / 100, p.capacitance() / h);
  }

  /** A zone, its loop and the disturbances, stepped together. */
  static final class Rig {
    final ThermalZone zone;
    final ZoneLoop loop;
    final Random random;
    double outdoorMean, people, outdoorHumidity = 60;
    boolean open = true;
    ZoneLoop.Mode mode = ZoneLoop.Mode.AUTO;
    boolean sensorFailed;
    int step;

    Rig(ZoneLoop.Settings settings, ZoneParams params, double t0, double outdoorMean, long seed) {
      this.zone = new ThermalZone("z", params, t0, 420, 50);
      this.loop = new ZoneLoop(settings);
      this.outdoorMean = outdoorMean;
      this.random = new Random(seed);
    }

    Weather weather() {
      double swing = 2 * Math.sin(2 * Math.PI * step * DT / 86_400);
      return Weather.of(outdoorMean + swing + 0.3 * random.nextGaussian(), outdoorHumidity);
    }

    void run(double seconds, IntToDoubleFunction observe) {
      for (double t = 0; t < seconds; t += DT) {
        double seen = people > 0 ? Math.max(0, people + 0.05 * people * random.nextGaussian()) : 0;
        double temperature = sensorFailed ? Double.NaN : zone.temperature();
        loop.update(DT, temperature, zone.co2(), zone.relativeHumidity(), seen, open, mode);
        zone.actuate(loop.heatingPct(), loop.coolingPct(), loop.outdoorAirLps());
        zone.setOccupants(seen);
        zone.step(DT, weather(), 0);
        step++;
        if (observe != null) observe.applyAsDouble(step);
      }
    }

    void run(double seconds) {
      run(seconds, null);
    }
  }

  static double maxOver(Rig rig, double seconds, java.util.function.DoubleSupplier f) {
    double[] max = {Double.NEGATIVE_INFINITY};
    rig.run(seconds, s -> max[0] = Math.max(max[0], f.getAsDouble()));
    return max[0];
  }

  static double minOver(Rig rig, double seconds, java.util.function.DoubleSupplier f) {
    double[] min = {Double.POSITIVE_INFINITY};
    rig.run(seconds, s -> min[0] = Math.min(min[0], f.getAsDouble()));
    return min[0];
  }

  // ---- step responses ----

  /** Runs a setpoint step, returns {max |e| over the last 4 h, error sign changes (0.05 K hysteresis) over the last 4 h}. */
  static double[] stepResponse(Rig rig, double heating, double cooling, double reference) {
    rig.run(8 * 3600);
    rig.loop.setComfortSetpoints(heating, cooling);
    rig.run(4 * 3600);
    double[] worst = {0}, crossings = {0}, sign = {0};
    rig.run(4 * 3600, s -> {
      double e = rig.zone.temperature() - reference;
      worst[0] = Math.max(worst[0], Math.abs(e));
      double sg = e > 0.05 ? 1 : e < -0.05 ? -1 : 0;
      if (sg != 0 && sign[0] != 0 && sg != sign[0]) crossings[0]++;
      if (sg != 0) sign[0] = sg;
      return 0;
    });
    return new double[] {worst[0], crossings[0]};
  }

  @Test
  void aHeatingSetpointStepSettlesWithinThreeTenthsOfAKelvinWithoutOscillation() {
    var rig = new Rig(settings(PARAMS), PARAMS, 20, 2, 1);
    rig.people = 150;
    double[] r = stepResponse(rig, 21.5, 24, 21.5);
    assertTrue(r[0] <= 0.3, "settled within ±0.3 K: worst " + r[0]);
    assertTrue(r[1] <= 2, "no sustained oscillation: " + r[1] + " sign changes");
    assertTrue(rig.loop.heatingPct() > 0 && rig.loop.coolingPct() == 0);
  }

  @Test
  void aCoolingSetpointStepSettlesOnAHotDay() {
    var rig = new Rig(settings(PARAMS), PARAMS, 24, 33, 2);
    rig.people = 300;
    double[] r = stepResponse(rig, 20, 23, 23);
    assertTrue(r[0] <= 0.3, "settled within ±0.3 K: worst " + r[0]);
    assertTrue(r[1] <= 2, "no sustained oscillation: " + r[1] + " sign changes");
    assertTrue(rig.loop.coolingPct() > 0 && rig.loop.heatingPct() == 0);
  }

  @Test
  void insideTheDeadBandNeitherHeatingNorCoolingRuns() {
    var rig = new Rig(settings(PARAMS), PARAMS, 22, 7, 3); // free-floating equilibrium ≈ 7 + 24.5 kW ÷ 1.66 kW/K ≈ 22 °C
    rig.outdoorHumidity = 40; // dry enough that the humidity limit stays out of it
    rig.people = 100;
    rig.run(3600);
    double[] worst = {0};
    rig.run(4 * 3600, s -> worst[0] = Math.max(worst[0], rig.loop.heatingPct() + rig.loop.coolingPct()));
    assertEquals(0, worst[0], "free-floating between 20 and 24 °C");
    assertTrue(rig.zone.temperature() > 20 && rig.zone.temperature() < 24);
  }

  // ---- anti-windup ----

  /** Holds 20 °C, fails the plant for 8 h in the cold, restores it: the peak above the setpoint afterwards. */
  static double overshootAfterPlantFailure(Pid.AntiWindup scheme) {
    var base = settings(PARAMS);
    var s = base.withPids(base.heating().withAntiWindup(scheme), base.cooling().withAntiWindup(scheme));
    var rig = new Rig(s, PARAMS, 20, -10, 4);
    rig.people = 100;
    rig.run(6 * 3600);
    rig.zone.setAvailable(false);
    rig.run(8 * 3600);
    assertTrue(rig.zone.temperature() < 18.5, "the zone cooled while the plant was down: " + rig.zone.temperature());
    assertEquals(100, rig.loop.heatingPct(), 1e-9, "saturated");
    rig.zone.setAvailable(true);
    return maxOver(rig, 12 * 3600, rig.zone::temperature) - 20;
  }

  @Test
  void antiWindupKeepsTheOvershootSmallAfterSaturation() {
    double conditional = overshootAfterPlantFailure(Pid.AntiWindup.CONDITIONAL);
    double backCalculation = overshootAfterPlantFailure(Pid.AntiWindup.BACK_CALCULATION);
    double none = overshootAfterPlantFailure(Pid.AntiWindup.NONE);
    assertTrue(conditional < 0.3, "conditional integration: " + conditional + " K");
    assertTrue(backCalculation < 0.3, "back-calculation: " + backCalculation + " K");
    assertTrue(none > 1.0 && none > 3 * Math.max(conditional, backCalculation), "without anti-windup: " + none + " K");
  }

  @Test
  void antiWindupRecoversAfterACapacityShortfall() {
    // A plant sized for mild weather: a cold spell it cannot meet, then the weather turns.
    var small = PARAMS.withPlant(40_000, 150_000, 2.8, 3.2, 2);
    var base = settings(small);
    double[] overshoot = new double[2];
    int i = 0;
    for (var scheme : new Pid.AntiWindup[] {Pid.AntiWindup.CONDITIONAL, Pid.AntiWindup.NONE}) {
      var rig = new Rig(base.withPids(base.heating().withAntiWindup(scheme), base.cooling()), small, 20, 0, 5);
      rig.people = 50;
      rig.run(6 * 3600);
      assertEquals(20, rig.zone.temperature(), 0.3, "the small plant copes at 0 °C");
      rig.outdoorMean = -25;
      rig.run(10 * 3600);
      assertTrue(rig.zone.temperature() < 19, "the cold spell beat the plant: " + rig.zone.temperature());
      rig.outdoorMean = 0;
      overshoot[i++] = maxOver(rig, 12 * 3600, rig.zone::temperature) - 20;
    }
    assertTrue(overshoot[0] < 0.3, "with anti-windup: " + overshoot[0]);
    assertTrue(overshoot[1] > 1.0 && overshoot[1] > 3 * overshoot[0], "without: " + overshoot[1] + " K, with: " + overshoot[0] + " K");
  }

  // ---- occupancy set-back ----

  @Test
  void setBackEngagesAfterTheZoneEmptiesAndComfortReturnsWithPeople() {
    var rig = new Rig(settings(PARAMS), PARAMS, 20, 3, 6);
    rig.people = 200;
    rig.run(4 * 3600);
    assertFalse(rig.loop.setback());
    assertEquals(20, rig.zone.temperature(), 0.3);

    rig.people = 0;
    rig.open = false;
    rig.run(25 * 60);
    assertFalse(rig.loop.setback(), "still inside the 30 min hold");
    assertEquals(20, rig.loop.activeHeatingSetpoint());
    rig.run(10 * 60);
    assertTrue(rig.loop.setback(), "empty for 35 min");
    assertEquals(17, rig.loop.activeHeatingSetpoint());
    assertEquals(27, rig.loop.activeCoolingSetpoint());
    double emptyStart = rig.zone.energyKwh();
    rig.run(10 * 3600);
    double setbackEnergy = rig.zone.energyKwh() - emptyStart;
    assertTrue(rig.zone.temperature() < 19.5, "drifted down towards the economy setpoint: " + rig.zone.temperature());
    assertTrue(rig.zone.temperature() > 16.7, "but held above 17 − 0.3: " + rig.zone.temperature());

    rig.people = 120;
    rig.open = true;
    rig.run(60);
    assertFalse(rig.loop.setback(), "comfort as soon as people are seen");
    assertTrue(rig.loop.heatingPct() > 0);
    rig.run(8 * 3600);
    assertEquals(20, rig.zone.temperature(), 0.3, "back to comfort");

    // The same empty spell held at comfort costs more.
    var comfort = new Rig(settings(PARAMS), PARAMS, 20, 3, 6);
    comfort.people = 200;
    comfort.run(4 * 3600 + 35 * 60);
    comfort.people = 0;
    comfort.open = false;
    comfort.mode = ZoneLoop.Mode.COMFORT;
    double start = comfort.zone.energyKwh();
    comfort.run(10 * 3600);
    assertTrue(setbackEnergy < 0.8 * (comfort.zone.energyKwh() - start),
        "set-back saves energy: " + setbackEnergy + " vs " + (comfort.zone.energyKwh() - start) + " kWh");
  }

  // ---- demand-controlled ventilation ----

  @Test
  void dcvHoldsCo2BelowTheUpperThresholdWhenACrowdArrives() {
    var rig = new Rig(settings(PARAMS), PARAMS, 21, 16, 7);
    rig.run(3600);
    rig.people = 400; // 0.4 people/m²: a dense crowd
    double peak = maxOver(rig, 6 * 3600, rig.zone::co2);
    assertTrue(peak < 1000, "DCV: peak " + peak + " ppm");
    assertTrue(rig.loop.outdoorAirLps() > 0.3 * AREA, "outdoor air raised: " + rig.loop.outdoorAirLps());
    assertTrue(rig.zone.temperature() > 19.7 && rig.zone.temperature() < 24.3, "temperature still in the band: " + rig.zone.temperature());

    var s = settings(PARAMS).withOutdoorAir(0.3 * AREA, 0, 0.3 * AREA); // constant minimum ventilation
    var fixed = new Rig(s, PARAMS, 21, 16, 7);
    fixed.run(3600);
    fixed.people = 400;
    double fixedPeak = maxOver(fixed, 6 * 3600, fixed.zone::co2);
    assertTrue(fixedPeak > 1000, "constant minimum ventilation: " + fixedPeak + " ppm");
  }

  @Test
  void ventilationFallsToTheMinimumWhenTheCrowdLeaves() {
    var rig = new Rig(settings(PARAMS), PARAMS, 21, 16, 8);
    rig.people = 400;
    rig.run(3 * 3600);
    rig.people = 0;
    rig.run(4 * 3600);
    assertTrue(rig.zone.co2() < 800);
    assertEquals(0.3 * AREA, rig.loop.outdoorAirLps(), 1e-9, "open but empty: the occupied minimum");
    rig.open = false;
    rig.run(60);
    assertEquals(0, rig.loop.outdoorAirLps(), 1e-9, "closed and empty");
  }

  // ---- sensor faults ----

  @Test
  void aFailedTemperatureSensorSwitchesToTheFallbackAndRecovers() {
    var rig = new Rig(settings(PARAMS), PARAMS, 20, 0, 9);
    rig.people = 100;
    rig.run(4 * 3600);
    assertFalse(rig.loop.fault());
    rig.sensorFailed = true;
    rig.run(60);
    assertTrue(rig.loop.fault() && rig.loop.temperatureFault());
    assertEquals(20, rig.loop.heatingPct(), 1e-9, "winter fallback: minimum heating");
    assertEquals(0, rig.loop.coolingPct());
    rig.run(3 * 3600);
    assertEquals(20, rig.loop.heatingPct(), 1e-9);
    assertTrue(rig.zone.temperature() > 15, "the fallback keeps the zone from freezing: " + rig.zone.temperature());

    rig.sensorFailed = false;
    rig.run(60);
    assertFalse(rig.loop.fault(), "the fault clears when the sensor returns");
    double afterRecovery = rig.loop.heatingPct();
    assertEquals(20, afterRecovery, 1e-9, "bumpless: the first output after recovery continues from the fallback's");
    rig.run(8 * 3600);
    assertEquals(20, rig.zone.temperature(), 0.3, "back under control");
  }

  @Test
  void aFailedSensorInSummerFallsBackToCooling() {
    var rig = new Rig(settings(PARAMS), PARAMS, 24, 32, 10);
    rig.people = 300;
    rig.run(4 * 3600);
    rig.sensorFailed = true;
    rig.run(600);
    assertTrue(rig.loop.fault());
    assertEquals(20, rig.loop.coolingPct(), 1e-9);
    assertEquals(0, rig.loop.heatingPct());
  }
}
