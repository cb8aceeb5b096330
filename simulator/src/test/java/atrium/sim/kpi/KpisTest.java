package atrium.sim.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** BOPTEST's KPIs against figures worked out by hand. */
class KpisTest {
  private static final double EPS = 1e-9;
  /** A flat tariff and carbon, a 20–24 °C band all day, 1,000 ppm. */
  private static final KpiSettings FLAT = new KpiSettings(new ComfortBand(0, 24, 20, 24, 15, 30), 1000,
      TimeOfDayProfile.constant(1), TimeOfDayProfile.constant(1));

  private static Kpis one(KpiSettings s, double startHour, double area) {
    return new Kpis(List.of("z"), new double[] {area}, s, startHour);
  }

  /** {@code minutes} one-minute steps of one zone at a constant state. */
  private static void minutes(Kpis k, int minutes, double temperature, double co2, double kw) {
    for (int m = 0; m < minutes; m++) {
      k.zone(0, temperature, 20, 24, co2, kw);
      k.endStep(60, 0);
    }
  }

  @Test
  void aZoneOneKelvinBelowItsBandForTwoHoursScoresTwoKelvinHours() {
    Kpis k = one(FLAT, 0, 100);
    minutes(k, 120, 19, 420, 0);
    minutes(k, 60, 22, 420, 0); // inside the band: nothing more
    assertEquals(2.0, k.report().tdis().perZone(), EPS);
    assertEquals(2.0, k.report().tdis().byZone().get("z"), EPS);
    assertEquals(3.0, k.report().hours(), EPS);
  }

  @Test
  void aboveTheBandCountsTooAndTheBuildingFigureIsTheMeanOverZones() {
    Kpis k = new Kpis(List.of("a", "b"), new double[] {100, 300}, FLAT, 0);
    for (int m = 0; m < 120; m++) {
      k.zone(0, 19, 20, 24, 420, 0); // 1 K below for 2 h: 2 K·h
      k.zone(1, 24.5, 20, 24, 420, 0); // 0.5 K above for 2 h: 1 K·h
      k.endStep(60, 0);
    }
    KpiReport r = k.report();
    assertEquals(2.0, r.tdis().byZone().get("a"), EPS);
    assertEquals(1.0, r.tdis().byZone().get("b"), EPS);
    assertEquals(1.5, r.tdis().perZone(), EPS, "(2 + 1) / 2 zones");
    assertEquals(400, r.floorArea(), EPS);
  }

  @Test
  void theBandIsTheOneReportedEachStep() {
    Kpis k = one(FLAT, 0, 100);
    for (int m = 0; m < 60; m++) {
      k.zone(0, 17, 15, 30, 420, 0); // inside a night band of 15–30 °C: no discomfort
      k.endStep(60, 0);
    }
    for (int m = 0; m < 30; m++) {
      k.zone(0, 17, 20, 24, 420, 0); // 3 K below a day band for 0.5 h
      k.endStep(60, 0);
    }
    assertEquals(1.5, k.report().tdis().perZone(), EPS);
  }

  @Test
  void theConfiguredComfortBandFollowsTheOccupiedHours() {
    ComfortBand b = ComfortBand.MALL;
    assertEquals(15, b.lowerAt(3), EPS);
    assertEquals(30, b.upperAt(9.99), EPS);
    assertEquals(20, b.lowerAt(10), EPS);
    assertEquals(24, b.upperAt(21.99), EPS);
    assertEquals(15, b.lowerAt(22), EPS);
    assertEquals(20, b.lowerAt(24 + 12), EPS, "hours wrap at midnight");
    Kpis k = new Kpis(List.of("z"), new double[] {1}, KpiSettings.DEFAULTS, 9.5);
    assertEquals(15, k.lowerNow(), EPS);
    minutes(k, 30, 22, 420, 0);
    assertEquals(20, k.lowerNow(), EPS, "10:00 after half an hour from 09:30");
  }

  @Test
  void co2OneHundredPpmOverTheThresholdForHalfAnHourScoresFiftyPpmHours() {
    Kpis k = one(FLAT, 0, 100);
    minutes(k, 30, 22, 1100, 0);
    minutes(k, 30, 22, 900, 0); // below: nothing
    assertEquals(50.0, k.report().idis().perZone(), EPS);
    Kpis two = new Kpis(List.of("a", "b"), new double[] {1, 1}, FLAT, 0);
    for (int m = 0; m < 30; m++) {
      two.zone(0, 22, 20, 24, 1100, 0);
      two.zone(1, 22, 20, 24, 420, 0);
      two.endStep(60, 0);
    }
    assertEquals(25.0, two.report().idis().perZone(), EPS, "50 ppm·h in one zone of two");
  }

  @Test
  void aConstantTenKilowattsForAnHourIsTenKilowattHours() {
    Kpis k = one(FLAT, 0, 500);
    minutes(k, 60, 22, 420, 10);
    KpiReport r = k.report();
    assertEquals(10.0, r.ener().total(), EPS);
    assertEquals(0.02, r.ener().perM2(), EPS, "10 kWh / 500 m²");
    assertEquals(10.0, r.pele().total(), EPS);
    assertEquals(0.02, r.pele().perM2(), EPS);
    Kpis sum = new Kpis(List.of("a", "b"), new double[] {250, 250}, FLAT, 0);
    for (int m = 0; m < 60; m++) {
      sum.zone(0, 22, 20, 24, 420, 4);
      sum.zone(1, 22, 20, 24, 420, 6);
      sum.endStep(60, 0);
    }
    assertEquals(10.0, sum.report().ener().total(), EPS, "energy is summed over zones, not averaged");
  }

  @Test
  void aQuarterHourAtFortyKilowattsInAnOtherwiseTenKilowattHourPeaksAtForty() {
    Kpis k = one(FLAT, 0, 100);
    minutes(k, 15, 22, 420, 10);
    minutes(k, 15, 22, 420, 40);
    minutes(k, 30, 22, 420, 10);
    KpiReport r = k.report();
    assertEquals(40.0, r.pele().total(), EPS);
    assertEquals(0.25, r.peleAtHours(), EPS, "the window from 00:15");
    assertEquals(17.5, r.ener().total(), EPS, "10·0.75 + 40·0.25");
  }

  @Test
  void aFiveMinuteSpikeIsAveragedOverItsQuarterHour() {
    Kpis k = one(FLAT, 0, 100);
    minutes(k, 5, 22, 420, 100);
    minutes(k, 10, 22, 420, 10);
    assertEquals((5 * 100 + 10 * 10) / 15.0, k.report().pele().total(), EPS);
    assertEquals(40.0, k.report().pele().total(), EPS);
  }

  @Test
  void theWindowsAreTheClocksQuarterHours() {
    // 40 kW from 00:10 to 00:25 straddles two windows: 00:00–00:15 holds 5 min of it, 00:15–00:30 ten.
    Kpis k = one(FLAT, 0, 100);
    minutes(k, 10, 22, 420, 10);
    minutes(k, 15, 22, 420, 40);
    minutes(k, 35, 22, 420, 10);
    assertEquals((5 * 10 + 10 * 40) / 15.0, k.report().pele().total(), EPS);
    // A run starting at 08:07 is aligned to 08:15 too, and a step crossing a boundary is split.
    Kpis late = one(FLAT, 8 + 7 / 60.0, 100);
    late.zone(0, 22, 20, 24, 420, 30);
    late.endStep(16 * 60, 0); // 08:07–08:23 at 30 kW
    minutes(late, 7, 22, 420, 0); // 08:23–08:30 at 0
    assertEquals(30.0, late.report().pele().total(), EPS, "08:07–08:15 is covered in part and averages 30");
  }

  @Test
  void costAndEmissionsUnderATwoPeriodTariff() {
    TimeOfDayProfile price = new TimeOfDayProfile(List.of(new TimeOfDayProfile.Period(14, 17, 1.2)), 0.5);
    TimeOfDayProfile carbon = new TimeOfDayProfile(List.of(new TimeOfDayProfile.Period(14, 17, 0.4)), 0.8);
    KpiSettings s = new KpiSettings(ComfortBand.MALL, 1000, price, carbon);
    Kpis k = one(s, 13, 200);
    minutes(k, 120, 22, 420, 10); // 13:00–15:00 at 10 kW
    KpiReport r = k.report();
    assertEquals(10 * 0.5 + 10 * 1.2, r.cost().total(), EPS);
    assertEquals(17.0 / 200, r.cost().perM2(), EPS);
    assertEquals(10 * 0.8 + 10 * 0.4, r.emis().total(), EPS);
    assertEquals(12.0 / 200, r.emis().perM2(), EPS);
    // One hour-long step from 13:30 is charged half at each price.
    Kpis straddle = one(s, 13.5, 200);
    straddle.zone(0, 22, 20, 24, 420, 10);
    straddle.endStep(3600, 0);
    assertEquals(5 * 0.5 + 5 * 1.2, straddle.report().cost().total(), EPS);
  }

  @Test
  void theDefaultTariffHasAPeakAndANightValleyAcrossMidnight() {
    TimeOfDayProfile t = TimeOfDayProfile.DEFAULT_TARIFF;
    assertEquals(1.20, t.valueAt(15), EPS);
    assertEquals(0.75, t.valueAt(8), EPS);
    assertEquals(0.75, t.valueAt(17), EPS, "periods end before their end hour");
    assertEquals(0.35, t.valueAt(23), EPS);
    assertEquals(0.35, t.valueAt(3), EPS);
    assertEquals(0.35, t.valueAt(24 + 3), EPS);
    assertEquals(0.75 + 0.35, t.integral(21, 2), EPS);
    assertEquals(0.35 * 8, t.integral(22, 8), EPS, "the valley across midnight");
    assertEquals(0.75 * 8 + 1.20 * 3 + 0.75 * 5 + 0.35 * 8, t.integral(6, 24), EPS, "a whole day");
    assertEquals(0.57, TimeOfDayProfile.DEFAULT_CARBON.valueAt(12), EPS);
    assertThrows(IllegalArgumentException.class,
        () -> new TimeOfDayProfile(List.of(new TimeOfDayProfile.Period(22, 6, 1), new TimeOfDayProfile.Period(5, 8, 2)), 0));
  }

  @Test
  void theTimeRatioIsTheMeanComputeTimePerStepOverTheStepLength() {
    Kpis k = one(FLAT, 0, 100);
    for (int m = 0; m < 60; m++) {
      k.zone(0, 22, 20, 24, 420, 0);
      k.endStep(60, m % 2 == 0 ? 0.3 : 0.9);
    }
    assertEquals(0.6 / 60, k.report().timeRatio(), EPS);
    Kpis none = one(FLAT, 0, 100);
    minutes(none, 10, 22, 420, 0);
    assertEquals(0, none.report().timeRatio(), EPS);
  }

  @Test
  void everyZoneMustBeReportedEachStep() {
    Kpis k = new Kpis(List.of("a", "b"), new double[] {1, 1}, FLAT, 0);
    k.zone(0, 22, 20, 24, 420, 0);
    assertThrows(IllegalStateException.class, () -> k.endStep(60, 0));
  }

  @Test
  void theSummaryKeepsTheRunReportsKeys() {
    Kpis k = one(FLAT, 0, 100);
    minutes(k, 60, 19, 1100, 10);
    var s = k.report().summary();
    assertEquals(10.0, s.get("HVAC energy (kWh)"));
    assertEquals(0.1, s.get("HVAC energy per m² (kWh/m²)"));
    assertEquals(1.0, s.get("thermal discomfort (K·h per zone)"));
    assertEquals(100L, s.get("CO2 above 1000 ppm (ppm·h per zone)"));
    assertEquals(10.0, s.get("peak electric demand, highest 15-minute mean (kW)"));
  }
}
