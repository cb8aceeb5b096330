package atrium.core.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.control.Pid.AntiWindup;
import org.junit.jupiter.api.Test;

class PidTest {
  private static final Pid.Settings HEAT = Pid.Settings.pi(50, 3600, 0, 100);

  /** A first-order plant y' = (K·u + d − y)/τ, stepped exactly. */
  private static double plant(double y, double u, double d, double k, double tau, double dt) {
    double yInf = k * u + d;
    return yInf + (y - yInf) * Math.exp(-dt / tau);
  }

  @Test
  void theOutputStaysWithinItsLimits() {
    var pid = new Pid(HEAT);
    assertEquals(100, pid.update(20, 10, 60), 1e-12, "10 K too cold: full output");
    assertTrue(pid.saturated());
    assertEquals(0, pid.update(20, 30, 60), 1e-12, "10 K too warm: none");
    for (int i = 0; i < 1000; i++) {
      double u = pid.update(20, 20 + 5 * Math.sin(i / 10.0), 60);
      assertTrue(u >= 0 && u <= 100, "out of limits: " + u);
    }
  }

  @Test
  void proportionalAndIntegralActionFollowTheGains() {
    var pid = new Pid(Pid.Settings.pi(10, 600, -1000, 1000));
    assertEquals(10, pid.update(21, 20, 60), 1e-12, "first step: Kp·e (the integral starts at 0)");
    pid.transfer(0, 21, 20);
    assertEquals(0, pid.update(21, 20, 60), 1e-12);
    assertEquals(10 * 60 / 600.0, pid.update(21, 20, 60), 1e-12, "one step of integral: Kp·e·dt/Ti");
  }

  @Test
  void anIntegralRemovesTheSteadyStateOffsetOnAFirstOrderPlant() {
    var pid = new Pid(HEAT);
    double y = 15;
    for (int i = 0; i < 24 * 60; i++) y = plant(y, pid.update(20, y, 60), 5, 0.2, 20_000, 60);
    assertEquals(20, y, 0.01);
    assertEquals((20 - 5) / 0.2, pid.output(), 0.5, "the integral holds the output that balances the load");
  }

  @Test
  void directActingOutputRisesWhenTheMeasurementIsAboveTheSetpoint() {
    var cool = new Pid(HEAT.withDirectActing(true));
    assertTrue(cool.update(24, 25, 60) > 0);
    cool.reset();
    assertEquals(0, cool.update(24, 23, 60), 1e-12);
  }

  /** Saturate for a long time, then reverse the error: how many steps until the output leaves the upper limit. */
  private static int stepsToDesaturate(AntiWindup scheme) {
    var pid = new Pid(HEAT.withAntiWindup(scheme));
    for (int i = 0; i < 600; i++) pid.update(20, 15, 60); // 10 h, 5 K below: saturated throughout
    int steps = 0;
    while (pid.update(20, 20.5, 60) >= 100 && steps < 10_000) steps++;
    return steps;
  }

  @Test
  void antiWindupLetsTheOutputLeaveSaturationAsSoonAsTheErrorReverses() {
    assertEquals(0, stepsToDesaturate(AntiWindup.CONDITIONAL), "clamping: the integral froze at its pre-saturation value");
    assertTrue(stepsToDesaturate(AntiWindup.BACK_CALCULATION) <= 1, "back-calculation tracked the limit");
    int none = stepsToDesaturate(AntiWindup.NONE);
    assertTrue(none > 100, "without anti-windup the wound-up integral holds the output at 100 % for " + none + " steps");
  }

  @Test
  void conditionalIntegrationFreezesTheIntegralWhileSaturated() {
    var pid = new Pid(HEAT);
    pid.update(20, 15, 60);
    double frozen = pid.integral();
    for (int i = 0; i < 100; i++) pid.update(20, 15, 60);
    assertEquals(frozen, pid.integral(), 1e-12);
    var wound = new Pid(HEAT.withAntiWindup(AntiWindup.NONE));
    for (int i = 0; i < 101; i++) wound.update(20, 15, 60);
    assertTrue(frozen < 5 && wound.integral() > 400, "plain integral winds up: " + wound.integral());
  }

  @Test
  void backCalculationKeepsTheUnclampedOutputNearTheLimit() {
    var pid = new Pid(HEAT.withAntiWindup(AntiWindup.BACK_CALCULATION));
    for (int i = 0; i < 600; i++) pid.update(20, 15, 60);
    double p = 50 * 5;
    // Equilibrium of dI = Kp/Ti·e·dt + (u − v)·dt/Tt: v − u = Kp·e·Tt/Ti, with Tt = Ti/10.
    assertEquals(100 + p * 0.1, p + pid.integral(), 1);
  }

  @Test
  void transferIsBumplessAtTheGivenSetpointAndMeasurement() {
    var pid = new Pid(HEAT);
    for (int i = 0; i < 50; i++) pid.update(20, 19.8, 60);
    pid.transfer(37, 17, 19.8); // mode change: comfort → economy while the plant runs at 37 %
    assertEquals(37, pid.update(17, 19.8, 60), 1e-9, "the output continues from 37 %");
    pid.transfer(250, 20, 10);
    assertEquals(100, pid.update(20, 10, 60), 1e-9, "a transfer beyond the limits is clamped");
  }

  @Test
  void setpointWeightZeroMakesSetpointChangesBumpless() {
    var kick = new Pid(HEAT);
    var smooth = new Pid(HEAT.withSetpointWeight(0));
    double y = 19.9;
    for (int i = 0; i < 30; i++) {
      kick.update(20, y, 60);
      smooth.update(20, y, 60);
    }
    smooth.transfer(kick.output(), 20, y);
    double before = kick.output();
    assertEquals(before, smooth.update(20, y, 60), 1e-9);
    kick.update(20, y, 60);
    before = kick.output();
    double smoothBefore = smooth.output();
    assertEquals(50 * 0.5, kick.update(20.5, y, 60) - before, 0.5, "b = 1: a Kp·Δr kick (plus one integral step)");
    assertEquals(0, smooth.update(20.5, y, 60) - smoothBefore, 0.5, "b = 0: only the integral step");
  }

  @Test
  void derivativeActsOnTheMeasurementNotTheSetpoint() {
    var pid = new Pid(Pid.Settings.pi(10, Double.POSITIVE_INFINITY, -100, 100).withDerivative(600));
    assertEquals(0, pid.update(20, 20, 60), 1e-12);
    assertEquals(50, pid.update(25, 20, 60), 1e-12, "a setpoint step: the proportional kick only, no derivative kick");
    double u = pid.update(25, 20.5, 60);
    // D = −Kp·Td·Δy / (Td/N + Δt) = −10·600·0.5 / (60 + 60) = −25 on top of P = 45.
    assertEquals(45 - 25, u, 1e-9, "a rising measurement pulls a heating output down");
  }

  @Test
  void simcTuning() {
    var s = Pid.Settings.simc(0.5, 100_000, 60, 1800, 0, 100);
    assertEquals(100_000 / (0.5 * 1860), s.kp(), 1e-9);
    assertEquals(4 * 1860, s.ti(), 1e-9);
    assertEquals(AntiWindup.CONDITIONAL, s.antiWindup());
    assertFalse(s.directActing());
  }

  @Test
  void badSettingsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Pid.Settings.pi(-1, 100, 0, 100));
    assertThrows(IllegalArgumentException.class, () -> Pid.Settings.pi(1, 0, 0, 100));
    assertThrows(IllegalArgumentException.class, () -> Pid.Settings.pi(1, 100, 100, 0));
  }

  @Test
  void nonFiniteInputsHoldTheLastOutput() {
    var pid = new Pid(HEAT);
    double u = pid.update(20, 19.5, 60);
    double i = pid.integral();
    assertEquals(u, pid.update(20, Double.NaN, 60));
    assertEquals(i, pid.integral());
  }
}
