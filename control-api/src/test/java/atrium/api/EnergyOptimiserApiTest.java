package atrium.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.security.Role;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The site energy optimiser through a whole node over HTTP, with Debian's curl: its status and
 * decisions for everyone, engineers' zone overrides and suspensions (which reach the real HVAC zone
 * twins), the demand limit, an operator's evacuation, the role checks, refusals that change nothing,
 * and the audit of every command.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EnergyOptimiserApiTest {
  private static final String ENERGY = "/api/v1/sites/demo-mall/energy";

  @TempDir
  static Path dir;

  private AtriumMain.Node node;
  private String base;
  private String viewer;
  private String operator;
  private String engineer;
  private String admin;
  private final ActorTestKit waiter = ActorTestKit.create("energy-api-waiter");

  @BeforeAll
  void start() {
    node = AtriumMain.Node.start(TestNode.config(dir));
    base = node.baseUri().toString();
    viewer = TestNode.bearer(TestNode.token(node, "vera-viewer", Role.VIEWER, "demo-mall"));
    operator = TestNode.bearer(TestNode.token(node, "otto-operator", Role.OPERATOR, "demo-mall"));
    engineer = TestNode.bearer(TestNode.token(node, "erin-engineer", Role.ENGINEER, "demo-mall"));
    admin = TestNode.bearer(TestNode.token(node, "ada-admin", Role.ADMIN, "demo-mall"));
  }

  @AfterAll
  void stop() {
    if (node != null) node.close();
    waiter.shutdownTestKit();
  }

  private Curl.Reply get(String auth, String path) {
    return Curl.run("-H", auth, base + path);
  }

  private Curl.Reply send(String method, String auth, String path, String json) {
    List<String> args = new ArrayList<>(List.of("-X", method, "-H", auth));
    if (json != null) args.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", json));
    args.add(base + path);
    return Curl.run(args.toArray(new String[0]));
  }

  /** The check, retried until it passes or 30 s have gone (Pekko's awaitAssert). */
  private void eventually(Runnable check) {
    waiter.createTestProbe().awaitAssert(java.time.Duration.ofSeconds(30), java.time.Duration.ofMillis(200), () -> {
      check.run();
      return null;
    });
  }

  private static List<String> zonesOf(JsonNode status) {
    List<String> out = new ArrayList<>();
    status.get("zones").forEach(z -> out.add(z.get("zone").asText()));
    return out;
  }

  @Test
  void everyoneReadsTheStatusAndOnlyEngineersChangeIt() {
    Curl.Reply status = get(viewer, ENERGY);
    assertEquals(200, status.status(), status.toString());
    assertEquals("demo-mall", status.json().get("site").asText());
    assertTrue(status.json().has("preCool") && status.json().has("forecast"), status.body());

    Curl.Reply byViewer = send("PUT", viewer, ENERGY, "{\"demandLimitKw\":450}");
    assertEquals(403, byViewer.status());
    assertTrue(byViewer.json().get("detail").asText().contains("engineer"), byViewer.body());
    assertEquals(403, send("PUT", operator, ENERGY, "{\"demandLimitKw\":450}").status());
    Curl.Reply set = send("PUT", engineer, ENERGY, "{\"demandLimitKw\":450}");
    assertEquals(200, set.status(), set.toString());
    assertEquals(450, set.json().get("demandLimitKw").asDouble());

    Curl.Reply negative = send("PUT", engineer, ENERGY, "{\"demandLimitKw\":-3}");
    assertEquals(400, negative.status());
    assertTrue(negative.contentType().startsWith("application/problem+json"));
    assertEquals("$.demandLimitKw", negative.json().get("field").asText());
    Curl.Reply empty = send("PUT", engineer, ENERGY, "{}");
    assertEquals(400, empty.status(), empty.toString());
    assertEquals(450, get(viewer, ENERGY).json().get("demandLimitKw").asDouble(), "refusals changed nothing");
  }

  @Test
  void anEngineersOverrideReachesTheZoneIsListedAsADecisionAndClears() {
    String zone = ENERGY + "/zones/AHU-L1-05";
    assertEquals(403, send("PUT", viewer, zone, "{\"suspended\":true}").status());
    assertEquals(403, send("PUT", operator, zone, "{\"override\":{\"heating\":21,\"cooling\":23}}").status());
    assertEquals(403, send("DELETE", operator, zone, null).status());

    Curl.Reply set = send("PUT", engineer, zone, "{\"override\":{\"heating\":21,\"cooling\":23}}");
    assertEquals(200, set.status(), set.toString());
    assertTrue(zonesOf(set.json()).contains("AHU-L1-05"), set.body());
    eventually(() -> {
      JsonNode decisions = get(viewer, ENERGY + "/decisions?zone=AHU-L1-05").json().get("decisions");
      assertTrue(decisions.size() >= 1, "no decision yet");
      JsonNode d = decisions.get(0);
      assertEquals("OVERRIDE", d.get("action").asText());
      assertEquals(23.0, d.at("/to/cooling").asDouble());
      assertTrue(d.get("reason").asText().contains("erin-engineer"), d.toString());
      JsonNode setpoints = get(viewer, "/api/v1/sites/demo-mall/assets/hvac-zone/AHU-L1-05/setpoints").json();
      assertEquals(21.0, setpoints.get("heating").asDouble());
      assertEquals(23.0, setpoints.get("cooling").asDouble());
      assertEquals("energy-optimiser", setpoints.get("by").asText());
    });

    Curl.Reply band = send("PUT", engineer, zone, "{\"override\":{\"heating\":23,\"cooling\":23.5}}");
    assertEquals(422, band.status(), band.toString());
    assertTrue(band.json().get("detail").asText().contains("at least 1.0 K above the heating setpoint"), band.body());
    Curl.Reply wrongType = send("PUT", engineer, zone, "{\"suspended\":\"yes\"}");
    assertEquals(400, wrongType.status());
    assertEquals("$.suspended", wrongType.json().get("field").asText());
    assertEquals(404, send("PUT", engineer, ENERGY + "/zones/AHU-NOWHERE", "{\"suspended\":true}").status());
    JsonNode kept = get(viewer, ENERGY).json().get("zones");
    assertEquals(23.0, kept.get(0).get("cooling").asDouble(), "the refused override changed nothing: " + kept);

    Curl.Reply suspend = send("PUT", engineer, ENERGY + "/zones/AHU-L1-06", "{\"suspended\":true}");
    assertEquals(200, suspend.status(), suspend.toString());
    assertEquals(List.of("AHU-L1-05", "AHU-L1-06"), zonesOf(suspend.json()));
    Curl.Reply cleared = send("DELETE", engineer, zone, null);
    assertEquals(200, cleared.status(), cleared.toString());
    assertEquals(List.of("AHU-L1-06"), zonesOf(cleared.json()));
    assertEquals(200, send("DELETE", engineer, ENERGY + "/zones/AHU-L1-06", null).status());

    Curl.Reply badLimit = get(viewer, ENERGY + "/decisions?limit=5000");
    assertEquals(400, badLimit.status());
    assertEquals("limit", badLimit.json().get("field").asText());

    eventually(() -> {
      JsonNode entries = get(admin, "/api/v1/audit?site=demo-mall&action=putEnergyZoneControl").json().get("entries");
      List<String> seen = new ArrayList<>();
      entries.forEach(e -> seen.add(e.get("actor").asText() + ":" + e.get("outcome").asText()));
      assertTrue(seen.contains("erin-engineer:accepted"), seen.toString());
      assertTrue(seen.contains("otto-operator:denied"), seen.toString());
      assertTrue(seen.contains("erin-engineer:rejected"), seen.toString());
    });
  }

  @Test
  void anOperatorsEvacuationPutsTheZonesInSmokeControlUntilCleared() {
    String evacuation = ENERGY + "/evacuation";
    assertEquals(403, send("POST", viewer, evacuation, "{\"reason\":\"drill\"}").status());
    Curl.Reply noReason = send("POST", operator, evacuation, "{}");
    assertEquals(400, noReason.status());
    assertEquals("$.reason", noReason.json().get("field").asText());
    Curl.Reply nothing = send("DELETE", operator, evacuation, null);
    assertEquals(422, nothing.status(), "no evacuation yet: " + nothing);

    Curl.Reply declared = send("POST", operator, evacuation, "{\"reason\":\"fire drill L1\"}");
    assertEquals(200, declared.status(), declared.toString());
    assertEquals("evacuation", declared.json().get("mode").asText());
    eventually(() -> assertEquals("SMOKE_CONTROL",
        get(viewer, "/api/v1/sites/demo-mall/assets/hvac-zone/AHU-L1-03/mode").json().get("mode").asText()));
    JsonNode smoke = get(viewer, ENERGY + "/decisions?zone=AHU-L1-03").json().get("decisions").get(0);
    assertEquals("SMOKE_CONTROL", smoke.get("action").asText());
    assertTrue(smoke.get("reason").asText().contains("fire drill L1"), smoke.toString());

    Curl.Reply cleared = send("DELETE", operator, evacuation, null);
    assertEquals(200, cleared.status(), cleared.toString());
    eventually(() -> assertEquals("OFF",
        get(viewer, "/api/v1/sites/demo-mall/assets/hvac-zone/AHU-L1-03/mode").json().get("mode").asText()));
    assertEquals("SMOKE_CLEARED", get(viewer, ENERGY + "/decisions?zone=AHU-L1-03&limit=1").json().at("/decisions/0/action").asText());
  }
}
