package atrium.api.http;

import atrium.core.protocol.ProtocolException;
import atrium.devices.TwinException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * An RFC 9457 problem: what went wrong with a request, as {@code application/problem+json}.
 *
 * @param slug the last segment of the problem type URI, stable for clients to switch on
 * @param field JSON path of the offending field of a device message, or null
 */
public record Problem(HttpResponseStatus status, String slug, String title, String detail, String field) {
  public static final String TYPE_BASE = "https://atrium.dev/problems/";
  public static final String CONTENT_TYPE = "application/problem+json";
  /** Seconds a client should wait before retrying a 503. */
  public static final int RETRY_AFTER_SECONDS = 1;

  public static Problem of(HttpResponseStatus status, String slug, String title, String detail) {
    return new Problem(status, slug, title, detail, null);
  }

  /** The problem for a failure of the twin or of the protocol; anything unforeseen is a 500. */
  public static Problem of(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof ApiException a) return a.problem();
    if (t instanceof ProtocolException) {
      ProtocolException p = (ProtocolException) t;
      return new Problem(HttpResponseStatus.BAD_REQUEST, "invalid-message", "Invalid device message", p.reason(), p.field());
    }
    if (t instanceof TwinException.UnknownAsset) {
      return of(HttpResponseStatus.NOT_FOUND, "unknown-asset", "Unknown asset", t.getMessage());
    }
    if (t instanceof TwinException.Rejected) {
      return of(HttpResponseStatus.UNPROCESSABLE_ENTITY, "rejected", "Rejected by the twin", t.getMessage());
    }
    if (t instanceof TwinException.Unavailable) {
      return of(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable", "Twin unavailable", t.getMessage());
    }
    if (t instanceof TimeoutException) {
      return of(HttpResponseStatus.SERVICE_UNAVAILABLE, "timeout", "Twin did not answer in time",
          "the twin did not answer in time; retry later");
    }
    return internal();
  }

  /** 400: a field of the body is wrong; {@code field} is its JSON path. */
  public static Problem invalid(String field, String detail) {
    return new Problem(HttpResponseStatus.BAD_REQUEST, "invalid-body", "Invalid request body", detail, field);
  }

  public static Problem notFound(String slug, String title, String detail) {
    return of(HttpResponseStatus.NOT_FOUND, slug, title, detail);
  }

  /** The answer for a site that does not exist and for one the caller is not granted: the same, so nothing leaks. */
  public static Problem unknownSite(String site) {
    return notFound("unknown-site", "Unknown site", "no site '" + site + "' on this server");
  }

  public static Problem forbidden(String detail) {
    return of(HttpResponseStatus.FORBIDDEN, "forbidden", "Forbidden", detail);
  }

  public static Problem conflict(String slug, String title, String detail) {
    return of(HttpResponseStatus.CONFLICT, slug, title, detail);
  }

  public static Problem internal() {
    return of(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal server error",
        "an unexpected error occurred; it has been logged");
  }

  public static Problem timeout(Duration after) {
    return of(HttpResponseStatus.SERVICE_UNAVAILABLE, "timeout", "Twin did not answer in time",
        "no answer from the twin within " + describe(after) + "; retry later (a message sent again with the same id"
            + " is applied at most once)");
  }

  public static Problem overloaded(int maxInFlight) {
    return of(HttpResponseStatus.SERVICE_UNAVAILABLE, "overloaded", "Too many requests in flight",
        "the server already has " + maxInFlight + " calls to the twin in flight; retry later");
  }

  public static Problem tooLarge(long limit) {
    return of(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "payload-too-large", "Payload too large",
        "the request body exceeds the limit of " + limit + " bytes");
  }

  public static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  public boolean isInternal() {
    return status.code() == HttpResponseStatus.INTERNAL_SERVER_ERROR.code();
  }

  ObjectNode toJson(String instance) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("type", TYPE_BASE + slug);
    n.put("title", title);
    n.put("status", status.code());
    n.put("detail", detail);
    if (instance != null) n.put("instance", instance);
    if (field != null) n.put("field", field);
    return n;
  }

  /** The response; a 503 carries {@code Retry-After}. Keep-alive is left to the caller. */
  public FullHttpResponse toResponse(HttpVersion version, String instance) {
    FullHttpResponse r = Json.response(version, status, toJson(instance), CONTENT_TYPE);
    if (status.code() == HttpResponseStatus.SERVICE_UNAVAILABLE.code()) {
      r.headers().set(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
    }
    return r;
  }

  /** {@code 10 s}, {@code 250 ms}. */
  public static String describe(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
  }
}
