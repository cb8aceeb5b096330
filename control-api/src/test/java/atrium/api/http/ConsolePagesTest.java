package atrium.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.console.ConsoleFiles;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The console's files through the whole HTTP pipeline, as bytes on the wire (no client normalises the paths). */
class ConsolePagesTest {
  private final HttpSettings settings = HttpSettings.defaults();
  private final PipelineHarness http = new PipelineHarness(new HttpServerInitializer(settings,
      TestApi.over(new FakeGateway(), settings).withPages(new ConsoleFiles())));

  @AfterEach
  void close() {
    http.close();
  }

  @Test
  void theRootServesTheConsolePageWithAStrictContentSecurityPolicy() {
    PipelineHarness.Answer a = http.exchange(PipelineHarness.get("/"));
    assertEquals(200, a.status());
    assertEquals("text/html; charset=utf-8", a.header("Content-Type"));
    assertTrue(a.body().contains("<script type=\"module\" src=\"/console/js/app.js\">"), a.body());
    String csp = a.header("Content-Security-Policy");
    assertTrue(csp.contains("default-src 'none'") && csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'")
        && !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), csp);
    assertEquals("nosniff", a.header("X-Content-Type-Options"));
    assertEquals("no-cache", a.header("Cache-Control"));
  }

  @Test
  void scriptsStylesDictionariesAndImagesHaveTheirContentTypes() {
    assertEquals("text/javascript; charset=utf-8", http.exchange(PipelineHarness.get("/console/js/app.js")).header("Content-Type"));
    assertEquals("text/javascript; charset=utf-8", http.exchange(PipelineHarness.get("/console/js/views/floors.js")).header("Content-Type"));
    assertEquals("text/css; charset=utf-8", http.exchange(PipelineHarness.get("/console/console.css")).header("Content-Type"));
    assertEquals("application/json; charset=utf-8", http.exchange(PipelineHarness.get("/console/i18n/en.json")).header("Content-Type"));
    assertEquals("image/svg+xml", http.exchange(PipelineHarness.get("/console/icon.svg")).header("Content-Type"));
  }

  @Test
  void aCopyTheClientHoldsIsRevalidatedWithA304() {
    PipelineHarness.Answer first = http.exchange(PipelineHarness.get("/console/js/app.js"));
    String etag = first.header("ETag");
    FullHttpRequest again = PipelineHarness.get("/console/js/app.js");
    again.headers().set("If-None-Match", etag);
    PipelineHarness.Answer second = http.exchange(again);
    assertEquals(304, second.status());
    assertEquals(etag, second.header("ETag"));
    assertEquals("", second.body());
  }

  @Test
  void headAnswersWithoutABody() {
    PipelineHarness.Answer a = http.exchange(PipelineHarness.request(HttpMethod.HEAD, "/"));
    assertEquals(200, a.status());
    assertEquals("", a.body());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/console/../application.conf", "/console/%2e%2e/application.conf", "/console/js/../../logback.xml",
      "/console/..%5capplication.conf", "/console/.%2e/openapi.json", "/console/js/..", "/console//js/app.js",
      "/console/.hidden.js", "/console/js\\app.js", "/console/app.class", "/console/js/", "/console/", "/console",
      "/console/atrium/api/AtriumMain.class", "/application.conf", "/index.html/../application.conf", "/console/nothing-here.js"})
  void pathsOutsideTheConsoleFilesAreNotFound(String path) {
    PipelineHarness.Answer a = http.exchange(PipelineHarness.get(path));
    assertTrue(a.status() == 404 || a.status() == 400, path + " answered " + a.status() + ": " + a.body());
    assertEquals("application/problem+json", a.header("Content-Type"));
    assertFalse(a.body().contains("atrium {") || a.body().contains("<configuration"), a.body());
  }

  @Test
  void aWriteToAConsolePathIsNotServed() {
    PipelineHarness.Answer a = http.exchange(PipelineHarness.post("/", "text/plain", "x"));
    assertEquals(404, a.status());
  }

  @Test
  void theApiStillAnswersBesideTheConsole() {
    assertEquals(200, http.exchange(PipelineHarness.get("/health")).status());
  }
}
