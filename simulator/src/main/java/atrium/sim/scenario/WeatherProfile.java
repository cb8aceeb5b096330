package atrium.sim.scenario;

import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.List;

/**
 * The scenario's outdoor weather at any instant: temperature (°C) and relative humidity (%)
 * interpolated linearly between the day's points (from the last point round to the first of the next
 * day), and global horizontal solar irradiance (W/m²) as a half-sine between sunrise and sunset,
 * {@code solarPeak} at the midpoint. Local time is the site's, wall clock.
 */
public final class WeatherProfile {
  private final ZoneRules rules;
  private final double[] at, temperature, humidity;
  private final double solarPeak, sunrise, sunset;

  public WeatherProfile(Scenario.Weather weather, ZoneId zone) {
    this.rules = zone.getRules();
    List<Scenario.WeatherPoint> points = weather.points();
    int n = points.size();
    at = new double[n];
    temperature = new double[n];
    humidity = new double[n];
    for (int i = 0; i < n; i++) {
      at[i] = points.get(i).at().secondOfDay();
      temperature[i] = points.get(i).temperature();
      humidity[i] = points.get(i).humidity();
    }
    solarPeak = weather.solarPeak();
    sunrise = weather.sunrise().secondOfDay();
    sunset = weather.sunset().secondOfDay();
  }

  public double temperatureAt(Instant t) {
    return interpolate(temperature, secondOfDay(t));
  }

  public double humidityAt(Instant t) {
    return interpolate(humidity, secondOfDay(t));
  }

  public double solarAt(Instant t) {
    double s = secondOfDay(t);
    if (s <= sunrise || s >= sunset) return 0;
    return solarPeak * Math.sin(Math.PI * (s - sunrise) / (sunset - sunrise));
  }

  private double secondOfDay(Instant t) {
    long local = t.getEpochSecond() + rules.getOffset(t).getTotalSeconds();
    return Math.floorMod(local, ClockTime.DAY) + t.getNano() / 1e9;
  }

  private double interpolate(double[] v, double s) {
    int n = at.length;
    if (n == 1) return v[0];
    int i = 0;
    while (i < n && at[i] <= s) i++;
    // between point i-1 and point i, wrapping round midnight
    int a = (i - 1 + n) % n, b = i % n;
    double ta = at[a], tb = at[b];
    if (tb <= ta) tb += ClockTime.DAY;
    double x = s < ta ? s + ClockTime.DAY : s;
    return v[a] + (v[b] - v[a]) * (x - ta) / (tb - ta);
  }
}
