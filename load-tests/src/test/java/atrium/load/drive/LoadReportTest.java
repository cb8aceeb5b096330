package atrium.load.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadReportTest {
  static LoadReport sample() {
    LoadRecorder recorder = new LoadRecorder();
    for (int i = 0; i < 10; i++) {
      recorder.offered("rest-get-asset");
      recorder.sent("rest-get-asset", i == 3);
      recorder.completed("rest-get-asset", 0, 1_000_000, (i + 2) * 1_000_000L, i == 9 ? Outcome.error("http-5xx") : Outcome.OK);
    }
    recorder.observed(StreamClients.LAG, 42_000_000);
    LoadRecorder.Second s1 = recorder.sample(1, Set.of(StreamClients.LAG));
    recorder.offered("rest-get-asset");
    recorder.dropped("rest-get-asset");
    recorder.boundHit();
    LoadRecorder.Second s2 = recorder.sample(2, Set.of(StreamClients.LAG));
    ServerMetrics m = new ServerMetrics(0.5, 0.95, 200e6, 1e9, 0.25, 10, 3);
    List<LoadReport.Row> rows = List.of(new LoadReport.Row(s1, 0.1, m, Double.NaN), new LoadReport.Row(s2, 0.2, ServerMetrics.NONE, 12));
    CapacitySearch.Result capacity = new CapacitySearch.Result(new CapacitySearch.Slo(250, 0.01), 800, 1000,
        List.of(new CapacitySearch.Trial(800, 790, 12000, 30, 0, true, Saturation.NOTHING)));
    return new LoadReport("test", "a test run", "http://127.0.0.1:1", "2026-11-23T05:00:00Z", 2, LoadRun.machine(),
        Map.of("mix", "rest-get-asset × 1"), List.of(Stage.hold(10, Duration.ofSeconds(2))), recorder.combined(Set.of(StreamClients.LAG)),
        5.5, 4.5, 2 / 11.0, recorder.totals(), rows, Saturation.of(rows), capacity, List.of("indicative"));
  }

  @Test
  void theReportJsonRoundTrips(@TempDir Path dir) throws Exception {
    LoadReport r = sample();

    LoadReport.Written w = r.write(dir);

    assertEquals(r, LoadReport.read(w.json()));
  }

  @Test
  void theHtmlPageHoldsEveryChartAndSaysWhatSaturatedFirst(@TempDir Path dir) throws Exception {
    LoadReport r = sample();

    String html = Files.readString(r.write(dir).html());

    for (String id : List.of("rate", "latency", "errors", "in-flight", "cpu", "heap", "gc")) {
      assertTrue(html.contains("<svg id=\"" + id + "\""), "a chart " + id);
    }
    assertTrue(html.contains("data-line=\"http-5xx\""), "errors by type are drawn");
    assertTrue(html.contains("machine CPU (server and load generator share it)"), "the first signal: the machine's CPU at 95 %");
    assertTrue(html.contains("<table id=\"capacity\">"));
    assertTrue(!html.contains("<script") && !html.contains("http-equiv"), "self-contained, no scripts");
  }

  @Test
  void theRecorderCountsErrorsDropsAndLateRequestsPerSecond() {
    LoadReport r = sample();

    LoadRecorder.Second first = r.series().get(0).load();
    assertEquals(10, first.offered());
    assertEquals(9, first.ok());
    assertEquals(Map.of("http-5xx", 1L), first.errors());
    assertEquals(1, first.late());
    LoadRecorder.Second second = r.series().get(1).load();
    assertEquals(Map.of(Outcome.DROPPED, 1L), second.errors());
    assertEquals(1, second.boundHits());
    assertEquals(42, r.ops().stream().filter(t -> t.op().equals(StreamClients.LAG)).findFirst().orElseThrow().corrected().p50(), 0.1);
  }
}
