package atrium.api.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.AtriumMain;
import atrium.api.Curl;
import atrium.api.TestNode;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node with Pekko Management on (as every node of a cluster runs, atrium-cluster.conf): the
 * orchestrator's probes answer over HTTP on the node's own address — {@code /alive}, and {@code /ready}
 * once the node is a cluster member and its twin answers — the members are listed read-only, and no
 * member can be downed or made to leave over HTTP. Off by default: a one-node Atrium opens no such port.
 */
class ClusterManagementTest {
  @TempDir
  Path dir;

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void probesAnswerAndMembersAreListedReadOnly() throws Exception {
    int port = freePort();
    Map<String, Object> settings = TestNode.settings(dir);
    settings.put("atrium.management.enabled", true);
    settings.put("pekko.management.http.port", port);
    try (AtriumMain.Node node = AtriumMain.Node.start(TestNode.config(settings))) {
      String base = "http://127.0.0.1:" + port;
      assertEquals(200, Curl.run(base + "/alive").status());
      // Ready once the twin answers (the first zone twin recovers on the first ask).
      new TestKit(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(node.runtime().system()))
          .awaitAssert(java.time.Duration.ofSeconds(20), () -> {
            assertEquals(200, Curl.run(base + "/ready").status());
            return null;
          });
      Curl.Reply members = Curl.run(base + "/cluster/members");
      assertEquals(200, members.status(), members.toString());
      JsonNode list = members.json().path("members");
      assertEquals(1, list.size(), members.body());
      assertEquals("Up", list.get(0).path("status").asText());
      String address = list.get(0).path("node").asText();
      Curl.Reply down = Curl.run("-X", "PUT", "-d", "operation=Down", base + "/cluster/members/" + java.net.URLEncoder.encode(address,
          java.nio.charset.StandardCharsets.UTF_8));
      assertNotEquals(200, down.status(), "read-only: no member is downed over HTTP: " + down);
      assertEquals("Up", Curl.run(base + "/cluster/members").json().path("members").get(0).path("status").asText());
    }
  }

  @Test
  void aOneNodeAtriumOpensNoManagementPort() throws Exception {
    int port = freePort();
    Map<String, Object> settings = TestNode.settings(dir);
    settings.put("pekko.management.http.port", port);
    try (AtriumMain.Node node = AtriumMain.Node.start(TestNode.config(settings))) {
      Curl.Reply r = Curl.run("--max-time", "3", "http://127.0.0.1:" + port + "/alive");
      assertTrue(r.status() != 200, "no management endpoint answers: " + r);
    }
  }
}
