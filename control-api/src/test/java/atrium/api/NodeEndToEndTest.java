package atrium.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.security.Role;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole node — runtime, twins, projection, Netty — driven over real HTTP by curl, on an H2 file
 * that outlives the node: a bay sensor's telemetry occupies a bay, the car park's free count falls,
 * bad input is refused and changes nothing, and after a stop and start the state is the same.
 */
class NodeEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ActorTestKit waiter = ActorTestKit.create("waiter");

  @TempDir
  Path dataDir;

  @AfterAll
  static void stop() {
    waiter.shutdownTestKit();
  }

  private Config config() {
    return TestNode.config(dataDir);
  }

  @Test
  void telemetryOverHttpFillsTheCarParkAndTheStateSurvivesARestart() throws Exception {
    String bay1 = "PN-B1-0001", bay2 = "PN-B1-0002";
    try (var node = AtriumMain.Node.start(config())) {
      String base = node.baseUri().toString();
      viewer = TestNode.bearer(TestNode.token(node, "viewer-1", Role.VIEWER, "demo-mall"));
      JsonNode before = getJson(base + "/api/v1/sites/demo-mall/assets/car-park/P-north");
      assertEquals(1000, before.get("free").asInt());

      var ok = curl("-X", "POST", base + "/api/v1/devices/messages", "-H", "Content-Type: application/json", "-H", TestNode.gatewayAuth(),
          "--data-binary", "[" + reading("m-1", bay1, true) + "," + reading("m-2", bay2, true) + "]");
      assertEquals(200, ok.status(), ok.body());

      JsonNode bay = getJson(base + "/api/v1/sites/demo-mall/assets/parking-bay/" + bay1);
      assertEquals("OCCUPIED", bay.get("status").asText());
      awaitFree(base, 998);

      var bad = curl("-X", "POST", base + "/api/v1/devices/messages", "-H", "Content-Type: application/json", "-H", TestNode.gatewayAuth(),
          "--data-binary", reading("m-3", bay1, true).replace("\"occupied\":true", "\"occupied\":\"no\""));
      assertEquals(400, bad.status());
      assertTrue(bad.contentType().startsWith("application/problem+json"), bad.contentType());
      assertEquals("$.data.occupied", JSON.readTree(bad.body()).get("field").asText());

      var unknownBay = curl("-X", "POST", base + "/api/v1/devices/messages", "-H", "Content-Type: application/json", "-H", TestNode.gatewayAuth(),
          "--data-binary", reading("m-4", "PN-B1-9999", true));
      assertEquals(404, unknownBay.status(), unknownBay.body());

      var vacate = curl("-X", "POST", base + "/api/v1/devices/messages", "-H", "Content-Type: application/json", "-H", TestNode.gatewayAuth(),
          "--data-binary", reading("m-5", bay2, false));
      assertEquals(200, vacate.status(), vacate.body());
      awaitFree(base, 999);
    }

    try (var node = AtriumMain.Node.start(config())) {
      String base = node.baseUri().toString();
      viewer = TestNode.bearer(TestNode.token(node, "viewer-1", Role.VIEWER, "demo-mall"));
      assertEquals("OCCUPIED", getJson(base + "/api/v1/sites/demo-mall/assets/parking-bay/" + bay1).get("status").asText());
      assertEquals("FREE", getJson(base + "/api/v1/sites/demo-mall/assets/parking-bay/" + bay2).get("status").asText());
      assertEquals(999, getJson(base + "/api/v1/sites/demo-mall/assets/car-park/P-north").get("free").asInt());
    }
  }

  private void awaitFree(String base, int expected) {
    TestProbe<Object> probe = waiter.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(20), Duration.ofMillis(200), () -> {
      assertEquals(expected, getJson(base + "/api/v1/sites/demo-mall/assets/car-park/P-north").get("free").asInt());
      return null;
    });
  }

  private static String reading(String id, String bay, boolean occupied) {
    return "{\"v\":1,\"type\":\"telemetry\",\"id\":\"" + id + "\",\"site\":\"demo-mall\",\"kind\":\"parking-bay\","
        + "\"asset\":\"" + bay + "\",\"ts\":\"2026-12-24T01:05:00Z\",\"data\":{\"occupied\":" + occupied + "}}";
  }

  private String viewer;

  private JsonNode getJson(String url) {
    try {
      var r = curl("-H", viewer, url);
      assertEquals(200, r.status(), url + " -> " + r.body());
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  record Reply(int status, String contentType, String body) {}

  /** Runs Debian's curl, the client an operator would use; returns status, content type and body. */
  static Reply curl(String... args) {
    List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-S", "--max-time", "30",
        "-w", "\n%{http_code} %{content_type}"));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) throw new AssertionError("curl did not finish");
      int nl = out.lastIndexOf('\n');
      String[] tail = out.substring(nl + 1).split(" ", 2);
      return new Reply(Integer.parseInt(tail[0]), tail.length > 1 ? tail[1] : "", out.substring(0, nl));
    } catch (IOException e) {
      throw new AssertionError("cannot run curl (scripts/test-prerequisites.sh installs it)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
