package atrium.sim.thermal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ThermalZoneActuatedTest {
  private static final Weather WINTER = Weather.of(2, 70);
  private static final ZoneParams P = ZoneParams.forFloorArea(1000);

  private static ThermalZone zone() {
    return new ThermalZone("z", P, 20, 420, 50);
  }

  @Test
  void actuationSetsThePlantHeatFromTheCapacityAndBypassesTheSetpoints() {
    var z = zone();
    z.actuate(25, 0, 300);
    assertTrue(z.actuated());
    z.step(60, WINTER, 0);
    assertEquals(25, z.heatingOutput(), 1e-9);
    assertEquals(0.25 * P.heatingCapacity(), z.plantHeat(), 1e-9);
    double fan = P.fanPerArea() * P.floorArea();
    assertEquals((0.25 * P.heatingCapacity() / P.heatingEfficiency() + fan) / 1000, z.powerKw(), 1e-12);
    assertEquals(z.powerKw() * 60 / 3600, z.energyKwh(), 1e-12, "the meter integrates it");
    z.actuate(0, 100, 300);
    for (int i = 0; i < 60; i++) z.step(60, WINTER, 0);
    assertTrue(z.temperature() < 19.5, "full cooling in winter ignores the 20 °C heating setpoint: " + z.temperature());
    assertEquals(100, z.coolingOutput(), 1e-9);
  }

  @Test
  void theExactUpdateMatchesTheClosedFormUnderActuation() {
    var z = new ThermalZone("c1", ZoneParams.boptestCase1(), 20, 420, 50);
    z.actuate(50, 0, 0);
    z.step(3600, Weather.of(0, 50), 0);
    // T∞ = T_out + Q/UA = 0 + 5000/100 = 50 °C, τ = RC = 10⁴ s
    assertEquals(50 + (20 - 50) * Math.exp(-0.36), z.temperature(), 1e-9);
  }

  @Test
  void outdoorAirFollowsTheActuationAndSetsTheCo2Decay() {
    var crowded = zone();
    var ventilated = zone();
    for (var z : new ThermalZone[] {crowded, ventilated}) z.setOccupants(300);
    crowded.actuate(0, 0, 0);
    ventilated.actuate(0, 0, 3000);
    for (int i = 0; i < 120; i++) {
      crowded.step(60, WINTER, 0);
      ventilated.step(60, WINTER, 0);
    }
    assertTrue(ventilated.co2() < crowded.co2() - 300, ventilated.co2() + " vs " + crowded.co2());
  }

  @Test
  void bothHeatingAndCoolingAreMeteredWhenActuatedTogether() {
    var z = zone();
    z.actuate(10, 10, 0);
    z.step(60, WINTER, 0);
    assertEquals(10, z.heatingOutput(), 1e-9);
    assertEquals(10, z.coolingOutput(), 1e-9);
    assertEquals(0.1 * P.heatingCapacity() - 0.1 * P.coolingCapacity(), z.plantHeat(), 1e-9);
  }

  @Test
  void offSmokeControlAndAFailedPlantOverrideTheActuation() {
    var z = zone();
    z.actuate(100, 0, 1000);
    z.setMode(HvacMode.OFF);
    z.step(60, WINTER, 0);
    assertEquals(0, z.heatingOutput());
    assertEquals(0, z.powerKw());
    z.setMode(HvacMode.SMOKE_CONTROL);
    z.step(60, WINTER, 0);
    assertEquals(0, z.heatingOutput());
    z.setMode(HvacMode.COMFORT);
    z.setAvailable(false);
    z.step(60, WINTER, 0);
    assertEquals(0, z.heatingOutput());
    z.setAvailable(true);
    z.step(60, WINTER, 0);
    assertEquals(100, z.heatingOutput(), 1e-9);
  }

  @Test
  void releaseReturnsToTheInternalController() {
    var z = new ThermalZone("z", P, 15, 420, 50);
    z.actuate(0, 0, 300);
    z.step(60, WINTER, 0);
    assertEquals(0, z.heatingOutput());
    z.release();
    assertFalse(z.actuated());
    for (int i = 0; i < 6 * 60; i++) z.step(60, WINTER, 0);
    assertEquals(20, z.temperature(), 1e-6, "the ideal controller holds the heating setpoint again");
  }

  @Test
  void percentagesAreClampedAndNonsenseRejected() {
    var z = zone();
    z.actuate(150, -5, 0);
    z.step(60, WINTER, 0);
    assertEquals(100, z.heatingOutput(), 1e-9);
    assertEquals(0, z.coolingOutput(), 1e-9);
    assertThrows(IllegalArgumentException.class, () -> z.actuate(Double.NaN, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> z.actuate(0, 0, -1));
  }

  @Test
  void aCommandedLightingLevelScalesOnlyTheLightingGain() {
    var followsLoad = zone();
    var dimmed = zone();
    var dark = zone();
    dimmed.setLightingLevel(50);
    dark.setLightingLevel(0);
    for (var z : List.of(followsLoad, dimmed, dark)) {
      z.setMode(HvacMode.OFF);
      z.step(3600, WINTER, 0);
    }
    assertTrue(followsLoad.temperature() > dimmed.temperature() && dimmed.temperature() > dark.temperature(),
        followsLoad.temperature() + " > " + dimmed.temperature() + " > " + dark.temperature());
    // Half the lighting gain is half-way between full and none (the update is linear in the gains).
    assertEquals((followsLoad.temperature() + dark.temperature()) / 2, dimmed.temperature(), 1e-9);
    dimmed.setLightingLevel(Double.NaN);
    assertTrue(Double.isNaN(dimmed.lightingLevel()), "back to following the internal load fraction");
    assertThrows(IllegalArgumentException.class, () -> dark.setLightingLevel(101));
  }
}
