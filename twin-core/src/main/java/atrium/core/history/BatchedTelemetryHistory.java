package atrium.core.history;

import atrium.core.clock.TwinClock;
import atrium.core.runtime.BatchWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
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
 * What every telemetry history store shares: points go through a {@link BatchWriter},
 *
 * <pre>
 * record ─offer─▶ Source.queue(buffer-size) ─▶ groupedWithin(batch-size, batch-window)
 *                 ─▶ mapAsync(1, {@link #writePoints} on the blocking dispatcher) ─▶ Sink.ignore
 * </pre>
 *
 * {@link #record} never waits: a full queue refuses the point. {@link #flush} sends a marker down the
 * same queue, so it completes once every point offered before it has been through the writer. The
 * retention purge runs on the {@link TwinClock}, so a simulated clock ages the data too. A store (H2,
 * Cassandra) writes a batch, answers the queries and purges; it calls {@link #start} at the end of its
 * constructor, once it can write.
 */
public abstract class BatchedTelemetryHistory implements TelemetryHistory {
  private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final Duration FLUSH_RETRY = Duration.ofMillis(20);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  /** What travels down the write queue: a point, or a flush waiting for the points ahead of it. */
  private sealed interface Item permits Write, Flush {}

  private record Write(TelemetryPoint point) implements Item {}

  private record Flush(CompletableFuture<Done> done) implements Item {}

  protected final Logger log = LoggerFactory.getLogger(getClass());
  protected final ActorSystem<?> system;
  protected final TelemetryHistorySettings settings;
  protected final TwinClock clock;
  private BatchWriter<Item> writer;
  private BoundedSourceQueue<Item> queue;
  private CompletionStage<Done> writerDone;

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

  protected BatchedTelemetryHistory(ActorSystem<?> system, TelemetryHistorySettings settings, TwinClock clock) {
    this.system = system;
    this.settings = settings;
    this.clock = clock;
  }

  /** Starts the writer and the retention purge; {@code where} names the store in the log. */
  protected final void start(String where) {
    BatchWriter<Item> writer = BatchWriter.start(system, "telemetry-history-writer", settings.bufferSize(), settings.batchSize(),
        settings.batchWindow(), this::write);
    this.writer = writer;
    this.queue = writer.queue();
    this.writerDone = writer.done();
    writerDone.whenComplete((done, e) -> {
      if (e != null) log.error("Telemetry history writer stopped", e);
      pendingFlushes.forEach(f -> completeFlush(f, e));
    });
    schedulePurge();
    log.info("Telemetry history open{}: buffer {}, batches of {} within {}, retention {}, purge every {}", where,
        settings.bufferSize(), settings.batchSize(), settings.batchWindow(), settings.retention(), settings.purgeInterval());
  }

  /** Writes one batch (on the blocking dispatcher); a failure loses the batch and is counted. */
  protected abstract void writePoints(List<TelemetryPoint> points) throws Exception;

  /** Releases the store after the writer has drained (nothing by default). */
  protected void closeStore() {}

  /** Counts points a purge deleted. */
  protected final void countPurged(long n) {
    purged.addAndGet(n);
  }

  @Override
  public final boolean record(TelemetryPoint point) {
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
  public final CompletionStage<Done> flush() {
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

  /** Runs on the blocking dispatcher: the batch's points written, then the flushes that waited on it. */
  private void write(List<Item> batch) {
    List<TelemetryPoint> points = new ArrayList<>(batch.size());
    List<CompletableFuture<Done>> flushes = new ArrayList<>(1);
    for (Item item : batch) {
      if (item instanceof Write w) points.add(w.point());
      else if (item instanceof Flush f) flushes.add(f.done());
    }
    if (!points.isEmpty()) {
      try {
        writePoints(points);
        written.addAndGet(points.size());
        batches.incrementAndGet();
      } catch (Exception e) {
        failed.addAndGet(points.size());
        if (rateLimited(lastWriteError)) {
          log.error("Telemetry history could not write a batch of {} points; {} lost since start", points.size(), failed.get(), e);
        }
      }
    }
    flushes.forEach(f -> completeFlush(f, null));
  }

  /** Runs {@code work} on the blocking dispatcher; refused once the history is closed. */
  protected final <T> CompletionStage<T> onBlocking(Callable<T> work) {
    if (closed.get()) return CompletableFuture.failedFuture(new IllegalStateException("the telemetry history is closed"));
    return writer.call(work);
  }

  @Override
  public final Stats stats() {
    return new Stats(recorded.sum(), written.get(), dropped.sum(), failed.get(), batches.get(), purged.get());
  }

  @Override
  public final void close() {
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
      closeStore();
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

  /** The first whole millisecond at or after {@code t}: bounds compare exactly with stored millisecond times. */
  protected static long ceilMillis(Instant t) {
    return t.toEpochMilli() + (t.getNano() % 1_000_000 == 0 ? 0 : 1);
  }

  /** True at most once per ten seconds per {@code last}: logs that would otherwise flood. */
  private static boolean rateLimited(AtomicLong last) {
    long now = System.nanoTime();
    long previous = last.get();
    return now - previous >= WARN_INTERVAL_NANOS && last.compareAndSet(previous, now);
  }
}
