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
 * {@code GET /api/v1/sites/{site}/alarms} on a whole node over HTTP: the alarms kiosks raise through the
 * device door are listed, the most urgent first, filtered by state, severity and whether active;
 * bad filters are 400 problems; a token for another site does not see them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlarmListApiTest {
  private static final String ALARMS = "/api/v1/sites/demo-mall/alarms";

  @TempDir
  static Path dir;

  private final ActorTestKit waiter = ActorTestKit.create("alarm-list-waiter");
  private AtriumMain.Node node;
  private String base;
  private String viewer;
  private String operator;

  @BeforeAll
  void start() {
    node = AtriumMain.Node.start(TestNode.config(dir));
    base = node.baseUri().toString();
    viewer = TestNode.bearer(TestNode.token(node, "vera-viewer", Role.VIEWER, "demo-mall"));
    operator = TestNode.bearer(TestNode.token(node, "otto-operator", Role.OPERATOR, "demo-mall"));
    fault("list-fault-1", "KIOSK-02", "printer", "2026-12-24T01:03:00Z");
    fault("list-fault-2", "KIOSK-03", "screen", "2026-12-24T01:04:00Z");
    eventually(() -> assertEquals(2, get(viewer, ALARMS).json().get("total").asInt()));
  }

  @AfterAll
  void stop() {
    if (node != null) node.close();
    waiter.shutdownTestKit();
  }

  private void fault(String id, String kiosk, String component, String ts) {
    Curl.Reply r = Curl.run("-X", "POST", "-H", TestNode.gatewayAuth(), "-H", "Content-Type: application/json", "--data-binary",
        "{\"v\":1,\"type\":\"event\",\"id\":\"" + id + "\",\"site\":\"demo-mall\",\"kind\":\"kiosk\",\"asset\":\"" + kiosk
            + "\",\"ts\":\"" + ts + "\",\"name\":\"fault\",\"data\":{\"component\":\"" + component + "\",\"active\":true}}",
        base + "/api/v1/devices/messages");
    assertEquals(200, r.status(), r.toString());
  }

  private Curl.Reply get(String auth, String path) {
    return Curl.run("-H", auth, base + path);
  }

  /** The check, retried until it passes or 30 s have gone (Pekko's awaitAssert). */
  private void eventually(Runnable check) {
    waiter.createTestProbe().awaitAssert(java.time.Duration.ofSeconds(30), java.time.Duration.ofMillis(200), () -> {
      check.run();
      return null;
    });
  }

  private static List<String> ids(JsonNode body) {
    List<String> ids = new ArrayList<>();
    body.get("alarms").forEach(a -> ids.add(a.get("alarmId").asText()));
    return ids;
  }

  @Test
  void aViewerListsTheAlarmsKiosksRaisedWithTheirStateTheMostSevereFirst() {
    Curl.Reply list = get(viewer, ALARMS);
    assertEquals(200, list.status(), list.toString());
    JsonNode body = list.json();
    assertEquals("demo-mall", body.get("site").asText());
    assertEquals(List.of("kiosk.KIOSK-03.fault-screen", "kiosk.KIOSK-02.fault-printer"), ids(body));
    JsonNode screen = body.get("alarms").get(0);
    assertEquals("HIGH", screen.get("severity").asText(), screen.toString());
    assertEquals("UNACKNOWLEDGED", screen.get("state").asText());
    assertTrue(screen.get("active").asBoolean());
    assertEquals("LOW", body.get("alarms").get(1).get("severity").asText(), body.toString());
  }

  @Test
  void theListFiltersByStateSeverityAndActiveAndIsCappedByLimit() {
    assertEquals(List.of("kiosk.KIOSK-02.fault-printer"), ids(get(viewer, ALARMS + "?severity=low").json()));
    assertEquals(2, get(viewer, ALARMS + "?severity=HIGH,LOW&active=true").json().get("alarms").size());
    assertEquals(0, get(viewer, ALARMS + "?active=false").json().get("total").asInt());
    JsonNode capped = get(viewer, ALARMS + "?limit=1").json();
    assertEquals(1, capped.get("alarms").size());
    assertEquals(2, capped.get("total").asInt());

    Curl.Reply ack = Curl.run("-X", "POST", "-H", operator, base + "/api/v1/sites/demo-mall/assets/alarm/kiosk.KIOSK-05.fault-printer/acknowledge");
    assertEquals(404, ack.status(), ack.toString());
    fault("list-fault-3", "KIOSK-05", "printer", "2026-12-24T01:05:00Z");
    eventually(() -> assertEquals(3, get(viewer, ALARMS).json().get("total").asInt()));
    Curl.Reply acked = Curl.run("-X", "POST", "-H", operator,
        base + "/api/v1/sites/demo-mall/assets/alarm/kiosk.KIOSK-05.fault-printer/acknowledge");
    assertEquals(200, acked.status(), acked.toString());
    eventually(() -> assertEquals(List.of("kiosk.KIOSK-05.fault-printer"),
        ids(get(viewer, ALARMS + "?state=ACKNOWLEDGED").json())));
    assertTrue(ids(get(viewer, ALARMS + "?state=UNACKNOWLEDGED").json()).containsAll(
        List.of("kiosk.KIOSK-03.fault-screen", "kiosk.KIOSK-02.fault-printer")));
  }

  @Test
  void badFiltersAre400ProblemsNamingTheParameter() {
    for (String query : List.of("?state=LOUD", "?severity=urgent", "?active=maybe", "?limit=0", "?limit=1001", "?source=KIOSK-02")) {
      Curl.Reply r = get(viewer, ALARMS + query);
      assertEquals(400, r.status(), query + " " + r);
      assertEquals("invalid-parameter", r.problemType(), r.toString());
    }
  }

  @Test
  void anotherSitesTokenAndAnUnknownSiteDoNotSeeTheAlarms() {
    String elsewhere = TestNode.bearer(TestNode.token(node, "olga", Role.VIEWER, "other-mall"));
    Curl.Reply refused = get(elsewhere, ALARMS);
    assertTrue(refused.status() == 403 || refused.status() == 404, refused.toString());
    assertEquals(401, Curl.run(base + ALARMS).status());
    String everywhere = TestNode.bearer(TestNode.token(node, "ada", Role.ADMIN, "*"));
    Curl.Reply unknown = get(everywhere, "/api/v1/sites/no-such-mall/alarms");
    assertEquals(404, unknown.status(), unknown.toString());
    assertEquals("unknown-site", unknown.problemType());
  }
}
