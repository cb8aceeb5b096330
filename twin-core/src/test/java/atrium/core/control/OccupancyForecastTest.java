package atrium.core.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.control.OccupancyForecast.Error;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OccupancyForecastTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  /** A Monday. */
  private static final LocalDate MONDAY = LocalDate.of(2026, 11, 2);

  private static Instant at(LocalDate day, int hour, int minute) {
    return day.atTime(hour, minute).atZone(SHANGHAI).toInstant();
  }

  @Test
  void theFirstObservationSetsTheSlotAndLaterOnesMoveItByAlpha() {
    OccupancyForecast f = new OccupancyForecast(SHANGHAI, 0.25);
    f.observe("Z", at(MONDAY, 12, 0), 100);
    assertEquals(100, f.forecast("Z", at(MONDAY.plusDays(1), 12, 10)), 1e-9, "same slot, next weekday");
    f.observe("Z", at(MONDAY.plusDays(1), 12, 0), 200);
    assertEquals(125, f.forecast("Z", at(MONDAY.plusDays(2), 12, 14)), 1e-9);
    assertEquals(0, f.forecast("Z", at(MONDAY.plusDays(2), 12, 15)), 1e-9, "nothing seen at 12:15 anywhere");
  }

  @Test
  void slotsFollowTheSitesLocalClock() {
    OccupancyForecast f = new OccupancyForecast(SHANGHAI, 0.5);
    // 02:00 UTC is 10:00 in Shanghai.
    f.observe("Z", Instant.parse("2026-11-02T02:00:00Z"), 40);
    assertEquals(40, f.forecast("Z", at(MONDAY.plusDays(7), 10, 5)), 1e-9);
    assertEquals(Instant.parse("2026-11-02T02:00:00Z"), f.slotStart(Instant.parse("2026-11-02T02:14:59Z")));
  }

  @Test
  void weekdaysAndWeekendsAreLearntApartAndEachFallsBackOnTheOther() {
    OccupancyForecast f = new OccupancyForecast(SHANGHAI, 0.3);
    f.observe("Z", at(MONDAY, 15, 0), 50);
    f.observe("Z", at(MONDAY.plusDays(5), 15, 0), 300); // Saturday
    assertEquals(50, f.forecast("Z", at(MONDAY.plusDays(8), 15, 0)), 1e-9, "a Tuesday");
    assertEquals(300, f.forecast("Z", at(MONDAY.plusDays(13), 15, 0)), 1e-9, "a Sunday");
    f.observe("Z", at(MONDAY, 16, 0), 70);
    assertEquals(70, f.forecast("Z", at(MONDAY.plusDays(6), 16, 0)), 1e-9, "no weekend 16:00 yet: the weekday's");
  }

  @Test
  void aZoneWithoutHistoryGetsTheSitesMeanPerZoneAndNothingKnownIsZero() {
    OccupancyForecast f = new OccupancyForecast(SHANGHAI, 0.3);
    f.observe("A", at(MONDAY, 11, 0), 10);
    f.observe("B", at(MONDAY, 11, 0), 30);
    assertEquals(20, f.forecast("NEW", at(MONDAY.plusDays(1), 11, 0)), 1e-9);
    assertEquals(0, f.forecast("NEW", at(MONDAY.plusDays(1), 3, 0)), 1e-9);
    assertEquals(40, f.siteForecast(at(MONDAY.plusDays(1), 11, 0)), 1e-9, "the site: A + B");
    assertEquals(30, f.peak("B", at(MONDAY.plusDays(1), 10, 0), at(MONDAY.plusDays(1), 12, 0)), 1e-9);
  }

  @Test
  void badObservationsAreIgnoredAndAlphaIsChecked() {
    OccupancyForecast f = new OccupancyForecast(SHANGHAI, 0.3);
    f.observe("Z", at(MONDAY, 11, 0), Double.NaN);
    f.observe("Z", at(MONDAY, 11, 0), -3);
    assertEquals(0, f.observations());
    assertThrows(IllegalArgumentException.class, () -> new OccupancyForecast(SHANGHAI, 0));
    assertThrows(IllegalArgumentException.class, () -> new OccupancyForecast(SHANGHAI, 1.5));
  }

  @Test
  void errorIsTheMeanAbsoluteAndRootMeanSquareDifference() {
    Error e = Error.of(new double[] {0, 10, 20}, new double[] {3, 6, 20});
    assertEquals(7.0 / 3, e.mae(), 1e-12);
    assertEquals(Math.sqrt(25.0 / 3), e.rmse(), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> Error.of(new double[1], new double[2]));
  }

  // ---- back-test

  /** A mall's zones: weekday lunch and evening peaks, busier weekends peaking mid-afternoon, closed 22:00–10:00. */
  static final class SyntheticMall {
    static final List<String> ZONES = List.of("ATR", "FOOD", "FASHION", "CINEMA");
    static final double[] SCALE = {300, 180, 120, 60};
    private final Random random;

    SyntheticMall(long seed) {
      random = new Random(seed);
    }

    /** One day: [zone][slot] people, a level for the day (±10 %) and ±15 % noise per slot, rounded. */
    double[][] day(LocalDate date) {
      boolean weekend = OccupancyForecast.DayType.of(date) == OccupancyForecast.DayType.WEEKEND;
      double level = 1 + 0.1 * random.nextGaussian();
      double[][] out = new double[ZONES.size()][OccupancyForecast.SLOTS_PER_DAY];
      for (int z = 0; z < ZONES.size(); z++) {
        for (int s = 0; s < OccupancyForecast.SLOTS_PER_DAY; s++) {
          double h = s / 4.0;
          double shape = h < 10 || h >= 22 ? 0 : weekend
              ? 0.5 + 1.1 * bump(h, 15, 2.5) + (z == 3 ? 1.2 * bump(h, 20, 1.5) : 0)
              : 0.3 + 0.6 * bump(h, 12.5, 1.0) + 0.7 * bump(h, 19, 1.5) + (z == 1 ? 0.8 * bump(h, 12.5, 0.8) : 0);
          double noise = Math.max(0, 1 + 0.15 * random.nextGaussian());
          out[z][s] = Math.round(SCALE[z] * shape * level * noise);
        }
      }
      return out;
    }

    private static double bump(double h, double centre, double width) {
      double x = (h - centre) / width;
      return Math.exp(-x * x / 2);
    }
  }

  /**
   * Train on four weeks of a seeded synthetic mall, then forecast each day of the fifth week from
   * everything before it (learning each day after forecasting it), and compare with the naive
   * "same as yesterday", "same day last week" and a flat per-zone mean. The figures are in
   * docs/energy-optimiser.md.
   */
  @Test
  void backTestBeatsSameAsYesterdayLastWeekAndAFlatMeanOnAStructuredSeries() {
    SyntheticMall mall = new SyntheticMall(20261224L);
    int trainDays = 28, testDays = 7, zones = SyntheticMall.ZONES.size();
    double[][][] days = new double[trainDays + testDays][][];
    for (int d = 0; d < days.length; d++) days[d] = mall.day(MONDAY.plusDays(d));

    OccupancyForecast f = new OccupancyForecast(SHANGHAI, 0.3);
    double[] flatSum = new double[zones];
    long flatCount = 0;
    int n = testDays * zones * OccupancyForecast.SLOTS_PER_DAY;
    double[] actual = new double[n], ewma = new double[n], yesterday = new double[n], lastWeek = new double[n], flat = new double[n];
    int i = 0;
    for (int d = 0; d < days.length; d++) {
      LocalDate date = MONDAY.plusDays(d);
      if (d >= trainDays) {
        for (int z = 0; z < zones; z++) {
          for (int s = 0; s < OccupancyForecast.SLOTS_PER_DAY; s++, i++) {
            Instant t = date.atStartOfDay(SHANGHAI).toInstant().plus(Duration.ofMinutes(15L * s));
            actual[i] = days[d][z][s];
            ewma[i] = f.forecast(SyntheticMall.ZONES.get(z), t);
            yesterday[i] = days[d - 1][z][s];
            lastWeek[i] = days[d - 7][z][s];
            flat[i] = flatSum[z] / flatCount;
          }
        }
      }
      for (int z = 0; z < zones; z++) {
        for (int s = 0; s < OccupancyForecast.SLOTS_PER_DAY; s++) {
          f.observe(SyntheticMall.ZONES.get(z), date.atStartOfDay(SHANGHAI).toInstant().plus(Duration.ofMinutes(15L * s)),
              days[d][z][s]);
          flatSum[z] += days[d][z][s];
        }
      }
      flatCount += OccupancyForecast.SLOTS_PER_DAY;
    }
    Error e = Error.of(actual, ewma), y = Error.of(actual, yesterday), w = Error.of(actual, lastWeek), m = Error.of(actual, flat);
    System.out.printf("occupancy back-test (4 zones, 28 days trained, 7 forecast, %d slots): EWMA MAE %.2f RMSE %.2f; "
        + "same as yesterday MAE %.2f RMSE %.2f; same day last week MAE %.2f RMSE %.2f; flat mean MAE %.2f RMSE %.2f%n",
        e.n(), e.mae(), e.rmse(), y.mae(), y.rmse(), w.mae(), w.rmse(), m.mae(), m.rmse());
    assertTrue(e.mae() < 0.8 * y.mae(), "EWMA " + e + " vs same as yesterday " + y);
    assertTrue(e.rmse() < 0.8 * y.rmse(), "EWMA " + e + " vs same as yesterday " + y);
    assertTrue(e.mae() < 0.9 * w.mae(), "EWMA " + e + " vs same day last week " + w);
    assertTrue(e.mae() < 0.5 * m.mae(), "EWMA " + e + " vs flat mean " + m);
  }
}
