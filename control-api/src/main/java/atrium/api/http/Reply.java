package atrium.api.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A handler's answer, before it becomes a Netty response on the channel's event loop.
 *
 * @param body the bytes of the body; for JSON, written with the API's mapper
 */
public record Reply(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {
  public static final String JSON = "application/json";
  public static final String CSV = "text/csv; charset=utf-8";

  public Reply {
    headers = Map.copyOf(headers);
  }

  public static Reply json(Object body) {
    return json(HttpResponseStatus.OK, body);
  }

  public static Reply json(HttpResponseStatus status, Object body) {
    return new Reply(status, JSON, Json.bytes(body), Map.of());
  }

  public static Reply text(String contentType, String body) {
    return new Reply(HttpResponseStatus.OK, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  public static Reply bytes(String contentType, byte[] body) {
    return new Reply(HttpResponseStatus.OK, contentType, body, Map.of());
  }

  /** 304: the client's copy (by {@code If-None-Match}) is current. */
  public static Reply notModified(String etag) {
    return new Reply(HttpResponseStatus.NOT_MODIFIED, null, new byte[0], Map.of("ETag", etag));
  }

  public Reply withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new Reply(status, contentType, body, h);
  }
}
