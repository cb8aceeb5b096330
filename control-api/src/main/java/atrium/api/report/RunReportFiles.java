package atrium.api.report;

import atrium.api.http.ApiException;
import atrium.api.http.Call;
import atrium.api.http.Endpoint;
import atrium.api.http.Problem;
import atrium.api.http.Reply;
import atrium.api.security.Access;
import com.typesafe.config.Config;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The reports that runs of the load tool, the benchmarks and the simulator wrote, read-only: one
 * folder per run under a configured directory ({@code atrium.reports.dir}, by default
 * {@code load-reports}, where {@code bin/atrium load} and the benchmarks write), each with its files.
 * Only plain names (a letter or digit, then letters, digits, {@code . _ -}; no {@code ..}) and the
 * extensions json, html, csv, txt and md are listed or served; anything else, a hidden name or a
 * symbolic link, is not. A file is served as a download, never rendered by the API's origin.
 */
public final class RunReportFiles {
  /** The settings under {@code atrium.reports}. */
  public record Settings(Path dir, long maxFileBytes, int maxRuns) {
    public static Settings create(Config config) {
      Config c = config.getConfig("atrium.reports");
      return new Settings(Path.of(c.getString("dir")), c.getBytes("max-file-size"), c.getInt("max-runs"));
    }
  }

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Map<String, String> TYPES = Map.of(
      "json", "application/json",
      "html", "text/html; charset=utf-8",
      "csv", "text/csv; charset=utf-8",
      "txt", "text/plain; charset=utf-8",
      "md", "text/markdown; charset=utf-8");

  private final Settings settings;
  private final Executor blocking;

  public RunReportFiles(Settings settings, Executor blocking) {
    this.settings = settings;
    this.blocking = blocking;
  }

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.of("listRunReports", HttpMethod.GET, "/api/v1/run-reports", Access.VIEW,
            "The reports of load-test, benchmark and simulation runs kept on this node: runs, newest first, with their files",
            this::list),
        Endpoint.of("getRunReportFile", HttpMethod.GET, "/api/v1/run-reports/{run}/{file}", Access.VIEW,
            "One file of a run's report, as a download", this::file));
  }

  /** A file that may be listed and served: a plain name with a known extension. */
  static boolean servable(String name) {
    return NAME.matcher(name).matches() && !name.contains("..") && TYPES.containsKey(extension(name));
  }

  private static boolean plainName(String name) {
    return NAME.matcher(name).matches() && !name.contains("..");
  }

  private static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  private CompletionStage<Reply> list(Call call) {
    return CompletableFuture.supplyAsync(() -> Reply.json(listing()), blocking);
  }

  private Map<String, Object> listing() {
    List<Map<String, Object>> runs = new ArrayList<>();
    Path dir = settings.dir();
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> entries = Files.list(dir)) {
        for (Path run : entries.toList()) {
          String name = run.getFileName().toString();
          if (!plainName(name) || !Files.isDirectory(run, LinkOption.NOFOLLOW_LINKS)) continue;
          List<Map<String, Object>> files = files(run);
          if (files.isEmpty()) continue;
          Map<String, Object> r = new LinkedHashMap<>();
          r.put("run", name);
          r.put("modified", files.stream().map(f -> (Instant) f.get("modified")).max(Comparator.naturalOrder()).orElseThrow());
          r.put("files", files);
          runs.add(r);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    runs.sort(Comparator.comparing((Map<String, Object> r) -> (Instant) r.get("modified")).reversed()
        .thenComparing(r -> (String) r.get("run")));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("runs", runs.subList(0, Math.min(runs.size(), settings.maxRuns())));
    body.put("total", runs.size());
    return body;
  }

  private List<Map<String, Object>> files(Path run) throws IOException {
    List<Map<String, Object>> files = new ArrayList<>();
    try (Stream<Path> entries = Files.list(run)) {
      for (Path f : entries.sorted().toList()) {
        String name = f.getFileName().toString();
        if (!servable(name)) continue;
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile() || a.size() > settings.maxFileBytes()) continue;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("bytes", a.size());
        m.put("modified", a.lastModifiedTime().toInstant());
        files.add(m);
      }
    }
    return files;
  }

  private CompletionStage<Reply> file(Call call) {
    String run = call.param("run");
    String file = call.param("file");
    if (!plainName(run)) throw Call.badParameter("run", "'" + run + "' is not a run's name (letters, digits, '.', '_', '-')");
    if (!servable(file)) {
      throw Call.badParameter("file", "'" + file + "' is not a report file's name (letters, digits, '.', '_', '-'; "
          + "json, html, csv, txt or md)");
    }
    return CompletableFuture.supplyAsync(() -> read(run, file), blocking);
  }

  private Reply read(String run, String file) {
    Path dir = settings.dir().toAbsolutePath().normalize();
    Path path = dir.resolve(run).resolve(file).normalize();
    Optional<byte[]> bytes = Optional.empty();
    try {
      if (path.startsWith(dir) && Files.isDirectory(dir.resolve(run), LinkOption.NOFOLLOW_LINKS)) {
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isRegularFile() && a.size() <= settings.maxFileBytes()) bytes = Optional.of(Files.readAllBytes(path));
      }
    } catch (java.nio.file.NoSuchFileException e) {
      bytes = Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] body = bytes.orElseThrow(() -> new ApiException(Problem.notFound("unknown-run-report", "Unknown run report",
        "no report file '" + file + "' of run '" + run + "' here; GET /api/v1/run-reports lists them")));
    return Reply.bytes(TYPES.get(extension(file)), body)
        .withHeader("Content-Disposition", "attachment; filename=\"" + run + "-" + file + "\"")
        .withHeader("Content-Security-Policy", "sandbox; default-src 'none'")
        .withHeader("X-Content-Type-Options", "nosniff");
  }
}
