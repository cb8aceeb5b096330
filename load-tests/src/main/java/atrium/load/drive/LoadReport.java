package atrium.load.drive;

import atrium.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A load run's report: what was offered and what came back, per operation and per second, the
 * server's and the load generator's resources over the run, which part saturated first, and — for
 * a capacity search — each trial and the highest rate that held. Written as {@code load-report.json}
 * and {@code load-report.html} ({@link LoadHtml}).
 *
 * @param settings the profile's settings and the command's, as run
 * @param overall corrected latency over the request operations (stream lag apart)
 * @param capacity null unless the run was a capacity search
 */
public record LoadReport(String profile, String description, String target, String started, double seconds, String machine,
    Map<String, Object> settings, List<Stage> stages, LoadRecorder.Percentiles overall, double offeredPerSecond,
    double achievedPerSecond, double errorRate, List<LoadRecorder.Totals> ops, List<Row> series, Saturation saturation,
    CapacitySearch.Result capacity, List<String> notes) {

  /** One second: the load's figures, the load generator's CPU (0–1 of the machine), the server's metrics, GC pause ms in the second. */
  public record Row(LoadRecorder.Second load, double clientCpu, ServerMetrics server, double gcMillis) {}

  public record Written(Path json, Path html) {}

  public Written write(Path folder) {
    try {
      Files.createDirectories(folder);
      Path json = folder.resolve("load-report.json");
      Path html = folder.resolve("load-report.html");
      Files.write(json, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
      Files.writeString(html, LoadHtml.render(this), StandardCharsets.UTF_8);
      return new Written(json, html);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the load report into " + folder, e);
    }
  }

  public static LoadReport read(Path json) throws IOException {
    return Json.MAPPER.readValue(json.toFile(), LoadReport.class);
  }
}
