package atrium.core.runtime;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
 * not fit is refused at once, never waited for), grouped by count or time window, each batch written
 * one at a time on the blocking dispatcher. The telemetry history and the audit log write this way.
 *
 * @param queue where items are offered; {@code complete()} it to drain and stop
 * @param done completes when the last batch is written after {@code complete()}, or when the writer fails
 * @param blocking the dispatcher the batches are written on (for other blocking work of the owner)
 */
public record BatchWriter<T>(BoundedSourceQueue<T> queue, CompletionStage<Done> done, Executor blocking) {

  public static <T> BatchWriter<T> start(ActorSystem<?> system, String name, int bufferSize, int batchSize, Duration batchWindow,
      Consumer<List<T>> write) {
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    Pair<BoundedSourceQueue<T>, CompletionStage<Done>> writer =
        Source.<T>queue(bufferSize)
            .groupedWithin(batchSize, batchWindow)
            .mapAsync(1, batch -> CompletableFuture.runAsync(() -> write.accept(batch), blocking))
            .toMat(Sink.ignore(), Keep.both())
            .named(name)
            .run(system);
    return new BatchWriter<>(writer.first(), writer.second(), blocking);
  }
}
