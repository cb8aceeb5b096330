package atrium.sim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeatherProfileTest {
  private static final Instant MIDNIGHT = Instant.parse("2026-07-21T16:00:00Z"); // 2026-07-22 00:00 in Shanghai
  private final WeatherProfile weather = new WeatherProfile(new Scenario.Weather(List.of(
      new Scenario.WeatherPoint(ClockTime.of(5, 0), 29, 80),
      new Scenario.WeatherPoint(ClockTime.of(15, 0), 38, 40)), 900.0, ClockTime.of(6, 0), ClockTime.of(18, 0)),
      ZoneId.of("Asia/Shanghai"));

  private static Instant local(int hour, int minute) {
    return MIDNIGHT.plusSeconds(hour * 3600L + minute * 60L);
  }

  @Test
  void atAPointTheValuesAreThePoints() {
    assertEquals(29, weather.temperatureAt(local(5, 0)), 1e-9);
    assertEquals(38, weather.temperatureAt(local(15, 0)), 1e-9);
    assertEquals(40, weather.humidityAt(local(15, 0)), 1e-9);
  }

  @Test
  void betweenPointsTheValuesAreInterpolatedAndWrapRoundMidnight() {
    assertEquals(33.5, weather.temperatureAt(local(10, 0)), 1e-9);
    // 15:00 → 05:00 next day is 14 h; 22:00 is half-way
    assertEquals(33.5, weather.temperatureAt(local(22, 0)), 1e-9);
    assertEquals(60, weather.humidityAt(local(22, 0)), 1e-9);
    // and the same on the next day, before the first point
    assertEquals(weather.temperatureAt(local(2, 0)), weather.temperatureAt(local(26, 0)), 1e-9);
  }

  @Test
  void theSunIsAHalfSineFromSunriseToSunset() {
    assertEquals(0, weather.solarAt(local(3, 0)));
    assertEquals(900, weather.solarAt(local(12, 0)), 1e-9);
    assertEquals(900 * Math.sin(Math.PI / 4), weather.solarAt(local(9, 0)), 1e-9);
    assertEquals(0, weather.solarAt(local(19, 0)));
  }
}
