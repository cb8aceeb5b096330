package atrium.sim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
  @TempDir
  Path dir;

  private static RunReport report() {
    SeriesRecorder rec = new SeriesRecorder();
    for (int i = 0; i < 10; i++) {
      Map<String, Double> v = new LinkedHashMap<>();
      v.put("ATR-L1", (double) i * 10);
      v.put("<script>alert(1)</script>", (double) i);
      rec.sample("occupancy", "People per zone", "persons", i * 60.0, v);
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("evacuation time (s)", 412.5);
    summary.put("people out", 9000);
    return new RunReport("evacuation-drill", "demo-mall", 7, "2026-12-24T14:00+08:00", "2026-12-24T14:30+08:00", 3.2,
        summary, rec.series(), List.of(rec.heatMap("occupancy", "density", "Density per zone")),
        List.of(new RunReport.Table("bottlenecks", "Bottlenecks", List.of("door", "longest queue", "seconds queued"),
            List.of(List.of("EXIT-N", 120, 300.0)))));
  }

  @Test
  void thePageDrawsEachSeriesAsALineOfItsSamplesAndEachGridAsAHeatMap() {
    String html = HtmlReport.render(report());
    Matcher m = Pattern.compile("<polyline data-line=\"ATR-L1\"[^>]*points=\"([^\"]*)\"").matcher(html);
    assertTrue(m.find(), html);
    assertEquals(10, m.group(1).split(" ").length);
    assertTrue(html.contains("<svg id=\"density\""));
    assertEquals(18, countOf(html, "<rect x=") - 1 - 2, "one cell per positive sample of the two rows, the frame and two legend swatches apart");
    assertTrue(html.contains("<td>EXIT-N</td><td>120</td><td>300</td>"), html);
    assertTrue(html.contains("<td>412.5</td>"), html);
  }

  @Test
  void thePageIsSelfContainedAndEscapesWhatItShows() {
    String html = HtmlReport.render(report());
    assertFalse(html.contains("<script"), "a zone name must not become markup");
    assertTrue(html.contains("&lt;script&gt;"));
    assertFalse(Pattern.compile("(src|href)=").matcher(html).find(), "nothing is loaded from elsewhere");
  }

  @Test
  void theJsonReportCarriesEverySeries() throws Exception {
    ReportFiles.Written w = ReportFiles.write(report(), dir.resolve("out"));
    JsonNode json = new ObjectMapper().readTree(Files.readString(w.json()));
    assertEquals("evacuation-drill", json.get("scenario").asText());
    assertEquals(10, json.get("series").get(0).get("times").size());
    assertEquals(90.0, json.get("series").get(0).get("lines").get("ATR-L1").get(9).asDouble());
    assertTrue(Files.readString(w.html()).startsWith("<!DOCTYPE html>"));
  }

  @Test
  void samplesMustMoveForwardInTime() {
    SeriesRecorder rec = new SeriesRecorder();
    rec.sample("s", "S", "u", 10, Map.of("a", 1.0));
    assertThrows(IllegalArgumentException.class, () -> rec.sample("s", "S", "u", 10, Map.of("a", 2.0)));
  }

  private static int countOf(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
    return n;
  }
}
