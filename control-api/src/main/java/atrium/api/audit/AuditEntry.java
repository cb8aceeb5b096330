package atrium.api.audit;

import atrium.api.security.Principal;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Set;

/**
 * One command, as the audit log keeps it: who, what, on which target, when, with what outcome and why.
 *
 * @param at when the command was decided, in twin-clock time (kept to the microsecond)
 * @param actor the person's token subject, the device id, or the name of the system or loop
 * @param actorKind {@value #PERSON}, {@value #DEVICE}, {@value #SYSTEM} (a partner system) or {@value #LOOP} (an automatic loop)
 * @param role the person's role wire name; null for others
 * @param action what was asked, {@code <asset-kind>.<command>}, e.g. {@code hvac-zone.set-setpoints}
 * @param site the site it concerns; null for commands outside any site
 * @param target the asset id, or the site id for site-wide commands
 * @param outcome {@value #ACCEPTED}, {@value #REJECTED} (by the twin), {@value #FAILED} (could not be carried out) or {@value #DENIED} (not allowed)
 * @param reason why it was rejected, failed or denied, or the operator's stated reason; at most {@value #MAX_REASON} characters
 * @param requestId the HTTP request's id, to tie the entry to logs
 * @param details the command's parameters as a JSON document, or null
 */
public record AuditEntry(
    Instant at,
    String actor,
    String actorKind,
    String role,
    String action,
    String site,
    String target,
    String outcome,
    String reason,
    String requestId,
    String details) {

  public static final String PERSON = "person";
  public static final String DEVICE = "device";
  public static final String SYSTEM = "system";
  public static final String LOOP = "loop";
  public static final Set<String> ACTOR_KINDS = Set.of(PERSON, DEVICE, SYSTEM, LOOP);

  public static final String ACCEPTED = "accepted";
  public static final String REJECTED = "rejected";
  public static final String FAILED = "failed";
  public static final String DENIED = "denied";
  public static final Set<String> OUTCOMES = Set.of(ACCEPTED, REJECTED, FAILED, DENIED);

  public static final int MAX_REASON = 2000;
  private static final ObjectMapper JSON = new ObjectMapper();

  public AuditEntry {
    Objects.requireNonNull(at, "at");
    at = at.truncatedTo(ChronoUnit.MICROS);
    requireText("actor", actor, 256);
    if (!ACTOR_KINDS.contains(actorKind)) throw new IllegalArgumentException("actorKind must be one of " + ACTOR_KINDS + ", was " + actorKind);
    optional("role", role, 16);
    requireText("action", action, 128);
    optional("site", site, 64);
    optional("target", target, 256);
    if (!OUTCOMES.contains(outcome)) throw new IllegalArgumentException("outcome must be one of " + OUTCOMES + ", was " + outcome);
    if (reason != null && reason.length() > MAX_REASON) reason = reason.substring(0, MAX_REASON - 1) + "…";
    optional("requestId", requestId, 128);
    if (details != null) requireJson(details);
  }

  /** An entry for a command from a caller of the HTTP door: a person (with their role) or a device. */
  public static AuditEntry of(Principal caller, Instant at, String action, String site, String target, String outcome,
      String reason, String requestId, String details) {
    return new AuditEntry(at, caller.subject(), caller.device() ? DEVICE : PERSON,
        caller.role() == null ? null : caller.role().wireName(), action, site, target, outcome, reason, requestId, details);
  }

  private static void requireText(String field, String value, int max) {
    if (value == null || value.isBlank()) throw new IllegalArgumentException(field + " must not be empty");
    optional(field, value, max);
  }

  private static void optional(String field, String value, int max) {
    if (value != null && value.length() > max) {
      throw new IllegalArgumentException(field + " must be at most " + max + " characters, was " + value.length());
    }
  }

  private static void requireJson(String details) {
    try {
      JSON.readTree(details);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("details must be a JSON document: " + e.getOriginalMessage());
    }
  }
}
