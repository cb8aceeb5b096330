package atrium.load.commands;

import atrium.load.node.ChildNode;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.json.Json;
import atrium.core.runtime.AtriumRuntime;
import atrium.core.runtime.EmbeddedDatabase;
import atrium.core.site.Site;
import atrium.core.site.SiteJson;
import atrium.load.drive.CapacitySearch;
import atrium.load.drive.HttpDriver;
import atrium.load.drive.LoadProfile;
import atrium.load.drive.LoadReport;
import atrium.load.drive.LoadRun;
import atrium.load.drive.Outcome;
import atrium.load.drive.Pacer;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Semaphore;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/**
 * Issue 8's <i>Persisted commands</i> and <i>Hot twin</i> benchmarks in one run, each figure beside the
 * limit of the same machine and store measured in the same run:
 * <ol>
 *   <li><b>bare entity</b> — {@link BarePersistentEntity} sharded over N entities in this JVM, on an
 *       Atrium runtime with the product's embedded H2 journal (pekko-persistence-jdbc, the product's
 *       settings), a fixed number of commands in flight ({@link ClosedLoop}): Pekko's floor;</li>
 *   <li><b>hot bare entity</b> — the same, all commands to one entity;</li>
 *   <li><b>raw insert</b> — journal rows batched straight into the same H2 journal table ({@link RawInsert}):
 *       the store's ceiling, for context;</li>
 *   <li><b>Atrium over HTTP</b> — a node in a JVM of its own ({@link ChildNode}, as {@code bin/atrium serve}),
 *       HVAC zones' setpoints written over REST with {@code If-Match} by the load tool ({@code rest-put-setpoints}:
 *       {@code OpenLoop}, {@code HttpDriver}), a capacity search for the highest rate with p99 ≤ 20 ms and
 *       errors ≤ 1 %, then a hold at that rate whose per-second samples split the CPU between the load
 *       generator (this JVM) and the node;</li>
 *   <li><b>hot twin over HTTP</b> — setpoints to one HVAC zone, without {@code If-Match}, a fixed number in flight.</li>
 * </ol>
 * Run it with {@code bin/atrium bench-commands [--smoke] [options]} ({@code --help}).
 */
public final class CommandBenchmark {
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration DRAIN = Duration.ofSeconds(60);
  /** The goals. */
  static final double GOAL_SHARE_OF_BARE = 0.70;
  static final double GOAL_RATE = 10_000;
  static final double GOAL_HOT_TWIN = 1_000;
  /** Azure Digital Twins' documented limit on operations per second to one twin. */
  static final double AZURE_PER_TWIN = 10;

  private CommandBenchmark() {}

  public record Options(int entities, int inFlight, Duration warmUp, Duration measure, int hotInFlight, Duration hotMeasure,
      long rawRows, int rawBatch, int zones, double startRate, double factor, int maxTrials, Duration trial, Duration trialWarmUp,
      double sloP99Millis, double sloErrors, int httpMaxInFlight, String nodeClasspath, List<String> nodeJavaOptions, Path out) {

    static final String USAGE = """
        usage: bin/atrium bench-commands [--smoke] [options]
          --smoke              small sizes and short phases (about 90 s): proves the run works, figures mean nothing
          --entities N         bare entities the in-process commands go to (default 10000)
          --in-flight N        bare-entity commands in flight (default 400)
          --warm-up S          seconds of each in-process phase not counted (default 5)
          --measure S          seconds of the bare-entity phase counted (default 20)
          --hot-in-flight N    commands in flight to the one hot entity / twin (default 100)
          --hot-measure S      seconds counted of each hot phase (default 15)
          --raw-rows N         rows of the raw batched insert (default 200000)
          --raw-batch N        rows per batch and transaction (default 400, the journal's batchSize)
          --zones N            HVAC zones of the node's generated site (default 2000)
          --start-rate R       the capacity search's first rate, commands/s (default 1000)
          --factor F           its growth factor while the objective holds (default 2)
          --max-trials N       its trials at most (default 8)
          --trial S            seconds of each trial (default 15), after --trial-warm-up S (default 5)
          --slo-p99-ms X       the objective's p99 (default 20)
          --slo-errors X       the objective's error fraction (default 0.01)
          --http-max-in-flight N  the load tool's in-flight bound (default 1000)
          --node-classpath CP  control-api's jar and libraries (bin/atrium passes them)
          --node-java-opts S   the node JVM's options, space-separated (default as bin/atrium serve: -Xms256m -Xmx2g ...)
          --out FILE           the JSON report (default load-reports/bench-commands-<time>/commands-report.json)""";

    public Options {
      positive("--entities", entities);
      positive("--in-flight", inFlight);
      positive("--hot-in-flight", hotInFlight);
      positive("--raw-batch", rawBatch);
      positive("--zones", zones);
      positive("--max-trials", maxTrials);
      positive("--http-max-in-flight", httpMaxInFlight);
      if (rawRows < 1) throw new IllegalArgumentException("--raw-rows: at least 1, not " + rawRows);
      if (!(startRate > 0)) throw new IllegalArgumentException("--start-rate: must be > 0");
      if (!(factor > 1)) throw new IllegalArgumentException("--factor: must be > 1");
      for (Duration d : List.of(measure, hotMeasure, trial, trialWarmUp)) {
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("phases must last longer than 0 s");
      }
      nodeJavaOptions = List.copyOf(nodeJavaOptions);
    }

    private static void positive(String flag, long v) {
      if (v < 1) throw new IllegalArgumentException(flag + ": at least 1, not " + v);
    }

    public static Options defaults() {
      return new Options(10_000, 400, Duration.ofSeconds(5), Duration.ofSeconds(20), 100, Duration.ofSeconds(15), 200_000, 400,
          2_000, 1_000, 2, 8, Duration.ofSeconds(15), Duration.ofSeconds(5), 20, 0.01, 1_000,
          "control-api/target/control-api-0.1.0-SNAPSHOT.jar" + java.io.File.pathSeparator + "control-api/target/lib/*",
          List.of("-Xms256m", "-Xmx2g", "-Djava.util.concurrent.ForkJoinPool.common.parallelism=4"), null);
    }

    /** Small and short: every phase runs, in about 90 s with the node's start. */
    public static Options smoke() {
      return defaults().with("--entities", "1000").with("--warm-up", "2").with("--measure", "4").with("--hot-measure", "3")
          .with("--raw-rows", "10000").with("--zones", "100").with("--start-rate", "200").with("--factor", "3")
          .with("--max-trials", "2").with("--trial", "3").with("--trial-warm-up", "1");
    }

    Options with(String flag, String v) {
      Options o = this;
      return switch (flag) {
        case "--entities" -> new Options(integer(flag, v), inFlight, warmUp, measure, hotInFlight, hotMeasure, rawRows, rawBatch, zones,
            startRate, factor, maxTrials, trial, trialWarmUp, sloP99Millis, sloErrors, httpMaxInFlight, nodeClasspath, nodeJavaOptions, out);
        case "--in-flight" -> new Options(entities, integer(flag, v), warmUp, measure, hotInFlight, hotMeasure, rawRows, rawBatch, zones,
            startRate, factor, maxTrials, trial, trialWarmUp, sloP99Millis, sloErrors, httpMaxInFlight, nodeClasspath, nodeJavaOptions, out);
        case "--warm-up" -> new Options(entities, inFlight, seconds(flag, v), measure, hotInFlight, hotMeasure, rawRows, rawBatch, zones,
            startRate, factor, maxTrials, trial, trialWarmUp, sloP99Millis, sloErrors, httpMaxInFlight, nodeClasspath, nodeJavaOptions, out);
        case "--measure" -> new Options(entities, inFlight, warmUp, seconds(flag, v), hotInFlight, hotMeasure, rawRows, rawBatch, zones,
            startRate, factor, maxTrials, trial, trialWarmUp, sloP99Millis, sloErrors, httpMaxInFlight, nodeClasspath, nodeJavaOptions, out);
        case "--hot-in-flight" -> new Options(entities, inFlight, warmUp, measure, integer(flag, v), hotMeasure, rawRows, rawBatch, zones,
            startRate, factor, maxTrials, trial, trialWarmUp, sloP99Millis, sloErrors, httpMaxInFlight, nodeClasspath, nodeJavaOptions, out);
        case "--hot-measure" -> new Options(entities, inFlight, warmUp, measure, hotInFlight, seconds(flag, v), rawRows, rawBatch, zones,
            startRate, factor, maxTrials, trial, trialWarmUp, sloP99Millis, sloErrors, httpMaxInFlight, nodeClasspath, nodeJavaOptions, out);
        case "--raw-rows" -> new Options(entities, inFlight, warmUp, measure, hotInFlight, hotMeasure, integer(flag, v), rawBatch, zones,
            startRate, factor, maxTrials, trial, trialWarmUp, sloP99Millis, sloErrors, httpMaxInFlight, nodeClasspath, nodeJavaOptions, out);
        case "--raw-batch" -> new Options(entities, inFlight, warmUp, measure, hotInFlight, hotMeasure, rawRows, integer(flag, v), zones,
            startRate, factor, maxTrials, trial, trialWarmUp, sloP99Millis, sloErrors, httpMaxInFlight, nodeClasspath, nodeJavaOptions, out);
        case "--zones" -> new Options(entities, inFlight, warmUp, measure, hotInFlight, hotMeasure, rawRows, rawBatch, integer(flag, v),
            startRate, factor, maxTrials, trial, trialWarmUp, sloP99Millis, sloErrors, httpMaxInFlight, nodeClasspath, nodeJavaOptions, out);
        case "--start-rate" -> new Options(entities, inFlight, warmUp, measure, hotInFlight, hotMeasure, rawRows, rawBatch, zones,
            decimal(flag, v), factor, maxTrials, trial, trialWarmUp, sloP99Millis, sloErrors, httpMaxInFlight, nodeClasspath, nodeJavaOptions, out);
        case "--factor" -> new Options(entities, inFlight, warmUp, measure, hotInFlight, hotMeasure, rawRows, rawBatch, zones,
            startRate, decimal(flag, v), maxTrials, trial, trialWarmUp, sloP99Millis, sloErrors, httpMaxInFlight, nodeClasspath, nodeJavaOptions, out);
        case "--max-trials" -> new Options(entities, inFlight, warmUp, measure, hotInFlight, hotMeasure, rawRows, rawBatch, zones,
            startRate, factor, integer(flag, v), trial, trialWarmUp, sloP99Millis, sloErrors, httpMaxInFlight, nodeClasspath, nodeJavaOptions, out);
        case "--trial" -> new Options(entities, inFlight, warmUp, measure, hotInFlight, hotMeasure, rawRows, rawBatch, zones,
            startRate, factor, maxTrials, seconds(flag, v), trialWarmUp, sloP99Millis, sloErrors, httpMaxInFlight, nodeClasspath, nodeJavaOptions, out);
        case "--trial-warm-up" -> new Options(entities, inFlight, warmUp, measure, hotInFlight, hotMeasure, rawRows, rawBatch, zones,
            startRate, factor, maxTrials, trial, seconds(flag, v), sloP99Millis, sloErrors, httpMaxInFlight, nodeClasspath, nodeJavaOptions, out);
        case "--slo-p99-ms" -> new Options(entities, inFlight, warmUp, measure, hotInFlight, hotMeasure, rawRows, rawBatch, zones,
            startRate, factor, maxTrials, trial, trialWarmUp, decimal(flag, v), sloErrors, httpMaxInFlight, nodeClasspath, nodeJavaOptions, out);
        case "--slo-errors" -> new Options(entities, inFlight, warmUp, measure, hotInFlight, hotMeasure, rawRows, rawBatch, zones,
            startRate, factor, maxTrials, trial, trialWarmUp, sloP99Millis, decimal(flag, v), httpMaxInFlight, nodeClasspath, nodeJavaOptions, out);
        case "--http-max-in-flight" -> new Options(entities, inFlight, warmUp, measure, hotInFlight, hotMeasure, rawRows, rawBatch, zones,
            startRate, factor, maxTrials, trial, trialWarmUp, sloP99Millis, sloErrors, integer(flag, v), nodeClasspath, nodeJavaOptions, out);
        case "--node-classpath" -> new Options(entities, inFlight, warmUp, measure, hotInFlight, hotMeasure, rawRows, rawBatch, zones,
            startRate, factor, maxTrials, trial, trialWarmUp, sloP99Millis, sloErrors, httpMaxInFlight, v, nodeJavaOptions, out);
        case "--node-java-opts" -> new Options(entities, inFlight, warmUp, measure, hotInFlight, hotMeasure, rawRows, rawBatch, zones,
            startRate, factor, maxTrials, trial, trialWarmUp, sloP99Millis, sloErrors, httpMaxInFlight, nodeClasspath,
            List.of(v.trim().split("\\s+")), out);
        case "--out" -> new Options(entities, inFlight, warmUp, measure, hotInFlight, hotMeasure, rawRows, rawBatch, zones,
            startRate, factor, maxTrials, trial, trialWarmUp, sloP99Millis, sloErrors, httpMaxInFlight, nodeClasspath, nodeJavaOptions, Path.of(v));
        default -> throw new IllegalArgumentException("unknown option " + flag);
      };
    }

    static Options parse(String... args) {
      boolean smoke = List.of(args).contains("--smoke");
      Options o = smoke ? smoke() : defaults();
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (flag.equals("--help") || flag.equals("-h")) throw new IllegalArgumentException("");
        if (flag.equals("--smoke")) continue;
        if (i + 1 >= args.length) throw new IllegalArgumentException(flag + ": needs a value");
        o = o.with(flag, args[++i]);
      }
      return o;
    }

    private static int integer(String flag, String v) {
      try {
        return Integer.parseInt(v.replace("_", "").replace(",", ""));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + ": '" + v + "' is not a whole number");
      }
    }

    private static double decimal(String flag, String v) {
      try {
        return Double.parseDouble(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + ": '" + v + "' is not a number");
      }
    }

    private static Duration seconds(String flag, String v) {
      return Duration.ofMillis(Math.round(decimal(flag, v) * 1000));
    }
  }

  /** The machine the run was on. */
  public record Machine(int cores, String cpu, long memoryBytes, String os, String java, long benchmarkMaxHeapBytes,
      double loadAverageAtStart, List<String> nodeJavaOptions) {}

  /** A figure beside its limit: {@code ratio} = value / limit; {@code goal} the ratio the issue asks for (NaN: context only). */
  public record Comparison(String figure, double value, String limitName, double limit, double ratio, double goal, Boolean met) {
    static Comparison of(String figure, double value, String limitName, double limit, double goal) {
      double ratio = limit > 0 && Double.isFinite(value) ? value / limit : Double.NaN;
      Boolean met = Double.isNaN(goal) ? null : Double.isFinite(ratio) && ratio >= goal;
      return new Comparison(figure, value, limitName, limit, ratio, goal, met);
    }
  }

  /** Atrium over HTTP: the capacity search, and the hold at the rate that held. */
  public record Http(String mix, int zones, CapacitySearch.Result search, double p99AtHighestHeld, Hold hold, String capacityReport,
      String holdReport) {}

  /**
   * The hold at the highest rate that held ({@code objectiveHeld}; when no rate held, at the lowest
   * rate tried, so the CPU split is still measured), second by second after its first {@code skippedSeconds}:
   * what was answered, the p99 over the whole hold (corrected and naive), and the CPU of each side —
   * the load generator's (this JVM: the HTTP client, its pacing and counting) and the node's (its
   * {@code process_cpu_usage}) as fractions of the machine, and per command answered, in CPU
   * microseconds; from that, the cores the load generator alone would need at 10,000 commands/s.
   */
  public record Hold(double rate, boolean objectiveHeld, double okPerSecond, double p99Millis, double naiveP99Millis, double errorRate, int skippedSeconds,
      double clientCpu, double serverCpu, double clientCpuMicrosPerCommand, double serverCpuMicrosPerCommand,
      double clientCoresAtGoalRate, String saturated) {}

  public record Report(String started, double seconds, Machine machine, Map<String, Object> settings, RawInsert.Result raw,
      ClosedLoop.Result bare, ClosedLoop.Result hotBare, Http atrium, ClosedLoop.Result hotTwin, List<Comparison> comparisons,
      List<String> notes) {
    /** Every command of every phase ended (answered or failed), and the HTTP phase ran. */
    public boolean complete() {
      return bare.complete() && hotBare.complete() && hotTwin.complete() && atrium != null && atrium.search() != null;
    }
  }

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      if (!e.getMessage().isEmpty()) System.err.println(e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(e.getMessage().isEmpty() ? 0 : 2);
      return;
    }
    Path out = options.out() != null ? options.out()
        : Path.of("load-reports", "bench-commands-" + OffsetDateTime.now(ZoneOffset.UTC).format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")),
            "commands-report.json");
    Report report = run(options, out);
    System.out.println(summary(report));
    System.out.println("report written to " + out.toAbsolutePath());
    System.exit(report.complete() ? 0 : 1);
  }

  /** Runs every phase and writes the JSON report to {@code out} (the load tool's reports beside it). */
  public static Report run(Options o, Path out) throws Exception {
    Path folder = out.toAbsolutePath().getParent();
    Files.createDirectories(folder);
    Path work = Files.createTempDirectory("atrium-commands-");
    long started = System.nanoTime();
    String startedAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString();
    Machine machine = machine(o);
    List<String> notes = new ArrayList<>();
    try {
      Site site = CommandSite.withHvacZones(o.zones());
      Path siteFile = work.resolve(CommandSite.SITE_ID + ".json");
      Files.writeString(siteFile, SiteJson.write(site), StandardCharsets.UTF_8);

      InProcess inProcess = inProcess(o, siteFile, work.resolve("bare-data"));
      log("in-process phases done; starting the Atrium node");
      Http http;
      ClosedLoop.Result hotTwin;
      try (ChildNode node = ChildNode.start(new ChildNode.Launch(o.nodeClasspath(), o.nodeJavaOptions(), siteFile, CommandSite.SITE_ID,
          Map.of()), Duration.ofMinutes(3))) {
        node.beforeDelete(log -> {
          try {
            keepLog(log, folder.resolve("node.log"), 8L << 20);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot keep the node's log", e);
          }
        });
        log("node up at " + node.http() + " (pid " + node.pid() + ")");
        LoadRun.Target target = new LoadRun.Target(node.http(), null, node.token(), null, null, site);
        http = overHttp(o, target, folder);
        hotTwin = hotTwin(o, node);
      }
      Report report = new Report(startedAt, (System.nanoTime() - started) / 1e9, machine, settings(o), inProcess.raw, inProcess.bare,
          inProcess.hotBare, http, hotTwin, comparisons(inProcess.raw, inProcess.bare, inProcess.hotBare, http, hotTwin), notes(o, notes));
      log("done");
      Files.write(out, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(report));
      return report;
    } finally {
      deleteTree(work);
    }
  }

  private record InProcess(RawInsert.Result raw, ClosedLoop.Result bare, ClosedLoop.Result hotBare) {}

  /** The bare entity over N entities, then to one, then the raw insert: one runtime with the product's embedded journal. */
  private static InProcess inProcess(Options o, Path siteFile, Path dataDir) throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("atrium.data-dir", dataDir.toString());
    m.put("atrium.site-files", List.of(siteFile.toString()));
    m.put("atrium.clock.mode", "manual");
    m.put("pekko.remote.artery.canonical.port", 0);
    try (AtriumRuntime runtime = AtriumRuntime.start(ConfigFactory.parseMap(m))) {
      ActorSystem<Void> system = runtime.system();
      ClusterSharding sharding = runtime.services().sharding();
      sharding.init(Entity.of(BarePersistentEntity.ENTITY_KEY, ctx -> BarePersistentEntity.create(ctx.getEntityId())));
      List<EntityRef<BarePersistentEntity.Command>> refs = new ArrayList<>(o.entities());
      for (int i = 0; i < o.entities(); i++) {
        refs.add(sharding.entityRefFor(BarePersistentEntity.ENTITY_KEY, String.format(Locale.ROOT, "bare-%06d", i)));
      }
      // Every entity woken first (its recovery from the journal is not a persisted command): the
      // measured window is the steady state, as for the node, whose twins are awake before its trials.
      long wakeStart = System.nanoTime();
      Semaphore slots = new Semaphore(o.inFlight());
      AtomicLong wakeFailures = new AtomicLong();
      for (EntityRef<BarePersistentEntity.Command> ref : refs) {
        slots.acquire();
        change(ref, 0).whenComplete((ok, failure) -> {
          if (failure != null) wakeFailures.incrementAndGet();
          slots.release();
        });
      }
      if (!slots.tryAcquire(o.inFlight(), 5, TimeUnit.MINUTES)) throw new IllegalStateException("the bare entities did not wake within 5 minutes");
      slots.release(o.inFlight());
      log(String.format(Locale.ROOT, "bare entity: %,d entities awake in %.1f s (first commands, recovery included; %d failed)", refs.size(),
          (System.nanoTime() - wakeStart) / 1e9, wakeFailures.get()));
      log(String.format(Locale.ROOT, "bare entity: %,d entities, %d in flight, %d s warm-up + %d s ...", o.entities(), o.inFlight(),
          o.warmUp().toSeconds(), o.measure().toSeconds()));
      ClosedLoop.Result bare = new ClosedLoop(o.inFlight(), o.warmUp(), o.measure(), DRAIN, Pacer.SYSTEM)
          .run(n -> change(refs.get((int) (n % refs.size())), n));
      log(String.format(Locale.ROOT, "bare entity: %,.0f commands/s, p99 %.1f ms", bare.perSecond(), bare.latency().p99()));
      EntityRef<BarePersistentEntity.Command> hot = sharding.entityRefFor(BarePersistentEntity.ENTITY_KEY, "hot");
      ClosedLoop.Result hotBare = new ClosedLoop(o.hotInFlight(), o.warmUp(), o.hotMeasure(), DRAIN, Pacer.SYSTEM).run(n -> change(hot, n));
      log(String.format(Locale.ROOT, "hot bare entity: %,.0f commands/s, p99 %.1f ms", hotBare.perSecond(), hotBare.latency().p99()));
      String url = EmbeddedDatabase.journalUrl(runtime.settings().dataDir());
      RawInsert.Result raw = RawInsert.run(url, o.rawRows(), o.rawBatch(), payload(system), runtime.clock().now().toEpochMilli());
      long written = RawInsert.count(url);
      if (written != o.rawRows()) throw new IllegalStateException("the raw insert wrote " + written + " rows, not " + o.rawRows());
      log(String.format(Locale.ROOT, "raw insert: %,.0f rows/s", raw.rowsPerSecond()));
      return new InProcess(raw, bare, hotBare);
    }
  }

  private static java.util.concurrent.CompletionStage<Outcome> change(EntityRef<BarePersistentEntity.Command> ref, long n) {
    return ref.<org.apache.pekko.Done>ask(r -> new BarePersistentEntity.Change(n % 2 == 0 ? 20.5 : 21.0, r), ASK_TIMEOUT)
        .thenApply(done -> Outcome.OK);
  }

  /** The bare entity's event as the journal plugin stores it: the serializer's bytes, id and manifest. */
  static RawInsert.Payload payload(ActorSystem<?> system) {
    Serialization serialization = SerializationExtension.get(Adapter.toClassic(system));
    BarePersistentEntity.Changed event = new BarePersistentEntity.Changed(20.5);
    Serializer serializer = serialization.findSerializerFor(event);
    return new RawInsert.Payload(serializer.toBinary(event), serializer.identifier(), Serializers.manifestFor(serializer, event));
  }

  /** The load tool's profile: setpoints over REST with If-Match to every HVAC zone in turn. */
  static LoadProfile profile(Options o, String name, double holdRate, Duration hold) {
    String json = String.format(Locale.ROOT, """
        {"name": "%s", "site": "%s",
         "stages": [{"type": "hold", "rate": %.3f, "duration": "PT%.3fS"}],
         "mix": [{"op": "rest-put-setpoints"}],
         "devices": {"kinds": ["hvac-zone"]},
         "limits": {"maxInFlight": %d, "timeout": "PT10S", "maxLateness": "PT1S"},
         "slo": {"p99Millis": %s, "maxErrorRate": %s},
         "capacity": {"startRate": %s, "factor": %s, "tolerance": 0.1, "maxTrials": %d, "trial": "PT%.3fS", "warmUp": "PT%.3fS"}}
        """, name, CommandSite.SITE_ID, holdRate, hold.toMillis() / 1000.0, o.httpMaxInFlight(), o.sloP99Millis(), o.sloErrors(),
        o.startRate(), o.factor(), o.maxTrials(), o.trial().toMillis() / 1000.0, o.trialWarmUp().toMillis() / 1000.0);
    return LoadProfile.parse(name, json);
  }

  private static Http overHttp(Options o, LoadRun.Target target, Path folder) throws Exception {
    LoadProfile search = profile(o, "bench-commands-capacity", o.startRate(), o.trial());
    LoadReport capacity;
    try (LoadRun run = new LoadRun(search, target)) {
      capacity = run.capacity();
    }
    Path capacityFolder = folder.resolve("atrium-capacity");
    capacity.write(capacityFolder);
    CapacitySearch.Result result = capacity.capacity();
    double held = result.highestHeld();
    double p99 = result.trials().stream().filter(t -> t.held() && t.rate() == held).mapToDouble(CapacitySearch.Trial::p99Millis)
        .findFirst().orElse(Double.NaN);
    double holdRate = held > 0 ? held : result.trials().stream().mapToDouble(CapacitySearch.Trial::rate).min().orElse(0);
    log(String.format(Locale.ROOT, "Atrium over HTTP: highest rate that held %,.0f/s (p99 %.1f ms); holding %,.0f/s to split the CPU ...",
        held, p99, holdRate));
    Hold hold = null;
    String holdFolder = null;
    if (holdRate > 0) {
      Duration length = o.trialWarmUp().plus(o.trial());
      LoadReport r;
      try (LoadRun run = new LoadRun(profile(o, "bench-commands-hold", holdRate, length), target)) {
        r = run.run();
      }
      Path f = folder.resolve("atrium-hold");
      r.write(f);
      holdFolder = f.toString();
      hold = hold(r, holdRate, held > 0, (int) Math.max(1, o.trialWarmUp().toSeconds()), Runtime.getRuntime().availableProcessors());
    }
    return new Http("rest-put-setpoints (PUT …/hvac-zone/{id}/setpoints with If-Match, every zone in turn)", o.zones(), result, p99, hold,
        capacityFolder.toString(), holdFolder);
  }

  /** The hold's figures from its report: rate and CPU per side from the whole seconds after the first {@code skip} in which commands were answered. */
  static Hold hold(LoadReport r, double rate, boolean objectiveHeld, int skip, int cores) {
    // the last row is the part of a second between the last tick and the end: left out
    List<LoadReport.Row> all = r.series().size() > 1 ? r.series().subList(0, r.series().size() - 1) : r.series();
    List<LoadReport.Row> rows = all.stream().filter(x -> x.load().t() > skip && x.load().ok() > 0).toList();
    double client = rows.stream().mapToDouble(LoadReport.Row::clientCpu).filter(Double::isFinite).average().orElse(Double.NaN);
    double server = rows.stream().mapToDouble(x -> x.server().processCpu()).filter(Double::isFinite).average().orElse(Double.NaN);
    double ok = rows.stream().mapToLong(x -> x.load().ok()).average().orElse(Double.NaN);
    double clientMicros = perCommandMicros(client, cores, ok);
    double serverMicros = perCommandMicros(server, cores, ok);
    return new Hold(rate, objectiveHeld, ok, r.overall().p99(), r.ops().stream().mapToDouble(t -> t.naive().p99()).max().orElse(Double.NaN),
        r.errorRate(), skip, client, server, clientMicros, serverMicros, clientMicros * GOAL_RATE / 1e6, r.saturation().first());
  }

  /** CPU microseconds per command: a fraction of the machine's cores, times the cores, over commands per second. */
  static double perCommandMicros(double fractionOfMachine, int cores, double perSecond) {
    if (!(perSecond > 0) || !Double.isFinite(fractionOfMachine)) return Double.NaN;
    return fractionOfMachine * cores / perSecond * 1e6;
  }

  private static ClosedLoop.Result hotTwin(Options o, ChildNode node) throws InterruptedException {
    AssetId zone = AssetId.of(CommandSite.SITE_ID, AssetKind.HVAC_ZONE, CommandSite.hvacId(1));
    String bearer = "Bearer " + node.token();
    try (HttpDriver http = new HttpDriver(node.http(), Duration.ofSeconds(10), 4)) {
      log(String.format(Locale.ROOT, "hot twin over HTTP: %s, %d in flight ...", zone, o.hotInFlight()));
      ClosedLoop.Result r = new ClosedLoop(o.hotInFlight(), o.warmUp(), o.hotMeasure(), DRAIN, Pacer.SYSTEM)
          .run(n -> http.putSetpointsUnconditionally(zone, bearer));
      log(String.format(Locale.ROOT, "hot twin over HTTP: %,.0f commands/s, p99 %.1f ms", r.perSecond(), r.latency().p99()));
      return r;
    }
  }

  static List<Comparison> comparisons(RawInsert.Result raw, ClosedLoop.Result bare, ClosedLoop.Result hotBare, Http http,
      ClosedLoop.Result hotTwin) {
    double atrium = http == null || http.search() == null ? Double.NaN : http.search().highestHeld();
    List<Comparison> c = new ArrayList<>();
    c.add(Comparison.of("Atrium over HTTP, commands/s within the objective", atrium, "bare entity, commands/s", bare.perSecond(),
        GOAL_SHARE_OF_BARE));
    c.add(Comparison.of("Atrium over HTTP, commands/s within the objective", atrium, "issue 8's goal, commands/s", GOAL_RATE, 1.0));
    c.add(Comparison.of("bare entity, commands/s", bare.perSecond(), "raw batched insert, rows/s", raw.rowsPerSecond(), Double.NaN));
    c.add(Comparison.of("hot twin over HTTP, commands/s", hotTwin.perSecond(), "hot bare entity, commands/s", hotBare.perSecond(), Double.NaN));
    c.add(Comparison.of("hot twin over HTTP, commands/s", hotTwin.perSecond(), "issue 8's goal, commands/s", GOAL_HOT_TWIN, 1.0));
    c.add(Comparison.of("hot twin over HTTP, commands/s", hotTwin.perSecond(), "Azure Digital Twins, operations/s per twin", AZURE_PER_TWIN,
        Double.NaN));
    return c;
  }

  private static Map<String, Object> settings(Options o) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("store", "embedded H2 file, pekko-persistence-jdbc with the product's settings (atrium-persistence-embedded.conf)");
    s.put("bare entity", String.format(Locale.ROOT, "%,d entities, %d in flight, %d s warm-up, %d s counted", o.entities(), o.inFlight(),
        o.warmUp().toSeconds(), o.measure().toSeconds()));
    s.put("hot", String.format(Locale.ROOT, "one entity / one HVAC zone, %d in flight, %d s warm-up, %d s counted", o.hotInFlight(),
        o.warmUp().toSeconds(), o.hotMeasure().toSeconds()));
    s.put("raw insert", String.format(Locale.ROOT, "%,d rows, %d per batch and transaction, one connection", o.rawRows(), o.rawBatch()));
    s.put("node", "AtriumMain serve in its own JVM (" + String.join(" ", o.nodeJavaOptions()) + "), " + o.zones()
        + " HVAC zones, REST rate limit raised to 1,000,000/s per token");
    s.put("capacity search", String.format(Locale.ROOT, "from %.0f/s ×%.1f, ≤ %d trials of %d s after %d s warm-up; objective p99 ≤ %.0f ms, errors ≤ %.2f %%; in flight ≤ %d",
        o.startRate(), o.factor(), o.maxTrials(), o.trial().toSeconds(), o.trialWarmUp().toSeconds(), o.sloP99Millis(), 100 * o.sloErrors(),
        o.httpMaxInFlight()));
    return s;
  }

  private static List<String> notes(Options o, List<String> notes) {
    List<String> all = new ArrayList<>(notes);
    all.add("The load generator and the node share the machine's " + Runtime.getRuntime().availableProcessors()
        + " cores: read clientCpu beside serverCpu in the hold.");
    all.add("The bare entity and the hot phases are closed loops (a fixed number in flight); the HTTP capacity search is an open loop "
        + "(requests due at a rate, latency from the due time).");
    return all;
  }

  static Machine machine(Options o) {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    String cpu = "";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("");
    } catch (IOException | RuntimeException e) {
      cpu = System.getProperty("os.arch");
    }
    return new Machine(Runtime.getRuntime().availableProcessors(), cpu, os.getTotalMemorySize(),
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), Runtime.getRuntime().maxMemory(),
        os.getSystemLoadAverage(), o.nodeJavaOptions());
  }

  static String summary(Report r) {
    StringBuilder s = new StringBuilder();
    Machine m = r.machine();
    s.append(String.format(Locale.ROOT, "Persisted commands (%s; %d cores %s; %s; load average %.1f at start; %.0f s)%n", r.started(), m.cores(),
        m.cpu(), m.java(), m.loadAverageAtStart(), r.seconds()));
    s.append(String.format(Locale.ROOT, "  raw batched insert      %,9.0f rows/s      (%,d rows, %d per batch)%n", r.raw().rowsPerSecond(),
        r.raw().rows(), r.raw().batchSize()));
    s.append(loop("bare entity", r.bare()));
    s.append(loop("hot bare entity", r.hotBare()));
    Http h = r.atrium();
    if (h != null && h.search() != null) {
      s.append(String.format(Locale.ROOT, "  Atrium over HTTP        %,9.0f commands/s  p99 %.1f ms  (highest rate that held %s; first that broke %s)%n",
          h.search().highestHeld(), h.p99AtHighestHeld(), h.search().slo().describe(),
          Double.isNaN(h.search().lowestBroken()) ? "none" : String.format(Locale.ROOT, "%,.0f/s", h.search().lowestBroken())));
      for (CapacitySearch.Trial t : h.search().trials()) {
        s.append(String.format(Locale.ROOT, "      trial %,7.0f/s → %,7.0f/s  p99 %7.1f ms  errors %5.2f %%  %s  %s%n", t.rate(), t.achieved(),
            t.p99Millis(), 100 * t.errorRate(), t.held() ? "held " : "broke", t.saturated()));
      }
      Hold d = h.hold();
      if (d != null) {
        s.append(String.format(Locale.ROOT, "      hold at %,.0f/s%s: %,.0f ok/s, p99 %.1f ms (naive %.1f), errors %.2f %%; CPU of the machine: "
            + "load generator %.0f %%, node %.0f %%%n", d.rate(), d.objectiveHeld() ? "" : " (no rate held: the lowest tried)", d.okPerSecond(), d.p99Millis(), d.naiveP99Millis(), 100 * d.errorRate(),
            100 * d.clientCpu(), 100 * d.serverCpu()));
        s.append(String.format(Locale.ROOT, "      per command: load generator %.0f µs CPU, node %.0f µs CPU; the load generator alone would "
            + "need %.2f cores at 10,000/s%n", d.clientCpuMicrosPerCommand(), d.serverCpuMicrosPerCommand(), d.clientCoresAtGoalRate()));
        s.append("      ").append(clientVerdict(d, m.cores())).append('\n');
      }
    }
    s.append(loop("hot twin over HTTP", r.hotTwin()));
    s.append("  beside the limits:\n");
    for (Comparison c : r.comparisons()) {
      s.append(String.format(Locale.ROOT, "    %-50s %,9.0f / %,9.0f %-43s = %6.2f%s%n", c.figure(), c.value(), c.limit(), c.limitName(),
          c.ratio(), c.met() == null ? "" : String.format(Locale.ROOT, "   goal ≥ %.2f: %s", c.goal(), c.met() ? "met" : "NOT met")));
    }
    if (!r.complete()) s.append("  INCOMPLETE: some commands never ended, or the HTTP phase did not run; the figures are not comparable\n");
    return s.toString();
  }

  /** Whether the load generator's own CPU leaves room for 10,000 commands/s over HTTP on this machine. */
  static String clientVerdict(Hold d, int cores) {
    if (!Double.isFinite(d.clientCoresAtGoalRate())) return "client cost unknown (no CPU samples)";
    double share = d.clientCoresAtGoalRate() / cores;
    if (share >= 0.5) {
      return String.format(Locale.ROOT, "the HTTP client is a bottleneck: at 10,000/s it alone would take %.0f %% of the %d cores", 100 * share, cores);
    }
    return String.format(Locale.ROOT, "the HTTP client would take %.0f %% of the %d cores at 10,000/s; the rest is the node's", 100 * share, cores);
  }

  private static String loop(String name, ClosedLoop.Result r) {
    String errors = r.errors().isEmpty() ? "" : "  errors " + r.errors();
    return String.format(Locale.ROOT, "  %-23s %,9.0f commands/s  p99 %.1f ms  (%d in flight; %,d sent, %,d answered, %,d failed)%s%n", name,
        r.perSecond(), r.latency().p99(), r.inFlight(), r.sent(), r.answered(), r.failed(), errors);
  }

  private static final long T0 = System.nanoTime();

  private static void log(String line) {
    System.err.printf(Locale.ROOT, "bench-commands [%5.1f s]: %s%n", (System.nanoTime() - T0) / 1e9, line);
  }

  /**
   * Copies the node's log beside the report; one longer than {@code 2 × half} bytes (the node logs
   * every audit entry, one line per command) keeps its first and last {@code half} bytes.
   */
  static void keepLog(Path log, Path to, long half) throws IOException {
    if (!Files.exists(log)) return;
    long size = Files.size(log);
    if (size <= 2 * half) {
      Files.copy(log, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    try (var in = java.nio.channels.FileChannel.open(log); var out = Files.newOutputStream(to)) {
      out.write(java.nio.channels.Channels.newInputStream(in).readNBytes((int) half));
      out.write(String.format(Locale.ROOT, "%n[... %,d bytes of the node's log left out ...]%n", size - 2 * half).getBytes(StandardCharsets.UTF_8));
      in.position(size - half);
      out.write(java.nio.channels.Channels.newInputStream(in).readNBytes((int) half));
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
