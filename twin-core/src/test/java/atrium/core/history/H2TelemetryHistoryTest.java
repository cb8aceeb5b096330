package atrium.core.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.SimulatedClock;
import atrium.core.clock.TwinClock;
import atrium.core.history.TelemetryHistory.Bucket;
import atrium.core.history.TelemetryHistory.Stats;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LogCapturingExtension.class)
class H2TelemetryHistoryTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
  private static final AssetId ZONE_A = AssetId.of("demo-mall", AssetKind.ZONE, "L1-Z01");
  private static final AssetId ZONE_B = AssetId.of("demo-mall", AssetKind.ZONE, "L1-Z02");
  private static final AssetId BAY = AssetId.of("demo-mall", AssetKind.PARKING_BAY, "P1-L1-B0001");

  private final List<TelemetryHistory> opened = new ArrayList<>();

  @AfterEach
  void closeHistories() {
    opened.forEach(TelemetryHistory::close);
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void recordedPointsAreQueriedBackInTimeOrderByAssetNameAndRange() {
    TelemetryHistory history = openInMemory(TelemetryHistorySettings.defaults());
    TelemetryPoint t1 = temperature(ZONE_A, T0.plusSeconds(1), 21.0);
    TelemetryPoint t2 = temperature(ZONE_A, T0.plusSeconds(2), 21.5);
    TelemetryPoint t3 = temperature(ZONE_A, T0.plusSeconds(3), 22.0);
    TelemetryPoint co2 = TelemetryPoint.of(ZONE_A, T0.plusMillis(1500), "co2", 640);
    TelemetryPoint before = temperature(ZONE_A, T0.minusSeconds(1), 20.0);
    TelemetryPoint atEnd = temperature(ZONE_A, T0.plusSeconds(10), 23.0);
    TelemetryPoint otherAsset = temperature(ZONE_B, T0.plusSeconds(2), 30.0);
    for (TelemetryPoint p : List.of(t3, otherAsset, t1, atEnd, co2, before, t2)) assertTrue(history.record(p));
    await(history.flush());

    Instant to = T0.plusSeconds(10);
    assertEquals(List.of(t1, t2, t3), await(history.query(ZONE_A, Optional.of("temperature"), T0, to, 100)));
    assertEquals(List.of(t1, co2, t2, t3), await(history.query(ZONE_A, Optional.empty(), T0, to, 100)));
    assertEquals(List.of(otherAsset), await(history.query(ZONE_B, Optional.empty(), T0, to, 100)));
    assertEquals(List.of(), await(history.query(BAY, Optional.empty(), T0, to, 100)));
  }

  @Test
  void aPointRecordedTwiceIsKeptOnceWithTheLastValueAndTheRestOfItsBatchIsWritten() {
    TelemetryHistory history = openInMemory(TelemetryHistorySettings.defaults());
    TelemetryPoint first = temperature(ZONE_A, T0.plusSeconds(1), 21.0);
    history.record(first);
    await(history.flush());
    // a later batch repeats that point with another value, among new points (the fast INSERT fails
    // on the duplicate; the batch is written again as a MERGE)
    TelemetryPoint again = temperature(ZONE_A, T0.plusSeconds(1), 21.7);
    TelemetryPoint next = temperature(ZONE_A, T0.plusSeconds(2), 22.0);
    TelemetryPoint other = temperature(ZONE_B, T0.plusSeconds(1), 19.0);
    for (TelemetryPoint p : List.of(next, again, other)) assertTrue(history.record(p));
    await(history.flush());

    assertEquals(List.of(again, next), await(history.query(ZONE_A, Optional.of("temperature"), T0, T0.plusSeconds(10), 100)));
    assertEquals(List.of(other), await(history.query(ZONE_B, Optional.empty(), T0, T0.plusSeconds(10), 100)));
    assertEquals(0, history.stats().failed(), "no batch failed");
  }

  @Test
  void aQueryReturnsNoMoreThanItsLimitEarliestFirst() {
    TelemetryHistory history = openInMemory(TelemetryHistorySettings.defaults());
    List<TelemetryPoint> points = IntStream.range(0, 50)
        .mapToObj(i -> temperature(ZONE_A, T0.plusSeconds(49 - i), i))
        .toList();
    points.forEach(history::record);
    await(history.flush());

    List<TelemetryPoint> first10 = await(history.query(ZONE_A, Optional.of("temperature"), T0, T0.plusSeconds(60), 10));

    assertEquals(10, first10.size());
    for (int i = 0; i < 10; i++) assertEquals(T0.plusSeconds(i), first10.get(i).ts());
  }

  @Test
  void downsamplingGivesCountMinMaxAndMeanPerBucketAndSkipsEmptyBuckets() {
    TelemetryHistory history = openInMemory(TelemetryHistorySettings.defaults());
    history.record(temperature(ZONE_A, T0, 1.5));
    history.record(temperature(ZONE_A, T0.plusSeconds(20), 3.5));
    history.record(temperature(ZONE_A, T0.plusSeconds(59), 2.5));
    history.record(TelemetryPoint.of(ZONE_A, T0.plusSeconds(70), "co2", 900)); // other measurement
    history.record(temperature(ZONE_A, T0.plusSeconds(130), 5.0));
    history.record(temperature(ZONE_A, T0.plusSeconds(170), -5.0));
    history.record(temperature(ZONE_A, T0.plusSeconds(180), 99.0)); // at the exclusive end
    history.record(temperature(ZONE_B, T0.plusSeconds(10), 99.0)); // other asset
    await(history.flush());

    List<Bucket> buckets = await(history.downsample(ZONE_A, "temperature", T0, T0.plusSeconds(180), Duration.ofMinutes(1)));

    assertEquals(List.of(new Bucket(T0, 3, 1.5, 3.5, 2.5), new Bucket(T0.plusSeconds(120), 2, -5.0, 5.0, 0.0)), buckets);
  }

  @Test
  void downsamplingAgreesWithSummariesComputedPointByPoint() {
    TelemetryHistory history = openInMemory(TelemetryHistorySettings.defaults());
    Random random = new Random(42);
    Duration bucket = Duration.ofMinutes(15);
    int bucketCount = 12;
    long[] count = new long[bucketCount];
    double[] min = new double[bucketCount];
    double[] max = new double[bucketCount];
    double[] sum = new double[bucketCount];
    java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
    java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
    for (int i = 0; i < 2_000; i++) {
      Instant ts = T0.plusMillis(i * 1_613L); // 2,000 distinct instants over ~54 minutes
      double v = Math.round(random.nextGaussian() * 400) / 100.0 + 21;
      assertTrue(history.record(temperature(ZONE_A, ts, v)));
      int b = (int) (Duration.between(T0, ts).toMillis() / bucket.toMillis());
      count[b]++;
      min[b] = Math.min(min[b], v);
      max[b] = Math.max(max[b], v);
      sum[b] += v;
    }
    await(history.flush());

    List<Bucket> buckets = await(history.downsample(ZONE_A, "temperature", T0, T0.plus(bucket.multipliedBy(bucketCount)), bucket));

    List<Integer> nonEmpty = IntStream.range(0, bucketCount).filter(b -> count[b] > 0).boxed().toList();
    assertEquals(nonEmpty.size(), buckets.size());
    for (int i = 0; i < buckets.size(); i++) {
      int b = nonEmpty.get(i);
      Bucket actual = buckets.get(i);
      assertEquals(T0.plus(bucket.multipliedBy(b)), actual.start());
      assertEquals(count[b], actual.count());
      assertEquals(min[b], actual.min());
      assertEquals(max[b], actual.max());
      assertEquals(sum[b] / count[b], actual.mean(), 1e-9);
    }
  }

  @Test
  void aFullBufferDropsAndCountsPointsInsteadOfBlockingAndWarnsOnce() {
    TelemetryHistory history = openInMemory(settings(8, 2));
    int total = 20_000;
    int[] accepted = {0};

    LoggingTestKit.warn("Telemetry history dropping points")
        .withOccurrences(1)
        .withCheckExcess(true)
        .expect(testKit.system(), () -> {
          for (int i = 0; i < total; i++) {
            if (history.record(TelemetryPoint.of(BAY, T0.plusMillis(i), "occupied", i % 2 == 0))) accepted[0]++;
          }
          return null;
        });

    Stats stats = history.stats();
    assertTrue(stats.dropped() > 0, "a buffer of 8 must overflow under 20,000 points offered at once: " + stats);
    assertEquals(total - accepted[0], stats.dropped());
    assertEquals(accepted[0], stats.recorded());
    for (int i = total; history.record(TelemetryPoint.of(BAY, T0.plusMillis(i), "occupied", true)); i++) accepted[0]++;
    await(history.flush()); // offered while the buffer is full: retried, not dropped
    assertEquals(accepted[0], history.stats().written(), "every accepted point is written");
    assertEquals(accepted[0], await(history.query(BAY, Optional.of("occupied"), T0, T0.plusSeconds(60), total)).size());
  }

  @Test
  void theRetentionPurgeRunsOnTheTwinClockAndDeletesOnlyPointsOlderThanTheRetention() {
    SimulatedClock clock = new SimulatedClock(T0);
    TelemetryHistorySettings settings = TelemetryHistorySettings.defaults(); // 90 days, purged every hour
    TelemetryHistory history = open("jdbc:h2:mem:" + UUID.randomUUID(), settings, clock);
    Instant expiry = T0.minus(settings.retention());
    TelemetryPoint expiredAtFirstPurge = temperature(ZONE_A, expiry.minus(Duration.ofHours(1)), 18.0);
    TelemetryPoint expiredAtSecondPurge = temperature(ZONE_A, expiry.plus(Duration.ofMinutes(90)), 19.0);
    TelemetryPoint recent = temperature(ZONE_A, T0.minus(Duration.ofDays(1)), 20.0);
    List.of(expiredAtFirstPurge, expiredAtSecondPurge, recent).forEach(history::record);
    await(history.flush());

    // first purge at T0 + 1 h: deletes what is older than T0 + 1 h - 90 days
    clock.advance(settings.purgeInterval().plusSeconds(1));
    probeAwait(() -> {
      assertEquals(1, history.stats().purged());
      assertEquals(1, clock.pending(), "the next purge is scheduled");
    });
    assertEquals(List.of(expiredAtSecondPurge, recent), queryAll(history, ZONE_A));

    // the next one, an interval later, ages out the second point; the recent one stays
    clock.advance(Duration.ofHours(3));
    probeAwait(() -> assertEquals(2, history.stats().purged()));
    assertEquals(List.of(recent), queryAll(history, ZONE_A));
  }

  @Test
  void purgeOlderThanDeletesStrictlyOlderPointsAndSaysHowMany() {
    TelemetryHistory history = openInMemory(settings(20_000, 500));
    for (int i = 0; i < 12_000; i++) history.record(temperature(ZONE_A, T0.plusMillis(i), i));
    await(history.flush());
    assertEquals(0, history.stats().dropped());

    // more than one purge chunk, so the chunked delete loops
    assertEquals(11_000L, await(history.purgeOlderThan(T0.plusMillis(11_000))));

    List<TelemetryPoint> left = queryAll(history, ZONE_A);
    assertEquals(1_000, left.size());
    assertEquals(T0.plusMillis(11_000), left.get(0).ts());
    assertEquals(11_000, history.stats().purged());
  }

  @Test
  void pointsSurviveClosingAndReopeningAFileDatabase(@TempDir Path dir) {
    String url = "jdbc:h2:file:" + dir.resolve("history").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
    TelemetryHistory first = open(url, TelemetryHistorySettings.defaults(), new SimulatedClock(T0));
    List<TelemetryPoint> points = IntStream.range(0, 100).mapToObj(i -> temperature(ZONE_A, T0.plusSeconds(i), i)).toList();
    points.forEach(first::record);
    first.close(); // no flush: closing writes what is buffered

    TelemetryHistory reopened = open(url, TelemetryHistorySettings.defaults(), new SimulatedClock(T0));

    assertEquals(points, queryAll(reopened, ZONE_A));
  }

  @Test
  void tenThousandPointsAreWrittenInFarFewerJdbcBatches() {
    TelemetryHistory history = openInMemory(TelemetryHistorySettings.defaults());
    for (int i = 0; i < 10_000; i++) {
      assertTrue(history.record(TelemetryPoint.of(AssetId.of("demo-mall", AssetKind.ZONE, "Z" + (i % 100)), T0.plusMillis(i), "people", i)));
    }
    await(history.flush());

    Stats stats = history.stats();
    assertEquals(10_000, stats.written());
    assertTrue(stats.batches() < 100, "10,000 points in " + stats.batches() + " batches");
    assertTrue(stats.batches() >= 10_000 / TelemetryHistorySettings.defaults().batchSize(), "no batch exceeds batch-size: " + stats);
  }

  @Test
  void flushCoversEveryPointItsCallerRecordedEvenWithOtherThreadsRecording() throws Exception {
    TelemetryHistory history = openInMemory(settings(10_000, 64));
    int threads = 4;
    int perThread = 2_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<CompletableFuture<Integer>> seen = IntStream.range(0, threads)
          .mapToObj(t -> CompletableFuture.supplyAsync(() -> {
            AssetId asset = AssetId.of("demo-mall", AssetKind.ZONE, "T" + t);
            for (int i = 0; i < perThread; i++) assertTrue(history.record(temperature(asset, T0.plusMillis(i), i)));
            await(history.flush());
            return await(history.query(asset, Optional.empty(), T0, T0.plusSeconds(60), 10 * perThread)).size();
          }, pool))
          .toList();
      for (CompletableFuture<Integer> s : seen) assertEquals(perThread, s.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRepeatedReadingReplacesTheEarlierOneInsteadOfDoubling() {
    TelemetryHistory history = openInMemory(TelemetryHistorySettings.defaults());
    history.record(temperature(ZONE_A, T0, 20.0));
    history.record(temperature(ZONE_A, T0, 20.5)); // same batch
    await(history.flush());
    history.record(temperature(ZONE_A, T0, 21.0)); // later batch
    await(history.flush());

    assertEquals(List.of(temperature(ZONE_A, T0, 21.0)), queryAll(history, ZONE_A));
  }

  @Test
  void aClosedHistoryRefusesPointsAndQueries() {
    TelemetryHistory history = openInMemory(TelemetryHistorySettings.defaults());
    history.close();

    assertFalse(history.record(temperature(ZONE_A, T0, 20.0)));
    assertEquals(1, history.stats().dropped());
    await(history.flush());
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> history.query(ZONE_A, Optional.empty(), T0, T0.plusSeconds(1), 10).toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    assertInstanceOf(IllegalStateException.class, e.getCause());
  }

  @Test
  void aFlushSettlesInsteadOfHangingWhenTheActorSystemStopsUnderIt() {
    ActorTestKit ownKit = ActorTestKit.create();
    TelemetryHistory history = new H2TelemetryHistory(ownKit.system(), "jdbc:h2:mem:" + UUID.randomUUID(),
        TelemetryHistorySettings.defaults(), new SimulatedClock(T0));
    opened.add(history);
    history.record(temperature(ZONE_A, T0, 20.0));
    ownKit.shutdownTestKit();

    CompletableFuture<?> flushed = history.flush().toCompletableFuture();

    probeAwait(() -> assertTrue(flushed.isDone()));
    assertFalse(history.record(temperature(ZONE_A, T0.plusSeconds(1), 20.0)));
  }

  @Test
  void timesAreKeptToTheMillisecondAndRangeBoundsCompareExactly() {
    TelemetryHistory history = openInMemory(TelemetryHistorySettings.defaults());
    TelemetryPoint p = temperature(ZONE_A, T0.plusNanos(1_999_999), 20.0);
    assertEquals(T0.plusMillis(1), p.ts());
    history.record(p);
    await(history.flush());

    assertEquals(List.of(p), await(history.query(ZONE_A, Optional.empty(), T0.plusMillis(1), T0.plusNanos(1_000_001), 10)));
    assertEquals(List.of(), await(history.query(ZONE_A, Optional.empty(), T0.plusNanos(1_000_001), T0.plusSeconds(1), 10)));
    assertEquals(List.of(), await(history.query(ZONE_A, Optional.empty(), T0, T0.plusMillis(1), 10)));
  }

  private static void probeAwait(Runnable assertion) {
    testKit.createTestProbe().awaitAssert(TIMEOUT, () -> {
      assertion.run();
      return null;
    });
  }

  private TelemetryHistory openInMemory(TelemetryHistorySettings settings) {
    // a clock nobody advances: no retention purge runs unless a test drives one
    return open("jdbc:h2:mem:" + UUID.randomUUID(), settings, new SimulatedClock(T0));
  }

  private TelemetryHistory open(String url, TelemetryHistorySettings settings, TwinClock clock) {
    TelemetryHistory history = new H2TelemetryHistory(testKit.system(), url, settings, clock);
    opened.add(history);
    return history;
  }

  private static TelemetryHistorySettings settings(int bufferSize, int batchSize) {
    TelemetryHistorySettings d = TelemetryHistorySettings.defaults();
    return new TelemetryHistorySettings(bufferSize, batchSize, d.batchWindow(), d.retention(), d.purgeInterval());
  }

  private static TelemetryPoint temperature(AssetId asset, Instant ts, double celsius) {
    return TelemetryPoint.of(asset, ts, "temperature", celsius);
  }

  private static List<TelemetryPoint> queryAll(TelemetryHistory history, AssetId asset) {
    return await(history.query(asset, Optional.empty(), Instant.EPOCH, T0.plus(Duration.ofDays(365)), 1_000_000));
  }

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("did not complete within " + TIMEOUT, e);
    }
  }
}
