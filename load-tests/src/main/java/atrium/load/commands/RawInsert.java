package atrium.load.commands;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The store's ceiling for context: journal-shaped rows written straight into pekko-persistence-jdbc's
 * {@code event_journal} table over one JDBC connection, {@code batchSize} rows per batch and per
 * transaction (the journal plugin's own {@code jdbc-journal.batchSize} is 400) — no actors, no
 * serialization per row, no reply. Each row is a {@code Changed} event of the bare entity (the same
 * payload bytes, serializer id and manifest), under persistence ids of its own
 * ({@code RawInsert|raw-<n>}), one sequence number each.
 */
public final class RawInsert {
  /** What was written: rows, in how many batches, over how long. */
  public record Result(long rows, int batchSize, long batches, double seconds, double rowsPerSecond) {}

  /** The bytes of one event as the journal stores them. */
  public record Payload(byte[] bytes, int serializerId, String manifest) {}

  static final String INSERT = "INSERT INTO PUBLIC.\"event_journal\" (\"deleted\", \"persistence_id\", \"sequence_number\", \"writer\", "
      + "\"write_timestamp\", \"adapter_manifest\", \"event_payload\", \"event_ser_id\", \"event_ser_manifest\") "
      + "VALUES (false, ?, 1, ?, ?, '', ?, ?, ?)";

  private RawInsert() {}

  /** Writes {@code rows} rows into the journal at {@code jdbcUrl}; {@code writeTimestamp} is each row's (epoch ms). */
  public static Result run(String jdbcUrl, long rows, int batchSize, Payload payload, long writeTimestamp) throws SQLException {
    if (rows < 1) throw new IllegalArgumentException("raw rows: at least 1, not " + rows);
    if (batchSize < 1) throw new IllegalArgumentException("raw batch size: at least 1, not " + batchSize);
    String writer = UUID.randomUUID().toString();
    try (Connection c = DriverManager.getConnection(jdbcUrl, "sa", "")) {
      c.setAutoCommit(false);
      long batches = 0;
      long start = System.nanoTime();
      try (PreparedStatement insert = c.prepareStatement(INSERT)) {
        int inBatch = 0;
        for (long n = 0; n < rows; n++) {
          insert.setString(1, "RawInsert|raw-" + n);
          insert.setString(2, writer);
          insert.setLong(3, writeTimestamp);
          insert.setBytes(4, payload.bytes());
          insert.setInt(5, payload.serializerId());
          insert.setString(6, payload.manifest());
          insert.addBatch();
          if (++inBatch == batchSize || n == rows - 1) {
            insert.executeBatch();
            c.commit();
            batches++;
            inBatch = 0;
          }
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Result(rows, batchSize, batches, seconds, rows / seconds);
    }
  }

  /** Rows in the journal under the raw insert's persistence ids (a check that they were written). */
  public static long count(String jdbcUrl) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl, "sa", "");
        var s = c.createStatement();
        var r = s.executeQuery("SELECT COUNT(*) FROM PUBLIC.\"event_journal\" WHERE \"persistence_id\" LIKE 'RawInsert|%'")) {
      r.next();
      return r.getLong(1);
    }
  }
}
