package atrium.load.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.AtriumMain;
import atrium.core.testkit.TestTwins;
import atrium.load.InProcessNode;
import atrium.sim.scenario.LoadedScenario;
import atrium.sim.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimLoopBenchmarkTest {
  private static LoadedScenario holidaySurge() throws Exception {
    Path site = TestTwins.demoMallFile();
    return ScenarioLoader.load(site.getParent().getParent().resolve("scenarios/holiday-surge.json"));
  }

  @Test
  void aWindowStartsAtItsLocalTimeAndLastsItsLength() throws Exception {
    LoadedScenario w = SimLoopBenchmark.window(holidaySurge(), LocalTime.of(13, 0), Duration.ofHours(2));

    assertEquals(LocalDateTime.of(2026, 12, 24, 13, 0), w.start().atZone(w.zone()).toLocalDateTime());
    assertEquals(Duration.ofHours(2), Duration.between(w.start(), w.end()));
  }

  @Test
  void aWholeDayWindowIsTheScenarioItself() throws Exception {
    LoadedScenario s = holidaySurge();
    LoadedScenario w = SimLoopBenchmark.window(s, LocalTime.MIDNIGHT, Duration.ofHours(30));

    assertEquals(s.start(), w.start());
    assertEquals(s.end(), w.end(), "a window past the scenario's end stops at it");
  }

  @Test
  void aWindowOutsideTheScenarioIsRefused() throws Exception {
    LoadedScenario s = holidaySurge();
    assertThrows(IllegalArgumentException.class, () -> SimLoopBenchmark.window(s, LocalTime.of(13, 0), Duration.ZERO));
    assertEquals("--minutes: at least 1, not 0", assertThrows(IllegalArgumentException.class,
        () -> SimLoopBenchmark.parse(new String[] {"--minutes", "0"})).getMessage());
    assertEquals("--transport: http or mqtt, not 'udp'", assertThrows(IllegalArgumentException.class,
        () -> SimLoopBenchmark.parse(new String[] {"--transport", "udp"})).getMessage());
  }

  @Test
  void aRunMeetsItsGoalOnlyAtItsMultipleWithNothingRefused() {
    assertTrue(new SimLoopBenchmark.Run("loop", 7200, 360, 100, 0, 20, Map.of()).goalMet(), "exactly 20×");
    assertFalse(new SimLoopBenchmark.Run("loop", 7200, 361, 100, 0, 20, Map.of()).goalMet(), "under 20×");
    assertFalse(new SimLoopBenchmark.Run("loop", 7200, 10, 100, 1, 20, Map.of()).goalMet(), "a refused message");
  }

  @Test
  void theReportReadsBackFromItsJsonWithEachRunsMultiple(@TempDir Path dir) throws Exception {
    SimLoopBenchmark.Report r = new SimLoopBenchmark.Report("2026-11-23T07:00:00Z", "test", "holiday-surge", "2026-12-24T13:00",
        "2026-12-24T15:00", Map.of("transport", "http"), List.of(new SimLoopBenchmark.Run("stand-alone, models", 7200, 0.72, 0, 0, 200, Map.of()),
            new SimLoopBenchmark.Run("in the loop (http)", 7200, 180, 250_000, 0, 20, Map.of("visitors", 21500))), List.of());
    Path json = r.write(dir);

    assertEquals(r, SimLoopBenchmark.Report.read(json));
    assertTrue(Files.readString(json).contains("\"multiple\" : 40.0"), Files.readString(json));
    assertTrue(r.summary().stream().anyMatch(l -> l.contains("in the loop (http)") && l.contains("40.0 × real time") && l.contains("met")),
        String.join("\n", r.summary()));
  }

  @Test
  void standAloneRunsOfAWindowReportItsSimulatedTimeAndMessages() throws Exception {
    LoadedScenario w = SimLoopBenchmark.window(holidaySurge(), LocalTime.of(14, 0), Duration.ofMinutes(2));

    SimLoopBenchmark.Run models = SimLoopBenchmark.standAlone("models", w, false);
    SimLoopBenchmark.Run devices = SimLoopBenchmark.standAlone("devices", w, true);

    assertEquals(120.0, models.simSeconds(), 1e-9);
    assertEquals(0, models.deviceMessages());
    assertTrue(devices.deviceMessages() > 0, "the devices reported");
    assertEquals(devices.simSeconds() / devices.wallSeconds(), devices.multiple(), 1e-9);
  }

  @Test
  void inTheLoopTheNodeTakesEveryMessageTheModelsMake(@TempDir Path dir) throws Exception {
    LoadedScenario w = SimLoopBenchmark.window(holidaySurge(), LocalTime.of(14, 0), Duration.ofMinutes(1));
    SimLoopBenchmark.Run alone = SimLoopBenchmark.standAlone("devices", w, true);
    try (AtriumMain.Node node = InProcessNode.start(dir, atrium.load.node.ChildNode.BENCH_SETTINGS)) {
      SimLoopBenchmark.Run loop = SimLoopBenchmark.inTheLoop("in the loop", w, node.baseUri(), null, InProcessNode.GATEWAY,
          InProcessNode.PASSWORD);

      assertEquals(60.0, loop.simSeconds(), 1e-9);
      assertEquals(0, loop.refused());
      assertEquals(alone.deviceMessages(), loop.deviceMessages(), "the same window makes the same messages, and the node took them all");
    }
  }
}
