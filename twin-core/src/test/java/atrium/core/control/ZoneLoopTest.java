package atrium.core.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.control.ZoneLoop.Mode;
import org.junit.jupiter.api.Test;

class ZoneLoopTest {
  private static final double NO_RH = Double.NaN;

  private static ZoneLoop loop() {
    return new ZoneLoop(ZoneLoop.Settings.defaults(1000, 0.5, 0.9, 100_000));
  }

  @Test
  void theDeadBandMustBeAtLeastOneKelvin() {
    var loop = loop();
    assertThrows(IllegalArgumentException.class, () -> loop.setComfortSetpoints(22, 22.5));
    loop.setComfortSetpoints(21, 22);
    loop.update(60, 21.5, 600, NO_RH, 10, true, Mode.AUTO);
    assertEquals(0, loop.heatingPct());
    assertEquals(0, loop.coolingPct());
  }

  @Test
  void heatingBelowTheBandCoolingAboveNeverBoth() {
    var loop = loop();
    loop.update(60, 18, 600, NO_RH, 10, true, Mode.AUTO);
    assertTrue(loop.heatingPct() > 0);
    assertEquals(0, loop.coolingPct());
    for (double t = 10; t <= 35; t += 0.25) {
      loop.update(60, t, 600, NO_RH, 10, true, Mode.AUTO);
      assertFalse(loop.heatingPct() > 0 && loop.coolingPct() > 0, "both at " + t);
    }
    assertTrue(loop.coolingPct() > 0, "35 °C: cooling");
  }

  @Test
  void setBackAfterTheHoldTimeForcedModesAndOff() {
    var loop = loop();
    loop.update(60, 20, 600, NO_RH, 5, true, Mode.AUTO);
    for (int i = 0; i < 29; i++) loop.update(60, 20, 600, NO_RH, 0, true, Mode.AUTO);
    assertFalse(loop.setback(), "29 min empty");
    loop.update(60, 20, 600, NO_RH, 0, true, Mode.AUTO);
    assertTrue(loop.setback(), "30 min empty");
    assertEquals(17, loop.activeHeatingSetpoint());
    loop.update(60, 20, 600, NO_RH, 0, true, Mode.COMFORT);
    assertFalse(loop.setback(), "forced comfort");
    loop.update(60, 20, 600, NO_RH, 40, true, Mode.ECONOMY);
    assertTrue(loop.setback(), "forced economy even when occupied");
    loop.update(60, 15, 1200, NO_RH, 40, true, Mode.OFF);
    assertEquals(0, loop.heatingPct() + loop.coolingPct() + loop.outdoorAirLps(), "off: nothing runs");
  }

  @Test
  void outdoorAirRampsLinearlyBetweenTheCo2Thresholds() {
    var loop = loop(); // 300 L/s occupied minimum, 5000 L/s maximum
    loop.update(60, 22, 700, NO_RH, 10, true, Mode.AUTO);
    assertEquals(300, loop.outdoorAirLps(), 1e-9);
    loop.update(60, 22, 900, NO_RH, 10, true, Mode.AUTO);
    assertEquals(300 + 0.5 * 4700, loop.outdoorAirLps(), 1e-9);
    loop.update(60, 22, 1200, NO_RH, 10, true, Mode.AUTO);
    assertEquals(5000, loop.outdoorAirLps(), 1e-9);
    assertEquals(1, loop.outdoorAirFraction(), 1e-12);
    loop.update(60, 22, 500, NO_RH, 0, false, Mode.AUTO);
    assertEquals(0, loop.outdoorAirLps(), 1e-9, "closed and nobody seen");
  }

  @Test
  void aFailedCo2SensorVentilatesAtTheFallbackRate() {
    var loop = loop();
    loop.update(60, 22, Double.NaN, NO_RH, 10, true, Mode.AUTO);
    assertTrue(loop.fault() && loop.co2Fault() && !loop.temperatureFault());
    assertEquals(1500, loop.outdoorAirLps(), 1e-9);
    loop.update(60, 22, 600, NO_RH, 10, true, Mode.AUTO);
    assertFalse(loop.fault());
  }

  @Test
  void anImplausibleTemperatureIsAFault() {
    var loop = loop();
    loop.update(60, 18, 600, NO_RH, 10, true, Mode.AUTO);
    loop.update(60, -40, 600, NO_RH, 10, true, Mode.AUTO);
    assertTrue(loop.temperatureFault());
    assertEquals(20, loop.heatingPct(), 1e-9, "last demand was heating: the heating fallback");
  }

  @Test
  void aFaultBeforeAnyDemandHoldsNeitherHeatingNorCooling() {
    var loop = loop();
    loop.update(60, Double.NaN, 600, NO_RH, 10, true, Mode.AUTO);
    assertTrue(loop.fault());
    assertEquals(0, loop.heatingPct());
    assertEquals(0, loop.coolingPct());
    assertEquals(300, loop.outdoorAirLps(), 1e-9, "ventilation still follows CO2");
    loop.update(60, 30, 600, NO_RH, 10, true, Mode.AUTO);
    assertEquals(0, loop.coolingPct(), 1e-9, "recovery is bumpless: it starts from the fallback's 0 %");
    loop.update(60, 30, 600, NO_RH, 10, true, Mode.AUTO);
    assertTrue(loop.coolingPct() > 0, "then the integral of the 6 K error takes over");
    loop.update(60, Double.NaN, 600, NO_RH, 10, true, Mode.AUTO);
    assertEquals(20, loop.coolingPct(), 1e-9, "last demand was cooling: the cooling fallback");
  }

  @Test
  void tooHumidForcesACoolingFloorAboveTheHeatingSetpoint() {
    var loop = loop();
    loop.update(60, 22, 600, 70, 10, true, Mode.AUTO);
    assertTrue(loop.humidityHigh());
    assertEquals(30, loop.coolingPct(), 1e-9);
    loop.update(60, 22, 600, 55, 10, true, Mode.AUTO);
    assertFalse(loop.humidityHigh());
  }

  @Test
  void aModeChangeIsBumpless() {
    var loop = loop();
    for (int i = 0; i < 20; i++) loop.update(60, 19.5, 600, NO_RH, 10, true, Mode.AUTO);
    double before = loop.heatingPct();
    assertTrue(before > 0);
    loop.update(60, 19.5, 600, NO_RH, 10, true, Mode.ECONOMY); // heating setpoint 20 → 17
    assertEquals(before, loop.heatingPct(), 1e-9, "the output continues; the loop then winds it down");
    loop.update(60, 19.5, 600, NO_RH, 10, true, Mode.ECONOMY);
    assertTrue(loop.heatingPct() < before);
  }

  @Test
  void resumingFromTheOutputsTheZoneHasIsBumpless() {
    var loop = loop();
    loop.resume(42, 0);
    loop.update(60, 19, 600, NO_RH, 10, true, Mode.AUTO);
    assertEquals(42, loop.heatingPct(), 1.0, "continues from 42 %, moving only at the integral's rate");
    assertEquals(0, loop.coolingPct());

    var fresh = loop();
    fresh.update(60, 19, 600, NO_RH, 10, true, Mode.AUTO);
    assertTrue(Math.abs(fresh.heatingPct() - 42) > 5, "without resume the loop starts from its own integral");
  }

  @Test
  void resumingAtZeroInsideTheDeadBandDoesNotStartTheLoopOnASmallDrift() {
    var loop = loop();
    loop.resume(0, 0);
    loop.update(60, 22, 600, NO_RH, 10, true, Mode.AUTO);
    loop.update(60, 22.3, 600, NO_RH, 10, true, Mode.AUTO);
    assertEquals(0, loop.coolingPct(), "22.3 °C is well below the 24 °C cooling setpoint");
    assertEquals(0, loop.heatingPct());
  }

  @Test
  void aFallbackRightAfterResumingTakesItsSeasonFromTheResumedOutputs() {
    var loop = loop();
    loop.resume(0, 35);
    loop.update(60, Double.NaN, 600, NO_RH, 10, true, Mode.AUTO);
    assertTrue(loop.temperatureFault());
    assertEquals(20, loop.coolingPct(), "summer: the cooling fallback");
    assertEquals(0, loop.heatingPct());
  }

  @Test
  void resumingWithTheLoopsOwnOutputsOnAModeChangeLeavesAnIdleLoopIdle() {
    var loop = loop();
    loop.update(60, 22, 600, NO_RH, 10, true, Mode.AUTO);
    loop.resume(loop.heatingPct(), loop.coolingPct());
    loop.update(60, 22, 600, NO_RH, 10, true, Mode.ECONOMY); // heating 17 °C, cooling 27 °C
    loop.update(60, 21.8, 600, NO_RH, 10, true, Mode.ECONOMY);
    assertEquals(0, loop.heatingPct(), "21.8 °C is far above the 17 °C economy heating setpoint");
  }

  @Test
  void resumingAtZeroBeyondTheSetpointIsStillBumpless() {
    var loop = loop();
    loop.resume(0, 0);
    loop.update(60, 30, 600, NO_RH, 10, true, Mode.AUTO);
    assertEquals(0, loop.coolingPct(), 1e-9, "30 °C: from the 0 % it had");
    loop.update(60, 30, 600, NO_RH, 10, true, Mode.AUTO);
    assertTrue(loop.coolingPct() > 0, "then the integral of the 6 K error takes over");
  }
}
