package atrium.load.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.AtriumMain;
import atrium.api.device.PasswordHash;
import atrium.api.security.AuthSettings;
import atrium.api.security.Role;
import atrium.api.security.TokenIssuer;
import atrium.core.runtime.SiteDirectory;
import atrium.core.testkit.TestTwins;
import com.typesafe.config.ConfigFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load generator against a real in-process node (the demo mall): every kind of traffic for a few seconds, no errors. */
class LoadEndToEndTest {
  private static final String GATEWAY = "load-gateway";
  private static final String PASSWORD = "load-gateway-secret";

  @Test
  void aShortRunOverMqttHttpRestAndTheStreamEndsWithoutErrors(@TempDir Path dir) throws Exception {
    Path credentials = dir.resolve("devices.json");
    Files.writeString(credentials, "{\"devices\":[{\"username\":\"" + GATEWAY + "\",\"password\":\""
        + PasswordHash.create(PASSWORD.toCharArray(), PasswordHash.MIN_ITERATIONS).format()
        + "\",\"site\":\"demo-mall\",\"assets\":[\"*\"]}]}");
    Map<String, Object> m = new HashMap<>();
    m.put("atrium.data-dir", dir.resolve("data").toString());
    m.put("atrium.site-files", List.of(TestTwins.demoMallFile().toString()));
    m.put("atrium.http.port", 0);
    m.put("atrium.mqtt.port", 0);
    m.put("atrium.devices.credentials-file", credentials.toString());
    m.put("atrium.auth.hmac-secret", "load-end-to-end-test-token-secret-of-enough-bytes");
    m.put("pekko.remote.artery.canonical.port", 0);
    m.put("atrium.clock.mode", "manual");
    try (AtriumMain.Node node = AtriumMain.Node.start(ConfigFactory.parseMap(m))) {
      String token = new TokenIssuer(AuthSettings.create(node.runtime().system().settings().config()), Clock.systemUTC())
          .mint("load-test", Role.OPERATOR, Set.of("demo-mall"), Duration.ofHours(1));
      LoadProfile profile = LoadProfile.parse("e2e", """
          {"stages": [{"type": "ramp", "from": 5, "to": 20, "duration": "PT2S"}, {"type": "hold", "rate": 20, "duration": "PT2S"}],
           "mix": [{"op": "mqtt-telemetry", "weight": 4}, {"op": "http-telemetry", "weight": 1}, {"op": "rest-get-asset", "weight": 1},
                   {"op": "rest-list-assets", "weight": 1}, {"op": "rest-put-setpoints", "weight": 1}],
           "mqtt": {"qos": 1, "connections": 2}, "http": {"batch": 3}, "stream": {"clients": 2},
           "limits": {"timeout": "PT30S"}}
          """);
      LoadRun.Target target = new LoadRun.Target(node.baseUri(), new InetSocketAddress("127.0.0.1", node.mqtt().port()), token, GATEWAY,
          PASSWORD, SiteDirectory.load(List.of(TestTwins.demoMallFile())).site("demo-mall").orElseThrow());

      LoadReport report;
      try (LoadRun run = new LoadRun(profile, target)) {
        report = run.run();
      }

      long planned = new ArrivalPlan(profile.stages()).planned();
      assertEquals(planned, report.ops().stream().filter(t -> LoadProfile.OPS.contains(t.op())).mapToLong(LoadRecorder.Totals::offered).sum());
      for (LoadRecorder.Totals t : report.ops()) {
        assertEquals(Map.of(), t.errors(), t.op() + " had errors");
        if (LoadProfile.OPS.contains(t.op())) assertEquals(t.offered(), t.ok(), t.op() + ": every request answered OK");
      }
      assertEquals(0, report.errorRate());
      assertTrue(report.series().stream().anyMatch(r -> r.server().heapUsedBytes() > 0), "the node's metrics were scraped");
      assertTrue(report.ops().stream().anyMatch(t -> t.op().equals(StreamClients.LAG) && t.ok() > 0), "stream clients timed deltas");
      Path html = report.write(dir.resolve("report")).html();
      assertTrue(Files.readString(html).contains("<svg id=\"rate\""));

      LoadProfile qos0 = LoadProfile.parse("e2e-qos0", """
          {"stages": [{"type": "hold", "rate": 50, "duration": "PT2S"}], "mix": [{"op": "mqtt-telemetry"}],
           "devices": {"kinds": ["hvac-zone", "shelf-label", "kiosk"]}, "mqtt": {"qos": 0, "connections": 1}}
          """);
      try (LoadRun run = new LoadRun(qos0, target)) {
        report = run.run();
      }
      assertEquals(100, report.ops().get(0).ok(), "every QoS 0 publish written");
      assertEquals(0, report.errorRate());
    }
  }
}
