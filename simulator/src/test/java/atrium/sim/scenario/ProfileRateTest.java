package atrium.sim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProfileRateTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  /** 09:00 to 10:00 flat at 1,200 an hour, then 10:00 to 12:00 rising from 600 to 3,000. */
  private static final List<Scenario.Stage> STAGES = List.of(
      new Scenario.Stage(ClockTime.of(9, 0), ClockTime.of(10, 0), 1200, null),
      new Scenario.Stage(ClockTime.of(10, 0), ClockTime.of(12, 0), 600, 3000.0));
  private static final Instant DAY = Instant.parse("2026-12-23T16:00:00Z"); // 2026-12-24 00:00 in Shanghai

  private static Instant local(int hour, int minute) {
    return DAY.plusSeconds(hour * 3600L + minute * 60L);
  }

  @Test
  void theRateIsFlatInAFlatPeriodLinearOnARampAndZeroOutside() {
    ProfileRate r = ProfileRate.of(STAGES, SHANGHAI, DAY, local(24, 0));
    assertEquals(0, r.perHourAt(local(8, 59)));
    assertEquals(1200, r.perHourAt(local(9, 30)), 1e-9);
    assertEquals(600, r.perHourAt(local(10, 0)), 1e-9);
    assertEquals(1800, r.perHourAt(local(11, 0)), 1e-9);
    assertEquals(0, r.perHourAt(local(12, 0)));
    assertEquals(3000, r.peakPerHour(), 1e-9);
  }

  @Test
  void theExpectedCountIsTheIntegralOfTheRate() {
    ProfileRate r = ProfileRate.of(STAGES, SHANGHAI, DAY, local(24, 0));
    assertEquals(1200 + 3600, r.total(), 1e-6);
    assertEquals(600, r.expected(local(9, 30), local(10, 0)), 1e-6);
    // 10:00 to 11:00 on the ramp: from 600 to 1,800 an hour, mean 1,200
    assertEquals(1200, r.expected(local(10, 0), local(11, 0)), 1e-6);
    assertEquals(0, r.expected(local(13, 0), local(20, 0)), 1e-9);
  }

  @Test
  void theRunCutsThePeriodsAndTheyRepeatEveryDay() {
    // from 10:30 on the first day to 09:30 on the third: half a ramp's tail, a whole day, half a flat hour
    ProfileRate r = ProfileRate.of(STAGES, SHANGHAI, local(10, 30), local(48 + 9, 30));
    double tail = (1200 + 3000) / 2.0 * 1.5; // the ramp is at 1,200 an hour by 10:30
    assertEquals(tail + 4800 + 600, r.total(), 1e-6);
    assertEquals(1200, r.perHourAt(local(10, 30)), 1e-9);
    assertEquals(1800, r.perHourAt(local(24 + 11, 0)), 1e-9);
    assertEquals(r.start(), local(10, 30));
  }

  @Test
  void nextArrivalInvertsTheExpectedCount() {
    ProfileRate r = ProfileRate.of(STAGES, SHANGHAI, DAY, local(24, 0));
    double from = ProfileRate.seconds(local(8, 0));
    for (double e : new double[] {0.5, 1, 100, 1199, 1200, 1201, 2500, 4799}) {
      double t = r.nextArrival(from, e);
      assertEquals(e, r.expected(from, t), 1e-6, "after " + e + " expected arrivals");
    }
    assertEquals(Double.POSITIVE_INFINITY, r.nextArrival(from, 4800.5));
  }

  @Test
  void poissonArrivalsDrawnFromTheProfileMatchItsTotalAndShape() {
    // 4,800 expected: a Poisson count's standard deviation is about 69, so ±3 % is over 2 of them
    ProfileRate r = ProfileRate.of(STAGES, SHANGHAI, DAY, local(24, 0));
    SplittableRandom random = new SplittableRandom(7);
    int total = 0, flatHour = 0;
    double nineThirty = ProfileRate.seconds(local(9, 0)), ten = ProfileRate.seconds(local(10, 0));
    for (double t = r.nextArrival(ProfileRate.seconds(DAY), -Math.log(1 - random.nextDouble()));
        t != Double.POSITIVE_INFINITY; t = r.nextArrival(t, -Math.log(1 - random.nextDouble()))) {
      total++;
      if (t >= nineThirty && t < ten) flatHour++;
    }
    assertEquals(4800, total, 4800 * 0.03);
    assertEquals(1200, flatHour, 1200 * 0.1);
  }

  @Test
  void noArrivalsMeansZeroEverywhere() {
    ProfileRate r = ProfileRate.none(DAY, local(24, 0));
    assertEquals(0, r.total());
    assertEquals(0, r.perHourAt(local(12, 0)));
    assertEquals(Double.POSITIVE_INFINITY, r.nextArrival(ProfileRate.seconds(DAY), 1));
  }

  @Test
  void aClockChangeDayFollowsTheWallClock() {
    // Berlin springs forward on 2026-03-29 at 02:00: the day has 23 hours; 09:00 local is 07:00Z
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    Instant start = Instant.parse("2026-03-28T23:00:00Z"), end = Instant.parse("2026-03-29T22:00:00Z");
    ProfileRate r = ProfileRate.of(STAGES, berlin, start, end);
    assertEquals(1200, r.perHourAt(Instant.parse("2026-03-29T07:30:00Z")), 1e-9);
    assertEquals(0, r.perHourAt(Instant.parse("2026-03-29T06:30:00Z")), 1e-9);
    assertTrue(Math.abs(r.total() - 4800) < 1e-6);
  }
}
