package atrium.sim.thermal;

/**
 * A simple solar profile: global horizontal irradiance rises and falls as a half sine between
 * sunrise and sunset, peaking at {@code clearSkyPeak} (W/m²) under a clear sky, and is reduced by
 * cloud cover N (0…1) with Kasten and Czeplak's factor 1 − 0.75·N^3.4 (Solar Energy 24, 1980).
 */
public record Sun(double sunriseHour, double sunsetHour, double clearSkyPeak) {

  /** Shanghai around the winter solstice: sunrise ≈ 06:50, sunset ≈ 16:55, about 500 W/m² at noon (assumed). */
  public static final Sun SHANGHAI_WINTER = new Sun(6.85, 16.9, 500);
  /** Shanghai around the summer solstice: sunrise ≈ 04:50, sunset ≈ 19:00, about 900 W/m² at noon (assumed). */
  public static final Sun SHANGHAI_SUMMER = new Sun(4.85, 19.0, 900);

  public Sun {
    if (!(sunriseHour >= 0 && sunsetHour > sunriseHour && sunsetHour <= 24)) throw new IllegalArgumentException("need 0 <= sunrise < sunset <= 24");
    if (!(clearSkyPeak >= 0)) throw new IllegalArgumentException("clearSkyPeak must be >= 0");
  }

  /** Global horizontal irradiance in W/m² at a local hour of day (0 ≤ h < 24). */
  public double irradiance(double hourOfDay, double cloudCover) {
    if (hourOfDay <= sunriseHour || hourOfDay >= sunsetHour) return 0;
    double clear = clearSkyPeak * Math.sin(Math.PI * (hourOfDay - sunriseHour) / (sunsetHour - sunriseHour));
    return clear * (1 - 0.75 * Math.pow(cloudCover, 3.4));
  }
}
