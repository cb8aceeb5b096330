package atrium.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.http.PipelineHarness.Answer;
import com.fasterxml.jackson.databind.JsonNode;

final class ProblemAssert {
  private ProblemAssert() {}

  /** The answer is an RFC 9457 problem of this status and type, with every member filled in. */
  static JsonNode assertProblem(Answer a, int status, String slug) {
    assertEquals(status, a.status(), a.body());
    assertEquals("application/problem+json", a.header("content-type"));
    JsonNode p = a.json();
    assertEquals("https://atrium.dev/problems/" + slug, p.get("type").asText());
    assertEquals(status, p.get("status").asInt());
    assertTrue(p.hasNonNull("title"), a.body());
    assertTrue(p.hasNonNull("detail"), a.body());
    assertTrue(p.hasNonNull("instance"), a.body());
    return p;
  }
}
