package atrium.core.history;

import atrium.core.asset.AssetId;
import atrium.core.clock.TwinClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The embedded telemetry history: one H2 table, each batch of the {@link BatchedTelemetryHistory}
 * pipeline one JDBC transaction. A reading is keyed by (site, kind, asset, name, ts): writing it again
 * replaces it rather than doubling it.
 */
public final class H2TelemetryHistory extends BatchedTelemetryHistory {
  /** Rows deleted per purge transaction, so a large purge never holds one huge transaction. */
  private static final int PURGE_CHUNK = 10_000;

  private static final String[] SCHEMA = {
    "CREATE TABLE IF NOT EXISTS telemetry ("
        + " site VARCHAR(64) NOT NULL,"
        + " kind VARCHAR(32) NOT NULL,"
        + " asset VARCHAR(64) NOT NULL,"
        + " name VARCHAR(64) NOT NULL,"
        + " ts BIGINT NOT NULL," // epoch milliseconds, UTC
        + " val DOUBLE PRECISION NOT NULL,"
        + " PRIMARY KEY (site, kind, asset, name, ts))",
    "CREATE INDEX IF NOT EXISTS telemetry_ts ON telemetry (ts)"
  };
  private static final String INSERT =
      "INSERT INTO telemetry (site, kind, asset, name, ts, val) VALUES (?, ?, ?, ?, ?, ?)";
  /** H2's SQLSTATE for a duplicate key. */
  private static final String DUPLICATE_KEY = "23505";
  private static final String UPSERT =
      "MERGE INTO telemetry (site, kind, asset, name, ts, val) KEY (site, kind, asset, name, ts)"
          + " VALUES (?, ?, ?, ?, ?, ?)";
  private static final String SELECT_ALL_NAMES =
      "SELECT name, ts, val FROM telemetry WHERE site = ? AND kind = ? AND asset = ?"
          + " AND ts >= ? AND ts < ? ORDER BY ts, name FETCH FIRST ? ROWS ONLY";
  private static final String SELECT_ONE_NAME =
      "SELECT name, ts, val FROM telemetry WHERE site = ? AND kind = ? AND asset = ? AND name = ?"
          + " AND ts >= ? AND ts < ? ORDER BY ts FETCH FIRST ? ROWS ONLY";
  private static final String DOWNSAMPLE =
      "SELECT b, COUNT(*), MIN(val), MAX(val), AVG(val) FROM ("
          + " SELECT (ts - ?) / ? AS b, val FROM telemetry"
          + " WHERE site = ? AND kind = ? AND asset = ? AND name = ? AND ts >= ? AND ts < ?)"
          + " GROUP BY b ORDER BY b";
  private static final String PURGE = "DELETE FROM telemetry WHERE ts < ? FETCH FIRST " + PURGE_CHUNK + " ROWS ONLY";

  @FunctionalInterface
  private interface SqlWork<T> {
    T apply(Connection c) throws SQLException;
  }

  private final JdbcConnectionPool pool;

  /**
   * Opens (creating if need be) the history at {@code jdbcUrl}, starts its writer and schedules its
   * retention purge on {@code clock}. Blocks while it opens the database: call it at start-up, not
   * from an actor.
   */
  public H2TelemetryHistory(ActorSystem<?> system, String jdbcUrl, TelemetryHistorySettings settings, TwinClock clock) {
    super(system, settings, clock);
    this.pool = JdbcConnectionPool.create(jdbcUrl, "sa", "");
    try {
      createSchema(pool);
    } catch (SQLException e) {
      pool.dispose();
      throw new IllegalStateException("cannot open the telemetry history: " + e.getMessage(), e);
    }
    start("");
  }

  private static void createSchema(JdbcConnectionPool pool) throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      for (String ddl : SCHEMA) s.execute(ddl);
    }
  }

  /**
   * One transaction per batch. A plain INSERT first — about nine times faster in H2 than a MERGE,
   * which looks every row up by its key first; a point recorded twice (the same asset, name and
   * time) is rare, and only then is the batch rolled back and written again as a MERGE, so the last
   * value wins as before.
   */
  @Override
  protected void writePoints(List<TelemetryPoint> points) throws SQLException {
    try {
      write(points, INSERT);
    } catch (SQLException e) {
      if (!isDuplicateKey(e)) throw e;
      write(points, UPSERT);
    }
  }

  private static boolean isDuplicateKey(SQLException e) {
    for (SQLException x = e; x != null; x = x.getNextException()) {
      if (DUPLICATE_KEY.equals(x.getSQLState())) return true;
      if (x.getCause() instanceof SQLException cause && DUPLICATE_KEY.equals(cause.getSQLState())) return true;
    }
    return false;
  }

  private void write(List<TelemetryPoint> points, String sql) throws SQLException {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (TelemetryPoint p : points) {
          ps.setString(1, p.asset().site());
          ps.setString(2, p.asset().kind().wireName());
          ps.setString(3, p.asset().localId());
          ps.setString(4, p.name());
          ps.setLong(5, p.ts().toEpochMilli());
          ps.setDouble(6, p.value());
          ps.addBatch();
        }
        ps.executeBatch();
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  @Override
  public CompletionStage<List<TelemetryPoint>> query(
      AssetId asset, Optional<String> name, Instant from, Instant toExclusive, int limit) {
    if (limit < 1) return CompletableFuture.failedFuture(new IllegalArgumentException("limit must be at least 1, was " + limit));
    return onDatabase(c -> {
      try (PreparedStatement ps = c.prepareStatement(name.isPresent() ? SELECT_ONE_NAME : SELECT_ALL_NAMES)) {
        int i = bindAsset(ps, 1, asset);
        if (name.isPresent()) ps.setString(i++, name.get());
        ps.setLong(i++, ceilMillis(from));
        ps.setLong(i++, ceilMillis(toExclusive));
        ps.setInt(i, limit);
        List<TelemetryPoint> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new TelemetryPoint(asset, Instant.ofEpochMilli(rs.getLong(2)), rs.getString(1), rs.getDouble(3)));
          }
        }
        return out;
      }
    });
  }

  @Override
  public CompletionStage<List<Bucket>> downsample(
      AssetId asset, String name, Instant from, Instant toExclusive, Duration bucket) {
    long bucketMillis = bucket.toMillis();
    if (bucketMillis < 1) return CompletableFuture.failedFuture(new IllegalArgumentException("bucket must be at least 1 ms, was " + bucket));
    long fromMillis = ceilMillis(from);
    return onDatabase(c -> {
      try (PreparedStatement ps = c.prepareStatement(DOWNSAMPLE)) {
        ps.setLong(1, fromMillis);
        ps.setLong(2, bucketMillis);
        int i = bindAsset(ps, 3, asset);
        ps.setString(i++, name);
        ps.setLong(i++, fromMillis);
        ps.setLong(i, ceilMillis(toExclusive));
        List<Bucket> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Instant start = Instant.ofEpochMilli(fromMillis + rs.getLong(1) * bucketMillis);
            out.add(new Bucket(start, rs.getLong(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5)));
          }
        }
        return out;
      }
    });
  }

  @Override
  public CompletionStage<Long> purgeOlderThan(Instant cutoff) {
    return onDatabase(c -> {
      long total = 0;
      try (PreparedStatement ps = c.prepareStatement(PURGE)) {
        ps.setLong(1, ceilMillis(cutoff));
        int n;
        do {
          n = ps.executeUpdate(); // auto-commit: one transaction per chunk
          total += n;
          countPurged(n);
        } while (n == PURGE_CHUNK);
      }
      return total;
    });
  }

  @Override
  protected void closeStore() {
    pool.dispose();
  }

  /** Runs {@code work} with a pooled connection on the blocking dispatcher. */
  private <T> CompletionStage<T> onDatabase(SqlWork<T> work) {
    return onBlocking(() -> {
      try (Connection c = pool.getConnection()) {
        return work.apply(c);
      }
    });
  }

  private static int bindAsset(PreparedStatement ps, int index, AssetId asset) throws SQLException {
    ps.setString(index, asset.site());
    ps.setString(index + 1, asset.kind().wireName());
    ps.setString(index + 2, asset.localId());
    return index + 3;
  }
}
