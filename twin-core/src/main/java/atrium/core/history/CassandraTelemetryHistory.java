package atrium.core.history;

import atrium.core.asset.AssetId;
import atrium.core.clock.TwinClock;
import atrium.core.runtime.BatchWriter;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
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
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Cassandra profile's telemetry history: table {@code telemetry}, one partition per asset and
 * UTC day, rows newest first; {@code telemetry_days} lists the days each asset has (what queries and
 * the purge walk). Written through the same batching pipeline as {@link H2TelemetryHistory}:
 *
 * <pre>
 * record ─offer─▶ Source.queue(buffer-size) ─▶ groupedWithin(batch-size, batch-window)
 *                 ─▶ mapAsync(1, the batch's INSERTs, concurrently, at LOCAL_ONE) ─▶ Sink.ignore
 * </pre>
 *
 * Each row carries a TTL of what is left of the retention (wall-clock seconds, Cassandra's own
 * clock), so Cassandra forgets expired points by itself; the purge on the {@link TwinClock} deletes
 * them in twin-clock time as the embedded history does (a simulated clock ages the data faster than
 * the TTL). A reading is keyed by (asset, day, ts, name): writing it again replaces it.
 */
public final class CassandraTelemetryHistory implements TelemetryHistory {
  private static final Logger log = LoggerFactory.getLogger(CassandraTelemetryHistory.class);

  /** Execution profiles (consistency levels) in atrium-persistence-cassandra.conf. */
  public static final String WRITE_PROFILE = "atrium-history-write";
  public static final String READ_PROFILE = "atrium-history-read";

  private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final Duration FLUSH_RETRY = Duration.ofMillis(20);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
  /** Cassandra's largest TTL (20 years). */
  private static final long MAX_TTL_SECONDS = 630_720_000L;
  /** Days an asset was seen with, remembered so that telemetry_days is written once per asset and day, not per point. */
  private static final int DAYS_SEEN_LIMIT = 100_000;
  private static final int PAGE_SIZE = 1_000;

  private sealed interface Item permits Write, Flush {}

  private record Write(TelemetryPoint point) implements Item {}

  private record Flush(CompletableFuture<Done> done) implements Item {}

  private final ActorSystem<?> system;
  private final CqlSession session;
  private final TelemetryHistorySettings settings;
  private final TwinClock clock;
  private final Executor blocking;
  private final BoundedSourceQueue<Item> queue;
  private final CompletionStage<Done> writerDone;

  private final PreparedStatement insert;
  private final PreparedStatement insertDay;
  private final PreparedStatement selectDays;
  private final PreparedStatement selectRange;
  private final PreparedStatement selectAssets;
  private final PreparedStatement countBefore;
  private final PreparedStatement deleteBefore;
  private final PreparedStatement deleteDay;

  private final AtomicBoolean closed = new AtomicBoolean();
  private final Set<CompletableFuture<Done>> pendingFlushes = ConcurrentHashMap.newKeySet();
  private final Set<String> daysSeen = ConcurrentHashMap.newKeySet();
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
   * Prepares the statements on {@code session} (the tables must exist: {@code CassandraSchema}),
   * starts the writer and schedules the retention purge. Blocks while it prepares: call it at start-up.
   * The session is not closed by {@link #close()}: its owner (the runtime) closes it.
   */
  public CassandraTelemetryHistory(ActorSystem<?> system, CqlSession session, String keyspace, TelemetryHistorySettings settings,
      TwinClock clock) {
    this.system = system;
    this.session = session;
    this.settings = settings;
    this.clock = clock;
    String t = keyspace + ".telemetry";
    String d = keyspace + ".telemetry_days";
    this.insert = session.prepare(write("INSERT INTO " + t + " (site, kind, asset, day, ts, name, val) VALUES (?, ?, ?, ?, ?, ?, ?) USING TTL ?"));
    this.insertDay = session.prepare(write("INSERT INTO " + d + " (site, kind, asset, day) VALUES (?, ?, ?, ?) USING TTL ?"));
    this.selectDays = session.prepare(read("SELECT day FROM " + d + " WHERE site = ? AND kind = ? AND asset = ? AND day >= ? AND day <= ?"));
    this.selectRange = session.prepare(read("SELECT name, ts, val FROM " + t
        + " WHERE site = ? AND kind = ? AND asset = ? AND day = ? AND ts >= ? AND ts < ? ORDER BY ts ASC, name ASC"));
    this.selectAssets = session.prepare(read("SELECT DISTINCT site, kind, asset FROM " + d));
    this.countBefore = session.prepare(read("SELECT COUNT(*) FROM " + t + " WHERE site = ? AND kind = ? AND asset = ? AND day = ? AND ts < ?"));
    this.deleteBefore = session.prepare(write("DELETE FROM " + t + " WHERE site = ? AND kind = ? AND asset = ? AND day = ? AND ts < ?"));
    this.deleteDay = session.prepare(write("DELETE FROM " + d + " WHERE site = ? AND kind = ? AND asset = ? AND day = ?"));
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
    log.info("Telemetry history open in Cassandra keyspace {}: buffer {}, batches of {} within {}, retention {} (TTL), purge every {}",
        keyspace, settings.bufferSize(), settings.batchSize(), settings.batchWindow(), settings.retention(), settings.purgeInterval());
  }

  private static SimpleStatement write(String cql) {
    return SimpleStatement.newInstance(cql).setExecutionProfileName(WRITE_PROFILE);
  }

  private static SimpleStatement read(String cql) {
    return SimpleStatement.newInstance(cql).setExecutionProfileName(READ_PROFILE);
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

  private void offerFlush(Flush flush) {
    pendingFlushes.add(flush.done());
    QueueOfferResult result = queue.offer(flush);
    if (result.isEnqueued()) return;
    pendingFlushes.remove(flush.done());
    if (result == QueueOfferResult.dropped()) {
      system.scheduler().scheduleOnce(FLUSH_RETRY, () -> offerFlush(flush), system.executionContext());
    } else {
      writerDone.whenComplete((d, e) -> completeFlush(flush.done(), e));
    }
  }

  private void completeFlush(CompletableFuture<Done> flush, Throwable writerFailure) {
    pendingFlushes.remove(flush);
    if (writerFailure == null) flush.complete(Done.getInstance());
    else flush.completeExceptionally(new IllegalStateException("the telemetry history writer stopped", writerFailure));
  }

  /** Runs on the blocking dispatcher: the batch's rows written concurrently, then the flushes that waited on it. */
  private void write(List<Item> batch) {
    List<TelemetryPoint> points = new ArrayList<>(batch.size());
    List<CompletableFuture<Done>> flushes = new ArrayList<>(1);
    for (Item item : batch) {
      if (item instanceof Write w) points.add(w.point());
      else if (item instanceof Flush f) flushes.add(f.done());
    }
    if (!points.isEmpty()) {
      try {
        insertAll(points);
        written.addAndGet(points.size());
        batches.incrementAndGet();
      } catch (RuntimeException e) {
        failed.addAndGet(points.size());
        if (rateLimited(lastWriteError)) {
          log.error("Telemetry history could not write a batch of {} points; {} lost since start", points.size(), failed.get(), e);
        }
      }
    }
    flushes.forEach(f -> completeFlush(f, null));
  }

  private void insertAll(List<TelemetryPoint> points) {
    Instant now = clock.now();
    List<CompletableFuture<AsyncResultSet>> writes = new ArrayList<>(points.size() + 4);
    Set<String> newDays = new LinkedHashSet<>();
    for (TelemetryPoint p : points) {
      LocalDate day = day(p.ts());
      int ttl = ttlSeconds(p.ts(), now);
      writes.add(session.executeAsync(insert.bind(p.asset().site(), p.asset().kind().wireName(), p.asset().localId(), day,
          p.ts(), p.name(), p.value(), ttl)).toCompletableFuture());
      String key = p.asset() + "|" + day;
      if (!daysSeen.contains(key) && newDays.add(key)) {
        // the day's entry lives a day longer than the last point it can hold
        writes.add(session.executeAsync(insertDay.bind(p.asset().site(), p.asset().kind().wireName(), p.asset().localId(), day,
            (int) Math.min(MAX_TTL_SECONDS, ttl + Duration.ofDays(1).toSeconds()))).toCompletableFuture());
      }
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
    if (daysSeen.size() > DAYS_SEEN_LIMIT) daysSeen.clear();
    daysSeen.addAll(newDays);
  }

  /** What is left of the retention for a point taken at {@code ts}, at least one second. */
  private int ttlSeconds(Instant ts, Instant now) {
    long left = settings.retention().minus(Duration.between(ts, now)).toSeconds();
    return (int) Math.max(1, Math.min(MAX_TTL_SECONDS, left));
  }

  @Override
  public CompletionStage<List<TelemetryPoint>> query(AssetId asset, Optional<String> name, Instant from, Instant toExclusive, int limit) {
    if (limit < 1) return CompletableFuture.failedFuture(new IllegalArgumentException("limit must be at least 1, was " + limit));
    return onCassandra(() -> {
      List<TelemetryPoint> out = new ArrayList<>();
      forEachRow(asset, from, toExclusive, row -> {
        String n = row.getString(0);
        if (name.isPresent() && !name.get().equals(n)) return true;
        out.add(new TelemetryPoint(asset, row.getInstant(1), n, row.getDouble(2)));
        return out.size() < limit;
      });
      return out;
    });
  }

  @Override
  public CompletionStage<List<Bucket>> downsample(AssetId asset, String name, Instant from, Instant toExclusive, Duration bucket) {
    long bucketMillis = bucket.toMillis();
    if (bucketMillis < 1) return CompletableFuture.failedFuture(new IllegalArgumentException("bucket must be at least 1 ms, was " + bucket));
    long fromMillis = ceilMillis(from);
    return onCassandra(() -> {
      TreeMap<Long, double[]> sums = new TreeMap<>(); // bucket -> {count, min, max, sum}
      forEachRow(asset, from, toExclusive, row -> {
        if (!name.equals(row.getString(0))) return true;
        long b = Math.floorDiv(row.getInstant(1).toEpochMilli() - fromMillis, bucketMillis);
        double v = row.getDouble(2);
        double[] s = sums.computeIfAbsent(b, k -> new double[] {0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0});
        s[0]++;
        s[1] = Math.min(s[1], v);
        s[2] = Math.max(s[2], v);
        s[3] += v;
        return true;
      });
      List<Bucket> out = new ArrayList<>(sums.size());
      sums.forEach((b, s) -> out.add(new Bucket(Instant.ofEpochMilli(fromMillis + b * bucketMillis), (long) s[0], s[1], s[2], s[3] / s[0])));
      return out;
    });
  }

  @FunctionalInterface
  private interface RowVisitor {
    /** Returns false to stop. */
    boolean visit(Row row);
  }

  /** Visits the asset's rows with {@code from <= ts < toExclusive}, earliest first (ties by name), day by day. */
  private void forEachRow(AssetId asset, Instant from, Instant toExclusive, RowVisitor visitor) {
    Instant lo = Instant.ofEpochMilli(ceilMillis(from));
    Instant hi = Instant.ofEpochMilli(ceilMillis(toExclusive));
    if (!lo.isBefore(hi)) return;
    String site = asset.site();
    String kind = asset.kind().wireName();
    String id = asset.localId();
    List<LocalDate> days = new ArrayList<>();
    for (Row r : session.execute(selectDays.bind(site, kind, id, day(lo), day(hi.minusMillis(1))).setPageSize(PAGE_SIZE))) {
      days.add(r.getLocalDate(0));
    }
    for (LocalDate day : days) {
      ResultSet rows = session.execute(selectRange.bind(site, kind, id, day, lo, hi).setPageSize(PAGE_SIZE));
      for (Row row : rows) {
        if (!visitor.visit(row)) return;
      }
    }
  }

  @Override
  public CompletionStage<Long> purgeOlderThan(Instant cutoff) {
    return onCassandra(() -> {
      Instant before = Instant.ofEpochMilli(ceilMillis(cutoff));
      LocalDate cutoffDay = day(before);
      long total = 0;
      for (Row a : session.execute(selectAssets.bind().setPageSize(PAGE_SIZE))) {
        String site = a.getString(0);
        String kind = a.getString(1);
        String id = a.getString(2);
        List<LocalDate> days = new ArrayList<>();
        for (Row r : session.execute(selectDays.bind(site, kind, id, LocalDate.of(1970, 1, 1), cutoffDay))) days.add(r.getLocalDate(0));
        for (LocalDate day : days) {
          Row count = session.execute(countBefore.bind(site, kind, id, day, before)).one();
          long n = count == null ? 0 : count.getLong(0);
          if (n > 0) session.execute(deleteBefore.bind(site, kind, id, day, before));
          if (day.isBefore(cutoffDay)) session.execute(deleteDay.bind(site, kind, id, day));
          total += n;
        }
      }
      purged.addAndGet(total);
      daysSeen.clear(); // a day whose entry was deleted must be listed again if a late point arrives for it
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
      // the writer stopped with the actor system: nothing left to drain
    }
    try {
      writerDone.toCompletableFuture().get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("Telemetry history closed before its writer finished; {} points not written", stats().pending(), e);
    }
    log.info("Telemetry history closed: {}", stats());
  }

  private void schedulePurge() {
    if (closed.get()) return;
    purgeTimer.set(clock.schedule(settings.purgeInterval(), this::purgeExpired));
  }

  private void purgeExpired() {
    if (closed.get()) return;
    Instant cutoff = clock.now().minus(settings.retention());
    purgeOlderThan(cutoff).whenComplete((n, e) -> {
      if (e != null) log.error("Telemetry history retention purge (older than {}) failed", cutoff, e);
      else if (n > 0) log.info("Telemetry history purged {} points older than {}", n, cutoff);
      schedulePurge();
    });
  }

  @FunctionalInterface
  private interface Work<T> {
    T run();
  }

  private <T> CompletionStage<T> onCassandra(Work<T> work) {
    if (closed.get()) return CompletableFuture.failedFuture(new IllegalStateException("the telemetry history is closed"));
    return CompletableFuture.supplyAsync(work::run, blocking);
  }

  private static LocalDate day(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC);
  }

  private static long ceilMillis(Instant t) {
    return t.toEpochMilli() + (t.getNano() % 1_000_000 == 0 ? 0 : 1);
  }

  private static boolean rateLimited(AtomicLong last) {
    long now = System.nanoTime();
    long previous = last.get();
    return now - previous >= WARN_INTERVAL_NANOS && last.compareAndSet(previous, now);
  }
}
