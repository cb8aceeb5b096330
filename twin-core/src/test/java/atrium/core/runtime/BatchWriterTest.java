package atrium.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.QueueOfferResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** How a {@link BatchWriter} forms its batches, with a store that can be held mid-write. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchWriterTest {
  private final ActorTestKit kit = ActorTestKit.create("batch-writer-test");

  @AfterAll
  void shutdown() {
    kit.shutdownTestKit();
  }

  /** A store whose first write waits until released; records every batch. */
  private static final class HeldStore {
    final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    final CountDownLatch firstStarted = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    void write(List<Integer> batch) {
      batches.add(new ArrayList<>(batch));
      if (batches.size() == 1) {
        firstStarted.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  @Test
  void withNoWindowAnItemIsWrittenAloneWhenTheStoreIsFreeAndWhatArrivesMeanwhileIsBatched() throws Exception {
    HeldStore store = new HeldStore();
    BatchWriter<Integer> writer = BatchWriter.start(kit.system(), "no-window", 100, 50, Duration.ZERO, store::write);

    assertEquals(QueueOfferResult.enqueued(), writer.queue().offer(1));
    // The first item is not held back for company: it is being written on its own.
    assertTrue(store.firstStarted.await(10, TimeUnit.SECONDS), "the first item's write started");
    for (int i = 2; i <= 6; i++) writer.queue().offer(i);
    store.release.countDown();
    writer.queue().complete();
    writer.done().toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertEquals(List.of(1), store.batches.get(0), "the first item was written on its own");
    List<Integer> rest = new ArrayList<>();
    for (List<Integer> b : store.batches.subList(1, store.batches.size())) rest.addAll(b);
    assertEquals(List.of(2, 3, 4, 5, 6), rest, "every later item written once, in order");
    // While the store was busy the five gathered: the write stage takes one ahead of the batching
    // (mapAsync's slot), so they come as at most two batches, never five writes.
    assertTrue(store.batches.size() <= 3, "items that arrived during a write were batched: " + store.batches);
  }

  @Test
  void withNoWindowABatchNeverExceedsTheBatchSize() throws Exception {
    HeldStore store = new HeldStore();
    BatchWriter<Integer> writer = BatchWriter.start(kit.system(), "no-window-capped", 100, 3, Duration.ZERO, store::write);

    writer.queue().offer(0);
    assertTrue(store.firstStarted.await(10, TimeUnit.SECONDS), "the first item's write started");
    for (int i = 1; i <= 7; i++) writer.queue().offer(i);
    store.release.countDown();
    writer.queue().complete();
    writer.done().toCompletableFuture().get(10, TimeUnit.SECONDS);

    List<Integer> all = new ArrayList<>();
    for (List<Integer> b : store.batches) {
      assertTrue(b.size() <= 3, "batch " + b + " within the size");
      all.addAll(b);
    }
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), all, "every item written once, in order");
  }

  @Test
  void withAWindowItemsOfferedTogetherAreWrittenTogether() throws Exception {
    List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    BatchWriter<Integer> writer = BatchWriter.start(kit.system(), "window", 100, 4, Duration.ofSeconds(30), b -> batches.add(new ArrayList<>(b)));

    for (int i = 1; i <= 10; i++) writer.queue().offer(i);
    writer.queue().complete();
    writer.done().toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertEquals(List.of(List.of(1, 2, 3, 4), List.of(5, 6, 7, 8), List.of(9, 10)), batches);
  }

  @Test
  void aNegativeWindowIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> BatchWriter.start(kit.system(), "negative", 10, 10, Duration.ofMillis(-1), b -> {}));
  }
}
