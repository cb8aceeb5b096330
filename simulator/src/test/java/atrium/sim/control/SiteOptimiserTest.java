package atrium.sim.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.sim.thermal.ThermalZone;
import atrium.sim.thermal.Weather;
import atrium.sim.thermal.ZoneParams;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The site optimiser's demand limit on a hot afternoon: four pre-cooled 1,000 m² zones (21 °C at
 * 14:00, 38 °C outside, strong sun, 0.2 people/m²) run through the tariff peak by Atrium's controller
 * twice — once with the limit at a share of the design load, once with the limit at the whole design
 * load (the zone loops alone, never limited). The 15-minute mean of the site's power is what the peak
 * KPI measures.
 */
class SiteOptimiserTest {
  static final double DT = 60;
  static final Instant T0 = Instant.parse("2026-07-22T06:00:00Z");

  record Run(double peak15Kw, double maxTemperature, double limitKw) {}

  static Run afternoon(double limitFraction) {
    List<ThermalZone> zones = new ArrayList<>();
    List<ZoneParams> params = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ThermalZone z = new ThermalZone("z" + i, ZoneParams.forFloorArea(1000), 21, 600, 50);
      z.setOccupants(200);
      zones.add(z);
      params.add(z.params());
    }
    PlantView plant = new PlantView(zones);
    SiteOptimiser.Settings d = SiteOptimiser.Settings.DEFAULTS;
    SiteOptimiser.Settings s = d.withDemandLimitFraction(limitFraction);
    AtriumZoneController atrium = new AtriumZoneController(BaselineController.Settings.DEFAULTS, s);
    Weather hot = Weather.of(38, 45);
    double[] window = new double[15];
    double peak = 0, maxT = 0;
    for (int k = 0; k < 3 * 60; k++) {
      double hour = 14 + k * DT / 3600;
      atrium.control(new PlantController.Step(T0.plusSeconds((long) (k * DT)), hour, DT, hot), plant);
      for (ThermalZone z : zones) z.step(DT, hot, 700);
      window[k % 15] = plant.totalPowerKw();
      if (k >= 14) {
        double sum = 0;
        for (double w : window) sum += w;
        peak = Math.max(peak, sum / 15);
      }
      for (ThermalZone z : zones) maxT = Math.max(maxT, z.temperature());
    }
    return new Run(peak, maxT, atrium.optimiser().limitKw(params));
  }

  @Test
  void demandLimitKeepsTheSitesPeakUnderItsLimitWhereTheLoopsAloneExceedIt() {
    Run limited = afternoon(0.55);
    Run alone = afternoon(1.0);
    assertEquals(0.55 * SiteOptimiser.designLoadKw(List.of(ZoneParams.forFloorArea(1000))) * 4, limited.limitKw(), 1e-6);
    assertTrue(alone.peak15Kw() > limited.limitKw(), "the loops alone exceed the limit: " + alone.peak15Kw() + " kW vs " + limited.limitKw());
    assertTrue(limited.peak15Kw() <= limited.limitKw() + 1e-6, "the site's 15-min peak stays under the limit: " + limited.peak15Kw() + " kW vs " + limited.limitKw());
    // The relief comes from pre-cooled zones' headroom: none leaves the 20-24 °C band.
    assertTrue(limited.maxTemperature() <= 24, "within the band: max " + limited.maxTemperature());
  }

  @Test
  void demandLimitCutsCoolingFromZonesWithHeadroomAndSparesZonesAtTheBandEdge() {
    ZoneParams p = ZoneParams.forFloorArea(1000);
    SiteOptimiser.Command cool = new SiteOptimiser.Command(p, 21.5, 24, 0, 80, 300);
    SiteOptimiser.Command edge = new SiteOptimiser.Command(p, 23.95, 24, 0, 80, 300);
    double before = cool.powerKw() + edge.powerKw();
    double limit = before - 20;
    double after = SiteOptimiser.limit(List.of(cool, edge), limit);
    assertEquals(limit, after, 1e-6);
    assertEquals(limit, cool.powerKw() + edge.powerKw(), 1e-6);
    assertEquals(80, edge.coolingPct(), 1e-12, "the zone at the band's edge keeps its cooling");
    assertTrue(cool.coolingPct() < 80, "the pre-cooled zone gives the relief");
  }

  @Test
  void hotOutdoorAirIsHeldAtTheMinimumWhileCo2IsLowAndNeverAboveTheLoopsAsk() {
    SiteOptimiser o = new SiteOptimiser(SiteOptimiser.Settings.DEFAULTS, BaselineController.Settings.DEFAULTS);
    assertEquals(300, o.outdoorAir(5000, 38, 24, 700, 800, 1000, 300, 1000), 1e-9, "CO2 low: the minimum");
    assertEquals(o.settings().outdoorAirCapPerArea() * 1000, o.outdoorAir(5000, 38, 24, 1000, 800, 1000, 300, 1000), 1e-9, "CO2 at the top: the cap");
    assertEquals(400, o.outdoorAir(400, 38, 24, 1000, 800, 1000, 300, 1000), 1e-9, "never more than the loop asked");
    assertEquals(5000, o.outdoorAir(5000, 15, 24, 1000, 800, 1000, 300, 1000), 1e-9, "cool outdoor air is not capped");
  }

  @Test
  void coolingIsLoweredBeforeThePeakOnHotDaysOnlyAndTheLimitHoldsFromTheEarliestStart() {
    SiteOptimiser o = new SiteOptimiser(SiteOptimiser.Settings.DEFAULTS, BaselineController.Settings.DEFAULTS);
    assertEquals(6, o.earliestStartHour(), 1e-12, "4 h before the 10:00 opening");
    assertEquals(24, o.coolingSetpoint(13, 20), 1e-12, "mild day: no pre-cooling");
    assertEquals(21, o.coolingSetpoint(13, 35), 1e-12, "hot day: pre-cooled to the lower part of the band, 1 K above the heating setpoint");
    assertEquals(24, o.coolingSetpoint(15, 35), 1e-12, "during the peak the schedule's setpoint again");
    assertTrue(o.limiting(15, 35) && o.limiting(6.5, 35) && !o.limiting(15, 20) && !o.limiting(5.5, 35) && !o.limiting(22.5, 35));
  }

  @Test
  void inTheCoolingSeasonPreCoolingStaysInsideTheSeasonsBandAndTheLimitMayUseItsUpperPart() {
    SiteOptimiser o = new SiteOptimiser(SiteOptimiser.Settings.DEFAULTS, BaselineController.Settings.COOLING_SEASON, 24, 28);
    assertEquals(26, o.coolingSetpoint(9, 35), 1e-12, "the baseline's summer setpoint before pre-cooling");
    assertEquals(24.5, o.coolingSetpoint(13, 35), 1e-12, "pre-cooled to 24.5 °C, not below the band's 24 °C");
    ZoneParams p = ZoneParams.forFloorArea(1000);
    SiteOptimiser.Command warm = new SiteOptimiser.Command(p, 26.5, o.bandUpper(), 0, 80, 300);
    SiteOptimiser.Command edge = new SiteOptimiser.Command(p, 27.9, o.bandUpper(), 0, 80, 300);
    SiteOptimiser.limit(List.of(warm, edge), warm.powerKw() + edge.powerKw() - 10);
    assertTrue(warm.coolingPct() < 80, "a zone at 26.5 °C has headroom under 28 °C and gives relief");
    assertEquals(80, edge.coolingPct(), 1e-12, "a zone within the margin of 28 °C keeps its cooling");
  }

  @Test
  void aZoneAlreadyInTheBandStartsLaterThanOneFarFromIt() {
    SiteOptimiser o = new SiteOptimiser(SiteOptimiser.Settings.DEFAULTS, BaselineController.Settings.DEFAULTS);
    ZoneParams p = ZoneParams.forFloorArea(1000);
    // 80 W/m² of heating on 165 kJ/(K·m²): 1.75 K/h at full output, 0.87 K/h counted.
    assertTrue(o.startNow(9.0, 18, p), "2.5 K below the band's lower part needs the whole pre-start and more");
    assertTrue(!o.startNow(9.0, 21, p) && !o.startNow(9.9, 21, p), "a zone in the band waits");
    assertTrue(!o.startNow(9.3, 20, p) && o.startNow(9.5, 20, p) && o.startNow(9.3, 19.5, p), "0.5 K short of 20.5 °C needs about 0.57 h, 1 K about 1.14 h");
    assertTrue(o.startNow(10, 21, p), "at opening every zone starts");
    assertTrue(!o.startNow(5.9, 10, p) && o.startNow(6, 10, p), "no zone starts before the earliest start, however cold");
  }
}
