package atrium.api.http;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the HTTP door needs beyond its settings: the endpoints and the gatekeepers every call
 * passes through, in this order: authentication, rate limit, role, site grant, audit, in-flight bound.
 *
 * @param inFlight the bound on calls towards the twin, shared with the MQTT door
 * @param upgrades takes over connections that upgrade (the live stream's WebSocket), or {@link Upgrades#NONE}
 */
public record HttpApi(Router router, Authenticator authenticator, RateLimit rateLimit, Auditor auditor,
    InFlightLimit inFlight, HttpObserver observer, Upgrades upgrades, Pages pages) {

  /** An API without pages. */
  public HttpApi(Router router, Authenticator authenticator, RateLimit rateLimit, Auditor auditor,
      InFlightLimit inFlight, HttpObserver observer, Upgrades upgrades) {
    this(router, authenticator, rateLimit, auditor, inFlight, observer, upgrades, Pages.NONE);
  }

  /** An API without upgrades. */
  public HttpApi(Router router, Authenticator authenticator, RateLimit rateLimit, Auditor auditor,
      InFlightLimit inFlight, HttpObserver observer) {
    this(router, authenticator, rateLimit, auditor, inFlight, observer, Upgrades.NONE, Pages.NONE);
  }

  public HttpApi {
    Objects.requireNonNull(router, "router");
    Objects.requireNonNull(authenticator, "authenticator");
    Objects.requireNonNull(rateLimit, "rateLimit");
    Objects.requireNonNull(auditor, "auditor");
    Objects.requireNonNull(inFlight, "inFlight");
    Objects.requireNonNull(observer, "observer");
    Objects.requireNonNull(upgrades, "upgrades");
    Objects.requireNonNull(pages, "pages");
  }

  /** A copy with the given upgrades. */
  public HttpApi withUpgrades(Upgrades upgrades) {
    return new HttpApi(router, authenticator, rateLimit, auditor, inFlight, observer, upgrades, pages);
  }

  /** A copy with the given pages. */
  public HttpApi withPages(Pages pages) {
    return new HttpApi(router, authenticator, rateLimit, auditor, inFlight, observer, upgrades, pages);
  }

  /**
   * Public static files outside the API (the control-room console, {@code atrium.api.console}): asked
   * for a GET or HEAD whose path no endpoint serves, before the answer is 404.
   */
  @FunctionalInterface
  public interface Pages {
    /** The answer for a decoded path, or empty when it names no page. Never blocks for long (files are kept in memory). */
    Optional<Reply> serve(String path, HttpHeaders headers);

    Pages NONE = (path, headers) -> Optional.empty();
  }

  /**
   * Takes over the connections whose request asks to upgrade on a path it serves, such as the live
   * stream's WebSocket ({@code atrium.api.stream}).
   */
  @FunctionalInterface
  public interface Upgrades {
    /**
     * A handler for one new connection, placed before the dispatcher. It sees every aggregated request,
     * passes on those it does not take, and answers refusals as problem+json itself. Null: none.
     */
    ChannelHandler newHandler(HttpApi api);

    Upgrades NONE = api -> null;
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
