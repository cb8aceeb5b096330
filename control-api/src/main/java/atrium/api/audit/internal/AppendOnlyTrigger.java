package atrium.api.audit.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.api.Trigger;

/**
 * H2 trigger that makes the audit table append-only: every UPDATE is refused, and a DELETE is
 * allowed only for a row that is both older than the cutoff the retention purge declares in its
 * session ({@code SET @AUDIT_PURGE_BEFORE = <epoch micros>}) and older than the legal minimum of 180
 * days by the wall clock (the law counts real days, whatever the twin's clock says). A guard against
 * mistakes and against code that should not touch the log, not against an administrator of the
 * database file.
 */
public final class AppendOnlyTrigger implements Trigger {
  /** The session variable the purge sets for the length of its DELETE. */
  public static final String PURGE_VARIABLE = "@AUDIT_PURGE_BEFORE";
  /** Position of the {@code at} column (epoch microseconds) in a row of the audit table. */
  public static final int AT_COLUMN = 1;
  private static final long LEGAL_MINIMUM_MICROS = java.time.Duration.ofDays(180).toSeconds() * 1_000_000L;

  @Override
  public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
    if (newRow != null) throw new SQLException("the audit log is append-only: UPDATE is refused", "42000");
    long at = ((Number) oldRow[AT_COLUMN]).longValue();
    try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT " + PURGE_VARIABLE)) {
      rs.next();
      long before = rs.getLong(1);
      long legalCutoff = java.time.temporal.ChronoUnit.MICROS.between(java.time.Instant.EPOCH, java.time.Instant.now())
          - LEGAL_MINIMUM_MICROS;
      if (rs.wasNull() || at >= before || at >= legalCutoff) {
        throw new SQLException("the audit log is append-only: only the retention purge deletes, and only entries past their retention and older than 180 days", "42000");
      }
    }
  }
}
