package atrium.sim.thermal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.site.HvacZone;
import atrium.core.site.Site;
import atrium.core.testkit.TestTwins;
import org.junit.jupiter.api.Test;

class ThermalZoneTest {
  private static final Weather WINTER = Weather.of(2, 70), SUMMER = new Weather(34, 60, 0, Weather.OUTDOOR_CO2);

  private static ThermalZone zone(double t0) {
    return new ThermalZone("z", ZoneParams.forFloorArea(1000), t0, 420, 50);
  }

  private static void run(ThermalZone z, Weather w, double seconds, double solar) {
    for (double t = 0; t < seconds; t += 60) z.step(60, w, solar);
  }

  @Test
  void comfortModeHeatsToTheHeatingSetpointAndHoldsIt() {
    var z = zone(15);
    run(z, WINTER, 6 * 3600, 0); // 5 K of a heavy zone (165 kJ/(m²·K)) at 80 W/m² takes about 3 h
    assertEquals(20, z.temperature(), 1e-6);
    assertTrue(z.heatingOutput() > 0 && z.heatingOutput() < 100, "holding takes part of the capacity: " + z.heatingOutput());
    assertEquals(0, z.coolingOutput());
  }

  @Test
  void comfortModeCoolsToTheCoolingSetpointOnAHotBusyDay() {
    var z = zone(26);
    z.setOccupants(300);
    run(z, SUMMER, 2 * 3600, 800);
    assertEquals(24, z.temperature(), 1e-6);
    assertTrue(z.coolingOutput() > 0 && z.heatingOutput() == 0);
    assertTrue(z.supplyAirTemperature() < z.temperature(), "cool supply air: " + z.supplyAirTemperature());
  }

  @Test
  void theDeliveredHeatNeverExceedsTheCapacity() {
    var params = ZoneParams.forFloorArea(1000).withPlant(5_000, 5_000, 2.8, 3.2, 2);
    var z = new ThermalZone("small", params, 10, 420, 50);
    for (int i = 0; i < 600; i++) {
      z.step(60, Weather.of(-5, 50), 0);
      assertTrue(z.plantHeat() <= 5_000 + 1e-9 && z.heatingOutput() <= 100 + 1e-9);
    }
    assertEquals(100, z.heatingOutput(), 1e-9, "saturated: too small for the load");
    assertTrue(z.temperature() < 20);
  }

  @Test
  void economyWidensTheBandAndPreCoolLowersTheCoolingSetpoint() {
    var z = zone(15);
    z.setMode(HvacMode.ECONOMY);
    run(z, WINTER, 4 * 3600, 0);
    assertEquals(17, z.temperature(), 1e-6, "heating setpoint 20 − 3 K setback");
    var hot = zone(26);
    hot.setMode(HvacMode.PRE_COOL);
    run(hot, SUMMER, 4 * 3600, 500);
    assertEquals(22, hot.temperature(), 1e-6, "cooling setpoint 24 − 2 K");
  }

  @Test
  void offAndAFailedPlantFloatFreeWithoutEnergyOrOutdoorAir() {
    var off = zone(20);
    off.setMode(HvacMode.OFF);
    off.setOccupants(100);
    var failed = zone(20);
    failed.setAvailable(false);
    failed.setOccupants(100);
    double before = off.energyKwh();
    run(off, WINTER, 3600, 0);
    run(failed, WINTER, 3600, 0);
    assertEquals(before, off.energyKwh());
    assertEquals(0, failed.energyKwh());
    assertEquals(off.temperature(), failed.temperature(), 1e-12);
    assertTrue(off.co2() > 700, "only infiltration: CO2 climbs: " + off.co2());
  }

  @Test
  void smokeControlStopsHeatingAndPurgesWithOutdoorAir() {
    var normal = zone(20);
    var smoke = zone(20);
    for (ThermalZone z : new ThermalZone[] {normal, smoke}) {
      z.setOccupants(300);
      run(z, WINTER, 3 * 3600, 0);
    }
    smoke.setMode(HvacMode.SMOKE_CONTROL);
    run(normal, WINTER, 1800, 0);
    run(smoke, WINTER, 1800, 0);
    assertEquals(0, smoke.heatingOutput());
    assertTrue(smoke.co2() < normal.co2() - 100, "purged: " + smoke.co2() + " vs " + normal.co2());
    assertTrue(smoke.temperature() < normal.temperature() - 1, "cold outdoor air, no heating");
  }

  @Test
  void peopleRaiseHumidityAndCoolingDriesTheOutdoorAir() {
    var empty = zone(24);
    var busy = zone(24);
    busy.setOccupants(500);
    run(empty, Weather.of(24, 50), 6 * 3600, 0);
    run(busy, Weather.of(24, 50), 6 * 3600, 0);
    assertTrue(busy.relativeHumidity() > empty.relativeHumidity() + 1, busy.relativeHumidity() + " vs " + empty.relativeHumidity());
    var cooled = zone(26);
    run(cooled, new Weather(32, 80, 0, 420), 6 * 3600, 600);
    assertTrue(cooled.coolingOutput() > 0);
    assertTrue(cooled.relativeHumidity() < 80 && cooled.relativeHumidity() > 30, "dried at the coil: " + cooled.relativeHumidity());
  }

  @Test
  void modesAreNamedAsTheTwinsCommandsNameThem() {
    for (HvacMode m : HvacMode.values()) assertEquals(m, HvacMode.fromWire(m.wireName()));
    assertEquals(HvacMode.PRE_COOL, HvacMode.fromWire("pre-cool"));
    assertThrows(IllegalArgumentException.class, () -> HvacMode.fromWire("turbo"));
    assertThrows(IllegalArgumentException.class, () -> zone(20).setSetpoints(24, 22));
  }

  @Test
  void theSunRisesAndSetsAndCloudsDimIt() {
    Sun sun = new Sun(6, 18, 800);
    assertEquals(0, sun.irradiance(5, 0));
    assertEquals(800, sun.irradiance(12, 0), 1e-9);
    assertEquals(800 * 0.25, sun.irradiance(12, 1), 1e-9, "overcast: 1 − 0.75");
    assertEquals(0, sun.irradiance(19, 0));
  }

  @Test
  void theDemoMallsPlantSharesPeopleByFloorAreaAndFailsAsAWhole() {
    Site site = TestTwins.demoSites().site("demo-mall").orElseThrow();
    Plant plant = Plant.forSite(site, Sun.SHANGHAI_WINTER);
    assertEquals(site.devices().hvacZones().size(), plant.zones().size());
    HvacZone ahu16 = site.hvacZone("AHU-L1-16").orElseThrow();
    String served = ahu16.serves().get(0);
    double total = 0, servingArea = 0;
    for (HvacZone hz : site.devices().hvacZones()) if (hz.serves().contains(served)) servingArea += hz.floorArea();
    plant.setSiteZoneOccupancy(served, 1000);
    plant.setSiteZoneOccupancy(served, 800); // a later count replaces the earlier one
    for (ThermalZone z : plant.zones()) total += z.occupants();
    assertEquals(800, total, 1e-9, "people are shared, not multiplied");
    assertEquals(800 * ahu16.floorArea() / servingArea, plant.zone("AHU-L1-16").occupants(), 1e-9);

    plant.setMode("AHU-L1-16", HvacMode.fromWire("comfort"));
    plant.setSetpoints("AHU-L1-16", 21, 24);
    for (int i = 0; i < 60; i++) plant.step(60, WINTER, 8 + i / 60.0);
    assertTrue(plant.totalPowerKw() > 0);
    assertEquals(21, plant.zone("AHU-L1-16").temperature(), 1e-6);
    plant.setSiteZoneOccupancy(served, 0); // closing time: nobody left to keep it warm
    plant.setAvailable(false);
    for (int i = 0; i < 60; i++) plant.step(60, WINTER, 9 + i / 60.0);
    assertEquals(0, plant.totalPowerKw());
    assertTrue(plant.zone("AHU-L1-16").temperature() < 21);
  }
}
