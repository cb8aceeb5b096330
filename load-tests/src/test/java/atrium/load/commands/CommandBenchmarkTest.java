package atrium.load.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.json.Json;
import atrium.core.site.Site;
import atrium.core.site.SiteJson;
import atrium.core.site.SiteLoader;
import atrium.load.commands.CommandBenchmark.Comparison;
import atrium.load.commands.CommandBenchmark.Options;
import atrium.load.drive.CapacitySearch;
import atrium.load.drive.LoadProfile;
import atrium.load.drive.LoadRecorder;
import atrium.load.drive.LoadReport;
import atrium.load.drive.Saturation;
import atrium.load.drive.ServerMetrics;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's logic: ratios and goals, the CPU split, the summary, the options, the generated site. */
class CommandBenchmarkTest {
  private static ClosedLoop.Result loop(long counted, double seconds) {
    return new ClosedLoop.Result(100, counted + 10, counted + 10, 0, Map.of(), counted, seconds, counted / seconds,
        new ClosedLoop.Latency(counted, 2, 4, 8, 20), 100, true);
  }

  private static CommandBenchmark.Http http(double held) {
    CapacitySearch.Slo slo = new CapacitySearch.Slo(20, 0.01);
    var trials = List.of(new CapacitySearch.Trial(held, held, 1000, 12.5, 0, true, "nothing"),
        new CapacitySearch.Trial(held * 2, held * 1.2, 1000, 80, 0.02, false, "server CPU ≥ 90 %"));
    return new CommandBenchmark.Http("rest-put-setpoints", 200, new CapacitySearch.Result(slo, held, held * 2, trials), 12.5, null, "a", null);
  }

  @Test
  void aRatioIsTheFigureOverItsLimitAndAGoalIsMetOnlyAtOrAboveIt() {
    Comparison c = Comparison.of("atrium", 7_000, "bare", 10_000, 0.70);
    assertEquals(0.70, c.ratio(), 1e-9);
    assertEquals(Boolean.TRUE, c.met());
    assertEquals(Boolean.FALSE, Comparison.of("atrium", 6_999, "bare", 10_000, 0.70).met());
    assertNull(Comparison.of("bare", 9_000, "raw", 50_000, Double.NaN).met(), "context only: no goal");
    Comparison none = Comparison.of("atrium", 5_000, "bare", 0, 0.70);
    assertTrue(Double.isNaN(none.ratio()), "no limit measured: no ratio");
    assertEquals(Boolean.FALSE, none.met(), "a goal cannot be met against a limit that was not measured");
  }

  @Test
  void theComparisonsSetAtriumBesideTheBareEntityTheGoalAndTheHotLimits() {
    RawInsert.Result raw = new RawInsert.Result(100_000, 400, 250, 2, 50_000);
    List<Comparison> c = CommandBenchmark.comparisons(raw, loop(200_000, 20), loop(15_000, 15), http(8_000), loop(6_000, 15));

    assertEquals(6, c.size());
    assertEquals(0.80, c.get(0).ratio(), 1e-9, "8,000 over the bare entity's 10,000");
    assertEquals(Boolean.TRUE, c.get(0).met());
    assertEquals(0.80, c.get(1).ratio(), 1e-9, "8,000 over the goal of 10,000");
    assertEquals(Boolean.FALSE, c.get(1).met());
    assertEquals(0.20, c.get(2).ratio(), 1e-9, "bare entity over the raw insert");
    assertEquals(0.40, c.get(3).ratio(), 1e-9, "hot twin over the hot bare entity");
    assertEquals(Boolean.FALSE, c.get(4).met(), "400/s is below the hot-twin goal of 1,000/s");
    assertEquals(40.0, c.get(5).ratio(), 1e-9, "400/s is 40× Azure's 10/s");
  }

  @Test
  void withoutAnHttpResultAtriumHasNoRatioAndMissesItsGoals() {
    RawInsert.Result raw = new RawInsert.Result(100_000, 400, 250, 2, 50_000);
    List<Comparison> c = CommandBenchmark.comparisons(raw, loop(200_000, 20), loop(15_000, 15), null, loop(6_000, 15));
    assertTrue(Double.isNaN(c.get(0).ratio()));
    assertEquals(Boolean.FALSE, c.get(0).met());
  }

  @Test
  void cpuPerCommandIsTheMachinesShareTimesItsCoresOverTheRate() {
    assertEquals(100.0, CommandBenchmark.perCommandMicros(0.5, 2, 10_000), 1e-9, "one core for 10,000/s: 100 µs each");
    assertTrue(Double.isNaN(CommandBenchmark.perCommandMicros(0.5, 2, 0)));
    assertTrue(Double.isNaN(CommandBenchmark.perCommandMicros(Double.NaN, 2, 100)));
  }

  @Test
  void theHoldSplitsTheCpuFromTheSecondsAfterItsWarmUp() {
    LoadRecorder.Percentiles p = new LoadRecorder.Percentiles(100, 3, 6, 9, 12, 15, 4);
    LoadRecorder.Percentiles naive = new LoadRecorder.Percentiles(100, 2, 4, 7, 10, 12, 3);
    List<LoadReport.Row> rows = List.of(row(1, 5_000, 0.9, 0.9), row(2, 1_000, 0.2, 0.6), row(3, 1_000, 0.3, 0.4), row(4, 0, 0.0, 0.0), row(4.4, 300, 0.9, 0.9));
    LoadReport r = new LoadReport("hold", "", "http://x", "t", 4, "m", Map.of(), List.of(), p, 1_000, 1_000, 0.001,
        List.of(new LoadRecorder.Totals("rest-put-setpoints", 2_000, 2_000, 1_998, 2, 0, Map.of("http-5xx", 2L), p, naive)), rows,
        new Saturation("nothing: no signal in any second", Double.NaN, List.of()), null, List.of());

    CommandBenchmark.Hold h = CommandBenchmark.hold(r, 1_000, true, 1, 2);

    assertEquals(1_000, h.okPerSecond(), 1e-9, "the first second (warm-up) and the last (a part of a second) are left out");
    assertEquals(0.25, h.clientCpu(), 1e-9);
    assertEquals(0.5, h.serverCpu(), 1e-9);
    assertEquals(500, h.clientCpuMicrosPerCommand(), 1e-6, "a quarter of two cores for 1,000/s: 500 µs each");
    assertEquals(1_000, h.serverCpuMicrosPerCommand(), 1e-6);
    assertEquals(5.0, h.clientCoresAtGoalRate(), 1e-9, "500 µs × 10,000/s = 5 cores");
    assertEquals(9, h.p99Millis(), 1e-9);
    assertEquals(7, h.naiveP99Millis(), 1e-9);
    assertTrue(h.objectiveHeld());
  }

  @Test
  void theClientIsCalledABottleneckWhenAt10000PerSecondItWouldTakeHalfTheCores() {
    CommandBenchmark.Hold heavy = new CommandBenchmark.Hold(5_000, true, 5_000, 10, 9, 0, 5, 0.5, 0.4, 200, 160, 2.0, "x");
    CommandBenchmark.Hold light = new CommandBenchmark.Hold(5_000, true, 5_000, 10, 9, 0, 5, 0.1, 0.8, 40, 320, 0.4, "x");
    assertTrue(CommandBenchmark.clientVerdict(heavy, 2).startsWith("the HTTP client is a bottleneck"));
    assertTrue(CommandBenchmark.clientVerdict(heavy, 2).contains("100 %"));
    assertTrue(CommandBenchmark.clientVerdict(light, 2).contains("20 % of the 2 cores"));
  }

  private static LoadReport.Row row(double t, long ok, double client, double server) {
    LoadRecorder.Second s = new LoadRecorder.Second(t, ok, ok, ok, 0, 0, 0, 10, 0, Map.of(), 1, 2, 3, 4, 5);
    return new LoadReport.Row(s, client, new ServerMetrics(server, server + client, 1e8, 2e9, 0.1, 3, 5), 0);
  }

  @Test
  void theSummaryAndTheJsonReportHoldEveryPhaseAndEveryRatio() throws Exception {
    RawInsert.Result raw = new RawInsert.Result(100_000, 400, 250, 2, 50_000);
    ClosedLoop.Result bare = loop(200_000, 20);
    var http = http(8_000);
    var report = new CommandBenchmark.Report("2026-11-23T07:00:00Z", 300, CommandBenchmark.machine(Options.defaults()), Map.of("k", "v"), raw,
        bare, loop(15_000, 15), http, loop(6_000, 15),
        CommandBenchmark.comparisons(raw, bare, loop(15_000, 15), http, loop(6_000, 15)), List.of("a note"));

    String s = CommandBenchmark.summary(report);
    for (String expected : List.of("raw batched insert", "bare entity", "hot bare entity", "Atrium over HTTP", "hot twin over HTTP",
        "50,000 rows/s", "10,000 commands/s", "8,000 commands/s", "goal ≥ 0.70: met", "goal ≥ 1.00: NOT met", "broke")) {
      assertTrue(s.contains(expected), "summary lacks '" + expected + "':\n" + s);
    }
    assertFalse(s.contains("INCOMPLETE"), s);

    JsonNode json = Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(report));
    for (String field : List.of("machine", "raw", "bare", "hotBare", "atrium", "hotTwin", "comparisons")) {
      assertTrue(json.has(field), "report lacks " + field);
    }
    assertEquals(8_000, json.path("atrium").path("search").path("highestHeld").asDouble(), 1e-9);
    assertEquals(0.8, json.path("comparisons").get(0).path("ratio").asDouble(), 1e-9);
    assertTrue(json.path("machine").path("cores").asInt() > 0);
  }

  @Test
  void aRunWithCommandsThatNeverEndedIsIncomplete() {
    RawInsert.Result raw = new RawInsert.Result(10, 400, 1, 1, 10);
    ClosedLoop.Result stuck = new ClosedLoop.Result(4, 10, 6, 0, Map.of(), 6, 1, 6, new ClosedLoop.Latency(6, 1, 1, 1, 1), 4, false);
    var report = new CommandBenchmark.Report("t", 1, CommandBenchmark.machine(Options.defaults()), Map.of(), raw, stuck, loop(10, 1),
        http(100), loop(10, 1), List.of(), List.of());
    assertFalse(report.complete());
    assertTrue(CommandBenchmark.summary(report).contains("INCOMPLETE"));
  }

  @Test
  void optionsParseAndRefuseWhatMakesNoSense() {
    Options o = Options.parse("--entities", "5000", "--in-flight", "300", "--trial", "7.5", "--node-java-opts", "-Xmx1g -XX:+UseG1GC");
    assertEquals(5000, o.entities());
    assertEquals(300, o.inFlight());
    assertEquals(Duration.ofMillis(7500), o.trial());
    assertEquals(List.of("-Xmx1g", "-XX:+UseG1GC"), o.nodeJavaOptions());
    Options smoke = Options.parse("--smoke", "--zones", "50");
    assertEquals(1000, smoke.entities());
    assertEquals(50, smoke.zones());
    assertThrows(IllegalArgumentException.class, () -> Options.parse("--entities", "0"));
    assertThrows(IllegalArgumentException.class, () -> Options.parse("--factor", "1"));
    assertThrows(IllegalArgumentException.class, () -> Options.parse("--entities"));
    assertThrows(IllegalArgumentException.class, () -> Options.parse("--colour", "red"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Options.parse("--help")).getMessage().isEmpty());
  }

  @Test
  void theLoadProfileWritesSetpointsWithinTheObjective() {
    LoadProfile p = CommandBenchmark.profile(Options.defaults(), "x", 2_500, Duration.ofSeconds(20));
    assertEquals(List.of(new LoadProfile.MixItem("rest-put-setpoints", 1)), p.mix());
    assertEquals(CommandSite.SITE_ID, p.site());
    assertEquals(2_500, p.stages().get(0).from(), 1e-9);
    assertEquals(20, p.slo().p99Millis(), 1e-9);
    assertEquals(0.01, p.slo().maxErrorRate(), 1e-9);
    assertEquals(1_000, p.capacity().startRate(), 1e-9);
  }

  @Test
  void aLongNodeLogKeepsItsHeadAndTailAndAShortOneIsCopiedWhole(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("node.log");
    Files.writeString(log, "a".repeat(100) + "b".repeat(50) + "c".repeat(100));
    CommandBenchmark.keepLog(log, dir.resolve("kept.log"), 100);
    String kept = Files.readString(dir.resolve("kept.log"));
    assertTrue(kept.startsWith("a".repeat(100)) && kept.endsWith("c".repeat(100)), kept);
    assertTrue(kept.contains("50 bytes of the node's log left out"), kept);
    assertFalse(kept.contains("ab") || kept.contains("bc") || kept.contains("bbb"), kept);

    CommandBenchmark.keepLog(log, dir.resolve("whole.log"), 200);
    assertEquals(Files.readString(log), Files.readString(dir.resolve("whole.log")));
  }

  @Test
  void theGeneratedSiteHasTheHvacZonesAskedForAndLoads(@TempDir Path dir) throws Exception {
    Site site = CommandSite.withHvacZones(250);
    Path f = dir.resolve("site.json");
    Files.writeString(f, SiteJson.write(site), StandardCharsets.UTF_8);
    Site loaded = SiteLoader.load(f);
    assertEquals(250, loaded.devices().hvacZones().size());
    assertEquals(CommandSite.hvacId(1), loaded.devices().hvacZones().get(0).id());
  }
}
