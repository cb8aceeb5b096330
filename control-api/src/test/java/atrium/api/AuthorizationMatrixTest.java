package atrium.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.http.Endpoint;
import atrium.api.security.Access;
import atrium.api.security.Role;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authorisation matrix, exhaustively: every endpoint the node serves, called by every kind of
 * caller — nobody, each role of the site, an administrator of another site, a device gateway — over
 * real HTTP. Who may do what is written out here, apart from the code that enforces it, so a change
 * to either that the other does not share fails this test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ANONYMOUS = "anonymous";
  private static final String VIEWER = "viewer";
  private static final String OPERATOR = "operator";
  private static final String ENGINEER = "engineer";
  private static final String ADMIN = "admin";
  private static final String OTHER_SITE_ADMIN = "admin-of-another-site";
  private static final String DEVICE = "device-gateway";

  /** The matrix: who may call an endpoint of each access level (on a site they are granted). */
  private static final Map<Access, Set<String>> MAY = new EnumMap<>(Map.of(
      Access.PUBLIC, Set.of(ANONYMOUS, VIEWER, OPERATOR, ENGINEER, ADMIN, OTHER_SITE_ADMIN, DEVICE),
      Access.VIEW, Set.of(VIEWER, OPERATOR, ENGINEER, ADMIN, OTHER_SITE_ADMIN),
      Access.OPERATE, Set.of(OPERATOR, ENGINEER, ADMIN, OTHER_SITE_ADMIN),
      Access.ENGINEER, Set.of(ENGINEER, ADMIN, OTHER_SITE_ADMIN),
      Access.ADMIN, Set.of(ADMIN, OTHER_SITE_ADMIN),
      Access.DEVICE, Set.of(DEVICE)));

  @TempDir
  static Path dir;

  private AtriumMain.Node node;
  private final Map<String, String> authorization = new LinkedHashMap<>();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  void start() {
    node = AtriumMain.Node.start(TestNode.config(dir));
    authorization.put(ANONYMOUS, null);
    authorization.put(VIEWER, "Bearer " + TestNode.token(node, "v", Role.VIEWER, "demo-mall"));
    authorization.put(OPERATOR, "Bearer " + TestNode.token(node, "o", Role.OPERATOR, "demo-mall"));
    authorization.put(ENGINEER, "Bearer " + TestNode.token(node, "e", Role.ENGINEER, "demo-mall"));
    authorization.put(ADMIN, "Bearer " + TestNode.token(node, "a", Role.ADMIN, "demo-mall"));
    authorization.put(OTHER_SITE_ADMIN, "Bearer " + TestNode.token(node, "x", Role.ADMIN, "other-mall"));
    authorization.put(DEVICE, TestNode.gatewayAuth().substring("Authorization: ".length()));
  }

  @AfterAll
  void stop() {
    if (node != null) node.close();
  }

  @Test
  void everyAccessLevelOfTheApiIsInTheMatrix() {
    for (Endpoint e : node.endpoints()) assertTrue(MAY.containsKey(e.access()), e.id() + " has access " + e.access());
    assertTrue(node.endpoints().size() > 30, "the node serves " + node.endpoints().size() + " endpoints");
  }

  @Test
  void everyEndpointAnswersEveryCallerAsTheMatrixSays() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Endpoint e : node.endpoints()) {
      for (var caller : authorization.entrySet()) {
        String who = caller.getKey();
        HttpResponse<String> r = call(e, caller.getValue());
        int status = r.statusCode();
        String expected = expectation(e, who);
        boolean ok;
        switch (expected) {
          case "allowed":
            ok = status != 401 && status != 403 && status < 500;
            break;
          case "unknown-site":
            ok = status == 404 && problemType(r).equals("unknown-site");
            break;
          default:
            ok = String.valueOf(status).equals(expected) && r.headers().firstValue("Content-Type").orElse("")
                .startsWith("application/problem+json");
            break;
        }
        if (!ok) wrong.add(e.method() + " " + e.path() + " (" + e.access() + ") by " + who + ": expected " + expected
            + ", got " + status + " " + r.body());
      }
    }
    assertTrue(wrong.isEmpty(), wrong.size() + " cells of the matrix are wrong:\n" + String.join("\n", wrong));
  }

  @Test
  void aRefusedPersonIsToldWhichRoleTheEndpointNeeds() throws Exception {
    Endpoint setpoints = node.endpoints().stream().filter(e -> e.id().equals("putHvacSetpoints")).findFirst().orElseThrow();
    HttpResponse<String> r = call(setpoints, authorization.get(VIEWER));
    assertEquals(403, r.statusCode());
    assertTrue(JSON.readTree(r.body()).get("detail").asText().contains("operator"), r.body());
    HttpResponse<String> anonymous = call(setpoints, null);
    assertEquals(401, anonymous.statusCode());
    assertFalse(anonymous.headers().firstValue("WWW-Authenticate").orElse("").isEmpty());
  }

  /** What the caller should get: "allowed", "401", "403" or "unknown-site". */
  private static String expectation(Endpoint e, String who) {
    if (e.access() == Access.PUBLIC) return "allowed";
    if (who.equals(ANONYMOUS)) return "401";
    if (e.access() == Access.DEVICE) return who.equals(DEVICE) ? "allowed" : "401";
    if (who.equals(DEVICE)) return "401";
    if (!MAY.get(e.access()).contains(who)) return "403";
    if (who.equals(OTHER_SITE_ADMIN) && e.path().contains("{site}")) return "unknown-site";
    return "allowed";
  }

  private HttpResponse<String> call(Endpoint e, String auth) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUri() + concrete(e.path()))).timeout(Duration.ofSeconds(30));
    if (auth != null) b.header("Authorization", auth);
    String method = e.method().name();
    if (method.equals("PUT") || method.equals("POST")) {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString("{}"));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The template with ids of the demo mall (the body {} is invalid for every command, so nothing changes). */
  private static String concrete(String path) {
    String id = "C-L1-N";
    if (path.contains("/hvac-zone/{id}")) id = "AHU-L1-01";
    if (path.contains("/shelf-label/{id}")) id = "ESL-S-L1-03-00100";
    if (path.contains("/kiosk/{id}")) id = "KIOSK-05";
    if (path.contains("/parking-bay/{id}")) id = "PN-B1-0100";
    if (path.contains("/alarm/{id}")) id = "kiosk.KIOSK-05.fault-printer";
    return path.replace("{site}", "demo-mall").replace("{kind}", "zone").replace("{id}", id)
        .replace("{campaign}", "c-1").replace("{zone}", "AHU-L1-01").replace("{report}", "hvac-energy").replace("{run}", "no-such-run").replace("{file}", "report.json");
  }

  private static String problemType(HttpResponse<String> r) {
    try {
      String type = JSON.readTree(r.body()).path("type").asText();
      return type.substring(type.lastIndexOf('/') + 1);
    } catch (Exception ex) {
      return "";
    }
  }
}
