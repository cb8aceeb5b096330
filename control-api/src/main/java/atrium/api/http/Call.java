package atrium.api.http;

import atrium.api.security.Principal;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One request as a handler sees it: who is calling (already authenticated and authorised), the
 * path variables, the query and the body, with parsers that turn bad values into 400 problems naming
 * the parameter.
 */
public final class Call {
  private final Endpoint endpoint;
  private final Principal principal;
  private final Map<String, String> params;
  private final Map<String, List<String>> query;
  private final HttpHeaders headers;
  private final byte[] body;
  private final String requestId;
  private final String path;
  private Supplier<Reply> onTimeout;

  Call(Endpoint endpoint, Principal principal, Map<String, String> params, Map<String, List<String>> query,
      HttpHeaders headers, byte[] body, String requestId, String path) {
    this.endpoint = endpoint;
    this.principal = principal;
    this.params = Map.copyOf(params);
    this.query = query;
    this.headers = headers;
    this.body = body;
    this.requestId = requestId;
    this.path = path;
  }

  public Endpoint endpoint() {
    return endpoint;
  }

  /** The caller; an anonymous principal for public endpoints. */
  public Principal principal() {
    return principal;
  }

  public String requestId() {
    return requestId;
  }

  /** The request path as sent (not decoded): a problem's {@code instance}. */
  public String path() {
    return path;
  }

  /** A path variable of the endpoint's template. */
  public String param(String name) {
    String v = params.get(name);
    if (v == null) throw new IllegalArgumentException(endpoint.id() + " has no path variable " + name);
    return v;
  }

  public Map<String, String> params() {
    return params;
  }

  public Optional<String> header(CharSequence name) {
    return Optional.ofNullable(headers.get(name));
  }

  public byte[] body() {
    return body;
  }

  public Optional<String> query(String name) {
    List<String> v = query.get(name);
    if (v == null || v.isEmpty()) return Optional.empty();
    if (v.size() > 1) throw badParameter(name, "is given " + v.size() + " times; give it once");
    return Optional.of(v.get(0));
  }

  /** Every value of a repeatable parameter, commas splitting values too ({@code kind=a,b&kind=c}). */
  public List<String> queryAll(String name) {
    List<String> v = query.get(name);
    if (v == null) return List.of();
    return v.stream().flatMap(s -> java.util.Arrays.stream(s.split(","))).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  public Map<String, List<String>> queryParameters() {
    return query;
  }

  public int queryInt(String name, int dflt, int min, int max) {
    Optional<String> v = query(name);
    if (v.isEmpty()) return dflt;
    try {
      int n = Integer.parseInt(v.get());
      if (n < min || n > max) throw badParameter(name, "must be between " + min + " and " + max + ", not " + n);
      return n;
    } catch (NumberFormatException e) {
      throw badParameter(name, "must be a whole number, not '" + v.get() + "'");
    }
  }

  public Optional<Instant> queryInstant(String name) {
    Optional<String> v = query(name);
    if (v.isEmpty()) return Optional.empty();
    try {
      return Optional.of(Instant.parse(v.get()));
    } catch (DateTimeParseException e) {
      throw badParameter(name, "must be an ISO-8601 UTC instant such as 2026-12-24T06:30:00Z, not '" + v.get() + "'");
    }
  }

  public Optional<Duration> queryDuration(String name) {
    Optional<String> v = query(name);
    if (v.isEmpty()) return Optional.empty();
    try {
      return Optional.of(Duration.parse(v.get()));
    } catch (DateTimeParseException e) {
      throw badParameter(name, "must be an ISO-8601 duration such as PT15M or PT1H, not '" + v.get() + "'");
    }
  }

  /** The body as a JSON object; 415 when it is not declared JSON, 400 when it is not a JSON object. */
  public JsonNode jsonBody() {
    String type = headers.get("Content-Type");
    String mime = type == null ? null : type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
    if (!"application/json".equals(mime)) {
      throw new ApiException(Problem.of(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
          "Unsupported media type", "send the body as Content-Type: application/json"
              + (type == null ? "; the request has no Content-Type" : ", not " + type)));
    }
    try {
      JsonNode n = Json.mapper().readTree(body);
      if (n == null || !n.isObject()) {
        throw new ApiException(Problem.invalid("$", "the body must be a JSON object"));
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new ApiException(Problem.invalid("$", "the body is not valid JSON: " + e.getOriginalMessage()));
    } catch (IOException e) {
      throw new ApiException(Problem.invalid("$", "the body cannot be read: " + e.getMessage()));
    }
  }

  /**
   * What to answer if the request times out before the handler's stage completes (a batch answers
   * with the results it has); without one, the dispatcher answers a retryable 503.
   */
  public void onTimeout(Supplier<Reply> reply) {
    this.onTimeout = reply;
  }

  Supplier<Reply> timeoutReply() {
    return onTimeout;
  }

  public static ApiException badParameter(String name, String reason) {
    return new ApiException(new Problem(HttpResponseStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter",
        "query parameter '" + name + "' " + reason, name));
  }
}
