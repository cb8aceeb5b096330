package atrium.core.history;

import atrium.core.asset.AssetId;
import atrium.core.clock.TwinClock;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
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
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The Cassandra profile's telemetry history: table {@code telemetry}, one partition per asset and
 * UTC day, rows newest first; {@code telemetry_days} lists the days each asset has (what queries and
 * the purge walk). Written through the {@link BatchedTelemetryHistory} pipeline, each batch's INSERTs
 * concurrently at LOCAL_ONE.
 *
 * Each row carries a TTL of what is left of the retention (wall-clock seconds, Cassandra's own
 * clock), so Cassandra forgets expired points by itself; the purge on the {@link TwinClock} deletes
 * them in twin-clock time as the embedded history does (a simulated clock ages the data faster than
 * the TTL). A reading is keyed by (asset, day, ts, name): writing it again replaces it.
 */
public final class CassandraTelemetryHistory extends BatchedTelemetryHistory {

  /** Execution profiles (consistency levels) in atrium-persistence-cassandra.conf. */
  public static final String WRITE_PROFILE = "atrium-history-write";
  public static final String READ_PROFILE = "atrium-history-read";

  /** Cassandra's largest TTL (20 years). */
  private static final long MAX_TTL_SECONDS = 630_720_000L;
  /** Days an asset was seen with, remembered so that telemetry_days is written once per asset and day, not per point. */
  private static final int DAYS_SEEN_LIMIT = 100_000;
  private static final int PAGE_SIZE = 1_000;

  private final CqlSession session;

  private final PreparedStatement insert;
  private final PreparedStatement insertDay;
  private final PreparedStatement selectDays;
  private final PreparedStatement selectRange;
  private final PreparedStatement selectAssets;
  private final PreparedStatement countBefore;
  private final PreparedStatement deleteBefore;
  private final PreparedStatement deleteDay;

  private final Set<String> daysSeen = ConcurrentHashMap.newKeySet();

  /**
   * Prepares the statements on {@code session} (the tables must exist: {@code CassandraSchema}),
   * starts the writer and schedules the retention purge. Blocks while it prepares: call it at start-up.
   * The session is not closed by {@link #close()}: its owner (the runtime) closes it.
   */
  public CassandraTelemetryHistory(ActorSystem<?> system, CqlSession session, String keyspace, TelemetryHistorySettings settings,
      TwinClock clock) {
    super(system, settings, clock);
    this.session = session;
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
    start(" in Cassandra keyspace " + keyspace + " (TTL retention)");
  }

  private static SimpleStatement write(String cql) {
    return SimpleStatement.newInstance(cql).setExecutionProfileName(WRITE_PROFILE);
  }

  private static SimpleStatement read(String cql) {
    return SimpleStatement.newInstance(cql).setExecutionProfileName(READ_PROFILE);
  }

  /** The batch's rows written concurrently. */
  @Override
  protected void writePoints(List<TelemetryPoint> points) {
    insertAll(points);
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
    return onBlocking(() -> {
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
    return onBlocking(() -> {
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
    return onBlocking(() -> {
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
      countPurged(total);
      daysSeen.clear(); // a day whose entry was deleted must be listed again if a late point arrives for it
      return total;
    });
  }

  private static LocalDate day(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC);
  }
}
