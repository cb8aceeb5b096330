package atrium.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.security.Role;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/sites/{site}/parking/find-car} on a whole node over HTTP: a bay camera reports a
 * car's plate through the device door, and a viewer who types the plate (in another spelling) is told
 * the car park, bay, level and walk, never the plate's token; an unknown plate is not found; bad bodies
 * are 400 problems naming the field.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CarFinderApiTest {
  private static final String FIND = "/api/v1/sites/demo-mall/parking/find-car";

  @TempDir
  static Path dir;

  private final ActorTestKit waiter = ActorTestKit.create("car-finder-waiter");
  private AtriumMain.Node node;
  private String base;
  private String viewer;

  @BeforeAll
  void start() {
    node = AtriumMain.Node.start(TestNode.config(dir));
    base = node.baseUri().toString();
    viewer = TestNode.bearer(TestNode.token(node, "vera-viewer", Role.VIEWER, "demo-mall"));
    Curl.Reply parked = Curl.run("-X", "POST", "-H", TestNode.gatewayAuth(), "-H", "Content-Type: application/json", "--data-binary",
        "{\"v\":1,\"type\":\"telemetry\",\"id\":\"find-1\",\"site\":\"demo-mall\",\"kind\":\"parking-bay\",\"asset\":\"PS-B2-0042\","
            + "\"ts\":\"2026-12-24T01:03:00Z\",\"data\":{\"occupied\":true,\"plate\":\"沪A 12345\"}}",
        base + "/api/v1/devices/messages");
    assertEquals(200, parked.status(), parked.toString());
  }

  @AfterAll
  void stop() {
    if (node != null) node.close();
    waiter.shutdownTestKit();
  }

  private Curl.Reply find(String json) {
    return Curl.run("-X", "POST", "-H", viewer, "-H", "Content-Type: application/json", "--data-binary", json, base + FIND);
  }

  @Test
  void aViewerFindsTheParkedCarByItsPlateAndIsNotShownTheToken() {
    waiter.createTestProbe().awaitAssert(java.time.Duration.ofSeconds(30), java.time.Duration.ofMillis(200), () -> {
      Curl.Reply r = find("{\"plate\":\"沪a12345\"}");
      assertEquals(200, r.status(), r.toString());
      JsonNode body = r.json();
      assertTrue(body.get("found").asBoolean(), body.toString());
      assertEquals("P-south", body.get("carPark").asText());
      assertEquals("PS-B2-0042", body.get("bay").asText());
      assertEquals("PS-B2", body.get("level").asText());
      assertEquals("B2", body.get("floor").asText());
      assertTrue(body.get("route").size() >= 1 && body.get("routeMetres").asDouble() > 0, body.toString());
      assertFalse(r.body().contains("pt_") || r.body().contains("12345"), "neither the plate nor its token is answered: " + r.body());
      return null;
    });
  }

  @Test
  void aPlateNoCarParkHoldsIsNotFound() {
    Curl.Reply r = find("{\"plate\":\"京B99999\"}");
    assertEquals(200, r.status(), r.toString());
    assertFalse(r.json().get("found").asBoolean(), r.body());
    assertFalse(r.json().has("bay"), r.body());
  }

  @Test
  void badBodiesAre400ProblemsNamingTheField() {
    String[][] cases = {{"{}", "$.plate"}, {"{\"plate\":\"!!\"}", "$.plate"}, {"{\"plate\":42}", "$.plate"},
        {"{\"plate\":\"沪A12345\",\"colour\":\"red\"}", "$.colour"}, {"{\"plate\":\"沪A12345\",\"fromZone\":\"NOWHERE\"}", "$.fromZone"}};
    for (String[] c : cases) {
      Curl.Reply r = find(c[0]);
      assertEquals(400, r.status(), c[0] + " " + r);
      assertTrue(r.contentType().startsWith("application/problem+json"), r.toString());
      assertEquals(c[1], r.json().get("field").asText(), r.toString());
    }
    Curl.Reply unknownSite = Curl.run("-X", "POST", "-H", TestNode.bearer(TestNode.token(node, "ada", Role.ADMIN, "*")),
        "-H", "Content-Type: application/json", "--data-binary", "{\"plate\":\"沪A12345\"}", base + "/api/v1/sites/no-such-mall/parking/find-car");
    assertEquals(404, unknownSite.status(), unknownSite.toString());
  }
}
