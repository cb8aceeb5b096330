package atrium.core.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The site loader under arbitrary bytes. Regression mode runs the corpus in
 * {@code src/test/resources/atrium/core/site/SiteLoaderFuzzTestInputs/}; {@code bin/atrium fuzz site}
 * fuzzes. The contract: a site that loads is valid (the validator finds nothing in it), anything
 * else is a {@link SiteValidationException} whose every error names a JSON path and says what is
 * wrong — never another exception (no NPE, ClassCast, IndexOutOfBounds or StackOverflow).
 */
class SiteLoaderFuzzTest {

  @FuzzTest
  void aSiteEitherLoadsValidOrIsRefusedFieldByField(byte[] input) {
    Site site;
    try {
      site = SiteLoader.parse(input);
    } catch (SiteValidationException refused) {
      assertFalse(refused.errors().isEmpty(), "a refusal lists at least one error");
      for (FieldError e : refused.errors()) {
        assertTrue(e.path().startsWith("$"), "each error names a JSON path: " + e);
        assertTrue(e.message() != null && !e.message().isBlank(), "each error says what is wrong: " + e);
      }
      return;
    }
    assertTrue(AssetIdNames.valid(site.id()), site.id());
    assertFalse(site.floors().isEmpty());
    assertFalse(site.zones().isEmpty());
    assertEquals(java.util.List.of(), SiteValidator.validate(site), "a loaded site passes its own validation");
  }

  /** The id rule, stated here again so the test does not lean on the code under test. */
  private static final class AssetIdNames {
    static boolean valid(String s) {
      return s != null && s.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    }
  }
}
