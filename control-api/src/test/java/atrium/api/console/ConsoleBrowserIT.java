package atrium.api.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.AtriumMain;
import atrium.api.TestNode;
import atrium.api.demo.DemoTraffic;
import atrium.api.security.Role;
import atrium.core.testkit.TestTwins;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console in a real browser: a whole node on a simulated clock (60x, from 11:00 on Christmas
 * Eve) with the simulator's crowd and cars reporting through its device door, as the demo runs them;
 * Debian's chromium driven by playwright-core ({@code src/test/console/console.test.mjs}) signs in,
 * watches the floor plan fill from the stream, acknowledges an alarm a kiosk raises, switches to
 * English, signs in as a viewer, and has axe-core check every view. Screenshots of each view are
 * kept in {@code target/console-screenshots/}.
 */
class ConsoleBrowserIT {
  private static final Path TOOL = Path.of("src/test/console").toAbsolutePath();
  private static final Path SCREENSHOTS = Path.of("target/console-screenshots").toAbsolutePath();
  private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("ATRIUM_CHROMIUM", "/usr/bin/chromium"));

  @TempDir
  Path dir;

  @Test
  void anOperatorAndAViewerUseTheFloorPlansAndAlarmsInBothLanguages() throws Exception {
    assertTrue(Files.isDirectory(TOOL.resolve("node_modules/playwright-core")) && Files.isDirectory(TOOL.resolve("node_modules/axe-core")),
        "playwright-core and axe-core are not installed: run scripts/test-prerequisites.sh (npm ci in " + TOOL + ")");
    assertTrue(Files.isExecutable(CHROMIUM), "Debian's chromium is not installed at " + CHROMIUM + ": run scripts/test-prerequisites.sh");
    Map<String, Object> settings = TestNode.settings(dir);
    settings.put("atrium.clock.mode", "simulated");
    settings.put("atrium.clock.start", "2026-12-24T03:00:00Z");
    settings.put("atrium.clock.speed", 60);
    Path runReport = Files.createDirectories(dir.resolve("reports/smoke-20261123-093000")).resolve("summary.csv");
    Files.writeString(runReport, "second,offered,achieved\r\n1,50,50\r\n");
    settings.put("atrium.reports.dir", dir.resolve("reports").toString());
    Path scenario = dir.resolve("crowd.json");
    Files.writeString(scenario, "{\"site\":\"" + TestTwins.demoMallFile().toAbsolutePath().toString().replace("\\", "/") + "\","
        + "\"start\":\"2026-12-24T11:00\",\"duration\":\"PT6H\",\"seed\":9,"
        + "\"visitors\":{\"arrivals\":[{\"from\":\"00:00\",\"to\":\"24:00\",\"perHour\":8000}]},"
        + "\"cars\":{\"arrivals\":[{\"from\":\"00:00\",\"to\":\"24:00\",\"perHour\":300}]}}");
    try (AtriumMain.Node node = AtriumMain.Node.start(TestNode.config(settings));
        DemoTraffic traffic = DemoTraffic.start(dir, node.runtime().services().sites().site("demo-mall").orElseThrow(),
            node.runtime().clock(), node.baseUri(), TestNode.GATEWAY, TestNode.GATEWAY_PASSWORD, scenario, Map.of(), Map.of(),
            node.runtime().services())) {
      Files.createDirectories(SCREENSHOTS);
      try (var old = Files.list(SCREENSHOTS)) {
        for (Path f : old.toList()) Files.delete(f);
      }
      Path log = dir.resolve("console-test.log");
      ProcessBuilder browser = new ProcessBuilder("node", TOOL.resolve("console.test.mjs").toString())
          .directory(TOOL.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
      browser.environment().putAll(Map.of(
          "ATRIUM_URL", node.baseUri().toString(),
          "OPERATOR_TOKEN", TestNode.token(node, "console-operator", Role.OPERATOR, "demo-mall"),
          "VIEWER_TOKEN", TestNode.token(node, "console-viewer", Role.VIEWER, "demo-mall"),
          "GATEWAY_USER", TestNode.GATEWAY,
          "GATEWAY_PASSWORD", TestNode.GATEWAY_PASSWORD,
          "SCREENSHOTS", SCREENSHOTS.toString(),
          "CHROMIUM", CHROMIUM.toString()));
      browser.environment().putAll(Map.of( // the devices and reports views
          "ENGINEER_TOKEN", TestNode.token(node, "console-engineer", Role.ENGINEER, "demo-mall"),
          "RUN_REPORT_RUN", "smoke-20261123-093000", "RUN_REPORT_FILE", "summary.csv",
          "RUN_REPORT_CONTENT", Files.readString(runReport)));
      Process p = browser.start();
      boolean finished = p.waitFor(360, TimeUnit.SECONDS);
      if (!finished) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      String out = Files.readString(log, StandardCharsets.UTF_8);
      System.out.println(out);
      assertTrue(finished, "the browser test did not finish in 360 s:\n" + out);
      assertEquals(0, p.exitValue(), "the browser test failed:\n" + out);
      assertTrue(out.contains("console browser test: all checks passed"), out);
      assertTrue(traffic.sent() > 0, "the simulator's devices reported");
    }
    for (String view : List.of("sign-in", "floors-zh", "alarms-zh", "alarms-en", "floors-en", "floors-tablet-en", "alarms-viewer-en",
        "floors-asset-en", "devices-en", "reports-en",
        "parking-zh", "climate-zh", "parking-en", "climate-viewer-en")) {
      assertTrue(Files.size(SCREENSHOTS.resolve(view + ".png")) > 10_000, "screenshot of " + view);
    }
    for (String view : List.of("drills-running-en", "drills-en", "drills-viewer-en")) {
      assertTrue(Files.size(SCREENSHOTS.resolve(view + ".png")) > 10_000, "screenshot of " + view);
    }
  }
}
