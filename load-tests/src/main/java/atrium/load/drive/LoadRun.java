package atrium.load.drive;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.protocol.Envelope;
import atrium.core.site.Site;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One load run against a running Atrium: connects the drivers the profile's mix needs, runs the
 * stages through the {@link OpenLoop} (or, for a capacity search, one hold per trial), samples the
 * load, the load generator's CPU and the node's {@code /metrics} once a second, and builds the
 * {@link LoadReport}.
 */
public final class LoadRun implements AutoCloseable {
  /** Where and as whom: the node's HTTP base URL and MQTT address, an operator's token, a device credential, the site's model. */
  public record Target(URI http, InetSocketAddress mqtt, String token, String deviceUser, String devicePassword, Site site) {}

  private static final Set<String> APART = Set.of(StreamClients.LAG, StreamClients.LAG_AT);

  private final LoadProfile profile;
  private final Target target;
  private final Pacer pacer = Pacer.SYSTEM;
  private final DeviceFleet fleet;
  private final HttpDriver http;
  private final MqttDriver mqtt;
  private final List<AssetId> zones;
  private final AtomicLong reads = new AtomicLong();
  private final AtomicLong writes = new AtomicLong();
  private final AtomicLong lists = new AtomicLong();
  private final List<String> notes = new ArrayList<>();

  public LoadRun(LoadProfile profile, Target target) {
    this.profile = profile;
    this.target = target;
    if (!target.site().id().equals(profile.site())) {
      throw new IllegalArgumentException("the profile drives site '" + profile.site() + "' but the site file describes '" + target.site().id() + "'");
    }
    boolean devices = profile.uses("mqtt-telemetry") || profile.uses("http-telemetry");
    boolean operator = profile.uses("rest-get-asset") || profile.uses("rest-list-assets") || profile.uses("rest-put-setpoints")
        || profile.streamClients() > 0;
    if (devices && (target.deviceUser() == null || target.devicePassword() == null)) {
      throw new IllegalArgumentException("the mix sends device telemetry: give a device credential (--device-user and --device-password-file, or --data-dir of the demo)");
    }
    if (operator && target.token() == null) {
      throw new IllegalArgumentException("the mix calls the operator API or the stream: give a token (--token-file, or --data-dir of the demo)");
    }
    this.fleet = profile.recording() != null ? DeviceFleet.fromRecording(profile.recording(), profile.site())
        : new DeviceFleet(target.site(), profile.deviceKinds());
    this.zones = new DeviceFleet(target.site(), List.of(AssetKind.HVAC_ZONE)).assets();
    this.http = new HttpDriver(target.http(), profile.timeout(), 4);
    if (profile.uses("mqtt-telemetry")) {
      if (target.mqtt() == null) throw new IllegalArgumentException("the mix publishes over MQTT: give --mqtt host:port");
      this.mqtt = new MqttDriver(target.mqtt(), target.deviceUser(), target.devicePassword(), profile.mqttConnections(), profile.mqttQos(), 2);
    } else {
      this.mqtt = null;
    }
    if (profile.uses("mqtt-telemetry") && profile.mqttQos() == 0) {
      notes.add("MQTT QoS 0 has no answer: its latency is the time until the publish was written to the socket, and its errors are only closed connections. The server's side (CPU, in flight) tells how it kept up.");
    }
  }

  public void note(String note) {
    notes.add(note);
  }

  OpenLoop.Mix mix() {
    OpenLoop.Mix mix = new OpenLoop.Mix();
    String bearer = target.token() == null ? null : "Bearer " + target.token();
    String basic = target.deviceUser() == null ? null : HttpDriver.basic(target.deviceUser(), target.devicePassword());
    List<AssetId> assets = fleet.assets();
    List<String> kinds = profile.deviceKinds().stream().map(AssetKind::wireName).toList();
    for (LoadProfile.MixItem m : profile.mix()) {
      OpenLoop.Request r = switch (m.op()) {
        case "mqtt-telemetry" -> () -> {
          Envelope e = fleet.next();
          fleet.sent(e.asset(), pacer.now());
          return mqtt.publish(e);
        };
        case "http-telemetry" -> () -> {
          List<Envelope> batch = new ArrayList<>(profile.httpBatch());
          long now = pacer.now();
          for (int i = 0; i < profile.httpBatch(); i++) {
            Envelope e = fleet.next();
            fleet.sent(e.asset(), now);
            batch.add(e);
          }
          return http.postDeviceMessages(batch, basic);
        };
        case "rest-get-asset" -> () -> http.getAsset(assets.get((int) (reads.getAndIncrement() % assets.size())), bearer);
        case "rest-list-assets" -> () -> http.listAssets(profile.site(), kinds.get((int) (lists.getAndIncrement() % kinds.size())), 100, bearer);
        case "rest-put-setpoints" -> () -> http.putSetpoints(zones.get((int) (writes.getAndIncrement() % zones.size())), bearer);
        default -> throw new IllegalArgumentException("unknown op " + m.op());
      };
      mix.add(m.op(), m.weight(), r);
    }
    return mix;
  }

  private OpenLoop.Options options() {
    return new OpenLoop.Options(profile.maxInFlight(), profile.timeout(), profile.maxLateness(), Duration.ofMillis(10));
  }

  /**
   * Sends one request of each operation of the mix, not counted, and waits for its answer: warms up
   * the connections and the code paths of both sides, and stops a run whose credentials or address
   * are wrong before it starts ({@code http-401}, {@code http-403}, refused connections).
   */
  public void preflight() throws InterruptedException {
    OpenLoop.Mix mix = mix();
    for (int i = 0; i < mix.names().size(); i++) {
      String op = mix.names().get(i);
      Outcome o;
      try {
        o = mix.request(i).send().toCompletableFuture().get(profile.timeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        o = Outcome.ofFailure(e);
      }
      if (!o.ok()) {
        String hint = o.error().equals("http-4xx") ? " (check the token or the device credential, and the site)"
            : o.error().equals("connection-refused") ? " (is the node up at " + target.http() + (target.mqtt() == null ? "" : " / " + address(target.mqtt())) + "?)" : "";
        if (o.error().equals("http-4xx") || o.error().equals("connection-refused") || o.error().equals("mqtt-closed")) {
          throw new IllegalStateException("preflight: " + op + " failed with " + o.error() + hint);
        }
        notes.add("preflight: " + op + " failed with " + o.error() + " before the run started");
      }
    }
  }

  /** Runs the profile's stages. */
  public LoadReport run() throws InterruptedException {
    preflight();
    Instant started = Instant.now();
    LoadRecorder recorder = new LoadRecorder();
    ArrivalPlan plan = new ArrivalPlan(profile.stages());
    try (StreamClients stream = streamClients(recorder); Sampler sampler = new Sampler(recorder)) {
      new OpenLoop(options()).run(plan, mix(), pacer, recorder, sampler.start);
      List<LoadReport.Row> rows = sampler.finish();
      sampler.close();
      return report(started, rows, recorder, plan.seconds(), plan.seconds(), null, stream);
    }
  }

  /** Searches the highest rate that holds the profile's objective, one hold of {@code capacity.trial} per rate. */
  public LoadReport capacity() throws Exception {
    preflight();
    Instant started = Instant.now();
    LoadProfile.Capacity c = profile.capacity();
    LoadRecorder first = new LoadRecorder();
    List<LoadRecorder.Totals> lastTotals = new ArrayList<>();
    LoadRecorder[] last = {first};
    try (StreamClients stream = streamClients(first); Sampler sampler = new Sampler(first)) {
      CapacitySearch search = new CapacitySearch(profile.slo(), c.startRate(), c.factor(), c.tolerance(), c.maxTrials());
      CapacitySearch.Result result = search.search(rate -> {
        System.err.printf(Locale.ROOT, "capacity: trying %.0f requests/s for %d s ...%n", rate, c.trial().toSeconds());
        LoadRecorder warm = new LoadRecorder();
        sampler.follow(warm);
        new OpenLoop(options()).run(new ArrivalPlan(List.of(Stage.hold(rate, c.warmUp()))), mix(), pacer, warm, pacer.now());
        LoadRecorder trial = new LoadRecorder();
        int from = sampler.follow(trial);
        if (stream != null) stream.follow(trial);
        new OpenLoop(options()).run(new ArrivalPlan(List.of(Stage.hold(rate, c.trial()))), mix(), pacer, trial, pacer.now());
        List<LoadReport.Row> rows = sampler.finish();
        last[0] = trial;
        lastTotals.clear();
        lastTotals.addAll(trial.totals());
        long offered = 0, failed = 0, ok = 0;
        for (LoadRecorder.Totals t : lastTotals) {
          if (APART.contains(t.op())) continue;
          offered += t.offered();
          failed += t.failed();
          ok += t.ok();
        }
        CapacitySearch.Trial t = new CapacitySearch.Trial(rate, ok / (c.trial().toNanos() / 1e9), ok + failed,
            trial.combined(APART).p99(), offered == 0 ? 0 : (double) failed / offered, false,
            Saturation.of(rows.subList(Math.min(from, rows.size()), rows.size())).first());
        System.err.printf(Locale.ROOT, "capacity: %.0f/s → achieved %.0f/s, p99 %.1f ms, errors %.2f %%%n", rate, t.achieved(),
            t.p99Millis(), 100 * t.errorRate());
        return t;
      });
      sampler.close();
      return report(started, sampler.rows(), last[0], Duration.between(started, Instant.now()).toNanos() / 1e9,
          c.trial().toNanos() / 1e9, result, stream);
    }
  }

  private StreamClients streamClients(LoadRecorder recorder) {
    if (profile.streamClients() == 0) return null;
    return new StreamClients(target.http(), target.token(), profile.site(), profile.streamKinds(), profile.streamClients(), recorder,
        fleet, pacer);
  }

  /** {@code rateSeconds}: what the recorder's counts are over (a capacity search's report counts its last trial). */
  private LoadReport report(Instant started, List<LoadReport.Row> rows, LoadRecorder recorder, double seconds, double rateSeconds,
      CapacitySearch.Result capacity, StreamClients stream) {
    List<LoadRecorder.Totals> totals = recorder.totals();
    long offered = 0, ok = 0, failed = 0;
    for (LoadRecorder.Totals t : totals) {
      if (APART.contains(t.op())) continue;
      offered += t.offered();
      ok += t.ok();
      failed += t.failed();
    }
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("mix", String.join(", ", profile.mix().stream().map(m -> m.op() + " × " + LoadHtml.number(m.weight())).toList()));
    settings.put("devices", profile.recording() != null ? "the recording " + profile.recording() + " (" + fleet.size() + " assets)"
        : profile.deviceKinds().stream().map(AssetKind::wireName).toList() + " (" + fleet.size() + " assets)");
    if (mqtt != null) settings.put("MQTT", "QoS " + profile.mqttQos() + ", " + profile.mqttConnections() + " connections to " + address(target.mqtt()));
    if (profile.uses("http-telemetry")) settings.put("HTTP device batch", profile.httpBatch() + " envelopes per request");
    if (stream != null) settings.put("stream clients", profile.streamClients() + " (" + stream.open() + " open at the end, " + stream.deltas() + " deltas)");
    settings.put("bounds", "max in flight " + profile.maxInFlight() + ", timeout " + profile.timeout() + ", max lateness " + profile.maxLateness());
    settings.put("objective", profile.slo().describe());
    if (capacity != null) {
      settings.put("capacity search", "trials of " + profile.capacity().trial() + " after " + profile.capacity().warmUp()
          + " of warm-up; the per-operation figures are the last trial's");
    }
    return new LoadReport(profile.name(), profile.description(), target.http() + (target.mqtt() == null ? "" : " · mqtt " + address(target.mqtt())),
        started.toString(), seconds, machine(), settings, capacity == null ? profile.stages() : List.of(), recorder.combined(APART),
        offered / rateSeconds, ok / rateSeconds, offered == 0 ? 0 : (double) failed / offered, totals, rows, Saturation.of(rows), capacity,
        List.copyOf(notes));
  }

  static String address(InetSocketAddress a) {
    return a.getHostString() + ":" + a.getPort();
  }

  static String machine() {
    return Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " " + System.getProperty("os.arch")
        + ", Java " + Runtime.version() + ", load generator heap max " + Runtime.getRuntime().maxMemory() / 1048576 + " MiB";
  }

  @Override
  public void close() {
    if (mqtt != null) mqtt.close();
    http.close();
  }

  /** Once a second: the load (of the recorder it follows), the load generator's CPU, the node's latest metrics. */
  private final class Sampler implements AutoCloseable {
    static final long STALE = 3;
    final long start = pacer.now();
    final List<LoadReport.Row> rows = new ArrayList<>();
    final ClientCpu cpu = new ClientCpu();
    final ScheduledExecutorService ticks = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "load-sampler");
      t.setDaemon(true);
      return t;
    });
    volatile LoadRecorder recorder;
    volatile ServerMetrics latest = ServerMetrics.NONE;
    volatile long latestAt;
    double lastGc = Double.NaN;

    Sampler(LoadRecorder recorder) {
      this.recorder = recorder;
      ticks.scheduleWithFixedDelay(this::scrape, 0, 500, TimeUnit.MILLISECONDS);
      ticks.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** A busy node may take seconds to answer: the latest answer stands for up to {@link #STALE} seconds. */
    void scrape() {
      String text = http.getText("/metrics", Duration.ofSeconds(3));
      if (text != null) {
        latest = ServerMetrics.parse(text);
        latestAt = pacer.now();
      }
    }

    synchronized void tick() {
      LoadRecorder.Second s = recorder.sample((pacer.now() - start) / 1e9, APART);
      ServerMetrics m = pacer.now() - latestAt <= STALE * 1_000_000_000L ? latest : ServerMetrics.NONE;
      double gc = Double.isNaN(lastGc) || Double.isNaN(m.gcPauseSeconds()) ? Double.NaN : 1000 * (m.gcPauseSeconds() - lastGc);
      if (!Double.isNaN(m.gcPauseSeconds())) lastGc = m.gcPauseSeconds();
      rows.add(new LoadReport.Row(s, cpu.sample(), m, gc));
    }

    /** Samples what is left of the current recorder, then follows the next; returns the row index it starts at. */
    synchronized int follow(LoadRecorder next) {
      recorder.sample((pacer.now() - start) / 1e9, APART);
      recorder = next;
      return rows.size();
    }

    synchronized List<LoadReport.Row> finish() {
      tick();
      return List.copyOf(rows);
    }

    synchronized List<LoadReport.Row> rows() {
      return List.copyOf(rows);
    }

    @Override
    public void close() {
      ticks.shutdownNow();
      try {
        ticks.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
