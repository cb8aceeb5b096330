package atrium.api.audit;

import atrium.core.clock.TwinClock;
import atrium.core.runtime.BatchWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only audit log of every command — from a person, a device, a partner system or an
 * automatic loop — kept for {@code atrium.audit.retention} (at least 180 days) and queryable.
 *
 * <pre>
 * append ─offer─▶ Source.queue(buffer-size) ─▶ batch(batch-size): what arrived while the last batch was written
 *                 ─▶ mapAsync(1, AuditStore.append on the blocking dispatcher) ─▶ completes each append
 * </pre>
 *
 * <p><b>Audit first, then act.</b> {@link #append} completes only once its entry is durably written;
 * it fails with {@link AuditUnavailableException} when the buffer is full, the log is closed or the
 * store fails. A caller must not carry out a command whose audit entry failed: it answers a
 * retryable refusal (503 + {@code Retry-After}) instead. The outcome of an accepted command that is
 * then rejected or fails is appended as a second entry with the same request id.
 *
 * <p>Retention runs on the {@link TwinClock}: once at start and then every {@code purge-interval},
 * entries older than {@code now - retention} are deleted — the only deletion the store allows.
 */
public final class AuditLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
  private static final long CLOSE_TIMEOUT_SECONDS = 30;

  /** One page of a query, newest first; {@code nextCursor} is null on the last page. */
  public record Page(List<AuditEntry> entries, String nextCursor) {
    public Page {
      entries = List.copyOf(entries);
    }
  }

  private record Pending(AuditEntry entry, CompletableFuture<Done> written) {}

  private final AuditStore store;
  private final AuditSettings settings;
  private final TwinClock clock;
  private final BatchWriter<Pending> writer;
  private final BoundedSourceQueue<Pending> queue;
  private final CompletionStage<Done> writerDone;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicReference<TwinClock.Scheduled> purgeTimer = new AtomicReference<>();

  /** Starts the writer and the retention purge. The log owns {@code store} and closes it. */
  public AuditLog(ActorSystem<?> system, AuditStore store, AuditSettings settings, TwinClock clock) {
    this.store = store;
    this.settings = settings;
    this.clock = clock;
    BatchWriter<Pending> writer = BatchWriter.start(system, "audit-log-writer", settings.bufferSize(), settings.batchSize(),
        settings.batchWindow(), this::write);
    this.writer = writer;
    this.queue = writer.queue();
    this.writerDone = writer.done();
    writerDone.whenComplete((d, e) -> {
      if (e != null) log.error("Audit log writer stopped", e);
    });
    purgeExpired();
    log.info("Audit log open: retention {} days, buffer {}, batches of {} within {}, sync writes {}",
        settings.retention().toDays(), settings.bufferSize(), settings.batchSize(), settings.batchWindow(), settings.syncWrites());
  }

  /** The node's audit log in its embedded H2 database ({@code EmbeddedDatabase.journalUrl(dataDir)}). */
  public static AuditLog embedded(ActorSystem<?> system, String jdbcUrl, AuditSettings settings, TwinClock clock) {
    return new AuditLog(system, new H2AuditStore(jdbcUrl, settings.syncWrites()), settings, clock);
  }

  /**
   * Writes an entry. Never blocks. The stage completes when the entry is durable, and fails with
   * {@link AuditUnavailableException} if it cannot be written (buffer full, closed, storage error):
   * then the command it describes must not be carried out.
   */
  public CompletionStage<Done> append(AuditEntry entry) {
    CompletableFuture<Done> written = new CompletableFuture<>();
    QueueOfferResult result = closed.get() ? QueueOfferResult.closed() : queue.offer(new Pending(entry, written));
    if (result.isEnqueued()) return written;
    String why = result == QueueOfferResult.dropped()
        ? "the audit log's buffer of " + settings.bufferSize() + " entries is full"
        : "the audit log is closed";
    log.warn("Audit entry refused ({}): {} {} by {}", why, entry.action(), entry.target(), entry.actor());
    written.completeExceptionally(new AuditUnavailableException(why + "; the command was not carried out", null));
    return written;
  }

  /** One page of entries matching {@code query}, newest first. */
  public CompletionStage<Page> query(AuditQuery query) {
    return onStore(() -> store.query(query));
  }

  /** Deletes entries older than {@code now - retention} (twin-clock time); the count deleted. */
  public CompletionStage<Long> purgeExpired() {
    Instant cutoff = clock.now().minus(settings.retention());
    CompletionStage<Long> purge = onStore(() -> store.deleteOlderThan(cutoff));
    purge.whenComplete((n, e) -> {
      if (e != null) log.error("Audit log retention purge (older than {}) failed", cutoff, e);
      else if (n > 0) log.info("Audit log purged {} entries older than {}", n, cutoff);
      scheduleNextPurge();
    });
    return purge;
  }

  private void scheduleNextPurge() {
    if (closed.get()) return;
    TwinClock.Scheduled next = clock.schedule(settings.purgeInterval(), this::purgeExpired);
    TwinClock.Scheduled previous = purgeTimer.getAndSet(next);
    if (previous != null) previous.cancel();
    if (closed.get()) next.cancel();
  }

  /** Runs on the blocking dispatcher: one transaction for the batch, then each append completes or fails. */
  private Done write(List<Pending> batch) {
    List<AuditEntry> entries = new ArrayList<>(batch.size());
    for (Pending p : batch) entries.add(p.entry());
    try {
      store.append(entries);
      for (Pending p : batch) p.written().complete(Done.getInstance());
    } catch (Exception e) {
      log.error("Audit log could not write {} entries; their commands are refused", batch.size(), e);
      AuditUnavailableException failure = new AuditUnavailableException("the audit log could not be written; the command was not carried out", e);
      for (Pending p : batch) p.written().completeExceptionally(failure);
    }
    return Done.getInstance();
  }

  /** Runs store work on the writer's blocking dispatcher; refused once the log is closed. */
  private <T> CompletionStage<T> onStore(Callable<T> work) {
    if (closed.get()) return CompletableFuture.failedFuture(new AuditUnavailableException("the audit log is closed", null));
    return writer.call(work);
  }

  /** Writes what was appended before, then closes the store. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    TwinClock.Scheduled timer = purgeTimer.getAndSet(null);
    if (timer != null) timer.cancel();
    try {
      queue.complete();
    } catch (IllegalStateException alreadyStopped) {
      // the writer stopped with the actor system
    }
    try {
      writerDone.toCompletableFuture().get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("Audit log closed before its writer finished", e);
    } finally {
      store.close();
    }
  }
}
