package atrium.api.http;

import static atrium.api.http.Envelopes.batch;
import static atrium.api.http.Envelopes.telemetry;
import static atrium.api.http.PipelineHarness.get;
import static atrium.api.http.PipelineHarness.postJson;
import static atrium.api.http.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import atrium.api.http.PipelineHarness.Answer;
import atrium.devices.TwinGateway.Ingested;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server-wide bound on calls to the twin: beyond it requests are refused at once, never queued. */
class BackPressureTest {
  private final FakeGateway twin = new FakeGateway().hold();
  private final HttpSettings settings = HttpSettings.defaults().withMaxInFlight(3);
  private final HttpServerInitializer server = TestApi.initializer(twin, settings);
  private final List<PipelineHarness> connections = new ArrayList<>();

  @AfterEach
  void close() {
    connections.forEach(PipelineHarness::close);
  }

  private PipelineHarness connect() {
    PipelineHarness c = new PipelineHarness(server);
    connections.add(c);
    return c;
  }

  @Test
  void requestsBeyondTheInFlightLimitAreAnswered503WithRetryAfterAtOnce() {
    PipelineHarness a = connect();
    PipelineHarness b = connect();
    PipelineHarness c = connect();
    PipelineHarness d = connect();
    a.send(postJson(telemetry("m-1")));
    b.send(postJson(telemetry("m-2")));
    c.send(get("/api/v1/sites/demo-mall/assets/zone/z1"));
    assertEquals(3, server.inFlight());

    Answer refused = d.exchange(postJson(telemetry("m-4")));

    assertProblem(refused, 503, "overloaded");
    assertEquals("1", refused.header("retry-after"));
    assertEquals(List.of("m-1", "m-2"), twin.ingested.stream().map(e -> e.id()).toList(), "m-4 must not reach the twin");
  }

  @Test
  void aSlotFreedByTheTwinsAnswerIsAvailableAgain() {
    PipelineHarness a = connect();
    PipelineHarness b = connect();
    a.send(postJson(batch(telemetry("m-1"), telemetry("m-2"), telemetry("m-3"))));
    assertProblem(b.exchange(postJson(telemetry("m-4"))), 503, "overloaded");

    twin.heldIngests.forEach(f -> f.complete(Ingested.APPLIED));
    assertEquals(200, a.poll().status());
    assertEquals(0, server.inFlight());
    b.send(postJson(telemetry("m-5")));

    assertEquals(1, server.inFlight());
  }

  @Test
  void aBatchTakesOneSlotPerMessageAllOrNothing() {
    PipelineHarness a = connect();
    PipelineHarness b = connect();
    a.send(postJson(batch(telemetry("m-1"), telemetry("m-2"))));

    assertProblem(b.exchange(postJson(batch(telemetry("m-3"), telemetry("m-4")))), 503, "overloaded");
    assertEquals(2, server.inFlight());
    assertEquals(2, twin.ingested.size());
  }

  @Test
  void aBatchLargerThanTheWholeLimitIsAnswered413() {
    Answer a = connect().exchange(postJson(batch(telemetry("m-1"), telemetry("m-2"), telemetry("m-3"), telemetry("m-4"))));

    assertProblem(a, 413, "batch-too-large");
    assertEquals(0, server.inFlight());
  }

  @Test
  void aSlotIsHeldUntilTheTwinAnswersEvenAfterTheClientWasToldItTimedOut() {
    PipelineHarness a = connect();
    a.send(postJson(telemetry("m-1")));
    a.advance(settings.requestTimeout());
    assertProblem(a.poll(), 503, "timeout");
    assertEquals(1, server.inFlight());

    twin.heldIngests.get(0).complete(Ingested.APPLIED);

    assertEquals(0, server.inFlight());
    assertNull(a.poll());
  }

  @Test
  void healthAndSitesNeedNoSlot() {
    PipelineHarness a = connect();
    a.send(postJson(batch(telemetry("m-1"), telemetry("m-2"), telemetry("m-3"))));

    assertEquals(200, connect().exchange(get("/health")).status());
    assertEquals(200, connect().exchange(get("/api/v1/sites")).status());
  }
}
