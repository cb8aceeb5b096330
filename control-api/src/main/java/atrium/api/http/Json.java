package atrium.api.http;

import atrium.core.protocol.DeviceProtocol;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** JSON bodies for responses, written with the protocol's mapper. */
public final class Json {
  private Json() {}

  public static ObjectMapper mapper() {
    return DeviceProtocol.mapper();
  }

  static FullHttpResponse ok(HttpVersion version, Object body) {
    return response(version, HttpResponseStatus.OK, body, HttpHeaderValues.APPLICATION_JSON);
  }

  /**
   * The body written as JSON bytes with the state views' mapper: instants and durations as ISO-8601
   * text. (Request bodies are read with {@link #mapper()}, the device protocol's strict one.)
   */
  public static byte[] bytes(Object body) {
    try {
      return atrium.core.json.Json.MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a " + body.getClass().getSimpleName() + " as JSON", e);
    }
  }

  static FullHttpResponse response(HttpVersion version, HttpResponseStatus status, Object body, CharSequence contentType) {
    byte[] bytes = bytes(body);
    FullHttpResponse r = new DefaultFullHttpResponse(version, status, Unpooled.wrappedBuffer(bytes));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    return r;
  }
}
