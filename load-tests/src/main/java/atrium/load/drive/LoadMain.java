package atrium.load.drive;

import atrium.core.runtime.SiteDirectory;
import atrium.core.site.Site;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code bin/atrium load}: drives a running Atrium with a load profile and writes the report (docs/load-testing.md). */
public final class LoadMain {
  static final String USAGE = """
      usage: bin/atrium load --scenario NAME|FILE [options]
        Drives a running Atrium (any node of a cluster) with an open workload and writes a report.
        --scenario NAME|FILE     load profile: a JSON file, or a name in scenarios/load/ (holiday-surge, smoke, ...)
        --target URL             the node's HTTP base URL (default http://127.0.0.1:8080)
        --mqtt HOST:PORT         the node's MQTT door (default: the target's host, port 1883)
        --data-dir DIR           a demo's data directory: its operator token and device-gateway password
        --token-file FILE        an operator's bearer token (REST and stream); overrides --data-dir's
        --device-user USER       device credential user name (a site gateway's); default demo-gateway with --data-dir
        --device-password-file FILE  that credential's password; overrides --data-dir's
        --site-file FILE         the site's model, to know its devices (default sites/demo-mall.json)
        --recording FILE         play the devices of a simulated day (bin/atrium simulate --record FILE) instead of made-up readings
        --out DIR                report folder (default load-reports/<profile>-<time>)
        --capacity               search the highest rate that holds the objective instead of running the stages
        --rate-scale X           multiply every stage's rate (and the search's start rate) by X
        --time-scale X           multiply every stage's duration (and the search's trial) by X
        --qos 0|1                MQTT QoS (overrides the profile)
        --mqtt-connections N     MQTT connections (overrides the profile)
        --stream-clients N       WebSocket stream clients (overrides the profile; 0: none)
        --max-in-flight N        bound on requests in flight (overrides the profile)
        --slo-p99-ms X           the objective's p99 bound in ms (overrides the profile)
        --slo-errors X           the objective's error-rate bound, a fraction such as 0.01 (overrides the profile)
        --help                   this text
      """;

  private LoadMain() {}

  record Options(String scenario, URI target, InetSocketAddress mqtt, Path dataDir, Path tokenFile, String deviceUser,
      Path devicePasswordFile, Path siteFile, Path recording, Path out, boolean capacity, double rateScale, double timeScale, Integer qos,
      Integer connections, Integer streamClients, Integer maxInFlight, Double sloP99, Double sloErrors) {}

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      if (!e.getMessage().isEmpty()) System.err.println("atrium load: " + e.getMessage());
      System.err.print(USAGE);
      System.exit(e.getMessage().isEmpty() ? 0 : 2);
      return;
    }
    LoadReport report;
    Path out;
    try {
      LoadProfile profile = profile(o);
      LoadRun.Target target = target(o, profile);
      out = o.out() != null ? o.out()
          : Path.of("load-reports", profile.name() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
      System.err.printf(Locale.ROOT, "atrium load: %s against %s, %s%n", profile.name(), o.target(),
          o.capacity() ? "capacity search (" + profile.slo().describe() + ")"
              : String.format(Locale.ROOT, "%d requests over %.0f s", new ArrivalPlan(profile.stages()).planned(), new ArrivalPlan(profile.stages()).seconds()));
      try (LoadRun run = new LoadRun(profile, target)) {
        report = o.capacity() ? run.capacity() : run.run();
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("atrium load: " + e.getMessage());
      System.exit(2);
      return;
    }
    LoadReport.Written w = report.write(out);
    System.out.println(summary(report));
    System.out.println("report: " + w.html().toAbsolutePath() + " (and " + w.json().getFileName() + ")");
    System.exit(0);
  }

  static String summary(LoadReport r) {
    LoadRecorder.Percentiles p = r.overall();
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%s: offered %.0f/s, answered OK %.0f/s, errors %.2f %%; corrected latency ms p50 %.1f p90 %.1f p99 %.1f p99.9 %.1f max %.1f%n",
        r.profile(), r.offeredPerSecond(), r.achievedPerSecond(), 100 * r.errorRate(), p.p50(), p.p90(), p.p99(), p.p999(), p.max()));
    for (LoadRecorder.Totals t : r.ops()) {
      if (t.op().startsWith("stream-lag")) {
        b.append(String.format(Locale.ROOT, "  %-20s %d deltas timed  p50 %.1f ms p99 %.1f ms max %.1f ms  %s%n", t.op(), t.ok(),
            t.corrected().p50(), t.corrected().p99(), t.corrected().max(), t.errors().isEmpty() ? "" : t.errors()));
        continue;
      }
      b.append(String.format(Locale.ROOT, "  %-20s offered %d ok %d failed %d late %d  p99 %.1f ms (naive %.1f)  %s%n", t.op(), t.offered(), t.ok(),
          t.failed(), t.late(), t.corrected().p99(), t.naive().p99(), t.errors().isEmpty() ? "" : t.errors()));
    }
    b.append("saturated first: ").append(r.saturation().first());
    if (!Double.isNaN(r.saturation().atSecond())) b.append(String.format(Locale.ROOT, " at %.0f s", r.saturation().atSecond()));
    if (r.capacity() != null) {
      b.append(String.format(Locale.ROOT, "%ncapacity: highest rate that held %s: %.0f requests/s (first broken: %.0f)", r.capacity().slo().describe(),
          r.capacity().highestHeld(), r.capacity().lowestBroken()));
    }
    return b.toString();
  }

  static LoadProfile profile(Options o) {
    Path file = Path.of(o.scenario());
    if (!Files.isRegularFile(file)) file = Path.of("scenarios", "load", o.scenario() + ".json");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no load profile '" + o.scenario() + "': neither a file nor scenarios/load/" + o.scenario() + ".json");
    }
    LoadProfile p = LoadProfile.load(file);
    List<Stage> stages = new ArrayList<>();
    for (Stage s : p.stages()) {
      stages.add(new Stage(s.type(), s.from() * o.rateScale(), s.to() * o.rateScale(),
          java.time.Duration.ofNanos(Math.max(1_000_000L, (long) (s.duration().toNanos() * o.timeScale())))));
    }
    LoadProfile.Capacity c = p.capacity();
    LoadProfile scaled = new LoadProfile(p.name(), p.description(), p.site(), stages, p.mix(), p.deviceKinds(), o.recording() != null ? o.recording() : p.recording(), p.mqttQos(), p.mqttConnections(),
        p.httpBatch(), p.streamClients(), p.streamKinds(), p.maxInFlight(), p.timeout(), p.maxLateness(), p.slo(),
        new LoadProfile.Capacity(c.startRate() * o.rateScale(), c.factor(), c.tolerance(), c.maxTrials(),
            java.time.Duration.ofNanos((long) (c.trial().toNanos() * o.timeScale())),
            java.time.Duration.ofNanos((long) (c.warmUp().toNanos() * o.timeScale()))));
    return scaled.with(o.qos() != null ? o.qos() : p.mqttQos(), o.connections() != null ? o.connections() : p.mqttConnections(),
        o.streamClients() != null ? o.streamClients() : p.streamClients(), o.maxInFlight() != null ? o.maxInFlight() : p.maxInFlight(),
        new CapacitySearch.Slo(o.sloP99() != null ? o.sloP99() : p.slo().p99Millis(), o.sloErrors() != null ? o.sloErrors() : p.slo().maxErrorRate()));
  }

  static LoadRun.Target target(Options o, LoadProfile p) throws IOException {
    String token = read(o.tokenFile() != null ? o.tokenFile() : o.dataDir() == null ? null : o.dataDir().resolve("demo-operator.token"));
    String password = read(o.devicePasswordFile() != null ? o.devicePasswordFile()
        : o.dataDir() == null ? null : o.dataDir().resolve("demo-device-password"));
    String user = o.deviceUser() != null ? o.deviceUser() : o.dataDir() != null ? "demo-gateway" : null;
    Site site = SiteDirectory.load(List.of(o.siteFile())).site(p.site())
        .orElseThrow(() -> new IllegalArgumentException("the site file " + o.siteFile() + " does not describe site '" + p.site() + "'"));
    InetSocketAddress mqtt = o.mqtt() != null ? o.mqtt() : InetSocketAddress.createUnresolved(o.target().getHost(), 1883);
    if (mqtt.isUnresolved()) mqtt = new InetSocketAddress(mqtt.getHostString(), mqtt.getPort());
    return new LoadRun.Target(o.target(), mqtt, token, user, password, site);
  }

  private static String read(Path file) throws IOException {
    if (file == null) return null;
    if (!Files.isRegularFile(file)) throw new IllegalArgumentException("cannot read " + file + ": no such file");
    return Files.readString(file, StandardCharsets.UTF_8).trim();
  }

  static Options parse(String[] args) {
    String scenario = null;
    URI target = URI.create("http://127.0.0.1:8080");
    InetSocketAddress mqtt = null;
    Path dataDir = null, tokenFile = null, passwordFile = null, siteFile = Path.of("sites/demo-mall.json"), out = null, recording = null;
    String user = null;
    boolean capacity = false;
    double rateScale = 1, timeScale = 1;
    Integer qos = null, connections = null, clients = null, inFlight = null;
    Double p99 = null, errors = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) throw new IllegalArgumentException("");
      if (a.equals("--capacity")) {
        capacity = true;
        continue;
      }
      if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
      String v = args[++i];
      try {
        switch (a) {
          case "--scenario" -> scenario = v;
          case "--target" -> {
            target = URI.create(v.endsWith("/") ? v.substring(0, v.length() - 1) : v);
            if (target.getHost() == null || !(target.getScheme().equals("http") || target.getScheme().equals("https"))) {
              throw new IllegalArgumentException("--target: '" + v + "' is not an http(s) URL such as http://127.0.0.1:8080");
            }
          }
          case "--mqtt" -> {
            int colon = v.lastIndexOf(':');
            if (colon < 1) throw new IllegalArgumentException("--mqtt: '" + v + "' is not HOST:PORT");
            mqtt = InetSocketAddress.createUnresolved(v.substring(0, colon), Integer.parseInt(v.substring(colon + 1)));
          }
          case "--data-dir" -> dataDir = Path.of(v);
          case "--token-file" -> tokenFile = Path.of(v);
          case "--device-user" -> user = v;
          case "--device-password-file" -> passwordFile = Path.of(v);
          case "--site-file" -> siteFile = Path.of(v);
          case "--recording" -> recording = Path.of(v);
          case "--out" -> out = Path.of(v);
          case "--rate-scale" -> rateScale = positive(a, Double.parseDouble(v));
          case "--time-scale" -> timeScale = positive(a, Double.parseDouble(v));
          case "--qos" -> qos = Integer.parseInt(v);
          case "--mqtt-connections" -> connections = (int) positive(a, Integer.parseInt(v));
          case "--stream-clients" -> clients = Integer.parseInt(v);
          case "--max-in-flight" -> inFlight = (int) positive(a, Integer.parseInt(v));
          case "--slo-p99-ms" -> p99 = positive(a, Double.parseDouble(v));
          case "--slo-errors" -> errors = Double.parseDouble(v);
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(a + ": '" + v + "' is not a number");
      }
    }
    if (scenario == null) throw new IllegalArgumentException("--scenario is required");
    if (qos != null && qos != 0 && qos != 1) throw new IllegalArgumentException("--qos must be 0 or 1");
    if (clients != null && clients < 0) throw new IllegalArgumentException("--stream-clients must be ≥ 0");
    if (errors != null && (errors < 0 || errors > 1)) throw new IllegalArgumentException("--slo-errors is a fraction between 0 and 1");
    return new Options(scenario, target, mqtt, dataDir, tokenFile, user, passwordFile, siteFile, recording, out, capacity, rateScale, timeScale, qos,
        connections, clients, inFlight, p99, errors);
  }

  private static double positive(String option, double v) {
    if (!(v > 0)) throw new IllegalArgumentException(option + " must be > 0");
    return v;
  }
}
