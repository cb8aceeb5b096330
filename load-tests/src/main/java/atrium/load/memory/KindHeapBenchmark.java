package atrium.load.memory;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.runtime.AtriumRuntime;
import atrium.core.runtime.TwinServices;
import atrium.core.site.SiteJson;
import atrium.devices.TwinKind;
import atrium.devices.Twins;
import atrium.load.memory.EntityHeapBenchmark.ClassGrowth;
import atrium.load.memory.EntityHeapBenchmark.Machine;
import atrium.load.memory.EntityHeapBenchmark.Phase;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.IntFunction;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Heap per idle resident twin of every kind, beside Pekko's floor ({@link BareEntity}), in one JVM and
 * one run. Starts a node on a generated {@link TwinSite} with N twins of each kind (couriers: at most
 * 9,999, the most one site may have), starts every kind as the product does ({@link Twins#kinds}),
 * reads the heap after GC, then activates N bare entities and, kind after kind, the N twins of each
 * kind with their {@code GetState} (the kind's own {@link TwinKind#state}), reading the heap after
 * each phase. Nothing is passivated during the run; every twin stays awake to the end.
 *
 * <p>Run it with {@code bin/atrium bench-twins heap [--per-kind N] [--out file.json]}.
 */
public final class KindHeapBenchmark {
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(60);
  /** The order the kinds are activated in. */
  static final List<AssetKind> KINDS = List.of(AssetKind.PARKING_BAY, AssetKind.CAR_PARK, AssetKind.ZONE, AssetKind.CAMERA,
      AssetKind.HVAC_ZONE, AssetKind.SHELF_LABEL, AssetKind.KIOSK, AssetKind.COURIER, AssetKind.ALARM);

  private KindHeapBenchmark() {}

  public record Options(int perKind, int inFlight, Path out, int topClasses) {
    static final String USAGE = """
        usage: KindHeapBenchmark [--per-kind N] [--in-flight N] [--out report.json] [--top-classes N]
          --per-kind     twins of each kind, and bare entities, to activate (default 20000; couriers at most 9999)
          --in-flight    asks in flight while activating (default 500)
          --out          write the report as JSON to this file
          --top-classes  classes to list by heap growth per twin, 0 for none (default 10)""";

    public Options {
      if (perKind < 100) throw new IllegalArgumentException("--per-kind: at least 100, not " + perKind);
      if (inFlight < 1) throw new IllegalArgumentException("--in-flight: at least 1, not " + inFlight);
      if (topClasses < 0) throw new IllegalArgumentException("--top-classes: 0 or more, not " + topClasses);
    }

    public static Options defaults() {
      return new Options(20_000, 500, null, 10);
    }

    static Options parse(String... args) {
      Options o = defaults();
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (flag.equals("--help") || flag.equals("-h")) throw new IllegalArgumentException("");
        if (i + 1 >= args.length) throw new IllegalArgumentException(flag + ": needs a value");
        String v = args[++i];
        o = switch (flag) {
          case "--per-kind" -> new Options(number(flag, v), o.inFlight, o.out, o.topClasses);
          case "--in-flight" -> new Options(o.perKind, number(flag, v), o.out, o.topClasses);
          case "--out" -> new Options(o.perKind, o.inFlight, Path.of(v), o.topClasses);
          case "--top-classes" -> new Options(o.perKind, o.inFlight, o.out, number(flag, v));
          default -> throw new IllegalArgumentException("unknown option " + flag);
        };
      }
      return o;
    }
  }

  /** One kind's phase and its ratio to the bare entity's bytes. */
  public record KindResult(String kind, Phase phase, double ratioToBare) {}

  public record Report(String date, Machine machine, int perKind, int inFlight, Phase bare, List<KindResult> kinds) {
    public boolean complete() {
      if (bare.answered() != bare.entities() || bare.aliveAtEnd() != bare.entities()) return false;
      return kinds.stream().allMatch(k -> k.phase().answered() == k.phase().entities() && k.phase().aliveAtEnd() == k.phase().entities());
    }
  }

  public static void main(String[] args) throws Exception {
    BenchmarkMain.main(args, Options::parse, Options.USAGE, Options::out, KindHeapBenchmark::run, KindHeapBenchmark::summary, Report::complete);
  }

  public static Report run(Options o) throws IOException {
    Path work = Files.createTempDirectory("atrium-kind-heap-");
    try {
      TwinSite.Counts counts = TwinSite.Counts.each(o.perKind());
      Path siteFile = work.resolve(TwinSite.SITE_ID + ".json");
      Files.writeString(siteFile, SiteJson.write(TwinSite.build(counts)), StandardCharsets.UTF_8);
      Report report = measure(o, counts, siteFile, work.resolve("data"));
      write(o.out(), report);
      return report;
    } finally {
      EntityHeapBenchmark.deleteTree(work);
    }
  }

  static void write(Path out, Object report) throws IOException {
    if (out == null) return;
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    new ObjectMapper().findAndRegisterModules().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), report);
  }

  /** Each kind's door to its twins' {@code GetState}, as the product asks it. */
  static Map<AssetKind, TwinKind> startKinds(AtriumRuntime runtime) {
    Map<AssetKind, TwinKind> kinds = new EnumMap<>(AssetKind.class);
    for (TwinKind k : Twins.kinds(runtime.system().settings().config())) {
      k.start(runtime);
      kinds.put(k.kind(), k);
    }
    return kinds;
  }

  private static Report measure(Options o, TwinSite.Counts counts, Path siteFile, Path dataDir) {
    Config overrides = ConfigFactory.parseMap(Map.of(
        "atrium.data-dir", dataDir.toString(),
        "atrium.site-files", List.of(siteFile.toString()),
        "atrium.clock.mode", "manual",
        "atrium.passivate-idle-after", "1h",
        // Every twin stays awake while its heap is measured.
        "atrium.active-twin-limit", 10_000_000,
        "pekko.remote.artery.canonical.port", 0));
    try (AtriumRuntime runtime = AtriumRuntime.start(overrides)) {
      ActorSystem<Void> system = runtime.system();
      TwinServices services = runtime.services();
      ClusterSharding sharding = services.sharding();
      sharding.init(Entity.of(BareEntity.ENTITY_KEY, ctx -> BareEntity.create(ctx.getEntityId())));
      Map<AssetKind, TwinKind> kinds = startKinds(runtime);
      int top = o.topClasses();

      Map<String, long[]> histogram = top > 0 ? EntityHeapBenchmark.classHistogram() : Map.of();
      long before = EntityHeapBenchmark.settledHeapUsed();
      int n = o.perKind();
      Sweep bareSweep = sweep(system, n, o.inFlight(),
          i -> sharding.entityRefFor(BareEntity.ENTITY_KEY, TwinSite.SITE_ID + "/" + String.format(Locale.ROOT, "X-%06d", i))
              .ask(BareEntity.Ping::new, ASK_TIMEOUT));
      long after = EntityHeapBenchmark.settledHeapUsed();
      Map<String, long[]> next = top > 0 ? EntityHeapBenchmark.classHistogram() : Map.of();
      List<ClassGrowth> bareClasses = EntityHeapBenchmark.growth(histogram, next, n, top);
      histogram = next;
      long[] bareHeap = {before, after};
      before = after;

      List<long[]> heaps = new ArrayList<>();
      List<Sweep> sweeps = new ArrayList<>();
      List<List<ClassGrowth>> classes = new ArrayList<>();
      for (AssetKind kind : KINDS) {
        TwinKind door = kinds.get(kind);
        int count = counts.of(kind);
        sweeps.add(sweep(system, count, o.inFlight(), i -> door.state(services, TwinSite.assetId(kind, i))));
        after = EntityHeapBenchmark.settledHeapUsed();
        next = top > 0 ? EntityHeapBenchmark.classHistogram() : Map.of();
        classes.add(EntityHeapBenchmark.growth(histogram, next, count, top));
        histogram = next;
        heaps.add(new long[] {before, after});
        before = after;
      }

      // Counted after the last heap reading, so that the counting's garbage stays out of the figures.
      Phase bare = phase("BareEntity", n, bareHeap, bareSweep,
          EntityHeapBenchmark.alive(system, sharding, BareEntity.ENTITY_KEY), bareClasses);
      List<KindResult> results = new ArrayList<>();
      for (int k = 0; k < KINDS.size(); k++) {
        AssetKind kind = KINDS.get(k);
        Phase p = phase(TwinSite.KEYS.get(kind).name(), counts.of(kind), heaps.get(k), sweeps.get(k),
            EntityHeapBenchmark.alive(system, sharding, TwinSite.KEYS.get(kind)), classes.get(k));
        results.add(new KindResult(kind.wireName(), p, EntityHeapBenchmark.round(p.bytesPerEntity() / bare.bytesPerEntity())));
      }
      return new Report(OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString(),
          EntityHeapBenchmark.machine(), n, o.inFlight(), bare, results);
    }
  }

  /** What one activation sweep saw. */
  record Sweep(int answered, int failed, String firstFailure, double seconds) {}

  /** Asks twins 1..n once each, {@code inFlight} asks at most at a time, and waits for every answer. */
  static Sweep sweep(ActorSystem<?> system, int n, int inFlight, IntFunction<CompletionStage<?>> ask) {
    long start = System.nanoTime();
    CompletionStage<Tally> done = Source.range(1, n)
        .mapAsyncUnordered(inFlight, i -> ask.apply(i).handle((reply, error) -> error == null ? "" : error.toString()))
        .runWith(Sink.fold(new Tally(), Tally::add), system);
    Tally t = EntityHeapBenchmark.await(done, Duration.ofMinutes(60));
    return new Sweep(t.answered, t.failed, t.firstFailure, (System.nanoTime() - start) / 1e9);
  }

  private static final class Tally {
    int answered;
    int failed;
    String firstFailure;

    Tally add(String failure) {
      if (failure.isEmpty()) {
        answered++;
      } else {
        failed++;
        if (firstFailure == null) firstFailure = failure;
      }
      return this;
    }
  }

  private static Phase phase(String type, int n, long[] heap, Sweep s, int alive, List<ClassGrowth> classes) {
    return new Phase(type, n, heap[0], heap[1], (double) (heap[1] - heap[0]) / n, s.seconds(), n / s.seconds(), s.answered(),
        s.failed(), s.firstFailure(), alive, classes);
  }

  static String summary(Report r) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "Heap per idle resident twin, every kind: %,d of each (couriers at most 9,999), %d asks in flight (%s, %d cpus, max heap %,d MB, %s)%n",
        r.perKind(), r.inFlight(), r.machine().javaVersion(), r.machine().availableProcessors(), r.machine().maxHeapBytes() >> 20,
        String.join(" + ", r.machine().garbageCollectors())));
    s.append(String.format(Locale.ROOT, "  %-12s %8s %6s %10s %9s %9s%n", "kind", "B/twin", "ratio", "act/s", "answered", "alive"));
    s.append(line("BareEntity", r.bare(), 1.0));
    for (KindResult k : r.kinds()) s.append(line(k.kind(), k.phase(), k.ratioToBare()));
    List<Phase> phases = new ArrayList<>();
    phases.add(r.bare());
    r.kinds().forEach(k -> phases.add(k.phase()));
    for (Phase p : phases) {
      if (p.firstFailure() != null) s.append("  ").append(p.entityType()).append(" first failure: ").append(p.firstFailure()).append('\n');
    }
    for (Phase p : phases) {
      if (p.topClasses().isEmpty()) continue;
      s.append("  heap growth per ").append(p.entityType()).append(", by class:\n");
      for (ClassGrowth c : p.topClasses()) {
        s.append(String.format(Locale.ROOT, "    %8.1f B  %5.2f objects  %s%n", c.bytesPerEntity(), c.instancesPerEntity(), c.className()));
      }
    }
    if (!r.complete()) s.append("  INCOMPLETE: not every twin answered or stayed alive; the figures are not comparable\n");
    return s.toString();
  }

  private static String line(String kind, Phase p, double ratio) {
    return String.format(Locale.ROOT, "  %-12s %,8.0f %6.2f %,10.0f %,9d %,9d%n", kind, p.bytesPerEntity(), ratio,
        p.activationsPerSecond(), p.answered(), p.aliveAtEnd());
  }

  static int number(String flag, String v) {
    try {
      return Integer.parseInt(v.replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + ": '" + v + "' is not a whole number");
    }
  }
}
