package atrium.api.http;

import static atrium.api.http.Envelopes.batch;
import static atrium.api.http.Envelopes.telemetry;
import static atrium.api.http.PipelineHarness.post;
import static atrium.api.http.PipelineHarness.postJson;
import static atrium.api.http.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.http.PipelineHarness.Answer;
import atrium.core.protocol.DeviceProtocol;
import atrium.core.protocol.ProtocolException;
import atrium.devices.TwinException;
import atrium.devices.TwinGateway.Ingested;
import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeviceMessagesTest {
  private final FakeGateway twin = new FakeGateway();
  private final HttpSettings settings = HttpSettings.defaults().withPort(0);
  private final PipelineHarness http = new PipelineHarness(TestApi.initializer(twin, settings));

  @AfterEach
  void close() {
    http.close();
  }

  @Test
  void aSingleValidMessageIsAppliedAndAnswered200WithItsOutcome() {
    Answer a = http.exchange(postJson(telemetry("m-1")));

    assertEquals(200, a.status());
    assertEquals("application/json", a.header("content-type"));
    assertEquals("{\"results\":[{\"id\":\"m-1\",\"outcome\":\"applied\"}]}", a.body());
    assertEquals(1, twin.ingested.size());
    assertEquals(Envelopes.BAY, twin.ingested.get(0).asset());
  }

  @Test
  void aMessageTheTwinHasAlreadyAppliedIsReportedAsDuplicate() {
    twin.duplicate("m-1");

    Answer a = http.exchange(postJson(telemetry("m-1")));

    assertEquals(200, a.status());
    assertEquals("duplicate", a.json().at("/results/0/outcome").asText());
  }

  @Test
  void aBatchIsAppliedAndAnswered200WithOneResultPerMessageInOrder() {
    twin.duplicate("m-2");

    Answer a = http.exchange(postJson(batch(telemetry("m-1"), telemetry("m-2"), telemetry("m-3", "P1-L1-B0002"))));

    assertEquals(200, a.status());
    JsonNode results = a.json().get("results");
    assertEquals(3, results.size());
    assertEquals(List.of("m-1", "m-2", "m-3"), List.of(results.get(0).get("id").asText(),
        results.get(1).get("id").asText(), results.get(2).get("id").asText()));
    assertEquals("applied", results.get(0).get("outcome").asText());
    assertEquals("duplicate", results.get(1).get("outcome").asText());
    assertEquals("applied", results.get(2).get("outcome").asText());
    assertEquals(3, twin.ingested.size());
  }

  @Test
  void aBatchAnswerWaitsUntilTheTwinHasAnsweredEveryMessage() {
    twin.hold();

    http.send(postJson(batch(telemetry("m-1"), telemetry("m-2"))));
    twin.heldIngests.get(1).complete(Ingested.APPLIED);
    assertNull(http.poll());
    twin.heldIngests.get(0).complete(Ingested.APPLIED);

    Answer a = http.poll();
    assertEquals(200, a.status());
    assertEquals(2, a.json().get("results").size());
  }

  @Test
  void anInvalidEnvelopeIsAnswered400InvalidMessageNamingTheField() {
    String noTimestamp = telemetry("m-1").replace(",\"ts\":\"2026-11-22T09:30:00Z\"", "");

    Answer a = http.exchange(postJson(noTimestamp));

    assertProblem(a, 400, "invalid-message");
    assertEquals("$.ts", a.json().get("field").asText());
    assertEquals("required", a.json().get("detail").asText());
    assertEquals("/api/v1/devices/messages", a.json().get("instance").asText());
    assertTrue(twin.ingested.isEmpty());
  }

  @Test
  void oneInvalidEnvelopeInABatchRefusesTheWholeBatchBeforeAnyIsApplied() {
    String badKind = telemetry("m-2").replace("parking-bay", "parking-lot");

    Answer a = http.exchange(postJson(batch(telemetry("m-1"), badKind)));

    assertProblem(a, 400, "invalid-message");
    assertEquals("$[1].kind", a.json().get("field").asText());
    assertTrue(twin.ingested.isEmpty(), "nothing may be applied from a batch that does not parse");
  }

  @Test
  void malformedJsonIsAnswered400() {
    Answer a = http.exchange(postJson("{\"v\":1,"));

    assertProblem(a, 400, "invalid-message");
    assertEquals("$", a.json().get("field").asText());
    assertTrue(a.json().get("detail").asText().startsWith("not valid JSON"));
  }

  @Test
  void dataTheTwinFindsWrongForTheKindIsAnswered400NamingTheDataField() {
    twin.failing("m-1", new ProtocolException("$.data.occupied", "expected a boolean, found a string"));

    Answer a = http.exchange(postJson(telemetry("m-1")));

    assertProblem(a, 400, "invalid-message");
    assertEquals("$.data.occupied", a.json().get("field").asText());
    assertEquals("expected a boolean, found a string", a.json().get("detail").asText());
  }

  @Test
  void aMessageForAnAssetTheSiteDoesNotHaveIsAnswered404() {
    twin.failing("m-1", new TwinException.UnknownAsset(Envelopes.BAY));

    Answer a = http.exchange(postJson(telemetry("m-1")));

    assertProblem(a, 404, "unknown-asset");
    assertEquals("no asset demo-mall/parking-bay/P1-L1-B0001 in the site model", a.json().get("detail").asText());
  }

  @Test
  void aMessageTheTwinRejectsIsAnswered422() {
    twin.failing("m-1", new TwinException.Rejected("the bay is closed for maintenance"));

    Answer a = http.exchange(postJson(telemetry("m-1")));

    assertProblem(a, 422, "rejected");
    assertEquals("the bay is closed for maintenance", a.json().get("detail").asText());
  }

  @Test
  void aMessageWhileTheTwinIsUnavailableIsAnswered503WithRetryAfter() {
    twin.failing("m-1", new TwinException.Unavailable("journal unavailable"));

    Answer a = http.exchange(postJson(telemetry("m-1")));

    assertProblem(a, 503, "unavailable");
    assertEquals("1", a.header("retry-after"));
  }

  @Test
  void anUnexpectedFailureIsAnswered500WithAGenericDetailAndLogged() {
    twin.failing("m-1", new IllegalStateException("secret internals at db.host:5432"));

    Answer a;
    try (LogCapture log = new LogCapture(ApiHandler.class)) {
      a = http.exchange(postJson(telemetry("m-1")));
      assertEquals(1, log.events(Level.ERROR).size());
      assertEquals(IllegalStateException.class.getName(), log.events(Level.ERROR).get(0).getThrowableProxy().getClassName());
    }

    assertProblem(a, 500, "internal-error");
    assertFalse(a.body().contains("secret"), a.body());
    assertFalse(a.body().contains("IllegalStateException"), a.body());
  }

  @Test
  void aGatewayThatThrowsInsteadOfFailingItsStageIsAnsweredLikeAFailedStage() {
    twin.throwing(new TwinException.Unavailable("shard region not started"));

    Answer single = http.exchange(postJson(telemetry("m-1")));
    Answer batch = http.exchange(postJson(batch(telemetry("m-2"), telemetry("m-3"))));

    assertProblem(single, 503, "unavailable");
    assertEquals(503, batch.status());
    assertEquals("unavailable", batch.json().at("/results/1/outcome").asText());
    assertEquals(0, http.inFlight());
  }

  @Test
  void aBatchWithSomeFailuresIsAnswered422WithEachMessagesOutcome() {
    twin.failing("m-2", new ProtocolException("$.data.occupied", "expected a boolean, found a string"))
        .failing("m-3", new TwinException.Rejected("the bay is closed"))
        .failing("m-4", new TwinException.UnknownAsset(Envelopes.BAY));

    Answer a = http.exchange(postJson(batch(telemetry("m-1"), telemetry("m-2"), telemetry("m-3"), telemetry("m-4"))));

    assertEquals(422, a.status());
    assertEquals("application/json", a.header("content-type"));
    JsonNode r = a.json().get("results");
    assertEquals("applied", r.get(0).get("outcome").asText());
    assertFalse(r.get(0).has("detail"));
    assertEquals("invalid", r.get(1).get("outcome").asText());
    assertEquals("$[1].data.occupied", r.get(1).get("field").asText());
    assertEquals("expected a boolean, found a string", r.get(1).get("detail").asText());
    assertEquals("rejected", r.get(2).get("outcome").asText());
    assertEquals("the bay is closed", r.get(2).get("detail").asText());
    assertEquals("unknown-asset", r.get(3).get("outcome").asText());
  }

  @Test
  void aBatchWithAnyUnavailableMessageIsAnswered503WithRetryAfterAndEachOutcome() {
    twin.failing("m-2", new TwinException.Unavailable("journal unavailable"))
        .failing("m-3", new TwinException.Rejected("the bay is closed"));

    Answer a = http.exchange(postJson(batch(telemetry("m-1"), telemetry("m-2"), telemetry("m-3"))));

    assertEquals(503, a.status());
    assertEquals("1", a.header("retry-after"));
    JsonNode r = a.json().get("results");
    assertEquals("applied", r.get(0).get("outcome").asText());
    assertEquals("unavailable", r.get(1).get("outcome").asText());
    assertEquals("rejected", r.get(2).get("outcome").asText());
  }

  @Test
  void aBatchOfOneIsAnsweredWithResultsEvenWhenItFails() {
    twin.failing("m-1", new TwinException.Rejected("the bay is closed"));

    Answer a = http.exchange(postJson(batch(telemetry("m-1"))));

    assertEquals(422, a.status());
    assertEquals("rejected", a.json().at("/results/0/outcome").asText());
  }

  @Test
  void aMessageTheTwinDoesNotAnswerInTimeIsAnswered503Timeout() {
    twin.hold();

    http.send(postJson(telemetry("m-1")));
    assertNull(http.poll());
    http.advance(settings.requestTimeout().minusMillis(1));
    assertNull(http.poll());
    http.advance(Duration.ofMillis(1));

    Answer a = http.poll();
    assertProblem(a, 503, "timeout");
    assertEquals("1", a.header("retry-after"));
    twin.heldIngests.get(0).complete(Ingested.APPLIED);
    assertNull(http.poll(), "a late answer must not produce a second response");
  }

  @Test
  void aBatchTimingOutReportsTheUnansweredMessagesAsUnavailable() {
    twin.hold();

    http.send(postJson(batch(telemetry("m-1"), telemetry("m-2"))));
    twin.heldIngests.get(0).complete(Ingested.APPLIED);
    http.advance(settings.requestTimeout());

    Answer a = http.poll();
    assertEquals(503, a.status());
    assertEquals("1", a.header("retry-after"));
    JsonNode r = a.json().get("results");
    assertEquals("applied", r.get(0).get("outcome").asText());
    assertEquals("unavailable", r.get(1).get("outcome").asText());
    assertTrue(r.get(1).get("detail").asText().contains("same id"), r.get(1).toString());
  }

  @Test
  void aPostWithoutJsonContentTypeIsAnswered415() {
    Answer noType = http.exchange(post("/api/v1/devices/messages", null, telemetry("m-1")));
    Answer text = http.exchange(post("/api/v1/devices/messages", "text/plain", telemetry("m-1")));
    Answer jsonWithCharset = http.exchange(post("/api/v1/devices/messages", "application/json; charset=utf-8", telemetry("m-1")));

    assertProblem(noType, 415, "unsupported-media-type");
    assertProblem(text, 415, "unsupported-media-type");
    assertEquals(200, jsonWithCharset.status());
    assertEquals(1, twin.ingested.size());
  }

  @Test
  void aBodyOverTheProtocolsMessageLimitIsAnswered413() {
    String padded = " ".repeat(DeviceProtocol.MAX_MESSAGE_BYTES) + telemetry("m-1");

    Answer a = http.exchange(postJson(padded));

    assertProblem(a, 413, "payload-too-large");
    assertTrue(twin.ingested.isEmpty());
  }
}
