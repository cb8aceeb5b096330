package atrium.api.audit;

import atrium.api.audit.internal.AppendOnlyTrigger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The audit log in H2: table {@code audit_log} in the node's embedded database (the journal's, so it
 * is backed up with it). Append-only: an H2 trigger ({@link AppendOnlyTrigger}) refuses UPDATE and
 * any DELETE but the retention purge's, and an empty table referencing it ({@code audit_log_guard})
 * makes H2 refuse TRUNCATE. Times are epoch microseconds (UTC).
 */
public final class H2AuditStore implements AuditStore {
  /** Rows deleted per purge transaction. */
  private static final int PURGE_CHUNK = 10_000;

  private static final String[] SCHEMA = {
    "CREATE TABLE IF NOT EXISTS audit_log ("
        + " id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        + " at BIGINT NOT NULL,"
        + " actor VARCHAR(256) NOT NULL,"
        + " actor_kind VARCHAR(16) NOT NULL,"
        + " role VARCHAR(16),"
        + " action VARCHAR(128) NOT NULL,"
        + " site VARCHAR(64),"
        + " target VARCHAR(256),"
        + " outcome VARCHAR(16) NOT NULL,"
        + " reason VARCHAR(2000),"
        + " request_id VARCHAR(128),"
        + " details CHARACTER LARGE OBJECT)",
    "CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log (at, id)",
    "CREATE INDEX IF NOT EXISTS audit_log_site_at ON audit_log (site, at, id)",
    "CREATE INDEX IF NOT EXISTS audit_log_actor_at ON audit_log (actor, at, id)",
    "CREATE INDEX IF NOT EXISTS audit_log_target_at ON audit_log (target, at, id)",
    // H2 will not TRUNCATE a table that a foreign key references
    "CREATE TABLE IF NOT EXISTS audit_log_guard (entry_id BIGINT REFERENCES audit_log (id))",
    "CREATE TRIGGER IF NOT EXISTS audit_log_append_only BEFORE UPDATE, DELETE ON audit_log FOR EACH ROW CALL '"
        + AppendOnlyTrigger.class.getName() + "'"
  };
  private static final String INSERT = "INSERT INTO audit_log"
      + " (at, actor, actor_kind, role, action, site, target, outcome, reason, request_id, details)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String COLUMNS = "id, at, actor, actor_kind, role, action, site, target, outcome, reason, request_id, details";
  private static final String PURGE = "DELETE FROM audit_log WHERE at < ? FETCH FIRST " + PURGE_CHUNK + " ROWS ONLY";

  private final JdbcConnectionPool pool;
  private final boolean syncWrites;

  /**
   * Opens (creating the table if need be) the audit log in the database at {@code jdbcUrl}; for a
   * node of the embedded profile that is {@code EmbeddedDatabase.journalUrl(dataDir)}.
   *
   * @param syncWrites force every appended batch to disk ({@code CHECKPOINT SYNC}) before it counts as written
   */
  public H2AuditStore(String jdbcUrl, boolean syncWrites) {
    this.syncWrites = syncWrites;
    this.pool = JdbcConnectionPool.create(jdbcUrl, "sa", "");
    this.pool.setMaxConnections(4);
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      for (String ddl : SCHEMA) s.execute(ddl);
    } catch (SQLException e) {
      pool.dispose();
      throw new IllegalStateException("cannot open the audit log: " + e.getMessage(), e);
    }
  }

  @Override
  public void append(List<AuditEntry> entries) throws SQLException {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(INSERT)) {
        for (AuditEntry e : entries) {
          ps.setLong(1, micros(e.at()));
          ps.setString(2, e.actor());
          ps.setString(3, e.actorKind());
          ps.setString(4, e.role());
          ps.setString(5, e.action());
          ps.setString(6, e.site());
          ps.setString(7, e.target());
          ps.setString(8, e.outcome());
          ps.setString(9, e.reason());
          ps.setString(10, e.requestId());
          if (e.details() == null) ps.setNull(11, Types.CLOB);
          else ps.setString(11, e.details());
          ps.addBatch();
        }
        ps.executeBatch();
        c.commit();
      } catch (SQLException | RuntimeException ex) {
        c.rollback();
        throw ex;
      } finally {
        c.setAutoCommit(true);
      }
      if (syncWrites) {
        try (Statement s = c.createStatement()) {
          s.execute("CHECKPOINT SYNC");
        }
      }
    }
  }

  @Override
  public AuditLog.Page query(AuditQuery q) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM audit_log WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    filter(sql, args, "site = ?", q.site());
    filter(sql, args, "actor = ?", q.actor());
    filter(sql, args, "target = ?", q.target());
    filter(sql, args, "action = ?", q.action());
    filter(sql, args, "outcome = ?", q.outcome());
    if (q.from() != null) filter(sql, args, "at >= ?", ceilMicros(q.from()));
    if (q.to() != null) filter(sql, args, "at < ?", ceilMicros(q.to()));
    if (q.cursor() != null) {
      AuditQuery.Cursor after = AuditQuery.Cursor.decode(q.cursor());
      sql.append(" AND (at < ? OR (at = ? AND id < ?))");
      args.add(after.atMicros());
      args.add(after.atMicros());
      args.add(after.id());
    }
    sql.append(" ORDER BY at DESC, id DESC FETCH FIRST ? ROWS ONLY");
    args.add(q.limit() + 1);
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
      List<AuditEntry> entries = new ArrayList<>();
      AuditQuery.Cursor last = null;
      boolean more = false;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (entries.size() == q.limit()) {
            more = true;
            break;
          }
          last = new AuditQuery.Cursor(rs.getLong("at"), rs.getLong("id"));
          entries.add(new AuditEntry(instant(rs.getLong("at")), rs.getString("actor"), rs.getString("actor_kind"),
              rs.getString("role"), rs.getString("action"), rs.getString("site"), rs.getString("target"),
              rs.getString("outcome"), rs.getString("reason"), rs.getString("request_id"), rs.getString("details")));
        }
      }
      return new AuditLog.Page(entries, more ? last.encode() : null);
    }
  }

  @Override
  public long deleteOlderThan(Instant cutoff) throws SQLException {
    long total = 0;
    try (Connection c = pool.getConnection()) {
      long before = ceilMicros(cutoff);
      try (Statement s = c.createStatement()) {
        s.execute("SET " + AppendOnlyTrigger.PURGE_VARIABLE + " = " + before);
      }
      try (PreparedStatement ps = c.prepareStatement(PURGE)) {
        ps.setLong(1, before);
        int n;
        do {
          n = ps.executeUpdate(); // auto-commit: one transaction per chunk
          total += n;
        } while (n == PURGE_CHUNK);
      } finally {
        try (Statement s = c.createStatement()) {
          s.execute("SET " + AppendOnlyTrigger.PURGE_VARIABLE + " = NULL");
        }
      }
    }
    return total;
  }

  @Override
  public void close() {
    pool.dispose();
  }

  private static void filter(StringBuilder sql, List<Object> args, String condition, Object value) {
    if (value == null) return;
    sql.append(" AND ").append(condition);
    args.add(value);
  }

  private static long micros(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }

  /** The first whole microsecond at or after {@code t}. */
  private static long ceilMicros(Instant t) {
    return micros(t) + (t.getNano() % 1_000 == 0 ? 0 : 1);
  }

  private static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }
}
