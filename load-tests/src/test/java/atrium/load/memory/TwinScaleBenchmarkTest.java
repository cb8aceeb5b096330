package atrium.load.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.load.memory.TwinScaleBenchmark.Options;
import atrium.load.memory.TwinScaleBenchmark.Report;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The scale benchmark at a small size: every twin answers, the limit passivates some, and both latencies are reported. */
@ExtendWith(LogCapturingExtension.class)
class TwinScaleBenchmarkTest {

  @TempDir
  Path dir;

  @Test
  void everyTwinAnswersSomeArePassivatedAndBothKindsOfAnswerAreTimed() throws Exception {
    Path out = dir.resolve("scale.json");
    Report report = TwinScaleBenchmark.run(new Options(5_000, 1_000, 100, 600, 50, out));

    String summary = TwinScaleBenchmark.summary(report);
    assertTrue(report.reachedAll(), summary);
    assertEquals(5_000, report.touched(), summary);
    assertEquals(5_000, report.answered(), summary);
    assertEquals(0, report.failed(), summary);
    assertTrue(report.heapUsedAfterGcBytes() > 0, summary);
    assertTrue(report.activeTotal() > 0 && report.activeTotal() < 5_000, summary);
    assertTrue(report.passivatedFirstAnswer().count() > 0, summary);
    assertTrue(report.residentAnswer().count() > 0, summary);
    assertEquals(0, report.probeFailures(), summary);

    JsonNode json = new ObjectMapper().readTree(out.toFile());
    for (String field : List.of("touched", "touchesPerSecond", "heapUsedAfterGcBytes", "activeByKind", "activeTotal",
        "passivatedFirstAnswer", "residentAnswer", "mix")) {
      assertTrue(json.has(field), "report lacks " + field);
    }
    assertTrue(json.get("passivatedFirstAnswer").has("p99"));
  }

  @Test
  void optionsAreReadFromTheCommandLineAndNonsenseIsRefused() {
    Options o = Options.parse("--twins", "1,000,000", "--active-limit", "50000", "--max-seconds", "60", "--probes", "10");
    assertEquals(1_000_000, o.twins());
    assertEquals(50_000, o.activeLimit());
    assertEquals(60, o.maxSeconds());
    assertEquals(10, o.probes());
    assertThrows(IllegalArgumentException.class, () -> Options.parse("--twins", "5"));
    assertThrows(IllegalArgumentException.class, () -> Options.parse("--bogus", "1"));
  }
}
