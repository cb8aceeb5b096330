package atrium.api.audit;

import java.time.Instant;

/**
 * A search of the audit log, newest first. Null filters match everything.
 *
 * @param from earliest {@code at}, inclusive
 * @param to latest {@code at}, exclusive
 * @param limit entries per page, 1 to {@value #MAX_LIMIT}
 * @param cursor the {@link AuditLog.Page#nextCursor()} of the previous page, or null for the first page
 */
public record AuditQuery(
    String site, Instant from, Instant to, String actor, String target, String action, String outcome, int limit, String cursor) {
  public static final int MAX_LIMIT = 1000;
  public static final int DEFAULT_LIMIT = 100;

  public AuditQuery {
    if (limit < 1 || limit > MAX_LIMIT) throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
    if (from != null && to != null && !from.isBefore(to)) throw new IllegalArgumentException("from must be before to");
    if (outcome != null && !AuditEntry.OUTCOMES.contains(outcome)) {
      throw new IllegalArgumentException("outcome must be one of " + AuditEntry.OUTCOMES + ", was " + outcome);
    }
    if (cursor != null) Cursor.decode(cursor); // refuse a bad cursor here, not in the store
  }

  /** The newest {@code limit} entries, unfiltered. */
  public static AuditQuery newest(int limit) {
    return new AuditQuery(null, null, null, null, null, null, null, limit, null);
  }

  public AuditQuery withSite(String s) {
    return new AuditQuery(s, from, to, actor, target, action, outcome, limit, cursor);
  }

  public AuditQuery between(Instant f, Instant t) {
    return new AuditQuery(site, f, t, actor, target, action, outcome, limit, cursor);
  }

  public AuditQuery withActor(String a) {
    return new AuditQuery(site, from, to, a, target, action, outcome, limit, cursor);
  }

  public AuditQuery withTarget(String t) {
    return new AuditQuery(site, from, to, actor, t, action, outcome, limit, cursor);
  }

  public AuditQuery withAction(String a) {
    return new AuditQuery(site, from, to, actor, target, a, outcome, limit, cursor);
  }

  public AuditQuery withOutcome(String o) {
    return new AuditQuery(site, from, to, actor, target, action, o, limit, cursor);
  }

  /** The next page after {@code previous}. */
  public AuditQuery after(AuditLog.Page previous) {
    return new AuditQuery(site, from, to, actor, target, action, outcome, limit, previous.nextCursor());
  }

  /**
   * Where a page ended: the last entry's time (epoch microseconds) and row id. Opaque to clients.
   */
  public record Cursor(long atMicros, long id) {
    public String encode() {
      return java.util.Base64.getUrlEncoder().withoutPadding()
          .encodeToString((atMicros + ":" + id).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** @throws IllegalArgumentException if {@code s} is not a cursor this log produced */
    public static Cursor decode(String s) {
      try {
        String[] parts = new String(java.util.Base64.getUrlDecoder().decode(s), java.nio.charset.StandardCharsets.US_ASCII).split(":");
        if (parts.length != 2) throw new IllegalArgumentException("not a cursor");
        return new Cursor(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("cursor is not one this audit log produced");
      }
    }
  }
}
