package atrium.load.memory;

import atrium.core.runtime.AtriumRuntime;
import atrium.core.site.Bay;
import atrium.core.site.CarPark;
import atrium.core.site.CarParkLevel;
import atrium.core.site.Site;
import atrium.core.site.SiteJson;
import atrium.core.site.SiteLoader;
import atrium.devices.parking.ParkingBay;
import atrium.devices.parking.ParkingSettings;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.management.ObjectName;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion.CurrentShardRegionState;
import org.apache.pekko.cluster.sharding.ShardRegion.ShardState;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Heap per idle parking-bay twin beside Pekko's floor, in one JVM and one run. Starts an Atrium node
 * (embedded H2 journal on a fresh directory, manual clock, no passivation during the run) on a
 * generated site of N bays, then:
 * <ol>
 *   <li>forces GC and reads the heap used: the baseline;</li>
 *   <li>activates N {@link BareEntity} (empty state, one command, no persist) through sharding, a
 *       bounded number of asks in flight, and measures again: bytes per bare entity;</li>
 *   <li>activates the N {@link ParkingBay} twins of the site the same way ({@code GetState}) and
 *       measures again: bytes per bay.</li>
 * </ol>
 * Every entity must have answered and the shard regions must report all 2N alive at the end. The
 * report says both figures, their ratio, the activation rates and which classes grew per entity.
 *
 * <p>Run it with {@code bin/atrium bench-heap [--entities N] [--out file.json]}.
 */
public final class EntityHeapBenchmark {
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern HISTOGRAM_LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");
  /** The JVM's numbering of lambda classes, which changes from run to run: {@code $$Lambda$1705/0x00007f...}. */
  private static final Pattern LAMBDA_NUMBER = Pattern.compile("\\$\\$Lambda\\$\\d+/0x[0-9a-f]+");

  private EntityHeapBenchmark() {}

  public record Options(int entities, int inFlight, Path out, Path dataDir, int topClasses) {
    static final String USAGE = """
        usage: EntityHeapBenchmark [--entities N] [--in-flight N] [--out report.json] [--data-dir DIR] [--top-classes N]
          --entities     bare entities and parking bays to activate, each (default 100000, at least %d)
          --in-flight    asks in flight while activating (default 500)
          --out          write the report as JSON to this file
          --data-dir     journal directory, which must not exist yet (default: a temporary directory, deleted after)
          --top-classes  classes to list by heap growth per entity, 0 for none (default 12)""".formatted(BenchSite.MIN_BAYS);

    public Options {
      if (entities < BenchSite.MIN_BAYS) throw new IllegalArgumentException("--entities: at least " + BenchSite.MIN_BAYS + ", not " + entities);
      if (inFlight < 1) throw new IllegalArgumentException("--in-flight: at least 1, not " + inFlight);
      if (topClasses < 0) throw new IllegalArgumentException("--top-classes: 0 or more, not " + topClasses);
    }

    public static Options defaults() {
      return new Options(100_000, 500, null, null, 12);
    }

    public Options withEntities(int n) {
      return new Options(n, inFlight, out, dataDir, topClasses);
    }

    public Options withOut(Path file) {
      return new Options(entities, inFlight, file, dataDir, topClasses);
    }

    static Options parse(String... args) {
      Options o = defaults();
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (flag.equals("--help") || flag.equals("-h")) throw new IllegalArgumentException("");
        if (i + 1 >= args.length) throw new IllegalArgumentException(flag + ": needs a value");
        String v = args[++i];
        o = switch (flag) {
          case "--entities" -> o.withEntities(number(flag, v));
          case "--in-flight" -> new Options(o.entities, number(flag, v), o.out, o.dataDir, o.topClasses);
          case "--out" -> o.withOut(Path.of(v));
          case "--data-dir" -> new Options(o.entities, o.inFlight, o.out, Path.of(v), o.topClasses);
          case "--top-classes" -> new Options(o.entities, o.inFlight, o.out, o.dataDir, number(flag, v));
          default -> throw new IllegalArgumentException("unknown option " + flag);
        };
      }
      return o;
    }

    private static int number(String flag, String v) {
      try {
        return Integer.parseInt(v.replace("_", "").replace(",", ""));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + ": '" + v + "' is not a whole number");
      }
    }
  }

  /** Heap growth of one class over a phase, per entity activated in it. */
  public record ClassGrowth(String className, double bytesPerEntity, double instancesPerEntity) {}

  /** One kind of entity activated and measured. */
  public record Phase(
      String entityType,
      int entities,
      long heapBeforeBytes,
      long heapAfterBytes,
      double bytesPerEntity,
      double activationSeconds,
      double activationsPerSecond,
      int answered,
      int failed,
      String firstFailure,
      int aliveAtEnd,
      List<ClassGrowth> topClasses) {}

  public record Machine(int availableProcessors, long maxHeapBytes, String javaVersion, String vm, List<String> garbageCollectors) {}

  public record Report(
      String date,
      Machine machine,
      int entities,
      int inFlight,
      Phase bare,
      Phase parkingBay,
      double ratioBayToBare,
      double siteModelBytesPerBay) {

    /** Every entity of both kinds answered and was still alive when the heap was measured. */
    public boolean complete() {
      return bare.answered == entities && parkingBay.answered == entities
          && bare.aliveAtEnd == entities && parkingBay.aliveAtEnd == entities;
    }
  }

  public static void main(String[] args) throws Exception {
    BenchmarkMain.main(args, Options::parse, Options.USAGE, Options::out, EntityHeapBenchmark::run, EntityHeapBenchmark::summary, Report::complete);
  }

  public static Report run(Options o) throws IOException {
    if (o.dataDir() != null && Files.exists(o.dataDir())) {
      throw new IllegalArgumentException("--data-dir: " + o.dataDir() + " exists; the run needs a fresh journal");
    }
    Path work = Files.createTempDirectory("atrium-heap-");
    Path dataDir = o.dataDir() != null ? o.dataDir() : work.resolve("data");
    try {
      Path siteFile = work.resolve(BenchSite.SITE_ID + ".json");
      Files.writeString(siteFile, SiteJson.write(BenchSite.withBays(o.entities())), StandardCharsets.UTF_8);
      double siteModelBytesPerBay = siteModelBytesPerBay(siteFile, o.entities());
      Report report = measure(o, siteFile, dataDir, siteModelBytesPerBay);
      if (o.out() != null) {
        Path parent = o.out().toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(o.out().toFile(), report);
      }
      return report;
    } finally {
      deleteTree(work);
    }
  }

  /** What the site model holds per bay: loaded once per node, whether or not any twin is active. */
  private static double siteModelBytesPerBay(Path siteFile, int bays) throws IOException {
    SiteLoader.load(siteFile); // loads the loader's classes and caches first
    long before = settledHeapUsed();
    Site site = SiteLoader.load(siteFile);
    long after = settledHeapUsed();
    Reference.reachabilityFence(site);
    return (double) (after - before) / bays;
  }

  private static Report measure(Options o, Path siteFile, Path dataDir, double siteModelBytesPerBay) {
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
      ClusterSharding sharding = runtime.services().sharding();
      sharding.init(Entity.of(BareEntity.ENTITY_KEY, ctx -> BareEntity.create(ctx.getEntityId())));
      runtime.register(ParkingBay.kind(new ParkingSettings(Duration.ofMinutes(1), Duration.ofHours(24))));
      // The bays themselves, kept from before the baseline to the end: the entity id strings are built
      // afresh for each ask, so whatever sharding keeps of them is counted with the entity.
      Site site = runtime.services().sites().site(BenchSite.SITE_ID).orElseThrow();
      List<Bay> bays = bays(site);

      Map<String, long[]> histogram = o.topClasses() > 0 ? classHistogram() : Map.of();
      long baseline = settledHeapUsed();

      Activation bare = activate(system, bays, o.inFlight(),
          id -> sharding.entityRefFor(BareEntity.ENTITY_KEY, id).ask(BareEntity.Ping::new, ASK_TIMEOUT));
      long afterBare = settledHeapUsed();
      Map<String, long[]> afterBareHistogram = o.topClasses() > 0 ? classHistogram() : Map.of();
      List<ClassGrowth> bareClasses = growth(histogram, afterBareHistogram, bays.size(), o.topClasses());
      histogram = afterBareHistogram;

      Activation bay = activate(system, bays, o.inFlight(),
          id -> sharding.entityRefFor(ParkingBay.ENTITY_KEY, id).ask(ParkingBay.GetState::new, ASK_TIMEOUT));
      long afterBays = settledHeapUsed();
      List<ClassGrowth> bayClasses = growth(histogram, o.topClasses() > 0 ? classHistogram() : Map.of(), bays.size(), o.topClasses());

      // Counted after the heap was read, so that the counting's garbage stays out of the figures.
      int bareAlive = alive(system, sharding, BareEntity.ENTITY_KEY);
      int baysAlive = alive(system, sharding, ParkingBay.ENTITY_KEY);
      Reference.reachabilityFence(bays);

      int n = bays.size();
      Phase barePhase = phase("BareEntity", n, baseline, afterBare, bare, bareAlive, bareClasses);
      Phase bayPhase = phase("ParkingBay", n, afterBare, afterBays, bay, baysAlive, bayClasses);
      return new Report(OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString(), machine(), n,
          o.inFlight(), barePhase, bayPhase, bayPhase.bytesPerEntity() / barePhase.bytesPerEntity(), siteModelBytesPerBay);
    }
  }

  private static List<Bay> bays(Site site) {
    List<Bay> bays = new ArrayList<>(site.totalBays());
    for (CarPark park : site.carParks()) {
      for (CarParkLevel level : park.levels()) bays.addAll(level.bays());
    }
    return bays;
  }

  /** What one activation sweep saw. */
  private record Activation(int answered, int failed, String firstFailure, double seconds) {}

  /** Asks every bay's entity once, {@code inFlight} asks at most at a time, and waits for all the answers. */
  private static Activation activate(ActorSystem<?> system, List<Bay> bays, int inFlight,
      Function<String, CompletionStage<?>> ask) {
    long start = System.nanoTime();
    CompletionStage<Tally> done = Source.range(0, bays.size() - 1)
        .mapAsyncUnordered(inFlight, i -> ask.apply(BenchSite.SITE_ID + "/" + bays.get(i).id())
            .handle((reply, error) -> error == null ? "" : error.toString()))
        .runWith(Sink.fold(new Tally(), Tally::add), system);
    Tally tally = await(done, Duration.ofMinutes(30));
    return new Activation(tally.answered, tally.failed, tally.firstFailure, (System.nanoTime() - start) / 1e9);
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

  private static Phase phase(String type, int n, long before, long after, Activation a, int alive, List<ClassGrowth> classes) {
    return new Phase(type, n, before, after, (double) (after - before) / n, a.seconds(), n / a.seconds(), a.answered(),
        a.failed(), a.firstFailure(), alive, classes);
  }

  /** Entities the node's shard region of this type reports alive. */
  static int alive(ActorSystem<?> system, ClusterSharding sharding, EntityTypeKey<?> key) {
    CurrentShardRegionState state = await(AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery, CurrentShardRegionState>ask(
        sharding.shardState(), replyTo -> new GetShardRegionState(key, replyTo), ASK_TIMEOUT, system.scheduler()), ASK_TIMEOUT);
    return state.getShards().stream().mapToInt((ShardState s) -> s.getEntityIds().size()).sum();
  }

  /**
   * Heap used after full collections: collects until two readings in a row agree to within 256 KiB
   * (the node's own timers allocate a little in between), at most ten times; the lower reading counts.
   */
  static long settledHeapUsed() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long previous = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      pause(100); // lets reference processing and cleaners finish what the collection found
      long used = memory.getHeapMemoryUsage().getUsed();
      if (i >= 2 && Math.abs(previous - used) < 256 * 1024) return Math.min(previous, used);
      previous = Math.min(previous, used);
    }
    return previous;
  }

  /** The live objects by class ({@code jcmd GC.class_histogram}, which collects first): class → {instances, bytes}. */
  static Map<String, long[]> classHistogram() {
    try {
      Object text = ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
          new Object[] {new String[0]}, new String[] {String[].class.getName()});
      Map<String, long[]> classes = new HashMap<>();
      for (String line : text.toString().split("\n")) {
        Matcher m = HISTOGRAM_LINE.matcher(line);
        if (m.matches()) classes.merge(LAMBDA_NUMBER.matcher(m.group(3)).replaceAll("\\$\\$Lambda"), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
            (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
      }
      return classes;
    } catch (Exception e) {
      System.err.println("no class histogram: " + e);
      return Map.of();
    }
  }

  static List<ClassGrowth> growth(Map<String, long[]> before, Map<String, long[]> after, int n, int top) {
    return after.entrySet().stream()
        .map(e -> {
          long[] b = before.getOrDefault(e.getKey(), new long[2]);
          return new ClassGrowth(e.getKey(), round((double) (e.getValue()[1] - b[1]) / n), round((double) (e.getValue()[0] - b[0]) / n));
        })
        .sorted(Comparator.comparingDouble(ClassGrowth::bytesPerEntity).reversed())
        .limit(top)
        .toList();
  }

  static Machine machine() {
    Runtime rt = Runtime.getRuntime();
    return new Machine(rt.availableProcessors(), rt.maxMemory(), System.getProperty("java.version"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"),
        ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList());
  }

  static String summary(Report r) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "Heap per idle twin: %,d entities of each kind, %d asks in flight (%s, %d cpus, max heap %,d MB, %s)%n",
        r.entities(), r.inFlight(), r.machine().javaVersion(), r.machine().availableProcessors(),
        r.machine().maxHeapBytes() >> 20, String.join(" + ", r.machine().garbageCollectors())));
    for (Phase p : List.of(r.bare(), r.parkingBay())) {
      s.append(String.format(Locale.ROOT, "  %-11s %,7.0f bytes/entity   heap +%,.1f MB   activated at %,.0f/s (%.1f s)   answered %,d/%,d   alive %,d%s%n",
          p.entityType(), p.bytesPerEntity(), (p.heapAfterBytes() - p.heapBeforeBytes()) / 1048576.0, p.activationsPerSecond(),
          p.activationSeconds(), p.answered(), p.entities(), p.aliveAtEnd(),
          p.firstFailure() == null ? "" : "   first failure: " + p.firstFailure()));
    }
    s.append(String.format(Locale.ROOT, "  ratio ParkingBay / BareEntity: %.2f%n", r.ratioBayToBare()));
    s.append(String.format(Locale.ROOT, "  site model: %,.0f bytes per bay (loaded once per node, active twins or not)%n", r.siteModelBytesPerBay()));
    for (Phase p : List.of(r.bare(), r.parkingBay())) {
      if (p.topClasses().isEmpty()) continue;
      s.append("  heap growth per ").append(p.entityType()).append(", by class:\n");
      for (ClassGrowth c : p.topClasses()) {
        s.append(String.format(Locale.ROOT, "    %8.1f B  %5.2f objects  %s%n", c.bytesPerEntity(), c.instancesPerEntity(), c.className()));
      }
    }
    if (!r.complete()) s.append("  INCOMPLETE: not every entity answered or stayed alive; the figures are not comparable\n");
    return s.toString();
  }

  static double round(double d) {
    return Math.round(d * 100) / 100.0;
  }

  static <T> T await(CompletionStage<T> stage, Duration timeout) {
    try {
      return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("gave up waiting: " + e, e);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
