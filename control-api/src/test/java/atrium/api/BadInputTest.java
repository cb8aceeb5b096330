package atrium.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import atrium.api.security.AuthSettings;
import atrium.api.security.Role;
import atrium.api.security.TokenIssuer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control API tried as a new user would, with curl against a whole running node: every kind of
 * bad input — broken bodies, wrong types, unknown and foreign assets, bad and missing tokens, a
 * viewer writing, stale ETags, oversized bodies, wrong media types, bad query parameters, a device
 * speaking for an asset it does not own — gets the right status and problem type with a detail a
 * person can read, the twin's state is unchanged, and the server goes on serving.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SITE = "demo-mall";
  private static final String OTHER_SITE = "other-mall";
  private static final String ZONE = "AHU-L1-01";
  private static final String BAY = TestNode.BAY_SENSOR_ASSET;
  private static final String OTHER_BAY = "PN-B1-0002";
  private static final Duration AWAIT = Duration.ofSeconds(30);

  @TempDir
  static Path dir;

  private AtriumMain.Node node;
  private String base;
  private String viewer;
  private String operator;
  private String admin;
  private String otherSiteAdmin;

  @BeforeAll
  void start() {
    Map<String, Object> settings = TestNode.settings(dir.resolve("node"));
    // A new user's pace, not a load test: the suite's own requests must not meet the rate limit.
    settings.put("atrium.http.rate-limit.per-second", 10_000);
    settings.put("atrium.http.rate-limit.burst", 10_000);
    node = AtriumMain.Node.start(TestNode.config(settings));
    base = node.baseUri().toString();
    viewer = TestNode.token(node, "vera-viewer", Role.VIEWER, SITE);
    operator = TestNode.token(node, "otto-operator", Role.OPERATOR, SITE);
    admin = TestNode.token(node, "ada-admin", Role.ADMIN, SITE);
    otherSiteAdmin = TestNode.token(node, "olga-other-site", Role.ADMIN, OTHER_SITE);
  }

  @AfterAll
  void stop() {
    if (node != null) node.close();
    waiter.shutdownTestKit();
  }

  // ---------------------------------------------------------------- bodies

  @Test
  void malformedJsonBody() {
    assertRefusedUnchanged(() -> putSetpoints(operator, "{\"heating\": 20.5, \"cooling\": ", null), 400, "invalid-body", "$");
  }

  @Test
  void jsonThatIsNotAnObject() {
    assertRefusedUnchanged(() -> putSetpoints(operator, "[20.5, 24.5]", null), 400, "invalid-body", "$");
    assertRefusedUnchanged(() -> putSetpoints(operator, "\"warm\"", null), 400, "invalid-body", "$");
    assertRefusedUnchanged(() -> putSetpoints(operator, "null", null), 400, "invalid-body", "$");
  }

  @Test
  void emptyBody() {
    assertRefusedUnchanged(() -> putSetpoints(operator, "", null), 400, "invalid-body", "$");
  }

  @Test
  void trailingGarbageAfterTheBody() {
    assertRefusedUnchanged(() -> putSetpoints(operator, "{\"heating\":18.0,\"cooling\":27.0} {\"heating\":30}", null),
        400, "invalid-body", "$");
    assertRefusedUnchanged(() -> putSetpoints(operator, "{\"heating\":18.0,\"cooling\":27.0}xyz", null), 400, "invalid-body", "$");
  }

  @Test
  void duplicateField() {
    assertRefusedUnchanged(() -> putSetpoints(operator, "{\"heating\":\"warm\",\"heating\":18.0,\"cooling\":27.0}", null),
        400, "invalid-body", "$");
  }

  @Test
  void numberTooLargeToBeFinite() {
    assertRefusedUnchanged(() -> putSetpoints(operator, "{\"heating\":1e400,\"cooling\":27.0}", null), 400, "invalid-body", "$.heating");
  }

  @Test
  void deeplyNestedBody() {
    String deep = "{\"heating\":" + "[".repeat(5_000) + "]".repeat(5_000) + ",\"cooling\":27.0}";
    assertRefusedUnchanged(() -> putSetpoints(operator, deep, null), 400, "invalid-body", "$");
  }

  @Test
  void wrongType() {
    JsonNode p = assertRefusedUnchanged(() -> putSetpoints(operator, "{\"heating\":\"warm\",\"cooling\":24.5}", null),
        400, "invalid-body", "$.heating");
    assertTrue(p.get("detail").asText().contains("number"), p.toString());
  }

  @Test
  void missingRequiredField() {
    JsonNode p = assertRefusedUnchanged(() -> putSetpoints(operator, "{\"heating\":20.5}", null), 400, "invalid-body", "$.cooling");
    assertTrue(p.get("detail").asText().contains("required"), p.toString());
  }

  @Test
  void unknownField() {
    JsonNode p = assertRefusedUnchanged(() -> putSetpoints(operator, "{\"heating\":20.5,\"cooling\":24.5,\"fan\":\"max\"}", null),
        400, "invalid-body", "$.fan");
    assertTrue(p.get("detail").asText().contains("unknown field"), p.toString());
  }

  @Test
  void setpointTheTwinRefuses() {
    JsonNode p = assertRefusedUnchanged(() -> putSetpoints(operator, "{\"heating\":24.0,\"cooling\":20.0}", null),
        422, "rejected", null);
    assertTrue(p.get("detail").asText().contains("cooling"), p.toString());
  }

  // ---------------------------------------------------------------- assets and sites

  @Test
  void unknownAssetId() {
    assertRefusedUnchanged(() -> get(viewer, "/api/v1/sites/demo-mall/assets/hvac-zone/AHU-L9-99"), 404, "unknown-asset", null);
    assertRefusedUnchanged(() -> curl("-X", "PUT", url("/api/v1/sites/demo-mall/assets/hvac-zone/AHU-L9-99/setpoints"),
        "-H", TestNode.bearer(operator), "-H", "Content-Type: application/json", "--data-binary", "{\"heating\":20.5,\"cooling\":24.5}"),
        404, "unknown-asset", null);
  }

  @Test
  void unknownAssetKind() {
    JsonNode p = assertRefusedUnchanged(() -> get(viewer, "/api/v1/sites/demo-mall/assets/spaceship/AHU-L1-01"), 404,
        "unknown-kind", null);
    assertTrue(p.get("detail").asText().contains("hvac-zone"), "the detail lists the kinds: " + p);
  }

  @Test
  void invalidAssetIdCharacters() {
    assertRefusedUnchanged(() -> get(viewer, "/api/v1/sites/demo-mall/assets/hvac-zone/AHU%20L1%2601"), 400,
        "invalid-asset-id", null);
    assertRefusedUnchanged(() -> curl("-X", "PUT", url("/api/v1/sites/demo-mall/assets/hvac-zone/*AHU*/setpoints"),
        "-H", TestNode.bearer(operator), "-H", "Content-Type: application/json", "--data-binary", "{\"heating\":20.5,\"cooling\":24.5}"),
        400, "invalid-asset-id", null);
  }

  @Test
  void anotherSitesAssetIsUnknownNotForbidden() {
    String path = "/api/v1/sites/demo-mall/assets/hvac-zone/" + ZONE;
    JsonNode foreign = assertRefusedUnchanged(() -> get(otherSiteAdmin, path), 404, "unknown-site", null);
    JsonNode foreignWrite = assertRefusedUnchanged(() -> curl("-X", "PUT", url(path + "/setpoints"), "-H", TestNode.bearer(otherSiteAdmin),
        "-H", "Content-Type: application/json", "--data-binary", "{\"heating\":18.0,\"cooling\":27.0}"), 404, "unknown-site", null);
    // The same caller asking about a site that does not exist gets the same answer, but for the name.
    String nowhere = "/api/v1/sites/nowhere-mall/assets/hvac-zone/" + ZONE;
    JsonNode missing = assertProblem(get(otherSiteAdmin, nowhere), 404, "unknown-site");
    assertEquals(missing.toString().replace("nowhere-mall", SITE), foreign.toString());
    assertEquals(fieldNames(missing), fieldNames(foreignWrite));
    // A caller granted every site it names, asking about a site that does not exist: the same answer again.
    String everywhere = TestNode.token(node, "ada-everywhere", Role.ADMIN, SITE, "nowhere-mall");
    JsonNode granted = assertProblem(get(everywhere, nowhere), 404, "unknown-site");
    assertEquals(missing, granted);
    // And the site itself, and its listing.
    JsonNode foreignSite = assertProblem(get(otherSiteAdmin, "/api/v1/sites/demo-mall"), 404, "unknown-site");
    JsonNode missingSite = assertProblem(get(otherSiteAdmin, "/api/v1/sites/nowhere-mall"), 404, "unknown-site");
    assertEquals(missingSite.toString().replace("nowhere-mall", SITE), foreignSite.toString());
    JsonNode sites = json(get(otherSiteAdmin, "/api/v1/sites"));
    assertFalse(sites.toString().contains(SITE), "the listing names a site the caller is not granted: " + sites);
  }

  // ---------------------------------------------------------------- tokens

  @Test
  void expiredToken() {
    Clock twoHoursAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
    String expired = new TokenIssuer(authSettings(), twoHoursAgo).mint("vera-viewer", Role.ADMIN, Set.of(SITE), Duration.ofHours(1));
    assertUnauthorizedBothWays(expired, "expired-token");
  }

  @Test
  void tokenSignedWithAnotherSecret() {
    AuthSettings forged = authSettings().withHmacSecret("not-the-node-secret-but-long-enough-for-hs256".getBytes(StandardCharsets.UTF_8));
    String token = new TokenIssuer(forged, Clock.systemUTC()).mint("mallory", Role.ADMIN, Set.of(SITE), Duration.ofHours(1));
    assertUnauthorizedBothWays(token, "invalid-token");
  }

  @Test
  void unsignedAlgNoneToken() {
    String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
    long now = Instant.now().getEpochSecond();
    AuthSettings s = authSettings();
    String payload = b64("{\"iss\":\"" + s.issuer() + "\",\"aud\":\"" + s.audience() + "\",\"sub\":\"mallory\",\"role\":\"admin\","
        + "\"sites\":[\"" + SITE + "\"],\"iat\":" + now + ",\"nbf\":" + now + ",\"exp\":" + (now + 3600) + "}");
    JsonNode p = assertUnauthorizedBothWays(header + "." + payload + ".", "invalid-token");
    assertTrue(p.get("detail").asText().contains("none"), p.toString());
  }

  @Test
  void tokenForAnotherAudience() {
    AuthSettings s = authSettings();
    AuthSettings elsewhere = new AuthSettings(s.issuer(), "some-other-service", s.hmacSecret(), s.jwksFile(), s.clockSkew(), false);
    String token = new TokenIssuer(elsewhere, Clock.systemUTC()).mint("vera-viewer", Role.ADMIN, Set.of(SITE), Duration.ofHours(1));
    JsonNode p = assertUnauthorizedBothWays(token, "invalid-token");
    assertTrue(p.get("detail").asText().contains("aud"), p.toString());
  }

  @Test
  void tokenFromAnotherIssuer() {
    AuthSettings s = authSettings();
    AuthSettings elsewhere = new AuthSettings("https://idp.example.com", s.audience(), s.hmacSecret(), s.jwksFile(), s.clockSkew(), false);
    String token = new TokenIssuer(elsewhere, Clock.systemUTC()).mint("vera-viewer", Role.ADMIN, Set.of(SITE), Duration.ofHours(1));
    JsonNode p = assertUnauthorizedBothWays(token, "invalid-token");
    assertTrue(p.get("detail").asText().contains("iss"), p.toString());
  }

  @Test
  void garbageInTheAuthorizationHeader() {
    assertUnauthorizedBothWays("this-is-not-a-jwt", "invalid-token");
    assertUnauthorizedBothWays("a.b.c", "invalid-token");
    for (String header : List.of("Authorization: Token abc123", "Authorization: Basic Z2F0ZXdheQ==", "Authorization: Bearer")) {
      Reply r = getWith(header, "/api/v1/sites/demo-mall/assets/hvac-zone/" + ZONE);
      JsonNode p = assertProblem(r, 401, header.endsWith("Bearer") ? "missing-credentials" : "invalid-credentials");
      assertTrue(r.header("WWW-Authenticate").orElse("").startsWith("Bearer"), r.headers().toString());
      if (header.endsWith("Bearer")) assertTrue(p.get("detail").asText().contains("empty"), "an empty token is not 'the wrong kind': " + p);
    }
    assertStillServing();
  }

  @Test
  void noToken() {
    Reply r = curl(url("/api/v1/sites/demo-mall/assets/hvac-zone/" + ZONE));
    assertProblem(r, 401, "missing-credentials");
    assertTrue(r.header("WWW-Authenticate").orElse("").startsWith("Bearer"), r.headers().toString());
    assertRefusedUnchanged(() -> curl("-X", "PUT", url("/api/v1/sites/demo-mall/assets/hvac-zone/" + ZONE + "/setpoints"),
        "-H", "Content-Type: application/json", "--data-binary", "{\"heating\":18.0,\"cooling\":27.0}"), 401, "missing-credentials", null);
  }

  @Test
  void deviceCredentialsOnAnOperatorEndpoint() {
    Reply r = assertRefused(() -> curl("-X", "PUT", url("/api/v1/sites/demo-mall/assets/hvac-zone/" + ZONE + "/setpoints"),
        "-H", TestNode.gatewayAuth(), "-H", "Content-Type: application/json", "--data-binary", "{\"heating\":18.0,\"cooling\":27.0}"),
        401, "invalid-credentials", null);
    assertTrue(r.header("WWW-Authenticate").orElse("").startsWith("Bearer"), r.headers().toString());
    assertRefusedUnchanged(() -> curl("-H", TestNode.gatewayAuth(), url("/api/v1/sites/demo-mall/assets/parking-bay/" + BAY)),
        401, "invalid-credentials", null);
  }

  @Test
  void personsTokenOnTheDeviceDoor() {
    for (String token : List.of(admin, operator)) {
      Reply r = assertRefused(() -> curl("-X", "POST", url("/api/v1/devices/messages"), "-H", TestNode.bearer(token),
          "-H", "Content-Type: application/json", "--data-binary", reading("person-1", BAY, true)), 401, "invalid-credentials", null);
      assertTrue(r.header("WWW-Authenticate").orElse("").startsWith("Basic"), r.headers().toString());
    }
    assertRefusedUnchanged(() -> curl("-X", "POST", url("/api/v1/devices/messages"), "-H", "Content-Type: application/json",
        "--data-binary", reading("anon-1", BAY, true)), 401, "missing-credentials", null);
    assertRefusedUnchanged(() -> curl("-X", "POST", url("/api/v1/devices/messages"), "-H", TestNode.basic(TestNode.BAY_SENSOR, "wrong"),
        "-H", "Content-Type: application/json", "--data-binary", reading("wrong-1", BAY, true)), 401, "invalid-credentials", null);
  }

  // ---------------------------------------------------------------- roles, audit, conditions

  @Test
  void viewerSendingASetpointIsForbiddenAndAudited() {
    String requestId = "bad-input-viewer-" + UUID.randomUUID();
    JsonNode p = assertRefusedUnchanged(() -> curl("-X", "PUT", url("/api/v1/sites/demo-mall/assets/hvac-zone/" + ZONE + "/setpoints"),
        "-H", TestNode.bearer(viewer), "-H", "X-Request-Id: " + requestId, "-H", "Content-Type: application/json",
        "--data-binary", "{\"heating\":18.0,\"cooling\":27.0}"), 403, "forbidden", null);
    assertTrue(p.get("detail").asText().contains("viewer"), p.toString());

    JsonNode entry = await("the denial in the audit log", () -> {
      JsonNode page = json(get(admin, "/api/v1/audit?site=demo-mall&outcome=denied&actor=vera-viewer"));
      for (JsonNode e : page.path("entries")) {
        if (requestId.equals(e.path("requestId").asText())) return Optional.of(e);
      }
      return Optional.empty();
    });
    assertEquals("denied", entry.get("outcome").asText(), entry.toString());
    assertEquals("vera-viewer", entry.get("actor").asText(), entry.toString());
    assertEquals("viewer", entry.get("role").asText(), entry.toString());
    assertEquals(SITE, entry.get("site").asText(), entry.toString());
    assertTrue(entry.get("target").asText().contains(ZONE), entry.toString());
    assertTrue(entry.get("reason").asText().startsWith("403"), entry.toString());
  }

  @Test
  void viewerCannotReadTheAudit() {
    assertRefusedUnchanged(() -> get(viewer, "/api/v1/audit?site=demo-mall"), 403, "forbidden", null);
  }

  @Test
  void staleIfMatch() {
    String zone = "AHU-L1-02";
    String path = "/api/v1/sites/demo-mall/assets/hvac-zone/" + zone + "/setpoints";
    Reply first = get(operator, path);
    assertEquals(200, first.status(), first.body());
    String stale = first.header("ETag").orElseThrow();
    Reply changed = curl("-X", "PUT", url(path), "-H", TestNode.bearer(operator), "-H", "If-Match: " + stale,
        "-H", "Content-Type: application/json", "--data-binary", "{\"heating\":19.5,\"cooling\":25.5}");
    assertEquals(200, changed.status(), changed.body());
    String current = changed.header("ETag").orElseThrow();
    assertNotEquals(stale, current);
    JsonNode before = json(get(operator, path));

    assertRefusedUnchanged(() -> curl("-X", "PUT", url(path), "-H", TestNode.bearer(operator), "-H", "If-Match: " + stale,
        "-H", "Content-Type: application/json", "--data-binary", "{\"heating\":17.0,\"cooling\":28.0}"),
        412, "precondition-failed", null);
    Reply r = lastReply;
    assertEquals(current, r.header("ETag").orElse(null), "the 412 tells the current ETag");
    assertEquals(before, json(get(operator, path)), "the stale write changed the setpoints");
    assertEquals(19.5, before.get("heating").asDouble());
  }

  // ---------------------------------------------------------------- sizes, media types, methods, paths

  @Test
  void oversizedBodyToSetpoints() throws IOException {
    Path big = bigJson(2 * 1024 * 1024);
    assertRefusedUnchanged(() -> curl("-X", "PUT", url("/api/v1/sites/demo-mall/assets/hvac-zone/" + ZONE + "/setpoints"),
        "-H", TestNode.bearer(operator), "-H", "Content-Type: application/json", "--data-binary", "@" + big), 413, "payload-too-large", null);
  }

  @Test
  void oversizedBodyToTheDeviceDoor() throws IOException {
    Path big = bigJson(2 * 1024 * 1024);
    assertRefusedUnchanged(() -> curl("-X", "POST", url("/api/v1/devices/messages"), "-H", TestNode.gatewayAuth(),
        "-H", "Content-Type: application/json", "--data-binary", "@" + big), 413, "payload-too-large", null);
    // Under the HTTP limit but over the device protocol's 256 KiB: refused by the door itself.
    Path medium = bigJson(300 * 1024);
    assertRefusedUnchanged(() -> curl("-X", "POST", url("/api/v1/devices/messages"), "-H", TestNode.gatewayAuth(),
        "-H", "Content-Type: application/json", "--data-binary", "@" + medium), 413, "payload-too-large", null);
  }

  @Test
  void wrongContentType() {
    assertRefusedUnchanged(() -> curl("-X", "PUT", url("/api/v1/sites/demo-mall/assets/hvac-zone/" + ZONE + "/setpoints"),
        "-H", TestNode.bearer(operator), "-H", "Content-Type: text/plain", "--data-binary", "{\"heating\":18.0,\"cooling\":27.0}"),
        415, "unsupported-media-type", null);
    // curl's default for -d is a form: a new user's first try.
    assertRefusedUnchanged(() -> curl("-X", "PUT", url("/api/v1/sites/demo-mall/assets/hvac-zone/" + ZONE + "/setpoints"),
        "-H", TestNode.bearer(operator), "-d", "{\"heating\":18.0,\"cooling\":27.0}"), 415, "unsupported-media-type", null);
    assertRefusedUnchanged(() -> curl("-X", "POST", url("/api/v1/devices/messages"), "-H", TestNode.gatewayAuth(),
        "-H", "Content-Type: application/xml", "--data-binary", reading("xml-1", BAY, true)), 415, "unsupported-media-type", null);
  }

  @Test
  void contentTypeThatOnlyStartsLikeJson() {
    assertRefusedUnchanged(() -> curl("-X", "PUT", url("/api/v1/sites/demo-mall/assets/hvac-zone/" + ZONE + "/setpoints"),
        "-H", TestNode.bearer(operator), "-H", "Content-Type: application/json-patch+json",
        "--data-binary", "{\"heating\":18.0,\"cooling\":27.0}"), 415, "unsupported-media-type", null);
  }

  @Test
  void invalidPercentEncodingInThePath() {
    assertRefusedUnchanged(() -> get(viewer, "/api/v1/sites/demo-mall/assets/hvac-zone/AHU%zz"), 400, "malformed-request", null);
  }

  @Test
  void encodedSlashInAnAssetId() {
    // Decoded before routing, the %2F made this the zone's setpoints; a proxy routing on the raw path would disagree.
    JsonNode p = assertRefusedUnchanged(() -> get(viewer, "/api/v1/sites/demo-mall/assets/hvac-zone/" + ZONE + "%2Fsetpoints"),
        400, "malformed-request", null);
    assertTrue(p.get("detail").asText().contains("%2F"), p.toString());
    assertRefusedUnchanged(() -> curl("-X", "PUT", url("/api/v1/sites/demo-mall/assets/hvac-zone/" + ZONE + "%2fsetpoints"),
        "-H", TestNode.bearer(operator), "-H", "Content-Type: application/json", "--data-binary", "{\"heating\":18.0,\"cooling\":27.0}"),
        400, "malformed-request", null);
  }

  @Test
  void methodNotAllowed() {
    assertRefusedUnchanged(() -> curl("-X", "DELETE", url("/api/v1/sites/demo-mall/assets/hvac-zone/" + ZONE + "/setpoints"),
        "-H", TestNode.bearer(admin)), 405, "method-not-allowed", null);
    Reply r = lastReply;
    String allow = r.header("Allow").orElse("");
    assertTrue(allow.contains("GET") && allow.contains("PUT"), "Allow: " + allow);
    assertFalse(allow.contains("DELETE"), "Allow: " + allow);
    Reply post = assertRefused(() -> curl("-X", "POST", url("/api/v1/sites/demo-mall/assets/parking-bay/" + BAY),
        "-H", TestNode.bearer(admin), "-H", "Content-Type: application/json", "--data-binary", "{\"status\":\"FREE\"}"),
        405, "method-not-allowed", null);
    assertTrue(post.header("Allow").orElse("").contains("GET"), post.headers().toString());
  }

  @Test
  void unknownPath() {
    assertRefusedUnchanged(() -> get(admin, "/api/v1/sites/demo-mall/asets"), 404, "not-found", null);
    assertRefusedUnchanged(() -> get(admin, "/api/v2/sites"), 404, "not-found", null);
    assertRefusedUnchanged(() -> curl(url("/no/such/thing")), 404, "not-found", null);
  }

  // ---------------------------------------------------------------- query parameters

  @Test
  void unknownQueryParameterOnTheAssetListing() {
    JsonNode p = assertRefusedUnchanged(() -> get(viewer, "/api/v1/sites/demo-mall/assets?kind=parking-bay&colour=red"), 400,
        "invalid-parameter", "colour");
    assertTrue(p.get("detail").asText().contains("colour"), p.toString());
  }

  @Test
  void badLimit() {
    assertRefusedUnchanged(() -> get(viewer, "/api/v1/sites/demo-mall/assets?limit=lots"), 400, "invalid-parameter", "limit");
    assertRefusedUnchanged(() -> get(viewer, "/api/v1/sites/demo-mall/assets?limit=0"), 400, "invalid-parameter", "limit");
    assertRefusedUnchanged(() -> get(viewer, "/api/v1/sites/demo-mall/assets?limit=1000000"), 400, "invalid-parameter", "limit");
    assertRefusedUnchanged(() -> get(viewer, "/api/v1/sites/demo-mall/assets?limit=1&limit=2"), 400, "invalid-parameter", "limit");
    assertRefusedUnchanged(() -> get(viewer, "/api/v1/sites/demo-mall/assets?cursor=-5"), 400, "invalid-parameter", "cursor");
    assertRefusedUnchanged(() -> get(viewer, "/api/v1/sites/demo-mall/assets?kind=spaceship"), 400, "invalid-parameter", "kind");
  }

  @Test
  void badFromInstantOnHistory() {
    String history = "/api/v1/sites/demo-mall/assets/hvac-zone/" + ZONE + "/history";
    JsonNode p = assertRefusedUnchanged(() -> get(viewer, history + "?from=yesterday"), 400, "invalid-parameter", "from");
    assertTrue(p.get("detail").asText().contains("ISO-8601"), p.toString());
    assertRefusedUnchanged(() -> get(viewer, history + "?from=2026-12-24T06:30:00Z&to=2026-12-23T06:30:00Z"), 400,
        "invalid-parameter", "from");
    assertRefusedUnchanged(() -> get(viewer, history + "?from=2026-01-01T00:00:00Z&to=2026-12-24T00:00:00Z"), 400,
        "invalid-parameter", "from");
    assertRefusedUnchanged(() -> get(viewer, history + "?step=often&field=temperature"), 400, "invalid-parameter", "step");
  }

  // ---------------------------------------------------------------- the device door

  @Test
  void baySensorPostingForAnotherBay() {
    JsonNode other = state("parking-bay", OTHER_BAY);
    JsonNode p = assertRefusedUnchanged(() -> curl("-X", "POST", url("/api/v1/devices/messages"),
        "-H", TestNode.basic(TestNode.BAY_SENSOR, TestNode.BAY_SENSOR_PASSWORD), "-H", "Content-Type: application/json",
        "--data-binary", reading("impostor-1", OTHER_BAY, true)), 403, "forbidden", null);
    assertTrue(p.get("detail").asText().contains(OTHER_BAY), p.toString());
    // A batch with one message of its own and one for another bay is refused whole.
    assertRefusedUnchanged(() -> curl("-X", "POST", url("/api/v1/devices/messages"),
        "-H", TestNode.basic(TestNode.BAY_SENSOR, TestNode.BAY_SENSOR_PASSWORD), "-H", "Content-Type: application/json",
        "--data-binary", "[" + reading("own-1", BAY, true) + "," + reading("impostor-2", OTHER_BAY, true) + "]"), 403, "forbidden", null);
    assertEquals(other, state("parking-bay", OTHER_BAY), "the other bay changed");
    assertEquals("FREE", state("parking-bay", OTHER_BAY).get("status").asText());
  }

  @Test
  void gatewayPostingForAnotherSite() {
    String foreign = reading("foreign-1", BAY, true).replace("\"site\":\"demo-mall\"", "\"site\":\"" + OTHER_SITE + "\"");
    JsonNode p = assertRefusedUnchanged(() -> postDevice(foreign), 403, "forbidden", null);
    assertTrue(p.get("detail").asText().contains(OTHER_SITE), p.toString());
  }

  @Test
  void malformedDeviceEnvelope() {
    assertRefusedUnchanged(() -> postDevice(reading("m-bad-1", BAY, true).replace("\"occupied\":true", "\"occupied\":\"yes\"")),
        400, "invalid-message", "$.data.occupied");
    assertRefusedUnchanged(() -> postDevice(reading("m-bad-2", BAY, true).replace("\"v\":1", "\"v\":7")), 400, "invalid-message", "$.v");
    assertRefusedUnchanged(() -> postDevice(reading("m-bad-3", BAY, true).replace("\"ts\":\"2026-12-24T01:05:00Z\"", "\"ts\":\"soon\"")),
        400, "invalid-message", "$.ts");
    assertRefusedUnchanged(() -> postDevice(reading("m-bad-4", BAY, true).replace(",\"kind\":\"parking-bay\"", "")),
        400, "invalid-message", "$.kind");
    assertRefusedUnchanged(() -> postDevice(reading("m-bad-5", BAY, true).replace("}}", "},\"extra\":1}")),
        400, "invalid-message", "$.extra");
    assertRefusedUnchanged(() -> postDevice("{\"v\":1,"), 400, "invalid-message", "$");
    assertRefusedUnchanged(() -> postDevice("[]"), 400, "invalid-message", "$");
    assertRefusedUnchanged(() -> postDevice("[" + reading("m-ok-6", BAY, true) + ",42]"), 400, "invalid-message", "$[1]");
  }

  // ================================================================ helpers

  private static final String TYPE_BASE = "https://atrium.dev/problems/";

  /** What a curl call came back with: status, headers of the final response, body. */
  record Reply(int status, Map<String, List<String>> headers, String body) {
    Optional<String> header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(v.size() - 1));
    }

    JsonNode problem() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  @FunctionalInterface
  private interface Request {
    Reply send();
  }

  @FunctionalInterface
  private interface Probe<T> {
    Optional<T> poll();
  }

  /** The last reply {@link #assertRefused} saw, for tests that look at its headers. */
  private Reply lastReply;

  /**
   * Sends a bad request and checks the answer: the status, problem+json of that type with a title,
   * a detail a person can read, the instance and (for bodies and parameters) the field; then that the
   * state of the assets in play is as before and the server still serves.
   */
  private JsonNode assertRefusedUnchanged(Request request, int status, String slug, String field) {
    Map<String, JsonNode> before = snapshot();
    Reply r = assertRefused(request, status, slug, field);
    assertEquals(before, snapshot(), "the refused request changed the twin's state");
    return r.problem();
  }

  private Reply assertRefused(Request request, int status, String slug, String field) {
    Reply r = request.send();
    lastReply = r;
    JsonNode p = assertProblem(r, status, slug);
    if (field != null) assertEquals(field, p.path("field").asText(null), "field of " + r.body());
    assertStillServing();
    return r;
  }

  private static JsonNode assertProblem(Reply r, int status, String slug) {
    assertEquals(status, r.status(), "status; body: " + r.body());
    String type = r.header("Content-Type").orElse("");
    assertTrue(type.startsWith("application/problem+json"), "Content-Type " + type + "; body: " + r.body());
    JsonNode p = r.problem();
    assertEquals(TYPE_BASE + slug, p.path("type").asText(), r.body());
    assertEquals(status, p.path("status").asInt(), r.body());
    assertFalse(p.path("title").asText("").isBlank(), "title: " + r.body());
    String detail = p.path("detail").asText("");
    assertTrue(!detail.isBlank() && detail.chars().anyMatch(Character::isLetter), "a detail a person can read: " + r.body());
    assertTrue(p.path("instance").asText("").startsWith("/"), "instance: " + r.body());
    return p;
  }

  private JsonNode assertUnauthorizedBothWays(String token, String slug) {
    Map<String, JsonNode> before = snapshot();
    Reply read = get(token, "/api/v1/sites/demo-mall/assets/hvac-zone/" + ZONE);
    JsonNode p = assertProblem(read, 401, slug);
    assertTrue(read.header("WWW-Authenticate").orElse("").startsWith("Bearer"), read.headers().toString());
    assertFalse(read.body().contains(token), "the 401 echoes the token");
    Reply write = curl("-X", "PUT", url("/api/v1/sites/demo-mall/assets/hvac-zone/" + ZONE + "/setpoints"), "-H", TestNode.bearer(token),
        "-H", "Content-Type: application/json", "--data-binary", "{\"heating\":18.0,\"cooling\":27.0}");
    assertProblem(write, 401, slug);
    assertEquals(before, snapshot(), "a refused token changed the twin's state");
    assertStillServing();
    return p;
  }

  /** GET /health answers 200 and a viewer's read of a real asset succeeds. */
  private void assertStillServing() {
    Reply health = curl(url("/health"));
    assertEquals(200, health.status(), "health: " + health.body());
    Reply read = get(viewer, "/api/v1/sites/demo-mall/assets/hvac-zone/" + ZONE);
    assertEquals(200, read.status(), "a viewer's read after the refusal: " + read.body());
    assertTrue(json(read).isObject() && json(read).size() > 0, read.body());
  }

  /** The state in play: the zone's setpoints (with their ETag), the zone, the bay sensor's bay and its neighbour, the car park. */
  private Map<String, JsonNode> snapshot() {
    Map<String, JsonNode> s = new LinkedHashMap<>();
    Reply setpoints = get(operator, "/api/v1/sites/demo-mall/assets/hvac-zone/" + ZONE + "/setpoints");
    assertEquals(200, setpoints.status(), setpoints.body());
    ObjectNode sp = (ObjectNode) json(setpoints);
    sp.put("etag", setpoints.header("ETag").orElse(""));
    s.put("setpoints", sp);
    s.put("zone", state("hvac-zone", ZONE));
    s.put("bay", state("parking-bay", BAY));
    s.put("otherBay", state("parking-bay", OTHER_BAY));
    s.put("carPark", state("car-park", "P-north"));
    return s;
  }

  private JsonNode state(String kind, String id) {
    Reply r = get(viewer, "/api/v1/sites/demo-mall/assets/" + kind + "/" + id);
    assertEquals(200, r.status(), kind + "/" + id + ": " + r.body());
    return json(r);
  }

  private Reply putSetpoints(String token, String body, String ifMatch) {
    List<String> args = new ArrayList<>(List.of("-X", "PUT", url("/api/v1/sites/demo-mall/assets/hvac-zone/" + ZONE + "/setpoints"),
        "-H", TestNode.bearer(token), "-H", "Content-Type: application/json", "--data-binary", body));
    if (ifMatch != null) args.addAll(List.of("-H", "If-Match: " + ifMatch));
    return curl(args.toArray(String[]::new));
  }

  private Reply postDevice(String body) {
    return curl("-X", "POST", url("/api/v1/devices/messages"), "-H", TestNode.gatewayAuth(), "-H", "Content-Type: application/json",
        "--data-binary", body);
  }

  private Reply get(String token, String path) {
    return getWith(TestNode.bearer(token), path);
  }

  private Reply getWith(String authorizationHeader, String path) {
    return curl("-H", authorizationHeader, url(path));
  }

  private String url(String path) {
    return base + path;
  }

  private static JsonNode json(Reply r) {
    assertEquals(200, r.status(), r.body());
    return r.problem();
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private AuthSettings authSettings() {
    return AuthSettings.create(node.runtime().system().settings().config());
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String reading(String id, String bay, boolean occupied) {
    return "{\"v\":1,\"type\":\"telemetry\",\"id\":\"" + id + "\",\"site\":\"demo-mall\",\"kind\":\"parking-bay\","
        + "\"asset\":\"" + bay + "\",\"ts\":\"2026-12-24T01:05:00Z\",\"data\":{\"occupied\":" + occupied + "}}";
  }

  /** A JSON object of about {@code bytes} bytes, the setpoints buried in padding. */
  private static Path bigJson(int bytes) throws IOException {
    char[] pad = new char[bytes];
    Arrays.fill(pad, 'x');
    Path f = Files.createTempFile(dir, "big", ".json");
    Files.writeString(f, "{\"heating\":18.0,\"cooling\":27.0,\"padding\":\"" + new String(pad) + "\"}");
    return f;
  }

  private final org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit waiter =
      org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit.create("bad-input-waiter");

  /** The probe, polled until it has a value or {@link #AWAIT} has gone (Pekko's awaitAssert). */
  private <T> T await(String what, Probe<T> probe) {
    return waiter.createTestProbe().awaitAssert(AWAIT, java.time.Duration.ofMillis(200), () -> {
      Optional<T> v = probe.poll();
      if (v.isEmpty()) fail("not seen within " + AWAIT.toSeconds() + " s: " + what);
      return v.get();
    });
  }

  /**
   * Runs Debian's curl, the client a new user would reach for; the final response's status, headers
   * (after any {@code 100 Continue}) and body.
   */
  private static Reply curl(String... args) {
    try {
      Path headers = Files.createTempFile(dir, "headers", ".txt");
      Path body = Files.createTempFile(dir, "body", ".txt");
      List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-S", "--max-time", "30", "-D", headers.toString(),
          "-o", body.toString(), "-w", "%{http_code}"));
      cmd.addAll(List.of(args));
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
      String status = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(60, TimeUnit.SECONDS)) throw new AssertionError("curl did not finish");
      if (status.isEmpty() || status.equals("000")) throw new AssertionError("curl got no answer (exit " + p.exitValue() + "): " + err);
      Reply r = new Reply(Integer.parseInt(status), parseHeaders(Files.readString(headers, StandardCharsets.ISO_8859_1)),
          Files.readString(body, StandardCharsets.UTF_8));
      Files.deleteIfExists(headers);
      Files.deleteIfExists(body);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run curl (scripts/test-prerequisites.sh installs it)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The header fields of the last response in a {@code -D} dump, names lower-cased. */
  private static Map<String, List<String>> parseHeaders(String dump) {
    Map<String, List<String>> h = new LinkedHashMap<>();
    for (String line : dump.split("\r?\n")) {
      if (line.startsWith("HTTP/")) {
        h.clear();
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) continue;
      h.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(line.substring(colon + 1).trim());
    }
    return h;
  }
}
