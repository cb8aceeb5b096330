package atrium.sim.report;

import atrium.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a run's report as {@code report.json} and {@code report.html} into a folder. */
public final class ReportFiles {
  private ReportFiles() {}

  public record Written(Path json, Path html) {}

  public static Written write(RunReport report, Path folder) {
    try {
      Files.createDirectories(folder);
      Path json = folder.resolve("report.json");
      Path html = folder.resolve("report.html");
      Files.write(json, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(report));
      Files.writeString(html, HtmlReport.render(report), StandardCharsets.UTF_8);
      return new Written(json, html);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report into " + folder, e);
    }
  }
}
