package atrium.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import atrium.api.http.Endpoint;
import atrium.api.security.Access;
import atrium.api.security.Role;
import atrium.core.privacy.Pseudonymiser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OWASP API Security Top 10 (2023), tried against a real node over real HTTP (docs/security.md,
 * "OWASP API Security Top 10"). What other classes already show is named there, not repeated here:
 * API2's forged, expired, {@code alg=none}, wrong audience and issuer tokens are {@code BadInputTest}'s,
 * API5's full role × endpoint matrix is {@code AuthorizationMatrixTest}'s, API9's document-versus-router
 * walk is {@code OpenApiDocumentTest}'s. The node here has a low rate limit so that a flood is
 * refused whatever the machine's speed; every test but the flood uses subjects of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OwaspApiSecurityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SITE = "demo-mall";
  private static final String NO_SUCH_SITE = "no-such-mall";
  private static final String BAY = "PN-B1-0100";
  private static final String ZONE = "AHU-L1-01";
  /** What no error body may contain: a Java stack frame, exception or package name. */
  private static final List<String> INTERNALS = List.of("Exception", "\tat ", "at atrium.", "atrium.api.", "atrium.core.",
      "atrium.devices.", "java.", "javax.", "org.apache", "io.netty", "com.fasterxml", "Caused by", "NullPointer");

  @TempDir
  static Path dir;

  private AtriumMain.Node node;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final AtomicInteger subjects = new AtomicInteger();

  @BeforeAll
  void start() {
    Map<String, Object> settings = TestNode.settings(dir);
    settings.put("atrium.http.rate-limit.per-second", 1);
    settings.put("atrium.http.rate-limit.burst", 40);
    node = AtriumMain.Node.start(TestNode.config(settings));
  }

  @AfterAll
  void stop() {
    if (node != null) node.close();
  }

  // ---------------------------------------------------------------- API1 object-level authorisation

  @Test
  void api1AnotherSitesObjectsAnswerExactlyAsThoseOfASiteThatDoesNotExist() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Endpoint e : node.endpoints()) {
      if (!e.path().contains("{site}")) continue;
      String outsider = bearer(Role.ADMIN, "other-mall");
      HttpResponse<String> existing = send(e.method().name(), concrete(e.path(), SITE), outsider, "{}");
      HttpResponse<String> missing = send(e.method().name(), concrete(e.path(), NO_SUCH_SITE), outsider, "{}");
      String a = existing.statusCode() + " " + type(existing) + " " + detail(existing).replace(SITE, "<site>");
      String b = missing.statusCode() + " " + type(missing) + " " + detail(missing).replace(NO_SUCH_SITE, "<site>");
      if (existing.statusCode() != 404 || !a.equals(b)) wrong.add(e.id() + ": granted-elsewhere " + a + " / absent " + b);
    }
    assertTrue(wrong.isEmpty(), "another site's objects are told apart from absent ones:\n" + String.join("\n", wrong));
  }

  @Test
  void api1AnOutsidersCommandsChangeNothingOnTheSite() throws Exception {
    String insider = bearer(Role.OPERATOR, SITE);
    String outsider = bearer(Role.ADMIN, "other-mall");
    String setpoints = "/api/v1/sites/" + SITE + "/assets/hvac-zone/" + ZONE + "/setpoints";
    String before = send("GET", setpoints, insider, null).body();
    HttpResponse<String> r = send("PUT", setpoints, outsider, "{\"heating\":16.0,\"cooling\":29.0}");
    assertEquals(404, r.statusCode(), r.body());
    assertEquals(before, send("GET", setpoints, insider, null).body());
  }

  // ---------------------------------------------------------------- API2 authentication

  @Test
  void api2ATokenNotValidYetOrIssuedInTheFutureIsRefused() throws Exception {
    long now = Instant.now().getEpochSecond();
    String notYet = hs256(claims("nbf", now + 3600, now + 7200, "viewer", null));
    String issuedLater = hs256(claims("iat", now + 3600, now + 7200, "viewer", null));
    String good = hs256(claims("iat", now, now + 3600, "viewer", null));
    String path = "/api/v1/sites/" + SITE;
    assertEquals(200, send("GET", path, "Bearer " + good, null).statusCode(), "the hand-made token itself is well formed");
    for (String t : List.of(notYet, issuedLater)) {
      HttpResponse<String> r = send("GET", path, "Bearer " + t, null);
      assertEquals(401, r.statusCode(), r.body());
      assertEquals("invalid-token", type(r));
      assertFalse(r.body().contains(t), "the refusal echoes the token");
    }
  }

  @Test
  void api2ADeviceKindTokenAndATokenWithAnUnknownRoleAreRefusedOnPeoplesEndpoints() throws Exception {
    long now = Instant.now().getEpochSecond();
    String device = hs256(claims("iat", now, now + 3600, "admin", "device"));
    String godMode = hs256(claims("iat", now, now + 3600, "root", null));
    for (String t : List.of(device, godMode)) {
      HttpResponse<String> r = send("GET", "/api/v1/sites/" + SITE, "Bearer " + t, null);
      assertEquals(401, r.statusCode(), r.body());
      assertEquals("invalid-token", type(r));
    }
  }

  @Test
  void api2MalformedAuthorizationHeadersAreRefusedWithoutAnInternalError() throws Exception {
    String huge = "Bearer " + "A".repeat(6000) + "." + "B".repeat(6000) + ".C";
    for (String auth : List.of("Bearer ..", "Bearer e30.e30.", "Bearer %00%00", "Bearer eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln",
        "bearer", "Bearer  ", "Digest username=x", huge)) {
      HttpResponse<String> r = send("GET", "/api/v1/sites/" + SITE, auth, null);
      assertTrue(r.statusCode() == 401 || r.statusCode() == 431 || r.statusCode() == 400, auth.length() + ": " + r.statusCode() + " " + r.body());
      assertNoInternals(r);
    }
  }

  // ---------------------------------------------------------------- API3 property-level authorisation

  @Test
  void api3AViewerNeverSeesAPlateTokenInStatesListingsOrTheListingsFilter() throws Exception {
    String plate = "粤B·7C4D2";
    String token = new Pseudonymiser(node.runtime().system().settings().config().getString("atrium.privacy.pseudonym-key"))
        .plateToken(plate);
    postPlate(BAY, plate, "plate-api3-1");
    String operator = bearer(Role.OPERATOR, SITE);
    String viewer = bearer(Role.VIEWER, SITE);
    String asset = "/api/v1/sites/" + SITE + "/assets/parking-bay/" + BAY;
    JsonNode seen = awaitJson(() -> send("GET", asset, operator, null), n -> token.equals(n.path("plateToken").asText()));
    assertEquals("OCCUPIED", seen.path("status").asText().toUpperCase(), seen.toString());

    HttpResponse<String> byViewer = send("GET", asset, viewer, null);
    assertEquals(200, byViewer.statusCode(), byViewer.body());
    assertFalse(byViewer.body().contains(token), byViewer.body());
    assertFalse(JSON.readTree(byViewer.body()).has("plateToken"), byViewer.body());
    assertEquals("OCCUPIED", JSON.readTree(byViewer.body()).path("status").asText().toUpperCase(), "the rest of the state is shown");

    String listing = "/api/v1/sites/" + SITE + "/assets?kind=parking-bay&state.plateToken=" + token;
    HttpResponse<String> probe = send("GET", listing, viewer, null);
    assertEquals(200, probe.statusCode(), probe.body());
    assertEquals(0, JSON.readTree(probe.body()).path("items").size(), "a viewer can find a car by filtering: " + probe.body());
    HttpResponse<String> byOperator = send("GET", listing, operator, null);
    assertEquals(1, JSON.readTree(byOperator.body()).path("items").size(), byOperator.body());
    HttpResponse<String> page = send("GET", "/api/v1/sites/" + SITE + "/assets?kind=parking-bay&limit=200", viewer, null);
    assertFalse(page.body().contains(token) || page.body().contains("plateToken"), "the listing shows plate tokens to a viewer");
  }

  @Test
  void api3NoRawPlateReachesAnyFileOfTheNodesDataDirectory() throws Exception {
    String plate = "沪A·D9K21";
    String token = new Pseudonymiser(node.runtime().system().settings().config().getString("atrium.privacy.pseudonym-key"))
        .plateToken(plate);
    postPlate("PN-B1-0101", plate, "plate-files-1");
    Path data = dir.resolve("data");
    // The token's bytes on disk show the event was written; only then is the absence of the plate worth anything.
    awaitTrue("the plate token written to the journal", () -> anyFileContains(data, token));
    for (String raw : List.of(plate, Pseudonymiser.normalisePlate(plate), "D9K21")) {
      assertFalse(anyFileContains(data, raw), "the raw plate '" + raw + "' is in a file under " + data);
    }
  }

  // ---------------------------------------------------------------- API4 unrestricted resource consumption

  @Test
  void api4AFloodFromOneTokenIsAnswered429ProblemsWithRetryAfterAndOthersAreStillServed() throws Exception {
    String flooder = bearer(Role.VIEWER, SITE);
    int refused = 0;
    HttpResponse<String> last = null;
    for (int i = 0; i < 120; i++) {
      HttpResponse<String> r = send("GET", "/api/v1/sites", flooder, null);
      if (r.statusCode() == 429) {
        refused++;
        last = r;
      } else {
        assertEquals(200, r.statusCode(), r.body());
      }
    }
    assertTrue(refused >= 40, "only " + refused + " of 120 requests beyond a burst of 40 at 1/s were refused");
    assertNotNull(last);
    assertTrue(last.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), last.headers().toString());
    assertTrue(Integer.parseInt(last.headers().firstValue("Retry-After").orElse("0")) >= 1, last.headers().toString());
    assertNoInternals(last);
    assertEquals(200, send("GET", "/api/v1/sites", bearer(Role.VIEWER, SITE), null).statusCode(), "another client is served");
  }

  @Test
  void api4ABodyOverTheLimitIsAnswered413ProblemAndChangesNothing() throws Exception {
    String operator = bearer(Role.OPERATOR, SITE);
    String setpoints = "/api/v1/sites/" + SITE + "/assets/hvac-zone/" + ZONE + "/setpoints";
    String before = send("GET", setpoints, operator, null).body();
    String body = "{\"heating\":15.0,\"cooling\":30.0,\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
    // curl announces a large body with Expect: 100-continue, so the refusal is read before the body is sent.
    Path file = Files.writeString(dir.resolve("too-big.json"), body);
    Curl.Reply r = Curl.run("-X", "PUT", node.baseUri() + setpoints, "-H", "Authorization: " + operator,
        "-H", "Content-Type: application/json", "--data-binary", "@" + file);
    assertEquals(413, r.status(), r.body());
    assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
    assertEquals(before, send("GET", setpoints, operator, null).body());
  }

  // ---------------------------------------------------------------- API5 function-level authorisation

  @Test
  void api5EveryEndpointDeclaresAnAccessLevelAndNoEndpointAboveViewIsOpenToAViewer() throws Exception {
    // The full role x endpoint matrix is AuthorizationMatrixTest's; this is its floor, from the router's own list.
    String viewer = bearer(Role.VIEWER, SITE);
    List<String> open = new ArrayList<>();
    for (Endpoint e : node.endpoints()) {
      assertNotNull(e.access(), e.id());
      if (e.access() == Access.PUBLIC || e.access() == Access.VIEW) continue;
      HttpResponse<String> r = send(e.method().name(), concrete(e.path(), SITE), viewer, "{}");
      int expected = e.access() == Access.DEVICE ? 401 : 403;
      if (r.statusCode() != expected) open.add(e.id() + " (" + e.access() + "): " + r.statusCode());
    }
    assertTrue(open.isEmpty(), "a viewer reaches: " + open);
  }

  // ---------------------------------------------------------------- API8 security misconfiguration

  @Test
  void api8ProvokedErrorsNeverShowStackTracesOrClassNamesAndCarryNosniff() throws Exception {
    String operator = bearer(Role.OPERATOR, SITE);
    String setpoints = "/api/v1/sites/" + SITE + "/assets/hvac-zone/" + ZONE + "/setpoints";
    List<HttpResponse<String>> errors = new ArrayList<>();
    errors.add(send("PUT", setpoints, operator, "{\"heating\":"));
    errors.add(send("PUT", setpoints, operator, "{\"heating\":\"warm\",\"cooling\":[1]}"));
    errors.add(send("PUT", setpoints, operator, "[" .repeat(5000)));
    errors.add(send("PUT", setpoints, operator, "{\"heating\":1e999999,\"cooling\":27}"));
    errors.add(send("PUT", setpoints, operator, "{\"heating\":-500,\"cooling\":900}"));
    errors.add(send("GET", "/api/v1/sites/" + SITE + "/assets/spaceship/X", operator, null));
    errors.add(send("GET", "/api/v1/sites/" + SITE + "/assets/hvac-zone/" + ZONE + "/history?from=yesterday", operator, null));
    errors.add(send("GET", "/api/v1/sites/" + SITE + "/assets?limit=-1", operator, null));
    errors.add(send("GET", "/api/v1/audit?cursor=forged", bearer(Role.ADMIN, SITE), null));
    errors.add(send("DELETE", "/api/v1/sites/" + SITE, operator, null));
    errors.add(send("POST", "/api/v1/devices/messages", TestNode.gatewayAuth().substring("Authorization: ".length()), "{\"v\":1,"));
    errors.add(send("GET", "/api/v1/sites/" + SITE, "Bearer x.y.z", null));
    for (HttpResponse<String> r : errors) {
      assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, r.request().uri() + ": " + r.statusCode() + " " + r.body());
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
          r.request().uri() + ": " + r.headers());
      assertNoInternals(r);
      assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""), r.request().uri().toString());
    }
    HttpResponse<String> ok = send("GET", "/api/v1/sites/" + SITE, operator, null);
    assertEquals("nosniff", ok.headers().firstValue("X-Content-Type-Options").orElse(""), "a JSON answer");
    assertTrue(ok.headers().firstValue("Server").isEmpty(), "the server names itself: " + ok.headers());
  }

  @Test
  void api8TheNodeListensOnLoopbackByDefaultAndPekkoManagementIsOffAndLoopbackBound() {
    var config = node.runtime().system().settings().config();
    assertEquals("127.0.0.1", config.getString("pekko.management.http.hostname"));
    assertFalse(config.getBoolean("atrium.management.enabled"), "a one-node Atrium runs no management endpoint");
    assertTrue(config.getBoolean("pekko.management.http.route-providers-read-only"), "management routes can change the cluster");
    assertTrue(java.net.InetAddress.getLoopbackAddress().getHostAddress().equals(node.baseUri().getHost())
        || node.baseUri().getHost().equals("localhost"), node.baseUri().toString());
  }

  // ---------------------------------------------------------------- API9 improper inventory management

  @Test
  void api9EveryEndpointIsInTheOpenApiDocumentAndEveryDocumentedPathIsServed() throws Exception {
    HttpResponse<String> doc = send("GET", "/api/v1/openapi.json", null, null);
    assertEquals(200, doc.statusCode(), doc.body());
    JsonNode paths = JSON.readTree(doc.body()).get("paths");
    List<String> undocumented = new ArrayList<>();
    for (Endpoint e : node.endpoints()) {
      if (!paths.has(e.path()) || !paths.get(e.path()).has(e.method().name().toLowerCase())) undocumented.add(e.method() + " " + e.path());
    }
    assertTrue(undocumented.isEmpty(), "served but not in openapi.json: " + undocumented);
    List<String> unserved = new ArrayList<>();
    for (var p = paths.fields(); p.hasNext(); ) {
      var path = p.next();
      for (var m = path.getValue().fieldNames(); m.hasNext(); ) {
        String method = m.next().toUpperCase();
        if (!List.of("GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS").contains(method)) continue;
        boolean served = node.endpoints().stream().anyMatch(e -> e.path().equals(path.getKey()) && e.method().name().equals(method));
        boolean planned = path.getValue().path(method.toLowerCase()).path("x-atrium-planned").asBoolean(false)
            || path.getValue().path(method.toLowerCase()).path("deprecated").asBoolean(false);
        if (!served && !planned) unserved.add(method + " " + path.getKey());
      }
    }
    assertTrue(unserved.isEmpty(), "documented but not served: " + unserved);
  }

  @Test
  void api9AnythingOutsideTheInventoryIs404ProblemForEveryone() throws Exception {
    List<String> guesses = List.of("/api/v2/sites", "/api/v1/admin", "/api/v1/debug", "/api/v1/users", "/actuator/health",
        "/actuator/env", "/jolokia", "/.env", "/.git/config", "/swagger-ui.html", "/api/v1/internal/state",
        "/api/v1/sites/" + SITE + "/assets/parking-bay/" + BAY + "/plate", "/api/v1/sites/" + SITE + "/couriers/tracks",
        "/api/v1/sites/" + SITE + "/assets/courier/C-1/track", "/cluster/members", "/api/v1/audit/export");
    for (String auth : Stream.of(null, bearer(Role.ADMIN, "*")).toList()) {
      for (String path : guesses) {
        for (String method : List.of("GET", "POST", "DELETE")) {
          HttpResponse<String> r = send(method, path, auth, method.equals("POST") ? "{}" : null);
          assertEquals(404, r.statusCode(), method + " " + path + ": " + r.body());
          assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), path);
          assertNoInternals(r);
        }
      }
    }
  }

  // ---------------------------------------------------------------- audit: no interface alters it

  @Test
  void noRouteWritesUpdatesOrDeletesTheAuditLog() throws Exception {
    for (Endpoint e : node.endpoints()) {
      if (e.path().contains("audit")) assertEquals("GET", e.method().name(), e.id() + " would change the audit log");
    }
    String admin = bearer(Role.ADMIN, "*");
    String before = send("GET", "/api/v1/audit?limit=1000", admin, null).body();
    for (String method : List.of("PUT", "DELETE", "PATCH", "POST")) {
      for (String path : List.of("/api/v1/audit", "/api/v1/audit/1", "/api/v1/sites/" + SITE + "/audit")) {
        HttpResponse<String> r = send(method, path, admin, method.equals("DELETE") ? null : "{\"entries\":[]}");
        assertTrue(r.statusCode() == 405 || r.statusCode() == 404, method + " " + path + ": " + r.statusCode() + " " + r.body());
      }
    }
    JsonNode after = JSON.readTree(send("GET", "/api/v1/audit?limit=1000", admin, null).body()).get("entries");
    JsonNode earlier = JSON.readTree(before).get("entries");
    for (int i = 0; i < earlier.size(); i++) {
      final JsonNode entry = earlier.get(i);
      boolean kept = false;
      for (JsonNode a : after) kept |= a.equals(entry);
      assertTrue(kept, "an audit entry changed or went: " + entry);
    }
  }

  // ================================================================ helpers

  private String bearer(Role role, String site) {
    return "Bearer " + TestNode.token(node, "owasp-" + role.wireName() + "-" + subjects.incrementAndGet(), role, site);
  }

  private HttpResponse<String> send(String method, String path, String authorization, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUri() + path)).timeout(Duration.ofSeconds(30));
    if (authorization != null) b.header("Authorization", authorization);
    if (body != null && !method.equals("GET")) {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + ": " + e, e);
    }
  }

  private void postPlate(String bay, String plate, String id) throws Exception {
    String msg = "{\"v\":1,\"type\":\"telemetry\",\"id\":\"" + id + "\",\"site\":\"" + SITE + "\",\"kind\":\"parking-bay\",\"asset\":\""
        + bay + "\",\"ts\":\"2026-12-24T01:05:00Z\",\"data\":{\"occupied\":true,\"plate\":\"" + plate + "\"}}";
    HttpResponse<String> r = send("POST", "/api/v1/devices/messages", TestNode.gatewayAuth().substring("Authorization: ".length()), msg);
    assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.body());
    assertFalse(r.body().contains(plate), "the device door echoes the plate");
  }

  private static String concrete(String path, String site) {
    String id = "C-L1-N";
    if (path.contains("/hvac-zone/{id}")) id = ZONE;
    if (path.contains("/shelf-label/{id}")) id = "ESL-S-L1-03-00100";
    if (path.contains("/kiosk/{id}")) id = "KIOSK-05";
    if (path.contains("/parking-bay/{id}")) id = BAY;
    if (path.contains("/alarm/{id}")) id = "kiosk.KIOSK-05.fault-printer";
    return path.replace("{site}", site).replace("{kind}", "zone").replace("{id}", id)
        .replace("{campaign}", "c-1").replace("{zone}", ZONE).replace("{report}", "hvac-energy").replace("{run}", "no-such-run");
  }

  private static String type(HttpResponse<String> r) {
    try {
      String t = JSON.readTree(r.body()).path("type").asText();
      return t.substring(t.lastIndexOf('/') + 1);
    } catch (IOException e) {
      return "not-json";
    }
  }

  private static String detail(HttpResponse<String> r) {
    try {
      return JSON.readTree(r.body()).path("detail").asText();
    } catch (IOException e) {
      return r.body();
    }
  }

  private static void assertNoInternals(HttpResponse<String> r) {
    for (String s : INTERNALS) {
      assertFalse(r.body().contains(s), r.request().method() + " " + r.request().uri() + " shows '" + s + "': " + r.body());
    }
  }

  private static String claims(String timeClaim, long time, long exp, String role, String kind) {
    return "{\"iss\":\"atrium\",\"aud\":\"atrium-control-room\",\"sub\":\"owasp-hand-made\",\"role\":\"" + role + "\","
        + "\"sites\":[\"" + SITE + "\"],\"" + timeClaim + "\":" + time + ",\"exp\":" + exp
        + (kind == null ? "" : ",\"kind\":\"" + kind + "\"") + "}";
  }

  /** A compact JWS signed HS256 with the test node's secret. */
  private static String hs256(String claims) throws Exception {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String input = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(TestNode.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
  }

  private static boolean anyFileContains(Path root, String text) throws IOException {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (indexOf(Files.readAllBytes(f), needle) >= 0) return true;
      }
    }
    return false;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private interface Call {
    HttpResponse<String> send() throws Exception;
  }

  private final ActorTestKit waiter = ActorTestKit.create("owasp-waiter");

  private void awaitTrue(String what, Check check) {
    waiter.createTestProbe().awaitAssert(Duration.ofSeconds(30), Duration.ofMillis(200), () -> {
      try {
        if (!check.holds()) fail("not within 30 s: " + what);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return null;
    });
  }

  private JsonNode awaitJson(Call call, java.util.function.Predicate<JsonNode> ok) {
    JsonNode[] last = new JsonNode[1];
    awaitTrue("an answer that matches", () -> {
      HttpResponse<String> r = call.send();
      if (r.statusCode() != 200) return false;
      last[0] = JSON.readTree(r.body());
      return ok.test(last[0]);
    });
    return last[0];
  }
}
