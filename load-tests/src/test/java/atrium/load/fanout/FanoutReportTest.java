package atrium.load.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.load.drive.LoadRecorder;
import atrium.load.drive.Outcome;
import atrium.load.drive.StreamClients;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FanoutReportTest {
  private static final long MS = 1_000_000L;

  /** A phase whose clients timed {@code lags} (ms), got {@code deltas}, with {@code sent} telemetry answered OK. */
  private static FanoutReport.Phase phase(String name, int clients, int open, long deltas, int sent, long... lags) {
    LoadRecorder r = new LoadRecorder();
    for (int i = 0; i < sent; i++) {
      r.offered(FanoutRun.TELEMETRY);
      r.sent(FanoutRun.TELEMETRY, false);
      r.completed(FanoutRun.TELEMETRY, 0, 0, 4 * MS, Outcome.OK);
    }
    for (long lag : lags) {
      r.observed(StreamClients.LAG, lag * MS);
      r.observed(StreamClients.LAG_AT, lag * MS);
    }
    r.sample(10, Set.of());
    return FanoutReport.Phase.of(name, clients, open, 10.0, r.totals(), deltas, List.of(0.2, Double.NaN, 0.4), List.of(0.5), List.of());
  }

  private static long[] repeat(long value, int n) {
    long[] a = new long[n];
    Arrays.fill(a, value);
    return a;
  }

  private static FanoutReport report(FanoutReport.Phase baseline, FanoutReport.Phase fanout) {
    return new FanoutReport("2026-11-23T07:00:00Z", "test", Map.of("rate", 10.0), Map.of(), List.of(baseline, fanout), 250, List.of());
  }

  @Test
  void aPhaseTakesItsLagFromTheClientsAndItsDeltaRateFromTheMeasuredSeconds() {
    long[] lags = new long[100];
    Arrays.fill(lags, 10);
    lags[99] = 300;
    FanoutReport.Phase p = phase("fan-out", 3, 3, 600, 40, lags);

    assertEquals(100, p.lag().count());
    assertEquals(10.0, p.lag().p50(), 0.05);
    assertEquals(300.0, p.lag().max(), 0.5);
    assertEquals(100, p.lagAt().count());
    assertEquals(60.0, p.deltasPerSecond(), 1e-9);
    assertEquals(120, p.expectedDeltas(), "each message answered OK is one delta per client");
    assertEquals(5.0, p.delivered(), 1e-9);
    assertEquals(40, p.telemetry().ok());
    assertEquals(0.3, p.clientCpu().mean(), 1e-9, "a second without a figure is left out");
    assertEquals(2, p.clientCpu().samples());
    assertTrue(Double.isNaN(p.machineCpu().mean()), "no samples: no figure");
  }

  @Test
  void closesAndDropsOfClientsAreThePhasesErrors() {
    LoadRecorder r = new LoadRecorder();
    r.observed(StreamClients.LAG, 5 * MS);
    r.error(StreamClients.LAG, "ws-closed-1013");
    r.error(StreamClients.LAG, "ws-dropped-too-slow");
    r.sample(1, Set.of());
    FanoutReport.Phase p = FanoutReport.Phase.of("fan-out", 2, 1, 1.0, r.totals(), 1, List.of(), List.of(), List.of());

    assertEquals(Map.of("ws-closed-1013", 1L, "ws-dropped-too-slow", 1L), p.errors());
  }

  @Test
  void theFanoutCostIsTheFanoutP99OverTheBaselines() {
    FanoutReport r = report(phase("baseline", 1, 1, 100, 100, repeat(20, 100)), phase("fan-out", 5, 5, 500, 100, repeat(70, 500)));

    assertEquals(50.0, r.fanoutCostP99Millis(), 0.1);
  }

  @Test
  void theGoalIsMetOnlyWithTheFanoutP99WithinItAndEveryClientStillOpen() {
    FanoutReport.Phase baseline = phase("baseline", 1, 1, 100, 100, repeat(20, 100));

    assertTrue(report(baseline, phase("fan-out", 5, 5, 500, 100, repeat(240, 500))).goalMet());
    assertFalse(report(baseline, phase("fan-out", 5, 5, 500, 100, repeat(260, 500))).goalMet(), "p99 over 250 ms");
    assertFalse(report(baseline, phase("fan-out", 5, 4, 500, 100, repeat(100, 500))).goalMet(), "a client was closed");
    assertFalse(report(baseline, phase("fan-out", 5, 5, 0, 100)).goalMet(), "nothing timed");
  }

  @Test
  void theReportReadsBackFromItsJsonWithTheGoalInIt(@TempDir Path dir) throws Exception {
    FanoutReport r = report(phase("baseline", 1, 1, 100, 100, repeat(20, 100)), phase("fan-out", 5, 5, 500, 100, repeat(70, 500)));
    Path json = r.write(dir);

    FanoutReport back = FanoutReport.read(json);
    assertEquals(r.phases(), back.phases());
    assertTrue(java.nio.file.Files.readString(json).contains("\"goalMet\" : true"));
  }

  @Test
  void theSummaryShowsBothPhasesAndTheVerdict() {
    List<String> s = report(phase("baseline", 1, 1, 100, 100, repeat(20, 100)), phase("fan-out", 5, 5, 500, 100, repeat(300, 500))).summary();

    assertTrue(s.stream().anyMatch(l -> l.contains("baseline") && l.contains("1 clients")), String.join("\n", s));
    assertTrue(s.stream().anyMatch(l -> l.contains("fan-out") && l.contains("5 clients")), String.join("\n", s));
    assertTrue(s.stream().anyMatch(l -> l.contains("NOT met")), String.join("\n", s));
  }

  @Test
  void theCommandLineRefusesUnknownOptionsAndBadNumbersByName() {
    assertEquals(1000, FanoutBenchmark.parse(new String[0]).settings().clients());
    assertEquals(1, FanoutBenchmark.parse(new String[0]).settings().baselineClients());
    assertEquals("unknown option --client", assertThrows(IllegalArgumentException.class,
        () -> FanoutBenchmark.parse(new String[] {"--client", "5"})).getMessage());
    assertEquals("--rate: not a number: 'fast'", assertThrows(IllegalArgumentException.class,
        () -> FanoutBenchmark.parse(new String[] {"--rate", "fast"})).getMessage());
    assertEquals("--clients: at least 1, not 0", assertThrows(IllegalArgumentException.class,
        () -> FanoutBenchmark.parse(new String[] {"--clients", "0"})).getMessage());
  }
}
