package atrium.api.http;

import static atrium.api.http.Envelopes.telemetry;
import static atrium.api.http.PipelineHarness.get;
import static atrium.api.http.PipelineHarness.postJson;
import static atrium.api.http.PipelineHarness.request;
import static atrium.api.http.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.http.PipelineHarness.Answer;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every route shares: unknown paths and methods, size limits, connection handling, ordering. */
class HttpPipelineTest {
  private final FakeGateway twin = new FakeGateway();
  private final HttpSettings settings = HttpSettings.defaults().withMaxContentLength(1024);
  private final PipelineHarness http = new PipelineHarness(TestApi.initializer(twin, settings));

  @AfterEach
  void close() {
    http.close();
  }

  @Test
  void anUnknownPathIsAnswered404Problem() {
    Answer a = http.exchange(get("/api/v2/sites?x=1"));

    assertEquals("/api/v2/sites", assertProblem(a, 404, "not-found").get("instance").asText());
  }

  @Test
  void aWrongMethodOnAKnownPathIsAnswered405WithAllow() {
    Answer getMessages = http.exchange(get("/api/v1/devices/messages"));
    Answer deleteSites = http.exchange(request(HttpMethod.DELETE, "/api/v1/sites"));
    Answer postState = http.exchange(PipelineHarness.post("/api/v1/sites/demo-mall/assets/zone/z1", "application/json", "{}"));

    assertProblem(getMessages, 405, "method-not-allowed");
    assertEquals("POST", getMessages.header("allow"));
    assertProblem(deleteSites, 405, "method-not-allowed");
    assertEquals("GET, HEAD", deleteSites.header("allow"));
    assertEquals("GET, HEAD", postState.header("allow"));
  }

  @Test
  void aBodyOverTheContentLimitIsAnswered413ProblemAndTheConnectionClosed() {
    Answer a = http.exchange(postJson(telemetry("m-1") + " ".repeat(1024)));

    assertProblem(a, 413, "payload-too-large");
    assertEquals("close", a.header("connection"));
    assertFalse(http.server.isOpen());
    assertTrue(twin.ingested.isEmpty());
  }

  @Test
  void aBodyOverTheContentLimitAnnouncedWithExpectContinueIsAnswered413Problem() {
    FullHttpRequest r = postJson("");
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 4096).set(HttpHeaderNames.EXPECT, HttpHeaderValues.CONTINUE);

    Answer a = http.exchange(r);

    assertProblem(a, 413, "payload-too-large");
    assertFalse(http.server.isOpen());
  }

  @Test
  void aKeepAliveConnectionStaysOpenAcrossRequests() {
    Answer first = http.exchange(get("/health"));
    Answer second = http.exchange(postJson(telemetry("m-1")));
    Answer third = http.exchange(get("/api/v1/sites"));

    assertEquals(200, first.status());
    assertEquals(200, second.status());
    assertEquals(200, third.status());
    assertNull(third.header("connection"));
    assertTrue(http.server.isOpen());
  }

  @Test
  void aRequestAskingToCloseIsAnsweredWithConnectionCloseAndTheConnectionClosed() {
    FullHttpRequest r = get("/health");
    r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);

    Answer a = http.exchange(r);

    assertEquals(200, a.status());
    assertEquals("close", a.header("connection"));
    assertFalse(http.server.isOpen());
  }

  @Test
  void anHttp10RequestWithoutKeepAliveIsAnsweredAndTheConnectionClosed() {
    FullHttpRequest r = get("/health");
    r.setProtocolVersion(HttpVersion.HTTP_1_0);

    Answer a = http.exchange(r);

    assertEquals(200, a.status());
    assertFalse(http.server.isOpen());
  }

  @Test
  void pipelinedRequestsAreAnsweredInTheOrderTheyWereSent() {
    twin.hold();

    http.send(get("/api/v1/sites/demo-mall/assets/zone/z1"));
    http.send(get("/health"));
    assertNull(http.poll(), "the second answer must wait for the first");
    assertEquals(1, twin.heldStates.size());

    twin.heldStates.get(0).complete(Optional.of(Json.mapper().createObjectNode().put("people", 12)));
    Answer first = http.poll();
    Answer second = http.poll();

    assertEquals("{\"people\":12}", first.body());
    assertEquals("{\"status\":\"ok\"}", second.body());
  }

  @Test
  void garbageInsteadOfAnHttpRequestIsAnswered400AndTheConnectionClosed() {
    http.server.writeInbound(Unpooled.copiedBuffer("HELLO\r\n\r\n", StandardCharsets.US_ASCII));

    Answer a = http.poll();

    assertProblem(a, 400, "malformed-request");
    assertFalse(http.server.isOpen());
  }

  @Test
  void aLargeAnswerIsCompressedWhenTheClientAcceptsGzip() {
    String[] many = new String[200];
    for (int i = 0; i < many.length; i++) many[i] = "site-" + i;
    twin.withSites(many);
    FullHttpRequest r = get("/api/v1/sites");
    r.headers().set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.GZIP);

    Answer a = http.exchange(r);

    assertEquals(200, a.status());
    assertEquals("gzip", a.header("content-encoding"));
  }
}
