package atrium.core.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Items written to a store in batches, off the callers' threads: a bounded queue (an offer that does
 * not fit is refused at once, never waited for), grouped into batches, each batch written one at a
 * time on the blocking dispatcher. The telemetry history and the audit log write this way.
 *
 * <p>Two ways to form a batch. With a positive {@code batchWindow}, an item waits for its batch to
 * fill up to that long ({@code groupedWithin}): fewer, fuller writes, for stores nobody waits on (the
 * telemetry history). With a zero window, a batch is whatever arrived while the previous one was being
 * written ({@code batch}): an item is written as soon as the store is free, never held back for
 * company, and batches still grow with the load — for stores a caller waits on (the audit log, which
 * every command waits for).
 *
 * @param queue where items are offered; {@code complete()} it to drain and stop
 * @param done completes when the last batch is written after {@code complete()}, or when the writer fails
 * @param blocking the dispatcher the batches are written on (for other blocking work of the owner)
 */
public record BatchWriter<T>(BoundedSourceQueue<T> queue, CompletionStage<Done> done, Executor blocking) {

  public static <T> BatchWriter<T> start(ActorSystem<?> system, String name, int bufferSize, int batchSize, Duration batchWindow,
      Consumer<List<T>> write) {
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    if (batchWindow.isNegative()) throw new IllegalArgumentException("a batch window cannot be negative, was " + batchWindow);
    Source<T, BoundedSourceQueue<T>> items = Source.queue(bufferSize);
    Source<List<T>, BoundedSourceQueue<T>> batches = batchWindow.isZero()
        ? items.<List<T>>batch(batchSize, first -> {
              List<T> batch = new ArrayList<>();
              batch.add(first);
              return batch;
            }, (batch, next) -> {
              batch.add(next);
              return batch;
            })
        : items.groupedWithin(batchSize, batchWindow);
    Pair<BoundedSourceQueue<T>, CompletionStage<Done>> writer =
        batches
            .mapAsync(1, batch -> CompletableFuture.runAsync(() -> write.accept(batch), blocking))
            .toMat(Sink.ignore(), Keep.both())
            .named(name)
            .run(system);
    return new BatchWriter<>(writer.first(), writer.second(), blocking);
  }

  /**
   * Runs other blocking work of the writer's owner (a query, a purge) on the same blocking
   * dispatcher; a checked exception fails the stage with a {@link CompletionException}.
   */
  public <R> CompletionStage<R> call(Callable<R> work) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return work.call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    }, blocking);
  }
}
