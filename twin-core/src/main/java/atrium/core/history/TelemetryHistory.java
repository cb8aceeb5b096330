package atrium.core.history;

import atrium.core.CborSerializable;
import atrium.core.asset.AssetId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * Where measurements go (DESIGN decision 2: persist what changes meaning, stream what only
 * measures). An entity folds a reading into its state and hands it here; the history writes readings
 * in batches, off the actor's thread, and forgets them after a retention period. It is a
 * time-series store, not a journal: a reading that cannot be buffered is dropped and counted, never
 * waited for. See {@code docs/telemetry-history.md}.
 */
public interface TelemetryHistory extends AutoCloseable {

  /**
   * Buffers {@code point} for writing and returns at once. Returns false when the buffer is full
   * (or the history is closed): the point is dropped and counted in {@link Stats#dropped()}.
   */
  boolean record(TelemetryPoint point);

  /**
   * The points of {@code asset} with {@code from <= ts < toExclusive}, of measurement {@code name}
   * or of every measurement if it is empty, earliest first (ties by name), at most {@code limit}.
   */
  CompletionStage<List<TelemetryPoint>> query(
      AssetId asset, Optional<String> name, Instant from, Instant toExclusive, int limit);

  /**
   * The points of one measurement with {@code from <= ts < toExclusive}, summarised per bucket of
   * {@code bucket} length counted from {@code from}, earliest first. Buckets without points are left out.
   */
  CompletionStage<List<Bucket>> downsample(
      AssetId asset, String name, Instant from, Instant toExclusive, Duration bucket);

  /** Deletes every point older than {@code cutoff}; completes with how many were deleted. */
  CompletionStage<Long> purgeOlderThan(Instant cutoff);

  /**
   * Completes when every point recorded before this call has been handled: written, or counted in
   * {@link Stats#failed()} if the database refused it.
   */
  CompletionStage<Done> flush();

  Stats stats();

  /** Writes what is buffered, stops the retention purge and releases the database. Idempotent. */
  @Override
  void close();

  /** A summary of the points whose time falls in {@code [start, start + bucket)}. */
  record Bucket(Instant start, long count, double min, double max, double mean) implements CborSerializable {}

  /**
   * Counters since start: {@code recorded} points accepted into the buffer, {@code written} to the
   * database, {@code dropped} because the buffer was full or the history closed, {@code failed}
   * because a write was refused; {@code batches} JDBC batches written; {@code purged} points deleted
   * by retention or {@link #purgeOlderThan}.
   */
  record Stats(long recorded, long written, long dropped, long failed, long batches, long purged) {
    /** Accepted points not yet written or failed. */
    public long pending() {
      return recorded - written - failed;
    }
  }
}
