package atrium.api.rest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import atrium.api.AtriumMain;
import atrium.api.http.Auditor;
import atrium.api.http.Endpoint;
import atrium.api.http.HttpApi;
import atrium.api.http.HttpServer;
import atrium.api.http.HttpSettings;
import atrium.api.http.InFlightLimit;
import atrium.api.http.RateLimit;
import atrium.api.http.Router;
import atrium.api.security.Access;
import atrium.api.security.HttpAuthenticator;
import atrium.api.security.Principal;
import atrium.api.security.Role;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps {@code openapi.json} in step with the code: the operations it describes are the endpoints a
 * real node serves (method, path template, operation id), each with the security and the error
 * answers its access implies; the node serves the document byte for byte; and two external
 * validators (the official OpenAPI 3.1 JSON Schema, and Redocly's lint) accept it.
 */
class OpenApiDocumentTest {
  /**
   * Operations the document describes before the code serves them, by operation id, with their
   * method, path and access. When one lands in the node's endpoint list, delete its line here: the
   * test fails until then, so that a planned entry cannot hide a mismatch. Empty once all have landed.
   */
  private static final Map<String, Planned> PLANNED = Map.of(
      // none now: stream, listPoints, getDtdl, getReport, listDeviceConnections and queryAudit have landed.
      // Add one as "id", new Planned("GET", "/api/v1/...", Access.VIEW) when the document runs ahead of the code.
      );

  private record Planned(String method, String path, Access access) {}

  private record Operation(String method, String path, String id) {
    @Override
    public String toString() {
      return method + " " + path + " (" + id + ")";
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
  private static final Path VALIDATORS = Path.of("src/test/openapi");
  private static final Path SOURCE = Path.of("src/main/resources/openapi.json");

  @TempDir
  static Path dataDir;

  private static AtriumMain.Node node;
  private static JsonNode document;

  @BeforeAll
  static void start() throws IOException {
    node = AtriumMain.Node.start(atrium.api.TestNode.config(dataDir));
    document = JSON.readTree(OpenApiDocument.load());
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  // ---- (a) the operations are the endpoints

  @Test
  void theDocumentDescribesExactlyTheEndpointsTheNodeServesAndThePlannedOnes() {
    Set<Operation> served = new TreeSetOf();
    for (Endpoint e : node.endpoints()) served.add(new Operation(e.method().name(), e.path(), e.id()));
    Set<Operation> described = new TreeSetOf();
    described.addAll(operations().keySet());

    List<String> landed = PLANNED.keySet().stream()
        .filter(id -> node.endpoints().stream().anyMatch(e -> e.id().equals(id))).sorted().toList();
    assertTrue(landed.isEmpty(), "the node now serves " + landed + ": delete them from PLANNED in OpenApiDocumentTest");

    Set<Operation> planned = new TreeSetOf();
    PLANNED.forEach((id, p) -> planned.add(new Operation(p.method(), p.path(), id)));
    Set<Operation> plannedMissing = new TreeSetOf();
    plannedMissing.addAll(planned);
    plannedMissing.removeAll(described);
    assertTrue(plannedMissing.isEmpty(), "planned operations the document does not describe (or describes differently): "
        + plannedMissing);

    Set<Operation> undocumented = new TreeSetOf();
    undocumented.addAll(served);
    undocumented.removeAll(described);
    Set<Operation> unserved = new TreeSetOf();
    unserved.addAll(described);
    unserved.removeAll(served);
    unserved.removeAll(planned);
    assertTrue(undocumented.isEmpty() && unserved.isEmpty(),
        "openapi.json is out of step with the endpoint table.\n  served but not in the document: " + undocumented
            + "\n  in the document but not served (nor planned): " + unserved);
  }

  @Test
  void operationIdsAreUniqueAndEveryOperationHasASummaryAndAKnownTag() {
    Set<String> tags = new TreeSet<>();
    document.path("tags").forEach(t -> tags.add(t.path("name").asText()));
    assertEquals(Set.of("sites", "assets", "commands", "campaigns", "devices", "stream", "interop", "reports", "audit",
        "operations", "simulation", "energy"), tags);
    Set<String> ids = new TreeSet<>();
    operations().forEach((op, o) -> {
      assertTrue(ids.add(op.id()), "operationId " + op.id() + " is used twice");
      assertFalse(o.path("summary").asText().isBlank(), op + " has no summary");
      assertTrue(o.path("tags").size() == 1 && tags.contains(o.path("tags").get(0).asText()), op + " has no known tag: " + o.path("tags"));
    });
  }

  // ---- (b) security matches access

  @Test
  void eachOperationsSecurityMatchesItsEndpointsAccess() {
    Map<String, Access> access = new java.util.HashMap<>();
    node.endpoints().forEach(e -> access.put(e.id(), e.access()));
    PLANNED.forEach((id, p) -> access.put(id, p.access()));
    List<String> wrong = new ArrayList<>();
    operations().forEach((op, o) -> {
      Access a = access.get(op.id());
      if (a == null) return; // reported by the test of the operation set
      String extension = o.path("x-atrium-access").asText(null);
      if (!a.name().toLowerCase(Locale.ROOT).equals(extension)) {
        wrong.add(op + ": x-atrium-access is " + extension + ", the endpoint's access is " + a);
      }
      JsonNode security = o.get("security");
      String expected = switch (a) {
        case PUBLIC -> "[]";
        case DEVICE -> "[{\"device\":[]}]";
        default -> "[{\"bearer\":[]}]";
      };
      if (security == null || !security.toString().equals(expected)) {
        wrong.add(op + ": security is " + security + ", " + a + " needs " + expected);
      }
    });
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    assertEquals("bearer", document.at("/components/securitySchemes/bearer/scheme").asText());
    assertEquals("basic", document.at("/components/securitySchemes/device/scheme").asText());
  }

  // ---- (c) the error answers the gatekeepers give

  @Test
  void protectedOperationsDeclare401AndThoseAboveViewDeclare403() {
    Map<String, Access> access = new java.util.HashMap<>();
    node.endpoints().forEach(e -> access.put(e.id(), e.access()));
    PLANNED.forEach((id, p) -> access.put(id, p.access()));
    List<String> missing = new ArrayList<>();
    operations().forEach((op, o) -> {
      Access a = access.get(op.id());
      if (a == null) return;
      JsonNode responses = o.path("responses");
      if (a != Access.PUBLIC) {
        if (!responses.has("401")) missing.add(op + " (" + a + ") lacks 401");
        if (!responses.has("429")) missing.add(op + " (" + a + ") lacks 429: every caller with credentials is rate limited");
      }
      boolean aboveView = a == Access.OPERATE || a == Access.ENGINEER || a == Access.ADMIN;
      if ((aboveView || a == Access.DEVICE) && !responses.has("403")) missing.add(op + " (" + a + ") lacks 403");
      if (op.path().contains("{site}") && !responses.has("404")) missing.add(op + " takes a site but lacks 404 unknown-site");
    });
    assertTrue(missing.isEmpty(), String.join("\n", missing));
  }

  @Test
  void errorAnswersAreProblemsAnd429And503SayWhenToRetry() {
    List<String> wrong = new ArrayList<>();
    operations().forEach((op, o) -> o.path("responses").fields().forEachRemaining(r -> {
      int status = Integer.parseInt(r.getKey());
      JsonNode response = resolve(r.getValue());
      if (status >= 400) {
        JsonNode problem = response.at("/content/application~1problem+json/schema/$ref");
        if (!problem.asText().equals("#/components/schemas/Problem")) {
          wrong.add(op + " " + status + " is not an application/problem+json Problem");
        }
      }
      if ((status == 429 || status == 503) && !response.path("headers").has("Retry-After")) {
        wrong.add(op + " " + status + " has no Retry-After");
      }
      if (status == 412 && !response.path("headers").has("ETag")) wrong.add(op + " 412 does not give the current ETag");
    }));
    JsonNode problem = document.at("/components/schemas/Problem/properties");
    assertEquals(Set.of("type", "title", "status", "detail", "instance", "field"), fieldNames(problem));
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  @Test
  void conditionalWritesDeclareIfMatchAnd412AndReadsWithETagsDeclareIfNoneMatchAnd304() {
    List<String> wrong = new ArrayList<>();
    operations().forEach((op, o) -> {
      Set<String> headers = new TreeSet<>();
      o.path("parameters").forEach(p -> {
        JsonNode param = resolve(p);
        if (param.path("in").asText().equals("header")) headers.add(param.path("name").asText());
      });
      JsonNode responses = o.path("responses");
      if (headers.contains("If-Match") != responses.has("412")) wrong.add(op + ": If-Match and 412 go together");
      if (headers.contains("If-None-Match") != responses.has("304")) wrong.add(op + ": If-None-Match and 304 go together");
      boolean etag = resolve(responses.path("200")).path("headers").has("ETag");
      if (headers.contains("If-None-Match") && !etag) wrong.add(op + ": a 304 needs an ETag on the 200");
    });
    // the commands that read-modify-write an asset honour If-Match (AssetCommands.change)
    for (Endpoint e : node.endpoints()) {
      if (e.isCommand() && e.path().contains("/assets/")) {
        Operation op = new Operation(e.method().name(), e.path(), e.id());
        JsonNode o = operations().get(op);
        if (o != null && !o.path("responses").has("412")) wrong.add(op + " honours If-Match but declares no 412");
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  @Test
  void pathParametersAreDeclaredWithTheServersSyntax() {
    String name = "^" + AssetId.NAME.pattern() + "$";
    assertEquals(name, document.at("/components/schemas/Name/pattern").asText());
    Set<String> kinds = Arrays.stream(AssetKind.values()).map(AssetKind::wireName).collect(Collectors.toSet());
    assertEquals(kinds, textSet(document.at("/components/schemas/AssetKind/enum")));
    assertEquals(AssetCatalog.LISTED.stream().map(AssetKind::wireName).collect(Collectors.toSet()),
        textSet(document.at("/components/schemas/ListedKind/enum")));
    List<String> wrong = new ArrayList<>();
    document.path("paths").fields().forEachRemaining(p -> {
      Map<String, JsonNode> declared = new java.util.HashMap<>();
      p.getValue().path("parameters").forEach(x -> {
        JsonNode param = resolve(x);
        if (param.path("in").asText().equals("path")) declared.put(param.path("name").asText(), param);
      });
      for (String segment : p.getKey().split("/")) {
        if (!segment.startsWith("{")) continue;
        String variable = segment.substring(1, segment.length() - 1);
        JsonNode param = declared.get(variable);
        if (param == null) {
          wrong.add(p.getKey() + ": path variable " + variable + " is not declared on the path");
          continue;
        }
        JsonNode schema = resolve(param.path("schema"));
        boolean constrained = schema.has("pattern") || schema.has("enum") || schema.has("maxLength");
        if (!param.path("required").asBoolean() || !constrained) wrong.add(p.getKey() + ": " + variable + " is not required and constrained");
        if ((variable.equals("site") || variable.equals("id")) && !name.equals(schema.path("pattern").asText())) {
          wrong.add(p.getKey() + ": " + variable + " lacks the id pattern " + name);
        }
      }
    });
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  // ---- (d) served as is

  @Test
  void theNodeServesTheDocumentWithoutCredentialsAndWithAnETag() throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    URI uri = node.baseUri().resolve(OpenApiDocument.PATH);
    HttpResponse<byte[]> ok = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, ok.statusCode(), new String(ok.body(), StandardCharsets.UTF_8));
    assertEquals("application/json", ok.headers().firstValue("Content-Type").orElse(null));
    assertArrayEquals(Files.readAllBytes(SOURCE), ok.body(), "the served document differs from " + SOURCE);
    assertArrayEquals(OpenApiDocument.load(), ok.body());
    String etag = ok.headers().firstValue("ETag").orElse(null);
    assertNotNull(etag, "no ETag");
    assertEquals(ETags.of(ok.body()), etag);

    HttpResponse<byte[]> same = client.send(HttpRequest.newBuilder(uri).header("If-None-Match", etag)
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(304, same.statusCode());
    assertEquals(0, same.body().length);
    assertEquals(etag, same.headers().firstValue("ETag").orElse(null));
  }

  // ---- (e) external validators

  @Test
  void theOfficialOpenApi31SchemaAcceptsTheDocument() {
    Run run = node("node_modules/@seriousme/openapi-schema-validator/bin/validate-api-cli.js", SOURCE.toAbsolutePath().toString());
    assertEquals(0, run.exit(), "validate-api refused openapi.json:\n" + run.output());
    assertTrue(run.output().contains("\"valid\": true"), run.output());
  }

  @Test
  void redoclyLintFindsNoErrorAndNoWarning() throws IOException {
    Run run = node("node_modules/@redocly/cli/bin/cli.js", "lint", "--config", "redocly.yaml", "--format", "json",
        SOURCE.toAbsolutePath().toString());
    String out = run.output();
    int json = out.indexOf("{\n");
    assertTrue(json >= 0, "redocly lint printed no report:\n" + out);
    JsonNode report = JSON.readTree(out.substring(json));
    JsonNode totals = report.path("totals");
    assertEquals(0, run.exit(), "redocly lint failed:\n" + out);
    assertEquals(0, totals.path("errors").asInt(-1) + totals.path("warnings").asInt(-1), "redocly lint found problems:\n"
        + report.path("problems").toPrettyString());
  }

  // ---- (f) what the server really answers matches the document

  /**
   * Calls every kind of operation the node serves (through a second server over the node's own
   * endpoint table, whose authenticator lets a test token and test device credentials in), then
   * checks that each status is declared for its operation and each JSON body matches the declared
   * schema (with Ajv, JSON Schema 2020-12).
   */
  @Test
  void realAnswersHaveDeclaredStatusesAndMatchTheirSchemas() throws Exception {
    HttpAuthenticator everyone = new HttpAuthenticator(
        token -> Principal.person("openapi-test", Role.ADMIN, Set.of(Principal.ALL_SITES)),
        (user, password) -> java.util.Optional.of(new Principal(user, null, Set.of(Principal.ALL_SITES), true,
            Set.of(Principal.ALL_ASSETS))));
    HttpSettings settings = HttpSettings.defaults().withPort(0);
    try (HttpServer open = new HttpServer(settings, new HttpApi(new Router(node.endpoints()), everyone, RateLimit.UNLIMITED,
        Auditor.NONE, new InFlightLimit(settings.maxInFlight()), (endpoint, method, status, nanos) -> {})).start()) {
      Caller c = new Caller(URI.create("http://127.0.0.1:" + open.port()));
      String site = "/api/v1/sites/demo-mall";
      c.call("health", "GET", "/health", null);
      c.call("ready", "GET", "/ready", null);
      c.call("listSites", "GET", "/api/v1/sites", null);
      c.call("getSite", "GET", site, null);
      c.call("getSite", "GET", "/api/v1/sites/nowhere", null);
      c.call("getSite", "GET", "/api/v1/sites/bad%20id", null);
      c.call("getSiteModel", "GET", site + "/model", null);
      c.call("listAssets", "GET", site + "/assets?limit=3", null);
      c.call("listAssets", "GET", site + "/assets?kind=parking-bay&state.status=FREE&limit=2", null);
      c.call("listAssets", "GET", site + "/assets?colour=red", null);
      c.call("listAlarms", "GET", site + "/alarms?severity=high,low&limit=5", null);
      c.call("listAlarms", "GET", site + "/alarms?state=LOUD", null);
      c.call("findCar", "POST", site + "/parking/find-car", "{\"plate\":\"沪A12345\"}");
      c.call("findCar", "POST", site + "/parking/find-car", "{\"plate\":\"!!\"}");
      String hvac = c.firstId("hvac-zone"), label = c.firstId("shelf-label"), kiosk = c.firstId("kiosk"), bay = c.firstId("parking-bay");
      String zone = c.firstId("zone");
      c.call("getAsset", "GET", site + "/assets/parking-bay/" + bay, null);
      c.call("getAsset", "GET", site + "/assets/hvac-zone/" + hvac, null);
      c.call("getAsset", "GET", site + "/assets/toaster/T-1", null);
      c.call("getAssetHistory", "GET", site + "/assets/zone/" + zone + "/history", null);
      c.call("getAssetHistory", "GET", site + "/assets/zone/" + zone + "/history?field=occupancy&step=PT1H", null);
      c.call("getAssetHistory", "GET", site + "/assets/zone/" + zone + "/history?step=PT1H", null);
      c.call("getHvacSetpoints", "GET", site + "/assets/hvac-zone/" + hvac + "/setpoints", null);
      c.call("putHvacSetpoints", "PUT", site + "/assets/hvac-zone/" + hvac + "/setpoints", "{\"heating\":20,\"cooling\":24}");
      c.call("putHvacSetpoints", "PUT", site + "/assets/hvac-zone/" + hvac + "/setpoints", "{\"heating\":20,\"cooling\":24}",
          "If-Match", "\"stale\"");
      c.call("putHvacSetpoints", "PUT", site + "/assets/hvac-zone/" + hvac + "/setpoints", "{\"heating\":\"warm\"}");
      c.call("getHvacMode", "GET", site + "/assets/hvac-zone/" + hvac + "/mode", null);
      c.call("putHvacMode", "PUT", site + "/assets/hvac-zone/" + hvac + "/mode", "{\"mode\":\"economy\"}");
      c.call("getHvacControl", "GET", site + "/assets/hvac-zone/" + hvac + "/control", null);
      c.call("putHvacControl", "PUT", site + "/assets/hvac-zone/" + hvac + "/control", "{\"control\":\"atrium\"}");
      c.call("getLabelPrice", "GET", site + "/assets/shelf-label/" + label + "/price", null);
      c.call("putLabelPrice", "PUT", site + "/assets/shelf-label/" + label + "/price", "{\"price\":\"3.49\",\"product\":\"Oat milk\"}");
      c.call("flashLabel", "POST", site + "/assets/shelf-label/" + label + "/flash", "{\"reason\":\"restock\",\"duration\":\"PT1M\"}");
      c.call("getKioskContentMode", "GET", site + "/assets/kiosk/" + kiosk + "/content-mode", null);
      c.call("putKioskContentMode", "PUT", site + "/assets/kiosk/" + kiosk + "/content-mode", "{\"mode\":\"promotion\"}");
      c.call("putKioskContentMode", "PUT", site + "/assets/kiosk/" + kiosk + "/content-mode", "mode=promotion",
          "Content-Type", "text/plain");
      c.call("getBayReservation", "GET", site + "/assets/parking-bay/" + bay + "/reservation", null);
      c.call("putBayReservation", "PUT", site + "/assets/parking-bay/" + bay + "/reservation", "{\"reference\":\"b-1\",\"hold\":\"PT30M\"}");
      c.call("deleteBayReservation", "DELETE", site + "/assets/parking-bay/" + bay + "/reservation?reference=b-1", null);
      c.call("putBayService", "PUT", site + "/assets/parking-bay/" + bay + "/service", "{\"inService\":false,\"reason\":\"works\"}");
      c.call("putBayService", "PUT", site + "/assets/parking-bay/" + bay + "/service", "{\"inService\":true}");
      c.call("acknowledgeAlarm", "POST", site + "/assets/alarm/camera.CAM-none.offline/acknowledge", null);
      c.call("putSiteKioskContentMode", "PUT", site + "/kiosks/content-mode", "{\"mode\":\"normal\"}");
      c.call("startPriceCampaign", "POST", site + "/price-campaigns",
          "{\"id\":\"c-1\",\"prices\":[{\"label\":\"" + label + "\",\"price\":2.99}]}");
      c.call("listPriceCampaigns", "GET", site + "/price-campaigns", null);
      c.call("getPriceCampaign", "GET", site + "/price-campaigns/c-1", null);
      c.call("getPriceCampaign", "GET", site + "/price-campaigns/none", null);
      c.call("startEvacuationWhatIf", "POST", site + "/what-if/evacuation", "{\"zone\":\"no-such-zone\"}");
      c.call("startEvacuationWhatIf", "POST", site + "/what-if/evacuation", "{\"zone\":\"ATR-L1\",\"closedExits\":[\"EXIT-01\"]}");
      c.call("getEvacuationWhatIf", "GET", site + "/what-if/evacuation/no-such-run", null);
      c.call("listDrillScenarios", "GET", site + "/drill/scenarios", null);
      c.call("getDrill", "GET", site + "/drill", null);
      c.call("startDrill", "POST", site + "/drill", "{\"scenario\":\"holiday-surge\",\"speed\":0}");
      c.call("startDrill", "POST", site + "/drill", "{\"scenario\":\"holiday-surge\",\"speed\":1}");
      c.call("startDrill", "POST", site + "/drill", "{\"scenario\":\"holiday-surge\"}");
      c.call("getDrill", "GET", site + "/drill", null);
      c.call("stopDrill", "POST", site + "/drill/stop", null);
      c.call("stopDrill", "POST", site + "/drill/stop", null);
      c.call("getEnergyOptimiser", "GET", site + "/energy", null);
      c.call("putEnergyOptimiser", "PUT", site + "/energy", "{\"demandLimitKw\":450}");
      c.call("putEnergyOptimiser", "PUT", site + "/energy", "{\"demandLimitKw\":-1}");
      c.call("listEnergyDecisions", "GET", site + "/energy/decisions?limit=5", null);
      c.call("listEnergyDecisions", "GET", site + "/energy/decisions?colour=red", null);
      c.call("putEnergyZoneControl", "PUT", site + "/energy/zones/" + hvac, "{\"override\":{\"heating\":21,\"cooling\":23.5}}");
      c.call("putEnergyZoneControl", "PUT", site + "/energy/zones/" + hvac, "{\"override\":{\"heating\":23,\"cooling\":23.5}}");
      c.call("putEnergyZoneControl", "PUT", site + "/energy/zones/NO-SUCH-AHU", "{\"suspended\":true}");
      c.call("deleteEnergyZoneControl", "DELETE", site + "/energy/zones/" + hvac, null);
      c.call("declareEvacuation", "POST", site + "/energy/evacuation", "{\"reason\":\"drill\"}");
      c.call("clearEvacuation", "DELETE", site + "/energy/evacuation", null);
      c.call("clearEvacuation", "DELETE", site + "/energy/evacuation", null);
      String reading = "{\"v\":1,\"type\":\"telemetry\",\"id\":\"oa-%s\",\"site\":\"demo-mall\",\"kind\":\"parking-bay\","
          + "\"asset\":\"%s\",\"ts\":\"2026-12-24T01:05:00Z\",\"data\":{\"occupied\":%s}}";
      c.call("postDeviceMessages", "POST", "/api/v1/devices/messages", String.format(reading, "1", bay, "true"));
      c.call("postDeviceMessages", "POST", "/api/v1/devices/messages",
          "[" + String.format(reading, "2", bay, "false") + "," + String.format(reading, "3", "NO-SUCH-BAY", "true") + "]");
      c.call("postDeviceMessages", "POST", "/api/v1/devices/messages", String.format(reading, "4", bay, "\"yes\""));
      c.call("getOpenApi", "GET", OpenApiDocument.PATH, null);
      c.call("stream", "GET", "/api/v1/stream", null);
      c.call("listPoints", "GET", "/api/v1/points", null);
      c.call("listPoints", "GET", "/api/v1/points?kind=zone,hvac-zone", null);
      c.call("listPoints", "GET", "/api/v1/points?kind=toaster", null);
      c.call("getDtdl", "GET", "/api/v1/dtdl", null);
      c.call("getReport", "GET", site + "/reports/footfall-by-zone?slot=PT6H", null);
      c.call("getReport", "GET", site + "/reports/hvac-energy?tz=Nowhere/Else", null);
      c.call("getReport", "GET", site + "/reports/weather", null);
      c.call("listRunReports", "GET", "/api/v1/run-reports", null);
      c.call("getRunReportFile", "GET", "/api/v1/run-reports/no-such-run/report.json", null);
      c.call("getRunReportFile", "GET", "/api/v1/run-reports/no-such-run/report.exe", null);
      c.call("listDeviceConnections", "GET", site + "/devices/connections", null);
      c.call("queryAudit", "GET", "/api/v1/audit?site=demo-mall&limit=5", null);
      c.call("queryAudit", "GET", "/api/v1/audit?outcome=maybe", null);

      assertTrue(c.failed.isEmpty(), "calls the server failed unexpectedly (see its log):\n" + String.join("\n", c.failed));
      assertTrue(c.undeclared.isEmpty(), "answers with statuses the document does not declare for the operation:\n"
          + String.join("\n", c.undeclared));
      Set<String> called = c.samples.stream().map(n -> n.path("name").asText().split(" ", 2)[0]).collect(Collectors.toSet());
      Set<String> uncalled = new TreeSet<>();
      node.endpoints().forEach(e -> {
        if (!called.contains(e.id()) && !Set.of("metrics", "unshelveAlarm", "shelveAlarm", "clearAlarm").contains(e.id())) uncalled.add(e.id());
      });
      assertTrue(uncalled.isEmpty(), "operations this test does not call yet: " + uncalled);
      Path samples = dataDir.resolve("samples.json");
      Files.write(samples, JSON.writeValueAsBytes(c.samples));
      Run run = node("check-responses.mjs", SOURCE.toAbsolutePath().toString(), samples.toAbsolutePath().toString());
      assertEquals(0, run.exit(), "bodies that do not match openapi.json:\n" + run.output());
    }
  }

  /** Makes requests and keeps, for each, whether its status is declared and where its body's schema is. */
  private static final class Caller {
    final URI base;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    final List<JsonNode> samples = new ArrayList<>();
    final List<String> undeclared = new ArrayList<>();
    final List<String> failed = new ArrayList<>();

    Caller(URI base) {
      this.base = base;
    }

    String firstId(String kind) throws Exception {
      HttpResponse<byte[]> r = send("GET", "/api/v1/sites/demo-mall/assets?kind=" + kind + "&limit=1", null, Map.of());
      assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
      return JSON.readTree(r.body()).at("/items/0/id").asText();
    }

    void call(String id, String method, String path, String body, String... headers) throws Exception {
      Map<String, String> h = new java.util.HashMap<>();
      for (int i = 0; i < headers.length; i += 2) h.put(headers[i], headers[i + 1]);
      HttpResponse<byte[]> r = send(method, path, body, h);
      String name = id + " " + method + " " + path + " -> " + r.statusCode();
      Map.Entry<Operation, JsonNode> op = operations().entrySet().stream().filter(o -> o.getKey().id().equals(id)).findFirst()
          .orElseThrow(() -> new AssertionError("no operation " + id + " in the document"));
      String status = Integer.toString(r.statusCode());
      if (r.statusCode() >= 500) failed.add(name + ": " + new String(r.body(), StandardCharsets.UTF_8));
      JsonNode declared = op.getValue().path("responses").get(status);
      if (declared == null) {
        undeclared.add(name + ": " + new String(r.body(), StandardCharsets.UTF_8));
        return;
      }
      String pointer = "/paths/" + escape(op.getKey().path()) + "/" + op.getKey().method().toLowerCase(Locale.ROOT) + "/responses/" + status;
      if (declared.has("$ref")) pointer = declared.get("$ref").asText().substring(1);
      String type = r.headers().firstValue("Content-Type").orElse("").split(";", 2)[0].trim();
      if (!type.equals("application/json") && !type.equals("application/problem+json")) return;
      JsonNode response = document.at(pointer);
      if (!response.path("content").has(type)) {
        undeclared.add(name + ": " + type + " is not declared for " + status);
        return;
      }
      var sample = JSON.createObjectNode();
      sample.put("name", name);
      sample.put("pointer", pointer + "/content/" + escape(type) + "/schema");
      sample.set("body", JSON.readTree(r.body()));
      samples.add(sample);
    }

    HttpResponse<byte[]> send(String method, String path, String body, Map<String, String> headers) throws Exception {
      HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
      b.header("Authorization", path.startsWith("/api/v1/devices/")
          ? "Basic " + java.util.Base64.getEncoder().encodeToString("gateway-1:secret".getBytes(StandardCharsets.UTF_8))
          : "Bearer test-token");
      if (body != null && !headers.containsKey("Content-Type")) b.header("Content-Type", "application/json");
      headers.forEach(b::header);
      b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String escape(String pointerToken) {
      return pointerToken.replace("~", "~0").replace("/", "~1");
    }
  }

  private record Run(int exit, String output) {}

  /** Runs a validator from src/test/openapi/node_modules (installed by scripts/test-prerequisites.sh). */
  private static Run node(String script, String... args) {
    Path cli = VALIDATORS.resolve(script);
    if (!Files.isRegularFile(cli)) {
      fail(cli + " is missing: run scripts/test-prerequisites.sh (npm ci in " + VALIDATORS + ")");
    }
    List<String> cmd = new ArrayList<>(List.of(nodeBinary(), script));
    cmd.addAll(List.of(args));
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(VALIDATORS.toFile()).redirectErrorStream(true);
      pb.environment().put("REDOCLY_TELEMETRY", "off");
      pb.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
      pb.environment().put("NO_COLOR", "1");
      Process p = pb.start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail(String.join(" ", cmd) + " did not finish in 120 s");
      }
      return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("cannot run " + cmd + " (node is needed: scripts/test-prerequisites.sh)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String nodeBinary() {
    return Files.isExecutable(Path.of("/usr/bin/node")) ? "/usr/bin/node" : "node";
  }

  // ---- reading the document

  /** Every operation of the document, by method, path and id. */
  private static Map<Operation, JsonNode> operations() {
    Map<Operation, JsonNode> out = new java.util.LinkedHashMap<>();
    document.path("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(m -> {
      if (!METHODS.contains(m.getKey())) return;
      out.put(new Operation(m.getKey().toUpperCase(Locale.ROOT), p.getKey(), m.getValue().path("operationId").asText()), m.getValue());
    }));
    return out;
  }

  /** Follows a local {@code $ref}. */
  private static JsonNode resolve(JsonNode node) {
    JsonNode n = node;
    for (int i = 0; i < 10 && n.has("$ref"); i++) {
      String ref = n.get("$ref").asText();
      assertTrue(ref.startsWith("#/"), "not a local reference: " + ref);
      n = document.at(ref.substring(1));
      assertFalse(n.isMissingNode(), "dangling reference " + ref);
    }
    return n;
  }

  private static Set<String> fieldNames(JsonNode n) {
    Set<String> names = new TreeSet<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Set<String> textSet(JsonNode array) {
    Set<String> out = new TreeSet<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }

  /** Operations sorted by path, then method, for readable failure messages. */
  private static final class TreeSetOf extends TreeSet<Operation> {
    TreeSetOf() {
      super(java.util.Comparator.comparing(Operation::path).thenComparing(Operation::method).thenComparing(Operation::id));
    }
  }
}
