package atrium.api.http;

import static atrium.api.http.PipelineHarness.get;
import static atrium.api.http.PipelineHarness.request;
import static atrium.api.http.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.http.PipelineHarness.Answer;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.protocol.DeviceProtocol;
import atrium.devices.TwinException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReadRoutesTest {
  private final FakeGateway twin = new FakeGateway();
  private final HttpSettings settings = HttpSettings.defaults();
  private final PipelineHarness http = new PipelineHarness(TestApi.initializer(twin, settings));

  @AfterEach
  void close() {
    http.close();
  }

  @Test
  void healthIsAnswered200Ok() {
    Answer a = http.exchange(get("/health"));

    assertEquals(200, a.status());
    assertEquals("application/json", a.header("content-type"));
    assertEquals("{\"status\":\"ok\"}", a.body());
  }

  @Test
  void headIsAnsweredWithTheHeadersOfGetAndNoBody() {
    Answer a = http.exchange(request(HttpMethod.HEAD, "/health"));

    assertEquals(200, a.status());
    assertEquals("15", a.header("content-length"));
    assertEquals("", a.body());
  }

  @Test
  void sitesListsTheSitesTheGatewayServes() {
    twin.withSites("demo-mall", "north-mall");

    Answer a = http.exchange(get("/api/v1/sites"));

    assertEquals(200, a.status());
    assertEquals("{\"sites\":[\"demo-mall\",\"north-mall\"]}", a.body());
  }

  @Test
  void anAssetsStateIsAnsweredAsTheTwinsJson() {
    ObjectNode state = DeviceProtocol.mapper().createObjectNode().put("occupied", true).put("since", "2026-11-22T09:30:00Z");
    twin.withState(Envelopes.BAY, state);

    Answer a = http.exchange(get("/api/v1/sites/demo-mall/assets/parking-bay/P1-L1-B0001"));

    assertEquals(200, a.status());
    assertEquals("application/json", a.header("content-type"));
    assertEquals(state, a.json());
  }

  @Test
  void anAssetTheSiteDoesNotHaveIsAnswered404() {
    Answer a = http.exchange(get("/api/v1/sites/demo-mall/assets/car-park/P9"));

    JsonNode p = assertProblem(a, 404, "unknown-asset");
    assertEquals("no asset demo-mall/car-park/P9 in the site model", p.get("detail").asText());
    assertEquals("/api/v1/sites/demo-mall/assets/car-park/P9", p.get("instance").asText());
  }

  @Test
  void anUnknownAssetFailureFromTheTwinIsAnswered404() {
    twin.failing("P9", new TwinException.UnknownAsset(AssetId.of("demo-mall", AssetKind.CAR_PARK, "P9")));

    assertProblem(http.exchange(get("/api/v1/sites/demo-mall/assets/car-park/P9")), 404, "unknown-asset");
  }

  @Test
  void anUnknownKindIsAnswered404NamingTheAcceptedKinds() {
    Answer a = http.exchange(get("/api/v1/sites/demo-mall/assets/parking-lot/P1"));

    JsonNode p = assertProblem(a, 404, "unknown-kind");
    assertTrue(p.get("detail").asText().contains(AssetKind.wireNames()), p.get("detail").asText());
    assertTrue(twin.heldStates.isEmpty());
  }

  @Test
  void anAssetIdOfTheWrongSyntaxIsAnswered400() {
    Answer badId = http.exchange(get("/api/v1/sites/demo-mall/assets/parking-bay/-bay"));
    Answer badSite = http.exchange(get("/api/v1/sites/demo%20mall/assets/parking-bay/P1"));

    assertTrue(assertProblem(badId, 400, "invalid-asset-id").get("detail").asText().startsWith("asset id '-bay'"));
    assertTrue(assertProblem(badSite, 400, "invalid-asset-id").get("detail").asText().startsWith("site 'demo mall'"));
  }

  @Test
  void aStateTheTwinCannotGiveInTimeIsAnswered503WithRetryAfter() {
    twin.hold();

    http.send(get("/api/v1/sites/demo-mall/assets/parking-bay/P1-L1-B0001"));
    assertNull(http.poll());
    http.advance(settings.requestTimeout());

    Answer a = http.poll();
    assertProblem(a, 503, "timeout");
    assertEquals("1", a.header("retry-after"));
    twin.heldStates.get(0).complete(Optional.empty());
    assertNull(http.poll());
  }

  @Test
  void aStateWhileTheTwinIsUnavailableIsAnswered503WithRetryAfter() {
    twin.failing("P1-L1-B0001", new TwinException.Unavailable("shard region not ready"));

    Answer a = http.exchange(get("/api/v1/sites/demo-mall/assets/parking-bay/P1-L1-B0001"));

    assertProblem(a, 503, "unavailable");
    assertEquals("1", a.header("retry-after"));
  }
}
