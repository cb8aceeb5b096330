package atrium.load.fanout;

import atrium.core.runtime.SiteDirectory;
import atrium.core.site.Site;
import atrium.load.drive.LoadRun;
import atrium.load.node.ChildNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/atrium bench-fanout}: issue 8's fan-out benchmark — {@code --clients} WebSocket clients
 * on one site's stream, delta lag p99 (goal ≤ 250 ms) — beside the same telemetry with one client in
 * the same run. Starts its own node ({@link ChildNode}: a child JVM as {@code bin/atrium serve}
 * starts one, free ports, a fresh data directory), runs {@link FanoutRun}, prints the summary and
 * writes {@code fanout-report.json}.
 */
public final class FanoutBenchmark {
  static final String USAGE = """
      usage: bin/atrium bench-fanout [options]
        --clients N            stream clients of the fan-out phase (default 1000)
        --baseline-clients N   stream clients of the baseline phase, run first (default 1)
        --rate X               MQTT telemetry messages per second, each flipping a parking bay (default 20)
        --warm-up S            seconds at the rate before each phase's measure, not counted (default 10)
        --measure S            seconds measured per phase (default 60)
        --drain S              seconds waited after each phase's last message for its last deltas (default 2)
        --kinds K,K            kinds the clients subscribe to, or 'all' (default parking-bay)
        --mqtt-connections N   MQTT connections of the telemetry (default 4)
        --qos 0|1              MQTT QoS (default 1: the PUBACK follows the twin's persist)
        --site-file F          the node's site (default sites/demo-mall.json)
        --server-classpath CP  the server's classpath (default control-api/target/control-api-0.1.0-SNAPSHOT.jar:control-api/target/lib/*)
        --node-java-opts "..." the node's JVM options (default "%s")
        --out DIR              where fanout-report.json goes (default load-reports/fanout-<yyyyMMdd-HHmmss>)""".formatted(ChildNode.DEFAULT_JAVA_OPTS);

  record Options(FanoutRun.Settings settings, Path siteFile, String classpath, List<String> nodeJavaOptions, Path out) {}

  static Options parse(String[] args) {
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) throw new IllegalArgumentException("");
      if (!a.startsWith("--") || i + 1 >= args.length) throw new IllegalArgumentException("unexpected argument '" + a + "'");
      o.put(a, args[++i]);
    }
    List<String> known = List.of("--clients", "--baseline-clients", "--rate", "--warm-up", "--measure", "--drain", "--kinds", "--mqtt-connections",
        "--qos", "--site-file", "--server-classpath", "--node-java-opts", "--out");
    for (String k : o.keySet()) if (!known.contains(k)) throw new IllegalArgumentException("unknown option " + k);
    String kinds = o.getOrDefault("--kinds", "parking-bay");
    FanoutRun.Settings s = new FanoutRun.Settings(number(o, "--rate", 20), (int) number(o, "--baseline-clients", 1), (int) number(o, "--clients", 1000),
        seconds(o, "--warm-up", 10), seconds(o, "--measure", 60), seconds(o, "--drain", 2),
        kinds.equals("all") ? List.of() : Arrays.stream(kinds.split(",")).map(String::strip).toList(), (int) number(o, "--mqtt-connections", 4),
        (int) number(o, "--qos", 1));
    String opts = o.getOrDefault("--node-java-opts", ChildNode.DEFAULT_JAVA_OPTS).strip();
    Path out = Path.of(o.getOrDefault("--out", "load-reports/fanout-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
    return new Options(s, Path.of(o.getOrDefault("--site-file", "sites/demo-mall.json")), o.getOrDefault("--server-classpath",
        ChildNode.Launch.defaultClasspath()), opts.isEmpty() ? List.of() : List.of(opts.split("\\s+")), out);
  }

  private static double number(Map<String, String> o, String key, double fallback) {
    String v = o.get(key);
    if (v == null) return fallback;
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": not a number: '" + v + "'");
    }
  }

  private static Duration seconds(Map<String, String> o, String key, double fallback) {
    double s = number(o, key, fallback);
    if (!(s >= 0)) throw new IllegalArgumentException(key + ": seconds ≥ 0, not " + s);
    return Duration.ofMillis(Math.round(s * 1000));
  }

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      if (!e.getMessage().isEmpty()) System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(e.getMessage().isEmpty() ? 0 : 2);
      return;
    }
    SiteDirectory sites = SiteDirectory.load(List.of(options.siteFile()));
    Site site = sites.site(sites.ids().get(0)).orElseThrow();
    System.err.println("fan-out: starting an Atrium node (child JVM) ...");
    FanoutReport report;
    try (ChildNode node = ChildNode.start(new ChildNode.Launch(options.classpath(), options.nodeJavaOptions(), options.siteFile(), site.id(),
        Map.of()), Duration.ofMinutes(5))) {
      LoadRun.Target target = new LoadRun.Target(node.http(), node.mqtt(), node.token(), node.deviceUser(), node.devicePassword(), site);
      Map<String, Object> nodeInfo = new LinkedHashMap<>();
      nodeInfo.put("how", "a child JVM: java " + String.join(" ", options.nodeJavaOptions()) + " atrium.api.AtriumMain serve --config <settings>");
      nodeInfo.put("settings", node.settings());
      List<String> notes = new ArrayList<>();
      notes.add("The load generator and the node share this machine's cores: the CPU figures say how much each took.");
      try (FanoutRun run = new FanoutRun(target, options.settings())) {
        report = run.run(nodeInfo, notes);
      }
    }
    report.summary().forEach(System.out::println);
    System.out.println("report written to " + report.write(options.out()).toAbsolutePath());
    System.exit(0);
  }
}
