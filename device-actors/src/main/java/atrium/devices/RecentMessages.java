package atrium.devices;

import atrium.core.protocol.Envelope;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The message ids this node has applied lately, per asset: a device message that arrives again (an
 * MQTT QoS 1 redelivery, an HTTP retry after a lost answer) is answered {@code DUPLICATE} and not
 * applied twice. A copy that arrives while the first is still being applied waits for it. A message
 * whose application failed is forgotten, so that its retry is applied.
 *
 * <p>Bounded: the oldest ids are forgotten first. It is per node and in memory; twins whose events
 * are not idempotent (cameras' counts, devices' acks) also remember ids in their own persisted state.
 */
final class RecentMessages {
  private final int capacity;
  private final Map<String, CompletableFuture<Void>> applied;

  RecentMessages(int capacity) {
    if (capacity < 1) throw new IllegalArgumentException("recent-message-ids must be at least 1, not " + capacity);
    this.capacity = capacity;
    this.applied = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<Void>> eldest) {
        return size() > RecentMessages.this.capacity;
      }
    };
  }

  /** Applies the envelope once per id: {@code apply} runs only for an id not seen (or seen and failed). */
  CompletionStage<TwinGateway.Ingested> once(Envelope envelope, Supplier<CompletionStage<?>> apply) {
    String key = envelope.asset().kind().wireName() + "/" + envelope.asset().entityId() + "#" + envelope.id();
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> earlier;
    synchronized (applied) {
      earlier = applied.putIfAbsent(key, mine);
    }
    if (earlier != null) return earlier.thenApply(v -> TwinGateway.Ingested.DUPLICATE);
    CompletionStage<?> stage;
    try {
      stage = apply.get();
    } catch (RuntimeException e) {
      forget(key, mine);
      mine.completeExceptionally(e);
      return CompletableFuture.failedFuture(e);
    }
    return stage.handle((v, e) -> {
      if (e != null) {
        forget(key, mine);
        mine.completeExceptionally(e);
        throw e instanceof RuntimeException re ? re : new java.util.concurrent.CompletionException(e);
      }
      mine.complete(null);
      return TwinGateway.Ingested.APPLIED;
    });
  }

  private void forget(String key, CompletableFuture<Void> mine) {
    synchronized (applied) {
      applied.remove(key, mine);
    }
  }

  int size() {
    synchronized (applied) {
      return applied.size();
    }
  }
}
