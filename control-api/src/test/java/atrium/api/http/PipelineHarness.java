package atrium.api.http;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import atrium.core.protocol.DeviceProtocol;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The server pipeline in an {@link EmbeddedChannel}, fed by a client codec in another, so tests
 * speak bytes-on-the-wire HTTP without a socket.
 */
final class PipelineHarness {
  /** A response, copied out of its buffers. */
  record Answer(int status, HttpHeaders headers, String body) {
    JsonNode json() {
      try {
        return DeviceProtocol.mapper().readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    String header(CharSequence name) {
      return headers.get(name);
    }
  }

  final EmbeddedChannel server;
  private final EmbeddedChannel client;
  private final HttpServerInitializer initializer;

  PipelineHarness(HttpServerInitializer initializer) {
    this.initializer = initializer;
    server = new EmbeddedChannel(initializer);
    server.freezeTime();
    client = new EmbeddedChannel(new HttpClientCodec(), new HttpObjectAggregator(16 * 1024 * 1024));
  }

  static FullHttpRequest get(String uri) {
    return request(HttpMethod.GET, uri);
  }

  static FullHttpRequest request(HttpMethod method, String uri) {
    FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, Unpooled.EMPTY_BUFFER);
    r.headers().set(HttpHeaderNames.HOST, "localhost");
    return r;
  }

  static FullHttpRequest post(String uri, String contentType, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri, Unpooled.wrappedBuffer(bytes));
    r.headers().set(HttpHeaderNames.HOST, "localhost");
    if (contentType != null) r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    return r;
  }

  static FullHttpRequest postJson(String body) {
    return post("/api/v1/devices/messages", "application/json", body);
  }

  /** Sends the request and returns its answer, which must be there already. */
  Answer exchange(FullHttpRequest request) {
    send(request);
    Answer a = poll();
    assertNotNull(a, "no response to " + request.method() + " " + request.uri());
    return a;
  }

  void send(FullHttpRequest request) {
    client.writeOutbound(request);
    for (ByteBuf b = client.readOutbound(); b != null; b = client.readOutbound()) {
      if (server.isOpen()) {
        server.writeInbound(b);
      } else {
        b.release(); // the server hung up mid-request, as it does after a 413
      }
    }
    server.runPendingTasks();
  }

  /** The next answer the server has written, or null if there is none yet. */
  Answer poll() {
    server.runPendingTasks();
    for (ByteBuf b = server.readOutbound(); b != null; b = server.readOutbound()) {
      client.writeInbound(b);
    }
    FullHttpResponse r = client.readInbound();
    if (r == null) return null;
    try {
      return new Answer(r.status().code(), r.headers().copy(), r.content().toString(StandardCharsets.UTF_8));
    } finally {
      r.release();
    }
  }

  /** Calls to the twin outstanding over every connection of the initializer. */
  int inFlight() {
    return initializer.inFlight();
  }

  /** Moves the server's clock (frozen otherwise) on and runs the timers that fall due. */
  void advance(Duration d) {
    server.advanceTimeBy(d.toNanos(), TimeUnit.NANOSECONDS);
    server.runScheduledPendingTasks();
    server.runPendingTasks();
  }

  void close() {
    server.finishAndReleaseAll();
    client.finishAndReleaseAll();
  }
}
