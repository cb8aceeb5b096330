package atrium.api.rest;

import atrium.api.http.ApiException;
import atrium.api.http.Call;
import atrium.api.http.Json;
import atrium.api.http.Problem;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;

/**
 * Entity tags of representations: a strong tag from a SHA-256 of the JSON bytes. Conditional
 * writes compare the caller's {@code If-Match} with the tag of what they would change.
 */
public final class ETags {
  private ETags() {}

  public static String of(Object representation) {
    byte[] bytes = representation instanceof byte[] b ? b : Json.bytes(representation);
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(d).substring(0, 22) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  /** Whether the caller's {@code If-None-Match} names this tag (or is {@code *}). */
  public static boolean noneMatchHits(Call call, String etag) {
    Optional<String> h = call.header("If-None-Match");
    if (h.isEmpty()) return false;
    for (String t : h.get().split(",")) {
      String tag = t.trim();
      if (tag.startsWith("W/")) tag = tag.substring(2);
      if (tag.equals("*") || tag.equals(etag)) return true;
    }
    return false;
  }

  /**
   * Refuses a conditional write whose {@code If-Match} names another version: 412, and nothing is
   * changed. Without {@code If-Match} the write is unconditional.
   */
  public static void checkIfMatch(Call call, String current, String what) {
    Optional<String> h = call.header("If-Match");
    if (h.isEmpty()) return;
    for (String t : h.get().split(",")) {
      String tag = t.trim();
      if (tag.equals("*") || tag.equals(current)) return;
    }
    throw new ApiException(Problem.of(HttpResponseStatus.PRECONDITION_FAILED, "precondition-failed", "Precondition failed",
        what + " has changed since you read it (its ETag is now " + current + "); read it again and decide anew"),
        java.util.Map.of("ETag", current));
  }
}
