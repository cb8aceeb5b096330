package atrium.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.security.Role;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load-test, benchmark and simulation reports a node keeps, over real HTTP: listed newest first
 * with only their plain report files, served as downloads with their type, and nothing else —
 * traversal, hidden names, other extensions and symbolic links out of the directory are refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunReportsApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LOAD_JSON = "{\"profile\":\"smoke\",\"achieved\":42}";

  @TempDir
  static Path dir;

  private AtriumMain.Node node;
  private String viewer;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  void start() throws Exception {
    Path reports = dir.resolve("reports");
    Path older = Files.createDirectories(reports.resolve("sim-loop-20261120-101500"));
    Files.writeString(older.resolve("sim-loop-report.json"), "{\"runs\":[]}");
    Files.setLastModifiedTime(older.resolve("sim-loop-report.json"), FileTime.from(Instant.parse("2026-11-20T10:15:00Z")));
    Path newer = Files.createDirectories(reports.resolve("smoke-20261123-093000"));
    Files.writeString(newer.resolve("load-report.json"), LOAD_JSON);
    Files.writeString(newer.resolve("load-report.html"), "<!doctype html><title>load</title><p>report</p>");
    Files.writeString(newer.resolve(".hidden.json"), "{}");
    Files.writeString(newer.resolve("notes.sh"), "echo hi");
    Files.writeString(dir.resolve("outside.json"), "{\"secret\":true}");
    Files.createSymbolicLink(newer.resolve("link.json"), dir.resolve("outside.json"));
    Files.createDirectories(reports.resolve("empty-run"));
    Map<String, Object> settings = TestNode.settings(dir);
    settings.put("atrium.reports.dir", reports.toString());
    node = AtriumMain.Node.start(TestNode.config(settings));
    viewer = "Bearer " + TestNode.token(node, "vera-viewer", Role.VIEWER, "demo-mall");
  }

  @AfterAll
  void stop() {
    if (node != null) node.close();
  }

  private HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUri().toString().replaceAll("/$", "") + path))
        .timeout(Duration.ofSeconds(30));
    if (authorization != null) b.header("Authorization", authorization);
    return client.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String problemType(HttpResponse<String> r) throws Exception {
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.body());
    String type = JSON.readTree(r.body()).path("type").asText();
    return type.substring(type.lastIndexOf('/') + 1);
  }

  @Test
  void aViewerSeesTheRunsNewestFirstWithOnlyTheirPlainReportFiles() throws Exception {
    HttpResponse<String> r = get("/api/v1/run-reports", viewer);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = JSON.readTree(r.body());
    List<String> runs = new ArrayList<>();
    body.get("runs").forEach(run -> runs.add(run.get("run").asText()));
    assertEquals(List.of("smoke-20261123-093000", "sim-loop-20261120-101500"), runs, "newest first; a run without files is left out");
    assertEquals(2, body.get("total").asInt());
    List<String> files = new ArrayList<>();
    body.get("runs").get(0).get("files").forEach(f -> files.add(f.get("name").asText()));
    assertEquals(List.of("load-report.html", "load-report.json"), files, "no hidden name, other extension or symbolic link");
    assertEquals(LOAD_JSON.length(), body.get("runs").get(0).get("files").get(1).get("bytes").asInt());
  }

  @Test
  void aReportFileIsServedAsADownloadWithItsType() throws Exception {
    HttpResponse<String> json = get("/api/v1/run-reports/smoke-20261123-093000/load-report.json", viewer);
    assertEquals(200, json.statusCode(), json.body());
    assertEquals(LOAD_JSON, json.body());
    assertEquals("application/json", json.headers().firstValue("Content-Type").orElse(""));
    assertEquals("attachment; filename=\"smoke-20261123-093000-load-report.json\"",
        json.headers().firstValue("Content-Disposition").orElse(""));
    HttpResponse<String> html = get("/api/v1/run-reports/smoke-20261123-093000/load-report.html", viewer);
    assertEquals(200, html.statusCode(), html.body());
    assertTrue(html.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(html.headers().firstValue("Content-Security-Policy").orElse("").startsWith("sandbox"),
        "a report's page is never rendered with the API's origin");
  }

  @Test
  void namesThatAreNotPlainReportFilesAreRefusedWithAProblem() throws Exception {
    for (String path : List.of("/api/v1/run-reports/smoke-20261123-093000/.hidden.json",
        "/api/v1/run-reports/smoke-20261123-093000/notes.sh",
        "/api/v1/run-reports/smoke-20261123-093000/..json",
        "/api/v1/run-reports/%2e%2e/outside.json",
        "/api/v1/run-reports/..%2F..%2Fetc/passwd.txt")) {
      HttpResponse<String> r = get(path, viewer);
      assertTrue(r.statusCode() == 400 || r.statusCode() == 404, path + " -> " + r.statusCode() + " " + r.body());
      assertFalse(r.body().contains("secret") || r.body().contains("echo hi"), path + " leaked a file: " + r.body());
      problemType(r);
    }
    HttpResponse<String> hidden = get("/api/v1/run-reports/smoke-20261123-093000/.hidden.json", viewer);
    assertEquals(400, hidden.statusCode());
    assertEquals("invalid-parameter", problemType(hidden));
  }

  @Test
  void aSymbolicLinkOutOfTheDirectoryIsNotServed() throws Exception {
    HttpResponse<String> r = get("/api/v1/run-reports/smoke-20261123-093000/link.json", viewer);
    assertEquals(404, r.statusCode(), r.body());
    assertEquals("unknown-run-report", problemType(r));
    assertFalse(r.body().contains("secret"));
  }

  @Test
  void aFileThatIsNotThereIs404() throws Exception {
    HttpResponse<String> r = get("/api/v1/run-reports/smoke-20261123-093000/missing.json", viewer);
    assertEquals(404, r.statusCode());
    assertEquals("unknown-run-report", problemType(r));
    assertEquals(404, get("/api/v1/run-reports/no-such-run/load-report.json", viewer).statusCode());
  }

  @Test
  void withoutATokenNothingIsListedOrServed() throws Exception {
    assertEquals(401, get("/api/v1/run-reports", null).statusCode());
    assertEquals(401, get("/api/v1/run-reports/smoke-20261123-093000/load-report.json", null).statusCode());
  }
}
