package atrium.load.ingest;

import atrium.load.node.ChildNode;
import atrium.core.asset.AssetId;
import atrium.core.runtime.SiteDirectory;
import atrium.core.site.Site;
import atrium.load.drive.ArrivalPlan;
import atrium.load.drive.ClientCpu;
import atrium.load.drive.LoadRecorder;
import atrium.load.drive.MqttDriver;
import atrium.load.drive.OpenLoop;
import atrium.load.drive.Pacer;
import atrium.load.drive.Stage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@code bin/atrium bench-ingest}: telemetry over MQTT into Atrium's twin state and history, beside
 * the same client publishing the same envelopes through Debian's Mosquitto on the same machine, in
 * one run (docs/benchmarks.md, "Ingest over MQTT, beside Mosquitto").
 *
 * <p>Each phase drives load-tests' {@link MqttDriver} from an {@link OpenLoop} offered far more than
 * any receiver here sustains (default 1,000,000 messages/s) with a bound on publishes in flight and
 * no deadline for a slot: the bound stays full and a publish goes out as soon as one ends, so the
 * rate is set by the receiving end — the saturation point — not by the plan. A phase warms up, then
 * measures a fixed window: what the receiving end got (the subscriber on {@code #} for Mosquitto,
 * the node's own counters on {@code /metrics} for Atrium), the client's sent and acknowledged
 * publishes, and each process's CPU.
 */
public final class IngestBenchmark {
  static final String USAGE = """
      usage: bin/atrium bench-ingest [options]
        Publishes telemetry over MQTT through Debian's mosquitto, then into an Atrium node (a child JVM,
        H2, the demo mall), and reports Atrium's rates beside the broker's (docs/benchmarks.md).
        --warm-up S            seconds of each phase not measured (default 10)
        --window S             seconds measured per phase (default 30)
        --connections N        MQTT connections of the publishing client (default 16)
        --in-flight N          publishes in flight at most (default 2000)
        --backlog N            messages sent and not yet counted by the receiving end at most (default 20000): QoS 0's bound
        --offered-rate R       the offered rate, messages/s: far above what is sustained (default 1000000)
        --bare-persist-rate R  the bare entity's persist rate on this machine (the persisted-commands benchmark's),
                               to compare QoS 1 events with (goal ≥ 70 %%); without it that ratio is left out
        --phases LIST          comma-separated, of: %s (default all)
        --server-java-opts S   the node's JVM options (default "-Xms256m -Xmx2g -Djava.util.concurrent.ForkJoinPool.common.parallelism=4", as bin/atrium serve)
        --server-classpath CP  the node's classpath (default control-api/target/control-api-0.1.0-SNAPSHOT.jar:control-api/target/lib/*)
        --site-file FILE       the site (default sites/demo-mall.json; its HVAC zones and parking bays are the devices)
        --out FILE             the JSON report (default load-tests/target/ingest-report.json)
        --help                 this text
      """.formatted(String.join(", ", Options.ALL_PHASES));

  /** Publishes in flight at most during a phase's warm-up. */
  static final int WARM_UP_IN_FLIGHT = 64;
  private static final long STARTED = System.nanoTime();

  private IngestBenchmark() {}

  private static void progress(String format, Object... args) {
    System.err.printf(Locale.ROOT, "bench-ingest [%4.0f s]: %s%n", (System.nanoTime() - STARTED) / 1e9, String.format(Locale.ROOT, format, args));
  }

  public record Options(double warmUp, double window, int connections, int inFlight, long backlog, double offeredRate, double barePersistRate,
      List<String> phases, String serverJavaOpts, String serverClasspath, Path siteFile, Path out) {
    static final List<String> ALL_PHASES = List.of(IngestReport.MOSQUITTO_QOS0, IngestReport.MOSQUITTO_QOS1, IngestReport.ATRIUM_QOS0,
        IngestReport.ATRIUM_QOS1_TELEMETRY, IngestReport.ATRIUM_QOS1_EVENTS, IngestReport.ATRIUM_HOT_TWIN);

    static Options parse(String[] args) {
      double warmUp = 10, window = 30, offered = 1_000_000, bare = 0;
      int connections = 16, inFlight = 2000;
      long backlog = 20_000;
      List<String> phases = ALL_PHASES;
      String javaOpts = "-Xms256m -Xmx2g -Djava.util.concurrent.ForkJoinPool.common.parallelism=4";
      String classpath = "control-api/target/control-api-0.1.0-SNAPSHOT.jar:control-api/target/lib/*";
      Path site = Path.of("sites/demo-mall.json"), out = Path.of("load-tests/target/ingest-report.json");
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (a.equals("--help") || a.equals("-h")) throw new IllegalArgumentException("");
        if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
        String v = args[++i];
        try {
          switch (a) {
            case "--warm-up" -> warmUp = atLeast(a, Double.parseDouble(v), 0);
            case "--window" -> window = atLeast(a, Double.parseDouble(v), 1);
            case "--connections" -> connections = (int) atLeast(a, Integer.parseInt(v), 1);
            case "--in-flight" -> inFlight = (int) atLeast(a, Integer.parseInt(v), 1);
            case "--backlog" -> backlog = (long) atLeast(a, Long.parseLong(v), 1);
            case "--offered-rate" -> offered = atLeast(a, Double.parseDouble(v), 1);
            case "--bare-persist-rate" -> bare = atLeast(a, Double.parseDouble(v), 0);
            case "--phases" -> {
              phases = Stream.of(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
              for (String p : phases) {
                if (!ALL_PHASES.contains(p)) throw new IllegalArgumentException("--phases: unknown phase '" + p + "'; known: " + ALL_PHASES);
              }
              if (phases.isEmpty()) throw new IllegalArgumentException("--phases: name at least one phase");
            }
            case "--server-java-opts" -> javaOpts = v;
            case "--server-classpath" -> classpath = v;
            case "--site-file" -> site = Path.of(v);
            case "--out" -> out = Path.of(v);
            default -> throw new IllegalArgumentException("unknown option " + a);
          }
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(a + ": '" + v + "' is not a number");
        }
      }
      return new Options(warmUp, window, connections, inFlight, backlog, offered, bare, phases, javaOpts, classpath, site, out);
    }

    private static double atLeast(String option, double v, double min) {
      if (!(v >= min)) throw new IllegalArgumentException(option + " must be ≥ " + (min == (long) min ? Long.toString((long) min) : min));
      return v;
    }

    boolean runs(String phase) {
      return phases.contains(phase);
    }
  }

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      if (!e.getMessage().isEmpty()) System.err.println("bench-ingest: " + e.getMessage());
      System.err.print(USAGE);
      System.exit(e.getMessage().isEmpty() ? 0 : 2);
      return;
    }
    // stopped half-way (Ctrl-C, a timeout): the broker and the node this run started go with it
    Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().children().forEach(ProcessHandle::destroy)));
    IngestReport report = run(o);
    report.write(o.out());
    System.out.println(report.summary());
    System.out.println("report written to " + o.out().toAbsolutePath());
    boolean complete = report.phases().size() == o.phases().size() && report.phases().stream().allMatch(p -> p.complete() && p.received() > 0);
    System.exit(complete ? 0 : 1);
  }

  /** What the receiving end has counted so far. */
  record Counts(long received, long points, IngestMetrics metrics, double cpuSeconds) {}

  static IngestReport run(Options o) throws Exception {
    String started = Instant.now().toString();
    Site site = SiteDirectory.load(List.of(o.siteFile())).site("demo-mall")
        .orElseThrow(() -> new IllegalArgumentException("the benchmark's gateway credential is for demo-mall; " + o.siteFile() + " does not describe it"));
    List<AssetId> zones = IngestEnvelopes.hvacZones(site);
    List<AssetId> bays = IngestEnvelopes.parkingBays(site);
    List<IngestReport.Phase> phases = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Path dir = Files.createTempDirectory("atrium-bench-ingest-");
    String mosquittoVersion = "not run";
    double serverHeapMiB = Double.NaN;
    IngestReport.HistoryAfter after = null;
    String runId = Long.toString(System.currentTimeMillis(), 36);
    try {
      if (o.runs(IngestReport.MOSQUITTO_QOS0) || o.runs(IngestReport.MOSQUITTO_QOS1)) {
        mosquittoVersion = MosquittoBroker.version();
        progress("starting %s on a free port", mosquittoVersion);
        try (MosquittoBroker broker = MosquittoBroker.start(Files.createDirectories(dir.resolve("mosquitto")));
            CountingSubscriber subscriber = new CountingSubscriber(broker.address(), "#")) {
          for (int qos = 0; qos <= 1; qos++) {
            String name = qos == 0 ? IngestReport.MOSQUITTO_QOS0 : IngestReport.MOSQUITTO_QOS1;
            if (!o.runs(name)) continue;
            IngestEnvelopes env = IngestEnvelopes.hvac(zones, "m" + runId + qos + "-", Instant.now());
            Supplier<Counts> counts = () -> new Counts(subscriber.received(), subscriber.received() * env.pointsPerMessage(), null,
                ProcCpu.seconds(broker.pid()));
            phases.add(phase(o, name, "mosquitto", qos, env, q -> new MqttDriver(broker.address(), "bench", "bench", o.connections(), q, 2),
                counts, subscriber::received, notes));
          }
        }
      }
      if (Stream.of(IngestReport.ATRIUM_QOS0, IngestReport.ATRIUM_QOS1_TELEMETRY, IngestReport.ATRIUM_QOS1_EVENTS, IngestReport.ATRIUM_HOT_TWIN)
          .anyMatch(o::runs)) {
        progress("starting an Atrium node (child JVM: %s)", o.serverJavaOpts());
        ChildNode.Launch launch = new ChildNode.Launch(o.serverClasspath(), List.of(o.serverJavaOpts().trim().split("\\s+")),
            o.siteFile().toAbsolutePath(), site.id(), Map.of());
        try (ChildNode node = ChildNode.start(launch, Duration.ofMinutes(3))) {
          progress("the node is up: %s, MQTT %s:%d", node.http(), node.mqtt().getHostString(), node.mqtt().getPort());
          Supplier<IngestMetrics> scrape = () -> scrape(node.http());
          record Plan(String name, int qos, IngestEnvelopes env) {}
          List<Plan> plans = new ArrayList<>();
          Instant t0 = Instant.now();
          if (o.runs(IngestReport.ATRIUM_QOS0)) plans.add(new Plan(IngestReport.ATRIUM_QOS0, 0, IngestEnvelopes.hvac(zones, "a" + runId + "0-", t0)));
          if (o.runs(IngestReport.ATRIUM_QOS1_TELEMETRY)) {
            plans.add(new Plan(IngestReport.ATRIUM_QOS1_TELEMETRY, 1, IngestEnvelopes.hvac(zones, "a" + runId + "1-", t0.plusSeconds(3600))));
          }
          if (o.runs(IngestReport.ATRIUM_QOS1_EVENTS)) plans.add(new Plan(IngestReport.ATRIUM_QOS1_EVENTS, 1, IngestEnvelopes.bayFlips(bays, "a" + runId + "e-", t0)));
          if (o.runs(IngestReport.ATRIUM_HOT_TWIN)) {
            plans.add(new Plan(IngestReport.ATRIUM_HOT_TWIN, 0, IngestEnvelopes.hvac(List.of(zones.get(0)), "a" + runId + "h-", t0.plusSeconds(7200))));
          }
          for (Plan plan : plans) {
            Supplier<Counts> counts = () -> {
              IngestMetrics m = scrape.get();
              return new Counts(m.applied(), m.points(), m, ProcCpu.seconds(node.pid()));
            };
            phases.add(phase(o, plan.name(), "atrium", plan.qos(), plan.env(),
                q -> new MqttDriver(node.mqtt(), node.deviceUser(), node.devicePassword(), o.connections(), q, 2), counts,
                () -> { IngestMetrics m = scrape.get(); return m.applied() + m.failed() + m.duplicates(); }, notes));
            // each phase starts on a quiet node: QoS 0 publishes the client wrote into its socket buffers
            // faster than the node read them are still being applied after the window; the next phase
            // must not count them
            settle(plan.name(), scrape, 180, notes);
          }
          after = drainHistory(scrape, 60);
          serverHeapMiB = scrape.get().heapMaxBytes() / 1048576;
        }
      }
    } finally {
      deleteQuietly(dir);
    }
    notes.addAll(IngestReport.notes(phases, after));
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("warmUpSeconds", o.warmUp());
    settings.put("windowSeconds", o.window());
    settings.put("connections", o.connections());
    settings.put("inFlight", o.inFlight());
    settings.put("backlog", o.backlog());
    settings.put("offeredRate", o.offeredRate());
    settings.put("barePersistRate", o.barePersistRate());
    settings.put("phases", o.phases());
    settings.put("site", o.siteFile().toString());
    settings.put("telemetry", "HVAC zones, " + IngestEnvelopes.HVAC_POINTS + " data points per message (temperature, humidity, co2, "
        + "supplyAirTemperature, heatingOutput, coolingOutput, power, energy); events: parking bays flipping occupied, 1 point and 1 persisted event per message");
    IngestReport.Machine machine = new IngestReport.Machine(Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"), "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")",
        "heap max " + Runtime.getRuntime().maxMemory() / 1048576 + " MiB", o.serverJavaOpts(), serverHeapMiB, mosquittoVersion);
    return new IngestReport(started, machine, settings, phases, IngestReport.compare(phases, o.barePersistRate()), after, notes);
  }

  /** Warms up, then measures one window of a phase; the loop is stopped and drained after each. */
  static IngestReport.Phase phase(Options o, String name, String target, int qos, IngestEnvelopes env, IntFunction<MqttDriver> connectAt,
      Supplier<Counts> counts, LongSupplier received, List<String> notes) throws Exception {
    try (MqttDriver waker = connectAt.apply(1)) {
      long failed = wake(env, waker);
      if (failed > 0) notes.add(name + ": " + failed + " of the " + env.assets().size() + " wake-up messages were not acknowledged");
    }
    Supplier<MqttDriver> connect = () -> connectAt.apply(qos);
    MqttDriver driver = connect.get();
    try {
      return phase(o, name, target, qos, env, driver, connect, counts, received, notes);
    } finally {
      driver.close();
    }
  }

  /**
   * One QoS 1 message to each asset, at most {@link #WARM_UP_IN_FLIGHT} in flight, each awaited: every
   * twin has recovered and taken its first reading (and persisted what a first reading persists)
   * before the phase, whatever its QoS. Returns how many were not acknowledged.
   */
  static long wake(IngestEnvelopes env, MqttDriver driver) throws InterruptedException {
    Semaphore slots = new Semaphore(WARM_UP_IN_FLIGHT);
    AtomicLong failed = new AtomicLong();
    for (int i = 0; i < env.assets().size(); i++) {
      slots.acquire();
      driver.publish(env.next()).toCompletableFuture().orTimeout(60, TimeUnit.SECONDS).whenComplete((out, err) -> {
        if (err != null || !out.ok()) failed.incrementAndGet();
        slots.release();
      });
    }
    if (!slots.tryAcquire(WARM_UP_IN_FLIGHT, 90, TimeUnit.SECONDS)) failed.addAndGet(WARM_UP_IN_FLIGHT - slots.availablePermits());
    return failed.get();
  }

  private static IngestReport.Phase phase(Options o, String name, String target, int qos, IngestEnvelopes env, MqttDriver first,
      Supplier<MqttDriver> connect, Supplier<Counts> counts, LongSupplier received, List<String> notes) throws Exception {
    MqttDriver driver = first;
    progress("%s (QoS %d, %d assets): %.0f s warm-up, %.0f s measured", name, qos, env.assets().size(),
        o.warmUp(), o.window());
    // the warm-up wakes the twins gently (at most WARM_UP_IN_FLIGHT publishes in flight): thousands of
    // first activations at once are the surge case, not the steady rate this measures
    OpenLoop.Options warmUpOptions = new OpenLoop.Options(Math.min(o.inFlight(), WARM_UP_IN_FLIGHT), Duration.ofSeconds(30), Duration.ofHours(1),
        Duration.ofMillis(10));
    if (o.warmUp() > 0) drive(o, env, driver, warmUpOptions, new LoadRecorder(), o.warmUp(), received, new AtomicLong());
    if (driver.openConnections() < o.connections()) {
      // the receiver closed connections while the twins woke (a QoS 1 message the twin could not take in
      // time): connect again, as devices do, and measure on fresh connections
      notes.add(name + ": " + (o.connections() - driver.openConnections()) + " of " + o.connections()
          + " connections were closed by the receiver during the warm-up; the window ran on new connections");
      MqttDriver again = connect.get();
      try {
        return measure(o, name, target, qos, env, again, counts, received, notes);
      } finally {
        again.close();
      }
    }
    return measure(o, name, target, qos, env, driver, counts, received, notes);
  }

  private static IngestReport.Phase measure(Options o, String name, String target, int qos, IngestEnvelopes env, MqttDriver driver,
      Supplier<Counts> counts, LongSupplier received, List<String> notes) throws Exception {
    OpenLoop.Options loopOptions = new OpenLoop.Options(o.inFlight(), Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofMillis(10));
    Counts before = counts.get();
    ClientCpu clientCpu = new ClientCpu();
    LoadRecorder recorder = new LoadRecorder();
    long t0 = System.nanoTime();
    Counts[] end = new Counts[1];
    long[] t1 = new long[1];
    AtomicLong writtenOff = new AtomicLong();
    drive(o, env, driver, loopOptions, recorder, o.window(), () -> {
      end[0] = counts.get();
      t1[0] = System.nanoTime();
    }, received, writtenOff);
    double clientCpuShare = clientCpu.sample();
    if (writtenOff.get() > 0) {
      notes.add(name + ": the receiver's count stalled with messages outstanding; " + writtenOff.get()
          + " were written off so that publishing went on (lost by the receiver, or still in a queue)");
    }
    double seconds = (t1[0] - t0) / 1e9;
    recorder.sample(seconds, Set.of());
    LoadRecorder.Totals totals = recorder.totals().get(0);
    Counts after = end[0];
    IngestMetrics delta = after.metrics() == null ? null : after.metrics().minus(before.metrics());
    int cores = Runtime.getRuntime().availableProcessors();
    double serverCpu = (after.cpuSeconds() - before.cpuSeconds()) / seconds / cores;
    IngestReport.Phase p = new IngestReport.Phase(name, target, qos, env.assets().size(), env.pointsPerMessage(), seconds, totals.sent(), totals.ok(),
        totals.failed(), totals.errors(), after.received() - before.received(), after.points() - before.points(),
        delta == null ? 0 : delta.historyRecorded(), delta == null ? 0 : delta.historyWritten(), delta == null ? 0 : delta.historyDropped(),
        delta == null ? 0 : delta.failed(), delta == null ? 0 : delta.duplicates(), serverCpu, clientCpuShare,
        qos == 1 ? totals.naive().p50() : Double.NaN, qos == 1 ? totals.naive().p99() : Double.NaN, o.connections(),
        (int) driver.openConnections(), driver.openConnections() > 0 && seconds >= 0.9 * o.window());
    progress("%s: %s messages/s arrived, %s points/s, %s acked/s over %.1f s; errors %d %s", name,
        IngestReport.n(p.messagesPerSecond()), IngestReport.n(p.pointsPerSecond()), IngestReport.n(p.ackedPerSecond()), seconds, p.errors(),
        p.errorTypes());
    return p;
  }

  private static void drive(Options o, IngestEnvelopes env, MqttDriver driver, OpenLoop.Options options, LoadRecorder recorder, double seconds,
      LongSupplier receivedCount, AtomicLong writtenOff) throws Exception {
    drive(o, env, driver, options, recorder, seconds, () -> {}, receivedCount, writtenOff);
  }

  /**
   * Runs the open loop at the offered rate for {@code seconds}, calls {@code atEnd} while it is still
   * running (the window's closing reading), then stops it and waits for what is in flight.
   */
  private static void drive(Options o, IngestEnvelopes env, MqttDriver driver, OpenLoop.Options options, LoadRecorder recorder, double seconds,
      Runnable atEnd, LongSupplier receivedCount, AtomicLong writtenOff) throws Exception {
    OpenLoop loop = new OpenLoop(options);
    Backlog backlog = new Backlog(receivedCount, o.backlog(), 50, 2000);
    OpenLoop.Mix mix = new OpenLoop.Mix().add("mqtt-telemetry", 1, () -> {
      // the pacing thread waits here while the receiver is behind: the closed loop's bound for QoS 0
      try {
        backlog.awaitRoom();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      backlog.sent();
      return driver.publish(env.next());
    });
    // the plan outlasts the window: the loop is stopped when the window ends
    ArrivalPlan plan = new ArrivalPlan(List.of(Stage.hold(o.offeredRate(), Duration.ofMillis((long) (seconds * 1000) + 600_000))));
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread pacer = new Thread(() -> {
      try {
        loop.run(plan, mix, Pacer.SYSTEM, recorder, Pacer.SYSTEM.now());
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "ingest-pacer");
    pacer.setDaemon(true);
    pacer.start();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    // a node that closed every connection takes nothing more: the phase ends there (the errors say so)
    while (System.nanoTime() < end && driver.openConnections() > 0) Thread.sleep(Math.max(1, Math.min(100, (end - System.nanoTime()) / 1_000_000)));
    atEnd.run();
    loop.stop();
    pacer.join(60_000);
    backlog.close();
    if (backlog.writtenOff() > 0) writtenOff.addAndGet(backlog.writtenOff());
    if (failure.get() != null) throw new IllegalStateException("the publishing loop failed: " + failure.get(), failure.get());
  }

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** The node's counters from {@code GET /metrics}; a busy node gets 30 s to answer. */
  static IngestMetrics scrape(URI node) {
    HttpRequest request = HttpRequest.newBuilder(node.resolve("/metrics")).timeout(Duration.ofSeconds(30)).GET().build();
    try {
      HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) throw new IllegalStateException("GET " + request.uri() + " answered " + r.statusCode());
      return IngestMetrics.parse(r.body());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the node's metrics at " + request.uri() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading the node's metrics", e);
    }
  }

  /**
   * Waits until the node is quiet — no message applied for a second and the history's buffer written
   * out — or {@code maxSeconds} have passed (then says so in the notes).
   */
  static void settle(String after, Supplier<IngestMetrics> scrape, int maxSeconds, List<String> notes) throws InterruptedException {
    long start = System.nanoTime();
    IngestMetrics last = scrape.get();
    while (System.nanoTime() - start < maxSeconds * 1_000_000_000L) {
      Thread.sleep(1000);
      IngestMetrics now = scrape.get();
      if (now.applied() == last.applied() && now.failed() == last.failed() && now.historyPending() == 0) {
        progress("the node was quiet %.0f s after %s", (System.nanoTime() - start) / 1e9, after);
        return;
      }
      last = now;
    }
    notes.add("after " + after + " the node was still applying messages (or writing history) after " + maxSeconds
        + " s; the next phase began anyway and may count some of them");
  }

  /** Waits up to {@code maxSeconds} for the history to write what it accepted; returns its counters then. */
  static IngestReport.HistoryAfter drainHistory(Supplier<IngestMetrics> scrape, int maxSeconds) throws InterruptedException {
    long start = System.nanoTime();
    IngestMetrics m = scrape.get();
    while (m.historyPending() > 0 && System.nanoTime() - start < maxSeconds * 1_000_000_000L) {
      Thread.sleep(250);
      m = scrape.get();
    }
    return new IngestReport.HistoryAfter(m.historyRecorded(), m.historyWritten(), m.historyDropped(), m.historyFailed(), m.historyPending(),
        (System.nanoTime() - start) / 1e9);
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("bench-ingest: could not delete " + dir + ": " + e.getMessage());
    }
  }
}
