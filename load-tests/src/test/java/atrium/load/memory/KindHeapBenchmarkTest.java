package atrium.load.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.asset.AssetKind;
import atrium.core.site.Site;
import atrium.core.site.SiteJson;
import atrium.core.site.SiteLoader;
import atrium.load.memory.EntityHeapBenchmark.Phase;
import atrium.load.memory.KindHeapBenchmark.KindResult;
import atrium.load.memory.KindHeapBenchmark.Options;
import atrium.load.memory.KindHeapBenchmark.Report;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The every-kind heap benchmark at a small size: every twin of every kind answers, and the report holds each figure. */
@ExtendWith(LogCapturingExtension.class)
class KindHeapBenchmarkTest {
  private static final int N = 300;

  @TempDir
  Path dir;

  @Test
  void everyTwinOfEveryKindAnswersAndTheReportHoldsEachKindsFigures() throws Exception {
    Path out = dir.resolve("kinds.json");
    Report report = KindHeapBenchmark.run(new Options(N, 200, out, 3));

    assertTrue(report.complete(), KindHeapBenchmark.summary(report));
    assertEquals(KindHeapBenchmark.KINDS.size(), report.kinds().size());
    assertEquals(N, report.bare().answered());
    for (KindResult k : report.kinds()) {
      Phase p = k.phase();
      assertEquals(N, p.entities(), k.kind());
      assertEquals(N, p.answered(), k.kind());
      assertEquals(0, p.failed(), k.kind() + ": " + p.firstFailure());
      assertEquals(N, p.aliveAtEnd(), k.kind() + " alive when measured");
      assertTrue(p.activationsPerSecond() > 0, k.kind());
      assertTrue(Double.isFinite(k.ratioToBare()), k.kind());
    }

    JsonNode json = new ObjectMapper().readTree(out.toFile());
    for (String field : List.of("date", "machine", "perKind", "bare", "kinds")) assertTrue(json.has(field), field);
    assertEquals(KindHeapBenchmark.KINDS.size(), json.get("kinds").size());
    for (JsonNode k : json.get("kinds")) {
      assertTrue(k.has("kind") && k.has("ratioToBare") && k.get("phase").has("bytesPerEntity"), k.toString());
    }
  }

  @Test
  void theGeneratedSiteHoldsTheCountsAskedForAndPassesTheSiteLoader() {
    TwinSite.Counts counts = new TwinSite.Counts(7, 3, 10, 5, 4, 100_005, 2, 9, 1);
    Site site = SiteLoader.parse(SiteJson.write(TwinSite.build(counts)).getBytes(StandardCharsets.UTF_8));
    assertEquals(10, site.totalBays());
    assertEquals(3, site.carParks().size());
    assertEquals(100_005, site.shelfLabelCount());
    assertTrue(site.hasShelfLabel(TwinSite.localId(AssetKind.SHELF_LABEL, 100_005)));
    assertTrue(site.hasCourier(TwinSite.localId(AssetKind.COURIER, 9)));
    assertTrue(site.camera(TwinSite.localId(AssetKind.CAMERA, 5)).isPresent());
    assertTrue(site.hvacZone(TwinSite.localId(AssetKind.HVAC_ZONE, 4)).isPresent());
    assertTrue(site.kiosk(TwinSite.localId(AssetKind.KIOSK, 2)).isPresent());
    assertTrue(site.bay(TwinSite.localId(AssetKind.PARKING_BAY, 10)).isPresent());
    assertTrue(site.zone(TwinSite.localId(AssetKind.ZONE, 7)).isPresent());

    TwinSite.Counts mix = TwinSite.Counts.demoMix(1_000_000);
    assertEquals(1_000_000, mix.total());
    assertTrue(mix.shelfLabels() > mix.bays() && mix.bays() > mix.cameras());
  }

  @Test
  void optionsAreReadFromTheCommandLineAndNonsenseIsRefused() {
    Options o = Options.parse("--per-kind", "20,000", "--in-flight", "100", "--top-classes", "0", "--out", "k.json");
    assertEquals(20_000, o.perKind());
    assertEquals(100, o.inFlight());
    assertEquals(0, o.topClasses());
    assertEquals(Path.of("k.json"), o.out());
    assertThrows(IllegalArgumentException.class, () -> Options.parse("--per-kind", "5"));
    assertThrows(IllegalArgumentException.class, () -> Options.parse("--bogus", "1"));
  }
}
