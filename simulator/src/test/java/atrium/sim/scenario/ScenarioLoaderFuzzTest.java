package atrium.sim.scenario;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.site.FieldError;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The scenario loader under arbitrary bytes, against the small example site of the site-format
 * tests ({@code example-site.json}, copied to a temporary folder the scenario's {@code site} path
 * is resolved against). Regression mode runs the corpus in
 * {@code src/test/resources/atrium/sim/scenario/ScenarioLoaderFuzzTestInputs/}; {@code bin/atrium
 * fuzz scenario} fuzzes. The contract: a scenario that loads is consistent (its window is ordered,
 * its events inside the timeline's order), anything else is a {@link ScenarioValidationException}
 * whose every error names a JSON path — never another exception.
 */
class ScenarioLoaderFuzzTest {
  private static final Path SITE_DIR = siteFolder();

  @FuzzTest
  void aScenarioEitherLoadsConsistentOrIsRefusedFieldByField(byte[] input) {
    LoadedScenario s;
    try {
      s = ScenarioLoader.parse(input, "fuzzed scenario", SITE_DIR);
    } catch (ScenarioValidationException refused) {
      assertFalse(refused.errors().isEmpty(), "a refusal lists at least one error");
      for (FieldError e : refused.errors()) {
        assertTrue(e.path().startsWith("$"), "each error names a JSON path: " + e);
        assertTrue(e.message() != null && !e.message().isBlank(), "each error says what is wrong: " + e);
      }
      return;
    }
    assertTrue(s.start().isBefore(s.end()), "a loaded scenario's window is ordered: " + s.start() + " .. " + s.end());
    for (int i = 1; i < s.events().size(); i++) {
      assertFalse(s.events().get(i).at().isBefore(s.events().get(i - 1).at()), "the events are in time order");
    }
    s.events().forEach(e -> assertFalse(e.until().isBefore(e.at()), "an event does not end before it starts: " + e));
    s.entranceShares().values().forEach(w -> assertTrue(w >= 0 && Double.isFinite(w), "entrance shares are finite and not negative: " + w));
    s.carParkShares().values().forEach(w -> assertTrue(w >= 0 && Double.isFinite(w), "car park shares are finite and not negative: " + w));
  }

  private static Path siteFolder() {
    try (InputStream in = ScenarioLoaderFuzzTest.class.getResourceAsStream("/atrium/core/site/example-site.json")) {
      Path dir = Files.createTempDirectory("atrium-scenario-fuzz");
      dir.toFile().deleteOnExit();
      Path file = dir.resolve("example-site.json");
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      file.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
