package atrium.api.audit;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The audit log in Cassandra (the Cassandra profile), tables {@code audit_log} and {@code audit_days}
 * of {@code CassandraSchema}. Each entry is written twice in one logged batch — under its site and
 * under {@value #ALL_SITES} — so that a query with a site and one without each read one partition per
 * day: {@code ((scope, day), id)}, newest first. {@code id} is a time-based UUID made from the entry's
 * time (to the microsecond) and random bits, so entries of the same microsecond stay distinct and
 * ordered, and a page's cursor is (time, random bits).
 *
 * <p><b>Append-only.</b> This class has INSERT and SELECT statements only: no UPDATE and no DELETE.
 * Entries expire by their TTL, the retention ({@code atrium.audit.retention}); {@link #deleteOlderThan}
 * deletes nothing. In production the application's Cassandra role should be able to insert and read
 * these tables and nothing more (docs/operations.md: CQL's MODIFY permission also allows UPDATE and
 * DELETE, so an INSERT-only guarantee needs a separate writer role or an audit of the role's use).
 */
public final class CassandraAuditStore implements AuditStore {
  /** The scope under which every entry is also written, for queries without a site. */
  public static final String ALL_SITES = "*";
  /** Execution profiles (consistency levels) in atrium-persistence-cassandra.conf. */
  public static final String WRITE_PROFILE = "atrium-audit-write";
  public static final String READ_PROFILE = "atrium-audit-read";

  /** 100-ns intervals between the UUID epoch (1582-10-15) and the Unix epoch. */
  private static final long UUID_EPOCH_OFFSET = 0x01B21DD213814000L;
  /** The clock-sequence-and-node bits that sort first and last among UUIDs of one time (Cassandra's order). */
  private static final long MIN_LSB = 0x8080808080808080L;
  private static final Instant FAR_FUTURE = Instant.parse("4000-01-01T00:00:00Z");
  private static final LocalDate FIRST_DAY = LocalDate.of(1970, 1, 1);
  private static final LocalDate LAST_DAY = LocalDate.of(4000, 1, 1);
  private static final long MAX_TTL_SECONDS = 630_720_000L;
  private static final int PAGE_SIZE = 500;

  private final CqlSession session;
  private final int ttlSeconds;
  private final PreparedStatement insert;
  private final PreparedStatement insertDay;
  private final PreparedStatement selectDays;
  private final PreparedStatement selectEntries;

  /**
   * Prepares the statements (the tables must exist: {@code CassandraSchema}). The session belongs to
   * the runtime: {@link #close()} leaves it open.
   *
   * @param retention how long entries are kept: their TTL
   */
  public CassandraAuditStore(CqlSession session, String keyspace, Duration retention) {
    this.session = Objects.requireNonNull(session, "session");
    this.ttlSeconds = (int) Math.min(MAX_TTL_SECONDS, retention.toSeconds());
    String log = keyspace + ".audit_log";
    String days = keyspace + ".audit_days";
    this.insert = session.prepare(SimpleStatement.newInstance("INSERT INTO " + log
        + " (scope, day, id, actor, actor_kind, role, action, site, target, outcome, reason, request_id, details)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) USING TTL ?").setExecutionProfileName(WRITE_PROFILE));
    this.insertDay = session.prepare(SimpleStatement.newInstance("INSERT INTO " + days + " (scope, day) VALUES (?, ?) USING TTL ?")
        .setExecutionProfileName(WRITE_PROFILE));
    this.selectDays = session.prepare(SimpleStatement.newInstance("SELECT day FROM " + days
        + " WHERE scope = ? AND day >= ? AND day <= ?").setExecutionProfileName(READ_PROFILE));
    this.selectEntries = session.prepare(SimpleStatement.newInstance("SELECT id, actor, actor_kind, role, action, site, target,"
        + " outcome, reason, request_id, details FROM " + log + " WHERE scope = ? AND day = ? AND id >= ? AND id < ?")
        .setExecutionProfileName(READ_PROFILE));
  }

  /** Writes each entry's rows in one logged batch (all or none), the entries concurrently; returns when all are acknowledged. */
  @Override
  public void append(List<AuditEntry> entries) {
    List<CompletableFuture<AsyncResultSet>> writes = new ArrayList<>(entries.size());
    for (AuditEntry e : entries) {
      UUID id = timeUuid(micros(e.at()), randomLsb());
      LocalDate day = day(e.at());
      BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.LOGGED).setExecutionProfileName(WRITE_PROFILE);
      for (String scope : e.site() == null ? List.of(ALL_SITES) : List.of(ALL_SITES, e.site())) {
        batch.addStatement(insert.bind(scope, day, id, e.actor(), e.actorKind(), e.role(), e.action(), e.site(), e.target(),
            e.outcome(), e.reason(), e.requestId(), e.details(), ttlSeconds));
        batch.addStatement(insertDay.bind(scope, day, (int) Math.min(MAX_TTL_SECONDS, ttlSeconds + 86_400L)));
      }
      writes.add(session.executeAsync(batch.build()).toCompletableFuture());
    }
    try {
      CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  @Override
  public AuditLog.Page query(AuditQuery q) {
    String scope = q.site() == null ? ALL_SITES : q.site();
    UUID lower = timeUuid(q.from() == null ? 0 : ceilMicros(q.from()), MIN_LSB);
    UUID upper = timeUuid(q.to() == null ? micros(FAR_FUTURE) : ceilMicros(q.to()), MIN_LSB);
    if (q.cursor() != null) {
      AuditQuery.Cursor after = AuditQuery.Cursor.decode(q.cursor());
      UUID cursor = timeUuid(after.atMicros(), after.id());
      if (before(cursor, upper)) upper = cursor;
    }
    LocalDate firstDay = q.from() == null ? FIRST_DAY : day(q.from());
    LocalDate lastDay = min(LAST_DAY, day(instant(micros(upper))));
    List<LocalDate> days = new ArrayList<>();
    for (Row r : session.execute(selectDays.bind(scope, firstDay, lastDay).setPageSize(PAGE_SIZE))) days.add(r.getLocalDate(0));

    List<AuditEntry> entries = new ArrayList<>();
    AuditQuery.Cursor last = null;
    boolean more = false;
    outer:
    for (LocalDate day : days) {
      for (Row row : session.execute(selectEntries.bind(scope, day, lower, upper).setPageSize(PAGE_SIZE))) {
        if (!matches(row, q)) continue;
        if (entries.size() == q.limit()) {
          more = true;
          break outer;
        }
        UUID id = row.getUuid(0);
        long atMicros = micros(id);
        last = new AuditQuery.Cursor(atMicros, id.getLeastSignificantBits());
        entries.add(new AuditEntry(instant(atMicros), row.getString(1), row.getString(2), row.getString(3), row.getString(4),
            row.getString(5), row.getString(6), row.getString(7), row.getString(8), row.getString(9), row.getString(10)));
      }
    }
    return new AuditLog.Page(entries, more && last != null ? last.encode() : null);
  }

  private static boolean matches(Row row, AuditQuery q) {
    return (q.actor() == null || q.actor().equals(row.getString(1)))
        && (q.action() == null || q.action().equals(row.getString(4)))
        && (q.target() == null || q.target().equals(row.getString(6)))
        && (q.outcome() == null || q.outcome().equals(row.getString(7)));
  }

  /** Deletes nothing: entries expire by their TTL (the retention), and this store never deletes. */
  @Override
  public long deleteOlderThan(Instant cutoff) {
    return 0;
  }

  @Override
  public void close() {
    // the session belongs to the runtime
  }

  /** A version-1 UUID whose time is {@code micros} after the Unix epoch, with {@code lsb} as clock sequence and node. */
  static UUID timeUuid(long micros, long lsb) {
    long t = micros * 10 + UUID_EPOCH_OFFSET;
    long msb = ((t & 0xFFFFFFFFL) << 32) | (((t >>> 32) & 0xFFFFL) << 16) | 0x1000L | ((t >>> 48) & 0x0FFFL);
    return new UUID(msb, lsb);
  }

  /** Cassandra's order of time UUIDs: by time, then by the signed bytes of clock sequence and node. */
  static boolean before(UUID a, UUID b) {
    int byTime = Long.compare(a.timestamp(), b.timestamp());
    if (byTime != 0) return byTime < 0;
    return (a.getLeastSignificantBits() ^ 0x0080808080808080L) < (b.getLeastSignificantBits() ^ 0x0080808080808080L);
  }

  static long micros(UUID timeUuid) {
    return (timeUuid.timestamp() - UUID_EPOCH_OFFSET) / 10;
  }

  /** Random clock-sequence-and-node bits with the IETF variant. */
  private static long randomLsb() {
    return (ThreadLocalRandom.current().nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
  }

  private static LocalDate day(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC);
  }

  private static LocalDate min(LocalDate a, LocalDate b) {
    return a.isBefore(b) ? a : b;
  }

  private static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
  }

  private static long ceilMicros(Instant t) {
    return micros(t) + (t.getNano() % 1_000 == 0 ? 0 : 1);
  }

  private static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }
}
