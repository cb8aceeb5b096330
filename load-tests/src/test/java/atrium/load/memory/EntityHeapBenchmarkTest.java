package atrium.load.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.site.Site;
import atrium.core.site.SiteJson;
import atrium.core.site.SiteLoader;
import atrium.load.memory.EntityHeapBenchmark.Options;
import atrium.load.memory.EntityHeapBenchmark.Phase;
import atrium.load.memory.EntityHeapBenchmark.Report;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The heap benchmark at a small size: it runs, every entity answers, and it reports what it says it does. */
@ExtendWith(LogCapturingExtension.class)
class EntityHeapBenchmarkTest {
  private static final int N = 2_000;

  @TempDir
  Path dir;

  @Test
  void everyEntityAnswersAndTheReportHoldsBothFiguresAndTheirRatio() throws Exception {
    Path out = dir.resolve("reports/heap.json");
    Report report = EntityHeapBenchmark.run(Options.defaults().withEntities(N).withOut(out));

    assertTrue(report.complete(), EntityHeapBenchmark.summary(report));
    for (Phase p : List.of(report.bare(), report.parkingBay())) {
      assertEquals(N, p.answered(), p.entityType());
      assertEquals(0, p.failed(), p.entityType());
      assertNull(p.firstFailure(), p.entityType());
      assertEquals(N, p.aliveAtEnd(), p.entityType() + " alive when measured");
      assertPositiveAndFinite(p.bytesPerEntity(), p.entityType() + " bytes per entity");
      assertPositiveAndFinite(p.activationsPerSecond(), p.entityType() + " activations per second");
      assertFalse(p.topClasses().isEmpty(), p.entityType() + " class growth");
    }
    assertPositiveAndFinite(report.ratioBayToBare(), "ratio");
    assertEquals(report.parkingBay().bytesPerEntity() / report.bare().bytesPerEntity(), report.ratioBayToBare(), 1e-9);

    JsonNode json = new ObjectMapper().readTree(out.toFile());
    for (String field : List.of("date", "machine", "entities", "inFlight", "bare", "parkingBay", "ratioBayToBare", "siteModelBytesPerBay")) {
      assertTrue(json.has(field), "report lacks " + field + ": " + json);
    }
    assertEquals(N, json.get("entities").asInt());
    for (String phase : List.of("bare", "parkingBay")) {
      for (String field : List.of("bytesPerEntity", "activationsPerSecond", "answered", "aliveAtEnd", "heapBeforeBytes", "heapAfterBytes")) {
        assertTrue(json.get(phase).has(field), phase + " lacks " + field);
      }
      assertEquals(N, json.get(phase).get("answered").asInt());
    }
    assertEquals("ParkingBay", json.get("parkingBay").get("entityType").asText());
    assertTrue(json.get("machine").get("availableProcessors").asInt() > 0);
  }

  @Test
  void theBenchSiteHoldsExactlyTheBaysAskedForAndPassesTheSiteLoader() {
    Site site = BenchSite.withBays(1_003);
    Site loaded = SiteLoader.parse(SiteJson.write(site).getBytes(StandardCharsets.UTF_8));
    assertEquals(1_003, loaded.totalBays());
    assertEquals(BenchSite.CAR_PARKS, loaded.carParks().size());
    assertTrue(loaded.bay("PN-B1-000001").isPresent());
    assertTrue(loaded.bay("PS-B5-000100").isPresent());
  }

  @Test
  void optionsAreReadFromTheCommandLineAndNonsenseIsRefused() {
    Options o = Options.parse("--entities", "100,000", "--in-flight", "200", "--out", "x.json", "--top-classes", "0");
    assertEquals(100_000, o.entities());
    assertEquals(200, o.inFlight());
    assertEquals(Path.of("x.json"), o.out());
    assertEquals(0, o.topClasses());
    assertEquals(100_000, Options.parse().entities());
    assertThrows(IllegalArgumentException.class, () -> Options.parse("--entities", "5"));
    assertThrows(IllegalArgumentException.class, () -> Options.parse("--entities"));
    assertThrows(IllegalArgumentException.class, () -> Options.parse("--in-flight", "many"));
    assertThrows(IllegalArgumentException.class, () -> Options.parse("--bogus", "1"));
  }

  private static void assertPositiveAndFinite(double d, String what) {
    assertTrue(Double.isFinite(d) && d > 0, what + " = " + d);
  }
}
