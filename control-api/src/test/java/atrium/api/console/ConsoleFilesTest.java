package atrium.api.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConsoleFilesTest {
  @Test
  void theRootAndIndexNameThePage() {
    assertEquals(Optional.of("console/index.html"), ConsoleFiles.resourceOf("/"));
    assertEquals(Optional.of("console/index.html"), ConsoleFiles.resourceOf("/index.html"));
  }

  @Test
  void plainNamesUnderConsoleNameTheirResource() {
    assertEquals(Optional.of("console/js/views/alarms.js"), ConsoleFiles.resourceOf("/console/js/views/alarms.js"));
    assertEquals(Optional.of("console/i18n/zh-CN.json"), ConsoleFiles.resourceOf("/console/i18n/zh-CN.json"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/console/../application.conf", "/console/js/../../logback.xml", "/console/..", "/console/.",
      "/console/./app.js", "/console/.hidden.js", "/console/js\\app.js", "/console/a..b.js", "/console//app.js", "/console/",
      "/console/app", "/console/app.class", "/console/app.conf", "/console/a/b/c/d/e.js", "/console/app.js/", "/logback.xml",
      "/console/%2e%2e/application.conf", "/console/app.js\u0000.png", "/console/app js.js", "/console/é.js"})
  void anythingElseNamesNoResource(String path) {
    assertEquals(Optional.empty(), ConsoleFiles.resourceOf(path), path);
  }

  @Test
  void aMissingFileIsNotServedAndNothingIsRead() {
    assertTrue(new ConsoleFiles().serve("/console/missing.js", io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE).isEmpty());
  }
}
