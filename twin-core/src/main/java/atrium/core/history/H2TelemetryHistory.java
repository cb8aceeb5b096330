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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import atrium.core.runtime.BatchWriter;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded telemetry history: one H2 table, written through a Pekko Streams pipeline.
 *
 * <pre>
 * record ─offer─▶ Source.queue(buffer-size) ─▶ groupedWithin(batch-size, batch-window)
 *                 ─▶ mapAsync(1, JDBC batch on the blocking dispatcher) ─▶ Sink.ignore
 * </pre>
 *
 * {@link #record} never waits: a full queue refuses the point. {@link #flush} sends a marker down the
 * same queue, so it completes once every point offered before it has been through the writer. A
 * reading is keyed by (site, kind, asset, name, ts): writing it again replaces it rather than
 * doubling it. Retention runs on the {@link TwinClock}, so a simulated clock ages the data too.
 */
public final class H2TelemetryHistory implements TelemetryHistory {
  private static final Logger log = LoggerFactory.getLogger(H2TelemetryHistory.class);

  private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final Duration FLUSH_RETRY = Duration.ofMillis(20);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
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

  /** What travels down the write queue: a point, or a flush waiting for the points ahead of it. */
  private sealed interface Item permits Write, Flush {}

  private record Write(TelemetryPoint point) implements Item {}

  private record Flush(CompletableFuture<Done> done) implements Item {}

  @FunctionalInterface
  private interface SqlWork<T> {
    T apply(Connection c) throws SQLException;
  }

  private final ActorSystem<?> system;
  private final JdbcConnectionPool pool;
  private final TelemetryHistorySettings settings;
  private final TwinClock clock;
  private final Executor blocking;
  private final BoundedSourceQueue<Item> queue;
  private final CompletionStage<Done> writerDone;

  private final AtomicBoolean closed = new AtomicBoolean();
  /** Flushes in the queue, so that they still complete if the writer stops before reaching them. */
  private final Set<CompletableFuture<Done>> pendingFlushes = ConcurrentHashMap.newKeySet();
  private final AtomicReference<TwinClock.Scheduled> purgeTimer = new AtomicReference<>();
  private final LongAdder recorded = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong purged = new AtomicLong();
  private final AtomicLong lastDropWarning = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);
  private final AtomicLong lastWriteError = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);

  /**
   * Opens (creating if need be) the history at {@code jdbcUrl}, starts its writer and schedules its
   * retention purge on {@code clock}. Blocks while it opens the database: call it at start-up, not
   * from an actor.
   */
  public H2TelemetryHistory(ActorSystem<?> system, String jdbcUrl, TelemetryHistorySettings settings, TwinClock clock) {
    this.system = system;
    this.settings = settings;
    this.clock = clock;
    this.pool = JdbcConnectionPool.create(jdbcUrl, "sa", "");
    try {
      createSchema(pool);
    } catch (SQLException e) {
      pool.dispose();
      throw new IllegalStateException("cannot open the telemetry history: " + e.getMessage(), e);
    }
    BatchWriter<Item> writer = BatchWriter.start(system, "telemetry-history-writer", settings.bufferSize(), settings.batchSize(),
        settings.batchWindow(), this::write);
    this.blocking = writer.blocking();
    this.queue = writer.queue();
    this.writerDone = writer.done();
    writerDone.whenComplete((done, e) -> {
      if (e != null) log.error("Telemetry history writer stopped", e);
      pendingFlushes.forEach(f -> completeFlush(f, e));
    });
    schedulePurge();
    log.info("Telemetry history open: buffer {}, batches of {} within {}, retention {}, purge every {}",
        settings.bufferSize(), settings.batchSize(), settings.batchWindow(), settings.retention(), settings.purgeInterval());
  }

  private static void createSchema(JdbcConnectionPool pool) throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      for (String ddl : SCHEMA) s.execute(ddl);
    }
  }

  @Override
  public boolean record(TelemetryPoint point) {
    QueueOfferResult result = queue.offer(new Write(point));
    if (result.isEnqueued()) {
      recorded.increment();
      return true;
    }
    dropped.increment();
    if (rateLimited(lastDropWarning)) {
      String why = result == QueueOfferResult.dropped()
          ? "the write buffer of " + settings.bufferSize() + " points is full"
          : "the history is closed";
      log.warn("Telemetry history dropping points: {}; {} dropped since start", why, dropped.sum());
    }
    return false;
  }

  @Override
  public CompletionStage<Done> flush() {
    CompletableFuture<Done> done = new CompletableFuture<>();
    offerFlush(new Flush(done));
    return done;
  }

  /** A flush is never dropped: while the buffer is full it is offered again a little later. */
  private void offerFlush(Flush flush) {
    pendingFlushes.add(flush.done());
    QueueOfferResult result = queue.offer(flush);
    if (result.isEnqueued()) return;
    pendingFlushes.remove(flush.done());
    if (result == QueueOfferResult.dropped()) {
      system.scheduler().scheduleOnce(FLUSH_RETRY, () -> offerFlush(flush), system.executionContext());
    } else {
      // closed (close drains what was recorded before it) or failed: settled when the writer stops
      writerDone.whenComplete((d, e) -> completeFlush(flush.done(), e));
    }
  }

  private void completeFlush(CompletableFuture<Done> flush, Throwable writerFailure) {
    pendingFlushes.remove(flush);
    if (writerFailure == null) flush.complete(Done.getInstance());
    else flush.completeExceptionally(new IllegalStateException("the telemetry history writer stopped", writerFailure));
  }

  /** Runs on the blocking dispatcher: one transaction per batch, then the flushes that waited on it. */
  private Done write(List<Item> batch) {
    List<TelemetryPoint> points = new ArrayList<>(batch.size());
    List<CompletableFuture<Done>> flushes = new ArrayList<>(1);
    for (Item item : batch) {
      if (item instanceof Write w) points.add(w.point());
      else if (item instanceof Flush f) flushes.add(f.done());
    }
    if (!points.isEmpty()) {
      try {
        upsert(points);
        written.addAndGet(points.size());
        batches.incrementAndGet();
      } catch (SQLException | RuntimeException e) {
        failed.addAndGet(points.size());
        if (rateLimited(lastWriteError)) {
          log.error("Telemetry history could not write a batch of {} points; {} lost since start",
              points.size(), failed.get(), e);
        }
      }
    }
    flushes.forEach(f -> completeFlush(f, null));
    return Done.getInstance();
  }

  private void upsert(List<TelemetryPoint> points) throws SQLException {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
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
          purged.addAndGet(n);
        } while (n == PURGE_CHUNK);
      }
      return total;
    });
  }

  @Override
  public Stats stats() {
    return new Stats(recorded.sum(), written.get(), dropped.sum(), failed.get(), batches.get(), purged.get());
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    TwinClock.Scheduled timer = purgeTimer.getAndSet(null);
    if (timer != null) timer.cancel();
    try {
      queue.complete();
    } catch (IllegalStateException alreadyStopped) {
      // the writer stopped under us (the actor system went first): nothing left to drain
    }
    try {
      writerDone.toCompletableFuture().get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("Telemetry history closed before its writer finished; {} points not written", stats().pending(), e);
    } finally {
      pool.dispose();
    }
    log.info("Telemetry history closed: {}", stats());
  }

  /** Schedules the next retention purge, {@code purge-interval} of twin-clock time from now. */
  private void schedulePurge() {
    if (closed.get()) return;
    purgeTimer.set(clock.schedule(settings.purgeInterval(), this::purgeExpired));
  }

  /** Runs on the clock's thread: starts the purge elsewhere and schedules the next when it is done. */
  private void purgeExpired() {
    if (closed.get()) return;
    Instant cutoff = clock.now().minus(settings.retention());
    purgeOlderThan(cutoff).whenComplete((n, e) -> {
      if (e != null) log.error("Telemetry history retention purge (older than {}) failed", cutoff, e);
      else if (n > 0) log.info("Telemetry history purged {} points older than {}", n, cutoff);
      schedulePurge();
    });
  }

  /** Runs {@code work} with a pooled connection on the blocking dispatcher. */
  private <T> CompletionStage<T> onDatabase(SqlWork<T> work) {
    if (closed.get()) return CompletableFuture.failedFuture(new IllegalStateException("the telemetry history is closed"));
    return CompletableFuture.supplyAsync(() -> {
      try (Connection c = pool.getConnection()) {
        return work.apply(c);
      } catch (SQLException e) {
        throw new CompletionException(e);
      }
    }, blocking);
  }

  private static int bindAsset(PreparedStatement ps, int index, AssetId asset) throws SQLException {
    ps.setString(index, asset.site());
    ps.setString(index + 1, asset.kind().wireName());
    ps.setString(index + 2, asset.localId());
    return index + 3;
  }

  /** The first whole millisecond at or after {@code t}: bounds compare exactly with stored millisecond times. */
  private static long ceilMillis(Instant t) {
    return t.toEpochMilli() + (t.getNano() % 1_000_000 == 0 ? 0 : 1);
  }

  /** True at most once per ten seconds per {@code last}: logs that would otherwise flood. */
  private static boolean rateLimited(AtomicLong last) {
    long now = System.nanoTime();
    long previous = last.get();
    return now - previous >= WARN_INTERVAL_NANOS && last.compareAndSet(previous, now);
  }
}
