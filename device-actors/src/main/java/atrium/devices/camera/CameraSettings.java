package atrium.devices.camera;

import com.typesafe.config.Config;
import java.time.Duration;

/** Cameras' settings, read once from {@code atrium.camera} (see {@code atrium-camera.conf}). */
public record CameraSettings(Duration offlineAfter, Duration publishEvery, double maxFlow, double maxDensity, int slack,
    Duration plausibleFor, int minPlausibleReports, int rememberedMessageIds) {

  public CameraSettings {
    requirePositive("offline-after", offlineAfter);
    requirePositive("publish-every", publishEvery);
    if (!(maxFlow > 0)) throw new IllegalArgumentException("atrium.camera.plausibility.max-flow: must be > 0, was " + maxFlow);
    if (!(maxDensity > 0)) throw new IllegalArgumentException("atrium.camera.plausibility.max-density: must be > 0, was " + maxDensity);
    if (slack < 0) throw new IllegalArgumentException("atrium.camera.plausibility.slack: must be >= 0, was " + slack);
    requirePositive("recovery.plausible-for", plausibleFor);
    if (minPlausibleReports < 1) throw new IllegalArgumentException("atrium.camera.recovery.min-reports: must be >= 1");
    if (rememberedMessageIds < 0 || rememberedMessageIds > 1024) {
      throw new IllegalArgumentException("atrium.camera.remembered-message-ids: must be 0 to 1024, was " + rememberedMessageIds);
    }
  }

  public static CameraSettings create(Config config) {
    Config c = config.getConfig("atrium.camera");
    return new CameraSettings(c.getDuration("offline-after"), c.getDuration("publish-every"),
        c.getDouble("plausibility.max-flow"), c.getDouble("plausibility.max-density"), c.getInt("plausibility.slack"),
        c.getDuration("recovery.plausible-for"), c.getInt("recovery.min-reports"), c.getInt("remembered-message-ids"));
  }

  private static void requirePositive(String key, Duration d) {
    if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("atrium.camera." + key + ": must be positive, was " + d);
  }
}
