package atrium.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import atrium.api.rest.AssetCommands;
import atrium.api.security.Principal;
import atrium.api.security.Role;
import atrium.core.asset.AssetId;
import atrium.devices.TwinGateway;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The request bodies of the operators' asset commands (setpoints, mode, control, price, content
 * mode, reservation, service, flash, the alarm actions) under arbitrary bytes, each handed to its
 * endpoint's own handler in-process. The first byte picks the endpoint, the rest is the body.
 * Regression mode runs the corpus in
 * {@code src/test/resources/atrium/api/http/RequestBodyFuzzTestInputs/}; {@code bin/atrium fuzz rest}
 * fuzzes. The contract: a body is either refused with an {@link ApiException} — 400 naming the field
 * at a JSON path, or 415 — or it is accepted and the command goes on to the twin (here a twin that
 * answers every read with a marker, so reaching it is seen); never any other exception.
 */
class RequestBodyFuzzTest {
  private static final List<Endpoint> WITH_BODIES = new AssetCommands(null, new MarkingTwin()).endpoints().stream()
      .filter(e -> e.method().equals(HttpMethod.PUT) || e.method().equals(HttpMethod.POST)).toList();
  private static final Principal OPERATOR = Principal.person("fuzz-operator", Role.OPERATOR, Set.of(Principal.ALL_SITES));

  /** Thrown by the twin: the body passed every check and the command went on to the asset. */
  static final class ReachedTheTwin extends RuntimeException {
    ReachedTheTwin() {
      super("reached the twin", null, false, false);
    }
  }

  @FuzzTest
  void aBodyIsRefusedAtAFieldOrReachesTheTwin(byte[] input) {
    if (input.length == 0) return;
    Endpoint endpoint = WITH_BODIES.get(Byte.toUnsignedInt(input[0]) % WITH_BODIES.size());
    byte[] body = Arrays.copyOfRange(input, 1, input.length);
    DefaultHttpHeaders headers = new DefaultHttpHeaders();
    headers.set("Content-Type", "application/json");
    Call call = new Call(endpoint, OPERATOR, Map.of("site", "demo-mall", "id", "X-1"), Map.of(), headers, body, "fuzz-1",
        endpoint.path());
    CompletionStage<Reply> stage;
    try {
      stage = endpoint.handler().handle(call);
    } catch (ApiException refused) {
      assertRefusedAtAField(endpoint, refused.problem());
      return;
    }
    try {
      stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
      fail(endpoint.id() + ": the body cannot have been applied without the twin");
    } catch (ExecutionException e) {
      Throwable cause = Problem.unwrap(e.getCause());
      if (cause instanceof ApiException refused) {
        assertRefusedAtAField(endpoint, refused.problem());
      } else {
        assertInstanceOf(ReachedTheTwin.class, cause, () -> endpoint.id() + ": " + cause);
      }
    } catch (Exception e) {
      throw new AssertionError(endpoint.id() + ": " + e, e);
    }
  }

  private static void assertRefusedAtAField(Endpoint endpoint, Problem p) {
    assertTrue(p.status().equals(HttpResponseStatus.BAD_REQUEST), () -> endpoint.id() + ": " + p);
    assertNotNull(p.field(), () -> endpoint.id() + ": a refused body names the field: " + p);
    assertTrue(p.field().startsWith("$"), () -> endpoint.id() + ": the field is a JSON path: " + p);
    assertTrue(p.detail() != null && !p.detail().isBlank(), () -> endpoint.id() + ": " + p);
  }

  /** Serves the demo mall and answers every state read with {@link ReachedTheTwin}. */
  private static final class MarkingTwin implements TwinGateway {
    @Override
    public CompletionStage<Ingested> ingest(atrium.core.protocol.Envelope envelope) {
      return CompletableFuture.failedFuture(new ReachedTheTwin());
    }

    @Override
    public CompletionStage<Optional<JsonNode>> state(AssetId asset) {
      return CompletableFuture.failedFuture(new ReachedTheTwin());
    }

    @Override
    public CompletionStage<Optional<JsonNode>> site(String site) {
      return CompletableFuture.failedFuture(new ReachedTheTwin());
    }

    @Override
    public List<String> sites() {
      return List.of("demo-mall");
    }
  }

  /** The corpus entries' first bytes pick endpoints in this order: a new endpoint goes at the end. */
  @Test
  void theCorpusPicksTheAssetCommandsWithBodiesInAFixedOrder() {
    assertEquals(List.of("putHvacSetpoints", "putHvacMode", "putHvacControl", "putLabelPrice", "putKioskContentMode",
        "putBayReservation", "putBayService", "flashLabel", "acknowledgeAlarm", "shelveAlarm", "unshelveAlarm", "clearAlarm"),
        WITH_BODIES.stream().map(Endpoint::id).toList());
  }
}
