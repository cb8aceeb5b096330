package atrium.api.security;

import com.typesafe.config.Config;

/**
 * Per-client request rate limits at the HTTP door; read once from {@code atrium.http.rate-limit}
 * (defaults and environment variables in {@code atrium-security.conf}).
 *
 * @param perSecond requests per second a client may sustain
 * @param burst requests a client may send at once after a pause (the bucket's size)
 * @param maxClients clients remembered at most; beyond it the least recently seen is forgotten
 */
public record RateLimitSettings(long perSecond, long burst, int maxClients) {
  public static final String CONFIG_PATH = "atrium.http.rate-limit";

  public RateLimitSettings {
    if (perSecond < 1) throw new IllegalArgumentException(CONFIG_PATH + ".per-second must be at least 1, was " + perSecond);
    if (burst < 1) throw new IllegalArgumentException(CONFIG_PATH + ".burst must be at least 1, was " + burst);
    if (maxClients < 1) throw new IllegalArgumentException(CONFIG_PATH + ".max-clients must be at least 1, was " + maxClients);
  }

  /** The limits of device credentials: {@code atrium.http.device-rate-limit}. */
  public static final String DEVICE_CONFIG_PATH = "atrium.http.device-rate-limit";

  public static RateLimitSettings create(Config config) {
    return create(config, CONFIG_PATH);
  }

  public static RateLimitSettings create(Config config, String path) {
    Config c = config.getConfig(path);
    return new RateLimitSettings(c.getLong("per-second"), c.getLong("burst"), c.getInt("max-clients"));
  }
}
