package atrium.sim.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.sim.thermal.HvacMode;
import atrium.sim.thermal.ThermalZone;
import atrium.sim.thermal.Weather;
import atrium.sim.thermal.ZoneParams;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The typical BMS: a fixed schedule with a fixed pre-start, fixed setpoints, constant ventilation. */
class BaselineControllerTest {
  private static final Weather MILD = new Weather(16, 60, 0.3, Weather.OUTDOOR_CO2);

  private static ThermalZone zone() {
    return new ThermalZone("z", ZoneParams.forFloorArea(1000), 22, 420, 50);
  }

  private static void control(BaselineController c, PlantView v, double hour) {
    c.control(new PlantController.Step(Instant.EPOCH, hour, 60, MILD), v);
  }

  @Test
  void comfortFromThePreStartToClosingAndOffOtherwise() {
    ThermalZone z = zone();
    z.setSetpoints(18, 28);
    PlantView v = new PlantView(List.of(z));
    BaselineController c = new BaselineController();
    double[][] expected = {{3, 0}, {8.99, 0}, {9.0, 1}, {9.5, 1}, {15, 1}, {21.99, 1}, {22, 0}, {23.5, 0}};
    for (double[] e : expected) {
      control(c, v, e[0]);
      assertEquals(e[1] == 1 ? HvacMode.COMFORT : HvacMode.OFF, z.mode(), "at " + e[0] + " h");
      assertEquals(20, z.heatingSetpoint());
      assertEquals(24, z.coolingSetpoint());
    }
    BaselineController eco = new BaselineController(new BaselineController.Settings(10, 22, 1, 20, 24, HvacMode.ECONOMY, 0.4));
    control(eco, v, 3);
    assertEquals(HvacMode.ECONOMY, z.mode());
    assertThrows(IllegalArgumentException.class, () -> new BaselineController.Settings(10, 22, 1, 20, 24, HvacMode.PRE_COOL, 0.4));
  }

  @Test
  void ventilationIsConstantAtTheDesignOccupancy() {
    ThermalZone z = zone();
    PlantView v = new PlantView(List.of(z));
    control(new BaselineController(), v, 15);
    // 1,000 m² × (0.4 people/m² × 3.8 L/s + 0.3 L/(s·m²)) = 1,820 L/s
    assertEquals(1820, z.fixedOutdoorAir(), 1e-9);
  }

  @Test
  void constantVentilationSetsTheZonesCo2WhoeverIsIn() {
    ThermalZone fixed = zone(), demand = zone();
    fixed.setOutdoorAir(1820);
    for (ThermalZone z : List.of(fixed, demand)) {
      z.setOccupants(100);
      for (int m = 0; m < 24 * 60; m++) z.step(60, MILD, 0);
    }
    // Steady state C = 420 + 10⁶·N·g / (V̇_oa + V̇_inf): N·g = 100 × 5.2·10⁻⁶ m³/s; infiltration
    // 0.2/h × 4,500 m³ = 0.25 m³/s.
    assertEquals(420 + 1e6 * 100 * 5.2e-6 / (1.82 + 0.25), fixed.co2(), 0.01);
    // The plant's default follows the people in: 100 × 3.8 + 1,000 × 0.3 = 680 L/s.
    assertEquals(420 + 1e6 * 100 * 5.2e-6 / (0.68 + 0.25), demand.co2(), 0.01);
    // Off: no fans, infiltration only, whatever the fixed flow.
    fixed.setMode(HvacMode.OFF);
    for (int m = 0; m < 3 * 24 * 60; m++) fixed.step(60, MILD, 0);
    assertEquals(420 + 1e6 * 100 * 5.2e-6 / 0.25, fixed.co2(), 0.01);
    fixed.setOutdoorAir(Double.NaN);
    assertTrue(Double.isNaN(fixed.fixedOutdoorAir()));
    assertThrows(IllegalArgumentException.class, () -> fixed.setOutdoorAir(-1));
  }

  @Test
  void theScheduleShowsInThePower() {
    ThermalZone z = zone();
    PlantView v = new PlantView(List.of(z));
    BaselineController c = new BaselineController();
    control(c, v, 3);
    z.step(60, MILD, 0);
    assertEquals(0, z.powerKw(), "off at 03:00: no fans, no heat");
    control(c, v, 15);
    z.step(60, MILD, 0);
    assertTrue(z.powerKw() >= 2.0 - 1e-9, "at 15:00 at least the fans run (2 W/m² × 1,000 m²): " + z.powerKw());
    assertEquals(z.powerKw(), v.totalPowerKw(), 1e-12);
  }
}
