package atrium.load.fanout;

import atrium.core.asset.AssetKind;
import atrium.core.protocol.Envelope;
import atrium.load.drive.ArrivalPlan;
import atrium.load.drive.ClientCpu;
import atrium.load.drive.DeviceFleet;
import atrium.load.drive.HttpDriver;
import atrium.load.drive.LoadRecorder;
import atrium.load.drive.LoadRun;
import atrium.load.drive.MqttDriver;
import atrium.load.drive.OpenLoop;
import atrium.load.drive.Outcome;
import atrium.load.drive.Pacer;
import atrium.load.drive.ServerMetrics;
import atrium.load.drive.Stage;
import atrium.load.drive.StreamClients;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Fan-out of one site's stream, measured against a running node: steady MQTT telemetry (QoS 1,
 * the load tool's {@link OpenLoop} and {@link MqttDriver}) flips parking bays of the site while
 * {@link StreamClients} subscribed to the site time each bay's delta from the send to its arrival.
 * Two phases in the same run, with the same telemetry and the same node: first
 * {@code baselineClients} (one: the delta's way without fan-out), then {@code clients}. Each phase
 * connects its clients, holds the rate for {@code warmUp} (not counted), then for {@code measure}
 * (counted), waits {@code drain} for the last deltas, and closes its clients.
 */
public final class FanoutRun implements AutoCloseable {
  static final String TELEMETRY = "mqtt-telemetry";

  public record Settings(double rate, int baselineClients, int clients, Duration warmUp, Duration measure, Duration drain, List<String> kinds,
      int mqttConnections, int qos) {
    public Settings {
      kinds = List.copyOf(kinds);
      if (!(rate > 0)) throw new IllegalArgumentException("--rate: must be > 0, not " + rate);
      if (baselineClients < 1) throw new IllegalArgumentException("--baseline-clients: at least 1, not " + baselineClients);
      if (clients < 1) throw new IllegalArgumentException("--clients: at least 1, not " + clients);
      if (measure.isZero() || measure.isNegative()) throw new IllegalArgumentException("--measure: must be longer than 0 s");
      if (warmUp.isNegative()) throw new IllegalArgumentException("--warm-up: must not be negative");
      if (mqttConnections < 1) throw new IllegalArgumentException("--mqtt-connections: at least 1, not " + mqttConnections);
      if (qos != 0 && qos != 1) throw new IllegalArgumentException("--qos: 0 or 1, not " + qos);
    }
  }

  private final LoadRun.Target target;
  private final Settings settings;
  private final Pacer pacer = Pacer.SYSTEM;
  private final DeviceFleet fleet;
  private final MqttDriver mqtt;
  private final HttpDriver http;

  public FanoutRun(LoadRun.Target target, Settings settings) {
    this.target = target;
    this.settings = settings;
    this.fleet = new DeviceFleet(target.site(), List.of(AssetKind.PARKING_BAY));
    this.http = new HttpDriver(target.http(), Duration.ofSeconds(10), 2);
    this.mqtt = new MqttDriver(target.mqtt(), target.deviceUser(), target.devicePassword(), settings.mqttConnections(), settings.qos(), 2);
  }

  /** Runs the baseline phase, then the fan-out phase. */
  public FanoutReport run(Map<String, Object> node, List<String> notes) throws Exception {
    Instant started = Instant.now();
    preflight();
    List<FanoutReport.Phase> phases = new ArrayList<>();
    phases.add(phase("baseline", settings.baselineClients()));
    phases.add(phase("fan-out", settings.clients()));
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("site", target.site().id());
    s.put("rate", settings.rate());
    s.put("transport", "MQTT QoS " + settings.qos() + ", " + settings.mqttConnections() + " connections");
    s.put("devices", "parking bays of the site, in turn (" + fleet.size() + "), each message flips its bay");
    s.put("streamKinds", settings.kinds().isEmpty() ? List.of("(all)") : settings.kinds());
    s.put("baselineClients", settings.baselineClients());
    s.put("clients", settings.clients());
    s.put("warmUpSeconds", settings.warmUp().toNanos() / 1e9);
    s.put("measureSeconds", settings.measure().toNanos() / 1e9);
    s.put("drainSeconds", settings.drain().toNanos() / 1e9);
    s.put("target", target.http() + " · mqtt " + target.mqtt().getHostString() + ":" + target.mqtt().getPort());
    return new FanoutReport(started.toString(), machine(), s, node, phases, 250, notes);
  }

  /** One message, awaited and not counted: a wrong credential or address stops the run here. */
  private void preflight() throws Exception {
    Outcome o;
    try {
      o = request().send().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      o = Outcome.ofFailure(e);
    }
    if (!o.ok()) throw new IllegalStateException("preflight: an MQTT telemetry message to " + target.mqtt() + " failed with " + o.error());
  }

  private OpenLoop.Request request() {
    return () -> {
      Envelope e = fleet.next();
      fleet.sent(e.asset(), pacer.now());
      return mqtt.publish(e);
    };
  }

  private void hold(LoadRecorder recorder, Duration d) throws InterruptedException {
    if (d.isZero()) return;
    OpenLoop.Options o = new OpenLoop.Options(2000, Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMillis(10));
    new OpenLoop(o).run(new ArrivalPlan(List.of(Stage.hold(settings.rate(), d))), new OpenLoop.Mix().add(TELEMETRY, 1, request()), pacer,
        recorder, pacer.now());
  }

  FanoutReport.Phase phase(String name, int clients) throws Exception {
    System.err.printf("fan-out: %s: connecting %d stream client(s) ...%n", name, clients);
    LoadRecorder warm = new LoadRecorder();
    try (StreamClients stream = new StreamClients(target.http(), target.token(), target.site().id(), settings.kinds(), clients, warm, fleet,
        pacer)) {
      System.err.printf("fan-out: %s: %d subscribed; %.0f telemetry/s, %d s warm-up, %d s measured ...%n", name, stream.open(), settings.rate(),
          settings.warmUp().toSeconds(), settings.measure().toSeconds());
      hold(warm, settings.warmUp());
      LoadRecorder measured = new LoadRecorder();
      stream.follow(measured);
      long deltasBefore = stream.deltas();
      long t0 = pacer.now();
      Sampler sampler = new Sampler();
      hold(measured, settings.measure());
      double seconds = (pacer.now() - t0) / 1e9;
      pacer.sleepUntil(pacer.now() + settings.drain().toNanos());
      sampler.close();
      long deltas = stream.deltas() - deltasBefore;
      int open = stream.open();
      measured.sample(seconds, Set.of());
      return FanoutReport.Phase.of(name, clients, open, seconds, measured.totals(), deltas, sampler.client, sampler.server, sampler.machine);
    }
  }

  static String machine() {
    return Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " " + System.getProperty("os.arch")
        + ", Java " + Runtime.version() + ", load generator heap max " + Runtime.getRuntime().maxMemory() / 1048576 + " MiB";
  }

  /** Once a second: the load generator's CPU and the node's (its {@code /metrics}). */
  private final class Sampler implements AutoCloseable {
    final List<Double> client = Collections.synchronizedList(new ArrayList<>());
    final List<Double> server = Collections.synchronizedList(new ArrayList<>());
    final List<Double> machine = Collections.synchronizedList(new ArrayList<>());
    final ClientCpu cpu = new ClientCpu();
    final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "fanout-sampler");
      t.setDaemon(true);
      return t;
    });

    Sampler() {
      ticks.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    void tick() {
      client.add(cpu.sample());
      String text = http.getText("/metrics", Duration.ofSeconds(3));
      ServerMetrics m = text == null ? ServerMetrics.NONE : ServerMetrics.parse(text);
      server.add(m.processCpu());
      machine.add(m.systemCpu());
    }

    @Override
    public void close() throws InterruptedException {
      ticks.shutdown();
      ticks.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    mqtt.close();
    http.close();
  }
}
