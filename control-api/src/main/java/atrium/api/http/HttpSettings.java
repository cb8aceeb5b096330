package atrium.api.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How the HTTP door listens and how much it takes on.
 *
 * @param host interface to bind, {@code 127.0.0.1} by default
 * @param port TCP port; 0 binds an ephemeral port (see {@link HttpServer#port()})
 * @param maxContentLength largest request body accepted, in bytes; larger bodies get 413
 * @param requestTimeout how long a request waits for the twin before it is answered 503
 * @param maxInFlight most calls towards the twin outstanding at once, server-wide; beyond it 503
 */
public record HttpSettings(String host, int port, int maxContentLength, Duration requestTimeout, int maxInFlight) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_MAX_CONTENT_LENGTH = 1024 * 1024;
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_IN_FLIGHT = 2_000;

  public HttpSettings {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) throw new IllegalArgumentException("host: must not be blank");
    if (port < 0 || port > 65_535) throw new IllegalArgumentException("port: " + port + " is not in 0..65535");
    if (maxContentLength <= 0) throw new IllegalArgumentException("maxContentLength: must be positive");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout: must be positive");
    }
    if (maxInFlight <= 0) throw new IllegalArgumentException("maxInFlight: must be positive");
  }

  /** Reads {@code atrium.http} (see {@code atrium-api.conf}). */
  public static HttpSettings create(com.typesafe.config.Config config) {
    var c = config.getConfig("atrium.http");
    return new HttpSettings(c.getString("host"), c.getInt("port"), (int) c.getBytes("max-content-length").longValue(),
        c.getDuration("request-timeout"), c.getInt("max-in-flight"));
  }

  public static HttpSettings defaults() {
    return new HttpSettings(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_CONTENT_LENGTH, DEFAULT_REQUEST_TIMEOUT, DEFAULT_MAX_IN_FLIGHT);
  }

  public HttpSettings withHost(String host) {
    return new HttpSettings(host, port, maxContentLength, requestTimeout, maxInFlight);
  }

  public HttpSettings withPort(int port) {
    return new HttpSettings(host, port, maxContentLength, requestTimeout, maxInFlight);
  }

  public HttpSettings withMaxContentLength(int maxContentLength) {
    return new HttpSettings(host, port, maxContentLength, requestTimeout, maxInFlight);
  }

  public HttpSettings withRequestTimeout(Duration requestTimeout) {
    return new HttpSettings(host, port, maxContentLength, requestTimeout, maxInFlight);
  }

  public HttpSettings withMaxInFlight(int maxInFlight) {
    return new HttpSettings(host, port, maxContentLength, requestTimeout, maxInFlight);
  }
}
