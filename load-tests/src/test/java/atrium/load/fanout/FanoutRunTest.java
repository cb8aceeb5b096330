package atrium.load.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.AtriumMain;
import atrium.load.InProcessNode;
import atrium.load.drive.LoadRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fan-out benchmark's two phases against a real in-process node on the wall clock (small: a few clients, a few seconds). */
class FanoutRunTest {
  @Test
  void bothPhasesRunAndEveryClientOfTheFanoutPhaseTimesDeltas(@TempDir Path dir) throws Exception {
    try (AtriumMain.Node node = InProcessNode.start(dir, atrium.load.node.ChildNode.BENCH_SETTINGS)) {
      String token = InProcessNode.operatorToken(node, "fanout-test");
      LoadRun.Target target = InProcessNode.target(node, token);
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
