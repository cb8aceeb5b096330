package atrium.api.http;

import java.util.Objects;

/**
 * Everything the HTTP door needs beyond its settings: the endpoints and the gatekeepers every call
 * passes through, in this order: authentication, rate limit, role, site grant, audit, in-flight bound.
 *
 * @param inFlight the bound on calls towards the twin, shared with the MQTT door
 */
public record HttpApi(Router router, Authenticator authenticator, RateLimit rateLimit, Auditor auditor,
    InFlightLimit inFlight, HttpObserver observer) {

  public HttpApi {
    Objects.requireNonNull(router, "router");
    Objects.requireNonNull(authenticator, "authenticator");
    Objects.requireNonNull(rateLimit, "rateLimit");
    Objects.requireNonNull(auditor, "auditor");
    Objects.requireNonNull(inFlight, "inFlight");
    Objects.requireNonNull(observer, "observer");
  }

  /** Sees every answered request, for the metrics. */
  @FunctionalInterface
  public interface HttpObserver {
    /**
     * @param endpoint the endpoint's id, or null when no endpoint matched
     * @param status the status answered
     */
    void answered(String endpoint, String method, int status, long nanos);

    HttpObserver NONE = (endpoint, method, status, nanos) -> {};
  }
}
