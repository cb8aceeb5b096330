package atrium.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.security.Role;
import atrium.core.clock.SimulatedClock;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drills over real HTTP on a whole node whose clock the test moves: the bundled scenarios are listed,
 * an operator's evacuation drill runs to everyone out with the exits' counts, the curve and the
 * bottlenecks; one drill per site; a stop; a viewer watches but cannot start or stop; bad input is a
 * problem and changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DrillApiTest {
  private static final String DRILL = "/api/v1/sites/demo-mall/drill";

  @TempDir
  static Path dir;

  private AtriumMain.Node node;
  private SimulatedClock clock;
  private String base;
  private String viewer;
  private String operator;
  private final ActorTestKit waiter = ActorTestKit.create("drill-api-waiter");

  @BeforeAll
  void start() {
    node = AtriumMain.Node.start(TestNode.config(dir));
    clock = (SimulatedClock) node.runtime().clock();
    base = node.baseUri().toString();
    viewer = TestNode.bearer(TestNode.token(node, "vera-viewer", Role.VIEWER, "demo-mall"));
    operator = TestNode.bearer(TestNode.token(node, "otto-operator", Role.OPERATOR, "demo-mall"));
  }

  @AfterAll
  void stop() {
    if (node != null) node.close();
    waiter.shutdownTestKit();
  }

  private Curl.Reply get(String auth, String path) {
    return Curl.run("-H", auth, base + path);
  }

  private Curl.Reply post(String auth, String path, String json) {
    List<String> args = new ArrayList<>(List.of("-X", "POST", "-H", auth, "-H", "Content-Type: application/json"));
    if (json != null) args.addAll(List.of("--data-binary", json));
    args.add(base + path);
    return Curl.run(args.toArray(new String[0]));
  }

  /** Moves the twin's clock on a second at a time until the drill has ended; at most two minutes of waiting. */
  private JsonNode untilEnded() {
    JsonNode[] last = new JsonNode[1];
    waiter.createTestProbe().awaitAssert(Duration.ofMinutes(2), Duration.ofMillis(200), () -> {
      clock.advance(Duration.ofSeconds(1));
      Curl.Reply r = get(viewer, DRILL);
      assertEquals(200, r.status(), r.toString());
      last[0] = r.json();
      assertTrue(List.of("finished", "stopped", "failed").contains(last[0].get("phase").asText()), last[0].get("phase").asText());
      return null;
    });
    return last[0];
  }

  /** The drill running now, stopped (so that each test starts on a site without one). */
  private void noDrillRunning() {
    Curl.Reply r = get(viewer, DRILL);
    if (r.status() == 200 && List.of("preparing", "running").contains(r.json().get("phase").asText())) {
      assertEquals(200, post(operator, DRILL + "/stop", null).status());
    }
  }

  @Test
  void theBundledScenariosAreListedWithTheirWindowAndFireAlarm() {
    Curl.Reply r = get(viewer, DRILL + "/scenarios");
    assertEquals(200, r.status(), r.toString());
    JsonNode list = r.json().get("scenarios");
    assertEquals(2, list.size(), list.toString());
    assertEquals("evacuation-drill", list.get(0).get("id").asText());
    assertEquals("2026-11-21T14:05:00+08:00", list.get(0).get("alarmAt").asText());
    assertEquals("holiday-surge", list.get(1).get("id").asText());
    assertFalse(list.get(1).has("alarmAt"));
    assertEquals(600, r.json().get("maxSpeed").asInt());
  }

  @Test
  void anEvacuationDrillRunsUntilEveryoneIsOutAndReportsExitsCurveAndBottlenecks() {
    noDrillRunning();
    Curl.Reply started = post(operator, DRILL, "{\"scenario\":\"evacuation-drill\",\"speed\":600,\"from\":\"14:00\"}");
    assertEquals(201, started.status(), started.toString());
    assertEquals("otto-operator", started.json().get("startedBy").asText());
    assertTrue(List.of("preparing", "running").contains(started.json().get("phase").asText()));

    Curl.Reply second = post(operator, DRILL, "{\"scenario\":\"holiday-surge\"}");
    assertEquals(409, second.status(), second.toString());
    assertEquals("drill-running", second.problemType());
    assertEquals(started.json().get("id"), get(viewer, DRILL).json().get("id"));

    JsonNode end = untilEnded();
    assertEquals("finished", end.get("phase").asText(), end.toString());
    assertEquals("everyone is out", end.get("reason").asText());
    assertEquals(0, end.get("inside").asInt());
    long out = end.get("evacuated").asLong();
    assertTrue(out > 1000, "people evacuated: " + out);
    long byExit = 0;
    for (JsonNode e : end.get("exits")) byExit += e.get("evacuated").asLong();
    assertEquals(out, byExit, "the exits' counts add up to everyone out");
    JsonNode north = null;
    for (JsonNode e : end.get("exits")) if (e.get("id").asText().equals("EXIT-01")) north = e;
    assertTrue(north.get("closed").asBoolean(), "the scenario closes the North Entrance");
    assertTrue(end.get("evacuationSeconds").asDouble() > 0);
    JsonNode curve = end.get("curve");
    assertTrue(curve.size() > 10, "curve points: " + curve.size());
    assertEquals(0, curve.get(curve.size() - 1).get("inside").asInt());
    assertEquals(out, curve.get(curve.size() - 1).get("out").asLong());
    assertFalse(end.get("bottlenecks").isEmpty());
    assertEquals("2026-11-21T14:05:00+08:00", end.get("alarmAt").asText());

    Curl.Reply late = post(operator, DRILL + "/stop", null);
    assertEquals(409, late.status(), late.toString());
    assertEquals("drill-ended", late.problemType());
  }

  @Test
  void anOperatorStopsARunningDrillAndMayThenStartAnother() {
    noDrillRunning();
    Curl.Reply started = post(operator, DRILL, "{\"scenario\":\"holiday-surge\",\"speed\":1}");
    assertEquals(201, started.status(), started.toString());
    Curl.Reply stopped = post(operator, DRILL + "/stop", null);
    assertEquals(200, stopped.status(), stopped.toString());
    assertEquals("stopped", stopped.json().get("phase").asText());
    clock.advance(Duration.ofSeconds(5));
    assertEquals("stopped", get(viewer, DRILL).json().get("phase").asText());
    Curl.Reply again = post(operator, DRILL, "{\"scenario\":\"holiday-surge\",\"speed\":1}");
    assertEquals(201, again.status(), again.toString());
    assertNotEquals(started.json().get("id"), again.json().get("id"));
    assertEquals(200, post(operator, DRILL + "/stop", null).status());
  }

  @Test
  void aViewerWatchesButMayNotStartOrStopADrill() {
    Curl.Reply start = post(viewer, DRILL, "{\"scenario\":\"evacuation-drill\"}");
    assertEquals(403, start.status(), start.toString());
    assertEquals("forbidden", start.problemType());
    assertEquals(403, post(viewer, DRILL + "/stop", null).status());
    int status = get(viewer, DRILL).status();
    assertTrue(status == 200 || status == 404, "a viewer reads the drill (or learns there is none): " + status);
  }

  @Test
  void badInputIsAProblemNamingTheFieldAndStartsNothing() {
    String before = get(viewer, DRILL).body();
    String[][] cases = {
        {"{\"scenario\":\"no-such-scenario\"}", "$.scenario"},
        {"{\"scenario\":\"evacuation-drill\",\"speed\":0}", "$.speed"},
        {"{\"scenario\":\"evacuation-drill\",\"speed\":601}", "$.speed"},
        {"{\"scenario\":\"evacuation-drill\",\"speed\":\"fast\"}", "$.speed"},
        {"{\"scenario\":\"evacuation-drill\",\"from\":\"09:00\"}", "$.from"},
        {"{\"scenario\":\"evacuation-drill\",\"from\":\"teatime\"}", "$.from"},
        {"{\"scenario\":\"evacuation-drill\",\"colour\":\"red\"}", "$.colour"},
        {"{}", "$.scenario"}};
    for (String[] c : cases) {
      Curl.Reply r = post(operator, DRILL, c[0]);
      assertEquals(400, r.status(), c[0] + " → " + r);
      assertTrue(r.contentType().startsWith("application/problem+json"), r.toString());
      assertEquals(c[1], r.json().get("field").asText(), c[0]);
    }
    assertEquals(before, get(viewer, DRILL).body(), "nothing started");
    assertEquals(404, get(viewer, "/api/v1/sites/other-mall/drill").status());
  }
}
