package atrium.sim.thermal;

/**
 * Outdoor conditions over a step: dry-bulb temperature (°C), relative humidity (%), cloud cover
 * (0 clear … 1 overcast) and outdoor CO2 (ppm).
 */
public record Weather(double temperature, double relativeHumidity, double cloudCover, double co2) {

  /** About today's background outdoor CO2 (NOAA's global mean passed 420 ppm in 2023). */
  public static final double OUTDOOR_CO2 = 420;

  public Weather {
    if (!Double.isFinite(temperature)) throw new IllegalArgumentException("temperature must be finite");
    if (!(relativeHumidity >= 0 && relativeHumidity <= 100)) throw new IllegalArgumentException("relative humidity must be 0..100 %");
    if (!(cloudCover >= 0 && cloudCover <= 1)) throw new IllegalArgumentException("cloud cover must be 0..1");
    if (!(co2 >= 0)) throw new IllegalArgumentException("co2 must be >= 0");
  }

  public static Weather of(double temperature, double relativeHumidity) {
    return new Weather(temperature, relativeHumidity, 0.5, OUTDOOR_CO2);
  }
}
