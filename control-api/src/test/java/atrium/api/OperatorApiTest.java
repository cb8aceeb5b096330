package atrium.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.security.Role;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator API of a whole node, driven with curl as a control room would: sites and the model,
 * the asset listing with filters and paging, history, settings with ETags, commands to labels,
 * kiosks, bays and alarms, campaigns, reports, the interop exports, the audit of every command,
 * readiness and metrics (checked by Prometheus's own promtool).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorApiTest {
  private static final String SITE = "/api/v1/sites/demo-mall";

  @TempDir
  static Path dir;

  private AtriumMain.Node node;
  private String base;
  private String viewer;
  private String operator;
  private String engineer;
  private String admin;

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

  private Curl.Reply send(String method, String auth, String path, String json, String... headers) {
    List<String> args = new ArrayList<>(List.of("-X", method, "-H", auth, "-H", "Content-Type: application/json"));
    for (String h : headers) args.addAll(List.of("-H", h));
    if (json != null) args.addAll(List.of("--data-binary", json));
    args.add(base + path);
    return Curl.run(args.toArray(new String[0]));
  }

  private Curl.Reply device(String json) {
    return Curl.run("-X", "POST", "-H", TestNode.gatewayAuth(), "-H", "Content-Type: application/json", "--data-binary", json,
        base + "/api/v1/devices/messages");
  }

  private final org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit waiter =
      org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit.create("operator-api-waiter");

  /** The check, retried until it passes or 30 s have gone (Pekko's awaitAssert). */
  private void eventually(Runnable check) {
    waiter.createTestProbe().awaitAssert(java.time.Duration.ofSeconds(30), java.time.Duration.ofMillis(200), () -> {
      check.run();
      return null;
    });
  }

  private static String telemetry(String id, String kind, String asset, String ts, String data) {
    return "{\"v\":1,\"type\":\"telemetry\",\"id\":\"" + id + "\",\"site\":\"demo-mall\",\"kind\":\"" + kind + "\",\"asset\":\""
        + asset + "\",\"ts\":\"" + ts + "\",\"data\":" + data + "}";
  }

  @Test
  void aPersonSeesOnlyTheSitesTheirTokenGrants() {
    assertEquals("[\"demo-mall\"]", get(viewer, "/api/v1/sites").json().get("sites").toString());
    String elsewhere = TestNode.bearer(TestNode.token(node, "olga", Role.ADMIN, "other-mall"));
    assertEquals("[]", get(elsewhere, "/api/v1/sites").json().get("sites").toString());
  }

  @Test
  void theSiteModelCarriesFloorsAndZoneOutlinesWithAnEtag() {
    Curl.Reply model = get(viewer, SITE + "/model");
    assertEquals(200, model.status(), model.toString());
    assertEquals(5, model.json().get("floors").size());
    assertTrue(model.json().get("zones").get(0).has("outline"));
    assertFalse(model.etag().isEmpty());
    Curl.Reply again = Curl.run("-H", viewer, "-H", "If-None-Match: " + model.etag(), base + SITE + "/model");
    assertEquals(304, again.status());
  }

  @Test
  void theAssetListingFiltersByKindFloorAndStateAndPagesWithACursor() {
    Curl.Reply first = get(viewer, SITE + "/assets?kind=parking-bay&floor=B1&limit=50");
    assertEquals(200, first.status(), first.toString());
    JsonNode page = first.json();
    assertEquals(50, page.get("items").size());
    page.get("items").forEach(i -> {
      assertEquals("parking-bay", i.get("kind").asText());
      assertEquals("B1", i.get("floor").asText());
    });
    Set<String> seen = new HashSet<>();
    page.get("items").forEach(i -> seen.add(i.get("id").asText()));
    Curl.Reply second = get(viewer, SITE + "/assets?kind=parking-bay&floor=B1&limit=50&cursor=" + page.get("next").asText());
    second.json().get("items").forEach(i -> assertTrue(seen.add(i.get("id").asText()), "pages overlap at " + i));
    assertEquals(100, seen.size());

    assertEquals(200, device("[" + telemetry("list-1", "parking-bay", "PS-B2-0007", "2026-12-24T01:02:00Z", "{\"occupied\":true}") + ","
        + telemetry("list-2", "parking-bay", "PS-B2-0009", "2026-12-24T01:02:00Z", "{\"occupied\":true}") + "]").status());
    JsonNode occupied = get(viewer, SITE + "/assets?kind=parking-bay&floor=B2&state.status=OCCUPIED&limit=500").json();
    Set<String> ids = new HashSet<>();
    occupied.get("items").forEach(i -> ids.add(i.get("id").asText()));
    assertTrue(ids.containsAll(Set.of("PS-B2-0007", "PS-B2-0009")), ids.toString());
    occupied.get("items").forEach(i -> assertEquals("OCCUPIED", i.get("state").get("status").asText()));
  }

  @Test
  void anAssetsHistoryComesRawAndDownsampled() {
    String hvac = "AHU-L2-01";
    String[] at = {"2026-12-24T01:00:00Z", "2026-12-24T01:20:00Z", "2026-12-24T01:40:00Z"};
    double[] t = {20.0, 22.0, 24.0};
    for (int i = 0; i < 3; i++) {
      assertEquals(200, device(telemetry("hist-" + i, "hvac-zone", hvac, at[i], "{\"temperature\":" + t[i] + "}")).status());
    }
    String path = SITE + "/assets/hvac-zone/" + hvac + "/history?field=temperature&from=2026-12-24T00:00:00Z&to=2026-12-24T02:00:00Z";
    eventually(() -> assertEquals(3, get(viewer, path).json().get("points").size()));
    JsonNode raw = get(viewer, path).json();
    assertEquals(22.0, raw.get("points").get(1).get("value").asDouble());
    assertEquals("2026-12-24T01:20:00Z", raw.get("points").get(1).get("ts").asText());
    JsonNode hourly = get(viewer, path + "&step=PT1H").json();
    assertEquals(1, hourly.get("buckets").size(), hourly.toString());
    JsonNode bucket = hourly.get("buckets").get(0);
    assertEquals(3, bucket.get("count").asInt());
    assertEquals(22.0, bucket.get("mean").asDouble(), 1e-9);
    assertEquals(24.0, bucket.get("max").asDouble(), 1e-9);
  }

  @Test
  void anAssetsStateCarriesItsPointsBrickClassesAndHaystackTags() {
    JsonNode state = get(viewer, SITE + "/assets/hvac-zone/AHU-L1-02").json();
    JsonNode temperature = null;
    for (JsonNode p : state.get("points")) {
      if (p.get("name").asText().equals("temperature")) temperature = p;
    }
    assertTrue(temperature != null, state.toString());
    assertEquals("Zone_Air_Temperature_Sensor", temperature.get("brick").asText());
    assertTrue(temperature.get("haystack").asText().contains("zone air temp sensor point"), temperature.toString());
  }

  @Test
  void ofTwoOperatorsWritingSetpointsTheSecondWithAStaleEtagGets412AndTheFirstWriteStands() {
    String path = SITE + "/assets/hvac-zone/AHU-L1-03/setpoints";
    Curl.Reply read = get(operator, path);
    assertEquals(200, read.status(), read.toString());
    String etag = read.etag();
    Curl.Reply first = send("PUT", operator, path, "{\"heating\":19.5,\"cooling\":25.5}", "If-Match: " + etag);
    assertEquals(200, first.status(), first.toString());
    assertEquals(19.5, first.json().get("heating").asDouble());
    assertNotEquals(etag, first.etag());

    Curl.Reply second = send("PUT", operator, path, "{\"heating\":21,\"cooling\":23}", "If-Match: " + etag);
    assertEquals(412, second.status(), second.toString());
    assertEquals("precondition-failed", second.problemType());
    JsonNode now = get(viewer, path).json();
    assertEquals(19.5, now.get("heating").asDouble());
    assertEquals(25.5, now.get("cooling").asDouble());
  }

  @Test
  void aSetpointTheTwinRefusesIs422AndChangesNothing() {
    String path = SITE + "/assets/hvac-zone/AHU-L1-04/setpoints";
    JsonNode before = get(viewer, path).json();
    Curl.Reply refused = send("PUT", operator, path, "{\"heating\":26,\"cooling\":20}");
    assertEquals(422, refused.status(), refused.toString());
    assertEquals("rejected", refused.problemType());
    assertEquals(before, get(viewer, path).json());
  }

  @Test
  void anOperatorHandsAZonesLoopsToTheTwinAndBackWithAnEtagAndAnUnknownChoiceIs400() {
    String path = SITE + "/assets/hvac-zone/AHU-L1-08/control";
    Curl.Reply read = get(viewer, path);
    assertEquals(200, read.status(), read.toString());
    assertEquals("LOCAL", read.json().get("control").asText());

    Curl.Reply atrium = send("PUT", operator, path, "{\"control\":\"atrium\"}", "If-Match: " + read.etag());
    assertEquals(200, atrium.status(), atrium.toString());
    assertEquals("ATRIUM", atrium.json().get("control").asText());
    assertEquals("set-control", atrium.json().get("command").get("name").asText());
    assertNotEquals(read.etag(), atrium.etag());
    JsonNode state = get(viewer, SITE + "/assets/hvac-zone/AHU-L1-08").json();
    assertEquals("ATRIUM", state.at("/control/control").asText(), state.toString());

    Curl.Reply stale = send("PUT", operator, path, "{\"control\":\"local\"}", "If-Match: " + read.etag());
    assertEquals(412, stale.status(), stale.toString());
    Curl.Reply bad = send("PUT", operator, path, "{\"control\":\"remote\"}");
    assertEquals(400, bad.status(), bad.toString());
    assertTrue(bad.body().contains("'remote' is not one of local, atrium"), bad.body());
    assertEquals("ATRIUM", get(viewer, path).json().get("control").asText(), "nothing changed");

    Curl.Reply local = send("PUT", operator, path, "{\"control\":\"local\"}", "If-Match: " + atrium.etag());
    assertEquals(200, local.status(), local.toString());
    assertEquals("LOCAL", local.json().get("control").asText());
  }

  @Test
  void operatorsChangeAModeAPriceAKioskContentModeAndABaysReservation() {
    Curl.Reply mode = send("PUT", operator, SITE + "/assets/hvac-zone/AHU-L1-05/mode", "{\"mode\":\"economy\"}");
    assertEquals(200, mode.status(), mode.toString());
    assertEquals("ECONOMY", mode.json().get("mode").asText());

    Curl.Reply price = send("PUT", operator, SITE + "/assets/shelf-label/ESL-S-L1-03-00001/price",
        "{\"price\":\"12.80\",\"product\":\"Oolong tea 500 ml\"}");
    assertEquals(200, price.status(), price.toString());
    assertEquals(0, new java.math.BigDecimal("12.80").compareTo(price.json().get("pending").get("price").decimalValue()));

    Curl.Reply kiosk = send("PUT", operator, SITE + "/assets/kiosk/KIOSK-03/content-mode", "{\"mode\":\"promotion\"}");
    assertEquals(200, kiosk.status(), kiosk.toString());
    assertEquals("PROMOTION", kiosk.json().get("contentMode").asText());

    String bay = SITE + "/assets/parking-bay/PN-B1-0040/reservation";
    Curl.Reply reserve = send("PUT", operator, bay, "{\"reference\":\"vip-7\",\"hold\":\"PT30M\"}");
    assertEquals(200, reserve.status(), reserve.toString());
    assertEquals("RESERVED", reserve.json().get("status").asText());
    assertEquals("vip-7", reserve.json().get("reservation").asText());
    Curl.Reply cancel = Curl.run("-X", "DELETE", "-H", operator, base + bay + "?reference=vip-7");
    assertEquals(200, cancel.status(), cancel.toString());
    assertEquals("FREE", cancel.json().get("status").asText());
  }

  @Test
  void anOperatorAcknowledgesAndShelvesARaisedAlarm() {
    assertEquals(200, device("{\"v\":1,\"type\":\"event\",\"id\":\"fault-1\",\"site\":\"demo-mall\",\"kind\":\"kiosk\","
        + "\"asset\":\"KIOSK-04\",\"ts\":\"2026-12-24T01:03:00Z\",\"name\":\"fault\",\"data\":{\"component\":\"printer\",\"active\":true}}")
        .status());
    String alarm = SITE + "/assets/alarm/kiosk.KIOSK-04.fault-printer";
    eventually(() -> assertEquals(200, get(viewer, alarm).status()));
    Curl.Reply ack = send("POST", operator, alarm + "/acknowledge", null);
    assertEquals(200, ack.status(), ack.toString());
    assertEquals("otto-operator", ack.json().get("lastBy").asText());
    Curl.Reply shelve = send("POST", operator, alarm + "/shelve", "{\"duration\":\"PT1H\",\"reason\":\"printer paper on order\"}");
    assertEquals(200, shelve.status(), shelve.toString());
    assertEquals("SHELVED", shelve.json().get("state").asText());
  }

  @Test
  void anEngineerStartsAPriceCampaignThatEveryoneMayFollowButNoOperatorMayStart() {
    String body = "{\"id\":\"xmas-tea\",\"prices\":[{\"label\":\"ESL-S-L1-03-00010\",\"price\":\"9.90\"},"
        + "{\"label\":\"ESL-S-L1-03-00011\",\"price\":9.5}]}";
    assertEquals(403, send("POST", operator, SITE + "/price-campaigns", body).status());
    Curl.Reply started = send("POST", engineer, SITE + "/price-campaigns", body);
    assertEquals(202, started.status(), started.toString());
    assertEquals(2, started.json().get("total").asInt());
    Curl.Reply progress = get(viewer, SITE + "/price-campaigns/xmas-tea");
    assertEquals(200, progress.status(), progress.toString());
    assertEquals("xmas-tea", progress.json().get("campaignId").asText());
    assertEquals(404, get(viewer, SITE + "/price-campaigns/no-such").status());
  }

  @Test
  void reportsComeAsCsvWithAHeaderRow() {
    Curl.Reply csv = get(viewer, SITE + "/reports/hvac-energy?from=2026-12-24T00:00:00Z&to=2026-12-24T02:00:00Z&slot=PT1H");
    assertEquals(200, csv.status(), csv.toString());
    assertTrue(csv.contentType().startsWith("text/csv"), csv.contentType());
    assertTrue(csv.body().lines().findFirst().orElse("").contains(","), csv.body());
    Curl.Reply bad = get(viewer, SITE + "/reports/hvac-energy?from=2026-12-24T00:00:00Z&to=2026-12-24T02:00:00Z&slot=PT5S");
    assertEquals(400, bad.status(), bad.toString());
    assertEquals("slot", bad.json().get("field").asText());
  }

  @Test
  void thePointCatalogAndTheDtdlInterfacesAreExported() {
    JsonNode points = get(viewer, "/api/v1/points?kind=hvac-zone").json();
    assertEquals(1, points.get("kinds").size());
    JsonNode dtdl = get(viewer, "/api/v1/dtdl").json();
    assertTrue(dtdl.isArray() && dtdl.size() >= 9, dtdl.toString());
    assertTrue(dtdl.toString().contains("dtmi:atrium:HvacZone;1"));
  }

  @Test
  void everyCommandIsInTheAuditLogWithWhoWhatTargetAndOutcome() {
    String path = SITE + "/assets/hvac-zone/AHU-L1-06/setpoints";
    assertEquals(200, send("PUT", operator, path, "{\"heating\":20.5,\"cooling\":24.5}").status());
    assertEquals(403, send("PUT", viewer, path, "{\"heating\":18,\"cooling\":28}").status());
    assertEquals(422, send("PUT", operator, path, "{\"heating\":30,\"cooling\":18}").status());
    eventually(() -> {
      JsonNode entries = get(admin, "/api/v1/audit?site=demo-mall&target=demo-mall/hvac-zone/AHU-L1-06").json().get("entries");
      List<String> seen = new ArrayList<>();
      entries.forEach(e -> seen.add(e.get("actor").asText() + ":" + e.get("outcome").asText()));
      assertTrue(seen.contains("otto-operator:accepted"), seen.toString());
      assertTrue(seen.contains("vera-viewer:denied"), seen.toString());
      assertTrue(seen.contains("otto-operator:rejected"), seen.toString());
      entries.forEach(e -> assertEquals("putHvacSetpoints", e.get("action").asText()));
    });
    assertEquals(403, get(operator, "/api/v1/audit?site=demo-mall").status());
  }

  @Test
  void commandsAreLoggedAsJsonWithTheirRequestAndAssetIds() throws Exception {
    var context = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    var encoder = new ch.qos.logback.classic.encoder.JsonEncoder();
    encoder.setContext(context);
    encoder.setWithFormattedMessage(true);
    encoder.start();
    var out = new java.io.ByteArrayOutputStream();
    var appender = new ch.qos.logback.core.OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(out);
    appender.start();
    var audit = context.getLogger("atrium.audit");
    var level = audit.getLevel();
    audit.setLevel(ch.qos.logback.classic.Level.INFO);
    audit.addAppender(appender);
    try {
      Curl.Reply r = send("PUT", operator, SITE + "/assets/hvac-zone/AHU-L1-07/setpoints", "{\"heating\":20,\"cooling\":25}",
          "X-Request-Id: req-json-42");
      assertEquals(200, r.status(), r.toString());
    } finally {
      audit.detachAppender(appender);
      audit.setLevel(level);
      appender.stop();
    }
    boolean found = false;
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank()) continue;
      JsonNode event = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
      JsonNode mdc = event.get("mdc");
      if (mdc != null && "req-json-42".equals(mdc.path("requestId").asText())) {
        assertEquals("demo-mall/hvac-zone/AHU-L1-07", mdc.path("asset").asText(), line);
        assertTrue(event.get("formattedMessage").asText().contains("putHvacSetpoints"), line);
        found = true;
      }
    }
    assertTrue(found, "no JSON log line with the request id: " + out);
  }

  @Test
  void theLiveStreamOfTheNodeDeliversADeltaToAStandardWebSocketClientSignedInWithAToken() throws Exception {
    var received = new java.util.concurrent.LinkedBlockingQueue<String>();
    var listener = new java.net.http.WebSocket.Listener() {
      private final StringBuilder text = new StringBuilder();

      @Override
      public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
          received.add(text.toString());
          text.setLength(0);
        }
        ws.request(1);
        return null;
      }
    };
    var socket = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
        .header("Authorization", viewer.substring("Authorization: ".length()))
        .buildAsync(java.net.URI.create(base.replace("http://", "ws://") + "/api/v1/stream"), listener)
        .get(30, TimeUnit.SECONDS);
    try {
      socket.sendText("{\"type\":\"subscribe\",\"site\":\"demo-mall\",\"kinds\":[\"parking-bay\"],\"floors\":[\"B2\"]}", true);
      String subscribed = received.poll(30, TimeUnit.SECONDS);
      assertTrue(subscribed != null && subscribed.contains("\"subscribed\""), String.valueOf(subscribed));
      assertEquals(200, device(telemetry("ws-1", "parking-bay", "PS-B2-0100", "2026-12-24T01:04:00Z", "{\"occupied\":true}")).status());
      JsonNode delta = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (delta == null && System.nanoTime() < deadline) {
        String m = received.poll(1, TimeUnit.SECONDS);
        if (m == null) continue;
        JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(m);
        if ("delta".equals(n.path("type").asText()) && "PS-B2-0100".equals(n.path("id").asText())) delta = n;
      }
      assertTrue(delta != null, "no delta for PS-B2-0100 on the stream");
      assertEquals("OCCUPIED", delta.get("state").get("status").asText());
    } finally {
      socket.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aWhatIfEvacuationRunsTheSimulatorFromThePeopleTheTwinCountsNow() throws Exception {
    assertEquals(200, device("[" + telemetry("wi-1", "camera", "CAM-0120", "2026-12-24T01:06:00Z", "{\"count\":300}") + ","
        + telemetry("wi-2", "camera", "CAM-0106", "2026-12-24T01:06:00Z", "{\"count\":200}") + "]").status());
    eventually(() -> assertEquals(300, get(viewer, SITE + "/assets/zone/FC-L3").json().get("occupancy").asInt()));
    eventually(() -> assertEquals(200, get(viewer, SITE + "/assets/zone/C-L2-N").json().get("occupancy").asInt()));
    assertEquals(400, send("POST", viewer, SITE + "/what-if/evacuation", "{\"zone\":\"NOWHERE\"}").status());
    Curl.Reply started = send("POST", viewer, SITE + "/what-if/evacuation", "{\"zone\":\"FC-L3\",\"closedExits\":[\"EXIT-02\"]}");
    assertEquals(202, started.status(), started.toString());
    String run = SITE + "/what-if/evacuation/" + started.json().get("id").asText();
    eventually(() -> assertEquals(200, get(viewer, run).status()));
    JsonNode report = get(viewer, run).json();
    JsonNode summary = report.get("summary");
    assertTrue(summary.get("people out since the alarm").asInt() >= 500, summary.toString());
    assertTrue(summary.has("total evacuation time (s)"), "everyone got out: " + summary);
    assertTrue(report.get("tables").get(0).get("rows").size() > 0, "the bottlenecks are named");
  }

  @Test
  void readinessReportsEachCheck() {
    Curl.Reply ready = Curl.run(base + "/ready");
    assertEquals(200, ready.status(), ready.toString());
    assertEquals("ready", ready.json().get("status").asText());
    assertTrue(ready.json().get("checks").has("sharding-and-journal"));
  }

  @Test
  void metricsPassPrometheusPromtoolAndCountRequestsByEndpoint() throws Exception {
    get(viewer, SITE);
    Curl.Reply metrics = Curl.run(base + "/metrics");
    assertEquals(200, metrics.status());
    assertTrue(metrics.contentType().startsWith("text/plain; version=0.0.4"), metrics.contentType());
    assertTrue(metrics.body().contains("atrium_http_requests_total{endpoint=\"getSite\""), metrics.body());
    Path file = dir.resolve("metrics.txt");
    Files.writeString(file, metrics.body() + "\n", StandardCharsets.UTF_8);
    Process p = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), "promtool check metrics: " + out);
  }

}
