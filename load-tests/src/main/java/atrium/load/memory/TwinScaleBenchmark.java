package atrium.load.memory;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.runtime.AtriumRuntime;
import atrium.core.runtime.TwinServices;
import atrium.core.site.SiteJson;
import atrium.devices.TwinKind;
import atrium.load.memory.EntityHeapBenchmark.Machine;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion.CurrentShardRegionState;
import org.apache.pekko.cluster.sharding.ShardRegion.ShardState;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Many twins on one node with Pekko's limit-based passivation. Starts a node on a generated site with
 * the demo mall's mix of kinds ({@link TwinSite.Counts#demoMix}) and
 * the product's passivation strategy (idle timeout plus an {@code atrium.active-twin-limit} of awake
 * twins per kind, least recently used first), asks every twin once ({@code GetState}, in a seeded random order of the
 * mix, a bounded number in flight, within a time budget), then reads the heap after GC, counts the
 * active entities of every kind, and times first answers: twins touched early that the strategy has
 * passivated, beside twins touched last that are still resident, one ask at a time, alternately.
 *
 * <p>Run it with {@code bin/atrium bench-twins scale [--twins N] [--active-limit N] [--out file.json]},
 * which runs it with {@code -Xmx2g}.
 */
public final class TwinScaleBenchmark {
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(60);
  private static final long SEED = 20_261_124L;

  private TwinScaleBenchmark() {}

  public record Options(int twins, int activeLimit, int inFlight, int maxSeconds, int probes, Path out) {
    static final String USAGE = """
        usage: TwinScaleBenchmark [--twins N] [--active-limit N] [--in-flight N] [--max-seconds N] [--probes N] [--out report.json]
          --twins         twins of the demo mix to ask once each (default 1000000)
          --active-limit  atrium.active-twin-limit: the product strategy's limit per entity type (default 100000)
          --in-flight     asks in flight while touching (default 200)
          --max-seconds   stop touching after this long and report how far it got (default 600)
          --probes        first answers to time, of passivated and of resident twins each (default 10000)
          --out           write the report as JSON to this file""";

    public Options {
      if (twins < 1_000) throw new IllegalArgumentException("--twins: at least 1000, not " + twins);
      if (activeLimit < 1) throw new IllegalArgumentException("--active-limit: at least 1, not " + activeLimit);
      if (inFlight < 1) throw new IllegalArgumentException("--in-flight: at least 1, not " + inFlight);
      if (maxSeconds < 1) throw new IllegalArgumentException("--max-seconds: at least 1, not " + maxSeconds);
      if (probes < 1) throw new IllegalArgumentException("--probes: at least 1, not " + probes);
    }

    public static Options defaults() {
      return new Options(1_000_000, 100_000, 200, 600, 10_000, null);
    }

    static Options parse(String... args) {
      Options o = defaults();
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (flag.equals("--help") || flag.equals("-h")) throw new IllegalArgumentException("");
        if (i + 1 >= args.length) throw new IllegalArgumentException(flag + ": needs a value");
        String v = args[++i];
        o = switch (flag) {
          case "--twins" -> new Options(KindHeapBenchmark.number(flag, v), o.activeLimit, o.inFlight, o.maxSeconds, o.probes, o.out);
          case "--active-limit" -> new Options(o.twins, KindHeapBenchmark.number(flag, v), o.inFlight, o.maxSeconds, o.probes, o.out);
          case "--in-flight" -> new Options(o.twins, o.activeLimit, KindHeapBenchmark.number(flag, v), o.maxSeconds, o.probes, o.out);
          case "--max-seconds" -> new Options(o.twins, o.activeLimit, o.inFlight, KindHeapBenchmark.number(flag, v), o.probes, o.out);
          case "--probes" -> new Options(o.twins, o.activeLimit, o.inFlight, o.maxSeconds, KindHeapBenchmark.number(flag, v), o.out);
          case "--out" -> new Options(o.twins, o.activeLimit, o.inFlight, o.maxSeconds, o.probes, Path.of(v));
          default -> throw new IllegalArgumentException("unknown option " + flag);
        };
      }
      return o;
    }
  }

  /** Latency percentiles in milliseconds. */
  public record Latency(long count, double p50, double p90, double p99, double p999, double max, double mean) {
    static Latency of(Histogram h) {
      return new Latency(h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
          ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), ms((long) h.getMean()));
    }

    private static double ms(long nanos) {
      return Math.round(nanos / 1_000.0) / 1_000.0;
    }
  }

  public record Report(
      String date,
      Machine machine,
      int twinsAsked,
      int activeEntityLimit,
      int inFlight,
      Map<String, Integer> mix,
      int touched,
      int answered,
      int failed,
      String firstFailure,
      double touchSeconds,
      double touchesPerSecond,
      boolean reachedAll,
      long heapUsedAfterGcBytes,
      long heapUsedAfterGcAfterProbesBytes,
      Map<String, Integer> activeByKind,
      int activeTotal,
      Latency passivatedFirstAnswer,
      Latency residentAnswer,
      int probeFailures) {}

  public static void main(String[] args) throws Exception {
    BenchmarkMain.main(args, Options::parse, Options.USAGE, Options::out, TwinScaleBenchmark::run, TwinScaleBenchmark::summary, r -> r.failed() == 0 && r.probeFailures() == 0);
  }

  public static Report run(Options o) throws IOException {
    Path work = Files.createTempDirectory("atrium-twin-scale-");
    try {
      TwinSite.Counts counts = TwinSite.Counts.demoMix(o.twins());
      Path siteFile = work.resolve(TwinSite.SITE_ID + ".json");
      Files.writeString(siteFile, SiteJson.write(TwinSite.build(counts)), StandardCharsets.UTF_8);
      Report report = measure(o, counts, siteFile, work.resolve("data"));
      KindHeapBenchmark.write(o.out(), report);
      return report;
    } finally {
      EntityHeapBenchmark.deleteTree(work);
    }
  }

  /** The kinds of the twins in the order they are touched: the mix, shuffled with a fixed seed. */
  static byte[] touchOrder(TwinSite.Counts counts) {
    byte[] order = new byte[counts.total()];
    int i = 0;
    for (AssetKind k : AssetKind.values()) {
      for (int n = counts.of(k); n > 0; n--) order[i++] = (byte) k.ordinal();
    }
    Random random = new Random(SEED);
    for (int j = order.length - 1; j > 0; j--) {
      int r = random.nextInt(j + 1);
      byte t = order[j];
      order[j] = order[r];
      order[r] = t;
    }
    return order;
  }

  /** The twins of the first {@code n} touches, in touch order. */
  static List<AssetId> touched(byte[] order, int n) {
    int[] next = new int[AssetKind.values().length];
    List<AssetId> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      AssetKind k = AssetKind.values()[order[i]];
      ids.add(TwinSite.assetId(k, ++next[k.ordinal()]));
    }
    return ids;
  }

  private static Report measure(Options o, TwinSite.Counts counts, Path siteFile, Path dataDir) {
    Config overrides = ConfigFactory.parseMap(Map.of(
        "atrium.data-dir", dataDir.toString(),
        "atrium.site-files", List.of(siteFile.toString()),
        "atrium.clock.mode", "manual",
        "atrium.passivate-idle-after", "1h",
        // The product's own passivation strategy (atrium-pekko.conf), with the limit under study.
        "atrium.active-twin-limit", o.activeLimit(),
        "pekko.remote.artery.canonical.port", 0));
    try (AtriumRuntime runtime = AtriumRuntime.start(overrides)) {
      ActorSystem<Void> system = runtime.system();
      TwinServices services = runtime.services();
      Map<AssetKind, TwinKind> kinds = KindHeapBenchmark.startKinds(runtime);
      byte[] order = touchOrder(counts);

      // Touch: every twin once, in the shuffled order, until done or out of time.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.maxSeconds());
      int[] next = new int[AssetKind.values().length];
      AtomicInteger touched = new AtomicInteger();
      AtomicInteger answered = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      String[] firstFailure = {null};
      AtomicLong lastReport = new AtomicLong(System.nanoTime());
      long start = System.nanoTime();
      CompletionStage<?> done = Source.range(0, order.length - 1)
          .takeWhile(i -> System.nanoTime() < deadline)
          .map(i -> {
            AssetKind k = AssetKind.values()[order[i]];
            touched.incrementAndGet();
            return TwinSite.assetId(k, ++next[k.ordinal()]);
          })
          .mapAsyncUnordered(o.inFlight(), id -> kinds.get(id.kind()).state(services, id)
              .handle((reply, error) -> error == null ? "" : error.toString()))
          .runWith(Sink.foreach(failure -> {
            if (failure.isEmpty()) {
              int a = answered.incrementAndGet();
              if (a % 50_000 == 0) {
                long now = System.nanoTime();
                System.out.printf(Locale.ROOT, "  %,d answered, %.0f s, heap used %,d MB%n", a, (now - start) / 1e9,
                    Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory() >> 20);
                lastReport.set(now);
              }
            } else {
              failed.incrementAndGet();
              synchronized (firstFailure) {
                if (firstFailure[0] == null) firstFailure[0] = failure;
              }
            }
          }), system);
      EntityHeapBenchmark.await(done, Duration.ofSeconds(o.maxSeconds() + 300L));
      double seconds = (System.nanoTime() - start) / 1e9;
      int n = touched.get();

      long heapAfter = EntityHeapBenchmark.settledHeapUsed();
      Map<AssetKind, Set<String>> active = active(system, services.sharding());

      // Probes: early twins the strategy passivated, and the last twins touched that are still resident.
      List<AssetId> all = touched(order, n);
      List<AssetId> passivated = new ArrayList<>();
      for (int i = 0; i < n && passivated.size() < o.probes(); i++) {
        AssetId id = all.get(i);
        if (!active.get(id.kind()).contains(id.entityId())) passivated.add(id);
      }
      List<AssetId> resident = new ArrayList<>();
      for (int i = n - 1; i >= 0 && resident.size() < o.probes(); i--) {
        AssetId id = all.get(i);
        if (active.get(id.kind()).contains(id.entityId())) resident.add(id);
      }
      all = null;
      Histogram cold = new Histogram(TimeUnit.SECONDS.toNanos(120), 3);
      Histogram warm = new Histogram(TimeUnit.SECONDS.toNanos(120), 3);
      int probeFailures = 0;
      for (int i = 0; i < Math.max(passivated.size(), resident.size()); i++) {
        if (i < passivated.size()) probeFailures += time(kinds, services, passivated.get(i), cold);
        if (i < resident.size()) probeFailures += time(kinds, services, resident.get(i), warm);
      }
      long heapAfterProbes = EntityHeapBenchmark.settledHeapUsed();

      Map<String, Integer> mix = new LinkedHashMap<>();
      Map<String, Integer> activeByKind = new LinkedHashMap<>();
      int activeTotal = 0;
      for (AssetKind k : KindHeapBenchmark.KINDS) {
        if (counts.of(k) > 0) mix.put(k.wireName(), counts.of(k));
        activeByKind.put(k.wireName(), active.get(k).size());
        activeTotal += active.get(k).size();
      }
      return new Report(OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString(),
          EntityHeapBenchmark.machine(), counts.total(), o.activeLimit(), o.inFlight(), mix, n, answered.get(), failed.get(),
          firstFailure[0], seconds, answered.get() / seconds, n == counts.total() && answered.get() == n, heapAfter,
          heapAfterProbes, activeByKind, activeTotal, Latency.of(cold), Latency.of(warm), probeFailures);
    }
  }

  /** Asks one twin for its state and records how long the answer took; 1 if it failed. */
  private static int time(Map<AssetKind, TwinKind> kinds, TwinServices services, AssetId id, Histogram into) {
    long t0 = System.nanoTime();
    try {
      kinds.get(id.kind()).state(services, id).toCompletableFuture().get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      into.recordValue(Math.min(System.nanoTime() - t0, into.getHighestTrackableValue()));
      return 0;
    } catch (Exception e) {
      return 1;
    }
  }

  /** The ids of the entities every kind's shard region reports active. */
  private static Map<AssetKind, Set<String>> active(ActorSystem<?> system, ClusterSharding sharding) {
    Map<AssetKind, Set<String>> active = new EnumMap<>(AssetKind.class);
    for (Map.Entry<AssetKind, EntityTypeKey<?>> e : TwinSite.KEYS.entrySet()) {
      EntityTypeKey<?> key = e.getValue();
      CurrentShardRegionState state = EntityHeapBenchmark.await(AskPattern.<ClusterShardingQuery, CurrentShardRegionState>ask(
          sharding.shardState(), replyTo -> new GetShardRegionState(key, replyTo), ASK_TIMEOUT, system.scheduler()), ASK_TIMEOUT);
      Set<String> ids = new HashSet<>();
      for (ShardState s : state.getShards()) ids.addAll(s.getEntityIds());
      active.put(e.getKey(), ids);
    }
    return active;
  }

  static String summary(Report r) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "Twins at scale with limit-based passivation (active-entity-limit %,d per entity type; %s, %d cpus, max heap %,d MB)%n",
        r.activeEntityLimit(), r.machine().javaVersion(), r.machine().availableProcessors(), r.machine().maxHeapBytes() >> 20));
    s.append("  mix: ").append(r.mix()).append('\n');
    s.append(String.format(Locale.ROOT, "  touched %,d of %,d (%s), answered %,d, failed %,d in %.0f s: %,.0f twins/s, %d in flight%n",
        r.touched(), r.twinsAsked(), r.reachedAll() ? "all" : "NOT all: out of time or failures", r.answered(), r.failed(),
        r.touchSeconds(), r.touchesPerSecond(), r.inFlight()));
    if (r.firstFailure() != null) s.append("  first failure: ").append(r.firstFailure()).append('\n');
    s.append(String.format(Locale.ROOT, "  heap used after GC: %,.0f MB after touching, %,.0f MB after the probes%n",
        r.heapUsedAfterGcBytes() / 1048576.0, r.heapUsedAfterGcAfterProbesBytes() / 1048576.0));
    s.append(String.format(Locale.ROOT, "  active entities: %,d %s%n", r.activeTotal(), r.activeByKind()));
    s.append(latency("first answer, passivated twin", r.passivatedFirstAnswer()));
    s.append(latency("answer, resident twin       ", r.residentAnswer()));
    if (r.probeFailures() > 0) s.append("  probe failures: ").append(r.probeFailures()).append('\n');
    return s.toString();
  }

  private static String latency(String what, Latency l) {
    return String.format(Locale.ROOT, "  %s (%,d): p50 %.2f ms  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  mean %.2f%n",
        what, l.count(), l.p50(), l.p90(), l.p99(), l.p999(), l.max(), l.mean());
  }
}
