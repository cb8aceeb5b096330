package atrium.load.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.AtriumMain;
import atrium.load.InProcessNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load generator against a real in-process node (the demo mall): every kind of traffic for a few seconds, no errors. */
class LoadEndToEndTest {
  @Test
  void aShortRunOverMqttHttpRestAndTheStreamEndsWithoutErrors(@TempDir Path dir) throws Exception {
    try (AtriumMain.Node node = InProcessNode.start(dir, Map.of("atrium.clock.mode", "manual"))) {
      String token = InProcessNode.operatorToken(node, "load-test");
      LoadProfile profile = LoadProfile.parse("e2e", """
          {"stages": [{"type": "ramp", "from": 5, "to": 20, "duration": "PT2S"}, {"type": "hold", "rate": 20, "duration": "PT2S"}],
           "mix": [{"op": "mqtt-telemetry", "weight": 4}, {"op": "http-telemetry", "weight": 1}, {"op": "rest-get-asset", "weight": 1},
                   {"op": "rest-list-assets", "weight": 1}, {"op": "rest-put-setpoints", "weight": 1}],
           "mqtt": {"qos": 1, "connections": 2}, "http": {"batch": 3}, "stream": {"clients": 2},
           "limits": {"timeout": "PT30S"}}
          """);
      LoadRun.Target target = InProcessNode.target(node, token);

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
