package atrium.load.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.AtriumMain;
import atrium.api.device.PasswordHash;
import atrium.api.security.AuthSettings;
import atrium.api.security.Role;
import atrium.api.security.TokenIssuer;
import atrium.core.runtime.SiteDirectory;
import atrium.core.testkit.TestTwins;
import atrium.load.drive.LoadRun;
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

/** The fan-out benchmark's two phases against a real in-process node on the wall clock (small: a few clients, a few seconds). */
class FanoutRunTest {
  private static final String GATEWAY = "fanout-gateway";
  private static final String PASSWORD = "fanout-gateway-secret";

  @Test
  void bothPhasesRunAndEveryClientOfTheFanoutPhaseTimesDeltas(@TempDir Path dir) throws Exception {
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
    m.put("atrium.auth.hmac-secret", "fanout-run-test-token-secret-of-enough-bytes");
    m.putAll(atrium.load.node.ChildNode.BENCH_SETTINGS);
    try (AtriumMain.Node node = AtriumMain.Node.start(ConfigFactory.parseMap(m))) {
      String token = new TokenIssuer(AuthSettings.create(node.runtime().system().settings().config()), Clock.systemUTC())
          .mint("fanout-test", Role.OPERATOR, Set.of("demo-mall"), Duration.ofHours(1));
      LoadRun.Target target = new LoadRun.Target(node.baseUri(), new InetSocketAddress("127.0.0.1", node.mqtt().port()), token, GATEWAY,
          PASSWORD, SiteDirectory.load(List.of(TestTwins.demoMallFile())).site("demo-mall").orElseThrow());
      FanoutRun.Settings settings = new FanoutRun.Settings(10, 1, 4, Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(2),
          List.of("parking-bay"), 2, 1);

      FanoutReport report;
      try (FanoutRun run = new FanoutRun(target, settings)) {
        report = run.run(Map.of(), List.of());
      }

      assertEquals(List.of("baseline", "fan-out"), report.phases().stream().map(FanoutReport.Phase::name).toList());
      FanoutReport.Phase baseline = report.baseline();
      FanoutReport.Phase fanout = report.fanout();
      assertEquals(1, baseline.openAtEnd());
      assertEquals(4, fanout.openAtEnd(), "no client was closed or dropped");
      assertEquals(Map.of(), fanout.errors());
      assertEquals(30, fanout.telemetry().offered(), "3 s at 10/s");
      assertEquals(fanout.telemetry().offered(), fanout.telemetry().ok(), "every message acknowledged");
      assertTrue(baseline.lag().count() > 0, "the one client timed deltas");
      assertTrue(fanout.lag().count() > baseline.lag().count(), "four clients timed more deltas than one: " + fanout.lag().count()
          + " vs " + baseline.lag().count());
      assertTrue(fanout.deltas() > baseline.deltas());
      assertTrue(fanout.lagAt().count() > 0, "the node runs on the wall clock: deltas' own times are comparable");
    }
  }
}
