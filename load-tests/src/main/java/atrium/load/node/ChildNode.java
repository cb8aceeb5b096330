package atrium.load.node;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * An Atrium node in a child JVM, started the way {@code bin/atrium serve} starts one (the wall
 * clock, no demo traffic, the embedded H2 journal), for a benchmark that drives it from outside:
 * a fresh temporary data directory, HTTP and MQTT on free ports found at run time, a random token
 * secret, a site gateway's device credential and an operator's token minted by the server's own
 * {@code device-credential} and {@code token} commands, and the people's and devices' rate limits
 * raised (the settings below) so that the benchmark measures the doors, not the limiter.
 */
public final class ChildNode implements AutoCloseable {
  public static final String GATEWAY = "bench-gateway";
  public static final String DEFAULT_JAVA_OPTS = "-Xms256m -Xmx2g -Djava.util.concurrent.ForkJoinPool.common.parallelism=4";

  /** The settings every benchmark node gets on top of the defaults (beside data dir, ports, site, credentials). */
  public static final Map<String, Object> BENCH_SETTINGS = Map.of(
      "atrium.http.rate-limit.per-second", 1_000_000,
      "atrium.http.rate-limit.burst", 1_000_000,
      "atrium.http.device-rate-limit.per-second", 1_000_000,
      "atrium.http.device-rate-limit.burst", 1_000_000,
      "pekko.remote.artery.canonical.port", 0);

  /** How to start it: the server's classpath, the JVM options, the site file, more settings. */
  public record Launch(String classpath, List<String> javaOptions, Path siteFile, String site, Map<String, Object> settings) {
    public Launch {
      javaOptions = List.copyOf(javaOptions);
      settings = Map.copyOf(settings);
    }

    /** The server as {@code bin/atrium} builds it, from the repository's root. */
    public static String defaultClasspath() {
      return "control-api/target/control-api-0.1.0-SNAPSHOT.jar" + java.io.File.pathSeparator + "control-api/target/lib/*";
    }
  }

  private final Process process;
  private final Path dir;
  private final URI http;
  private final InetSocketAddress mqtt;
  private final String token;
  private final String devicePassword;
  private final Map<String, Object> settings;
  private volatile Consumer<Path> beforeDelete = log -> {};

  private ChildNode(Process process, Path dir, URI http, InetSocketAddress mqtt, String token, String devicePassword,
      Map<String, Object> settings) {
    this.process = process;
    this.dir = dir;
    this.http = http;
    this.mqtt = mqtt;
    this.token = token;
    this.devicePassword = devicePassword;
    this.settings = settings;
  }

  /** Starts the node and returns once it answers {@code /ready}, or fails with the tail of its log. */
  public static ChildNode start(Launch launch, Duration readyWithin) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("atrium-bench-");
    try {
      String secret = "base64:" + Base64.getEncoder().encodeToString(random(48));
      String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random(24));
      String entry = runCommand(launch, dir, Map.of(), password + "\n", "device-credential", "--username", GATEWAY, "--site", launch.site(),
          "--asset", "*", "--password-stdin", "--iterations", "1000");
      Path credentials = dir.resolve("devices.json");
      Files.writeString(credentials, "{\"devices\":[" + entry + "]}");
      String token = runCommand(launch, dir, Map.of("ATRIUM_AUTH_SECRET", secret), "", "token", "--subject", "bench-operator", "--role",
          "operator", "--site", launch.site(), "--ttl", "24h");
      int httpPort = freePort();
      int mqttPort = freePort();
      Map<String, Object> s = new LinkedHashMap<>(BENCH_SETTINGS);
      s.put("atrium.data-dir", dir.resolve("data").toString());
      s.put("atrium.site-files", List.of(launch.siteFile().toAbsolutePath().toString()));
      s.put("atrium.http.port", httpPort);
      s.put("atrium.mqtt.port", mqttPort);
      s.put("atrium.devices.credentials-file", credentials.toString());
      s.put("atrium.auth.hmac-secret", secret);
      s.putAll(launch.settings());
      Path conf = dir.resolve("node.conf");
      Files.writeString(conf, ConfigFactory.parseMap(s).root().render(ConfigRenderOptions.concise().setFormatted(true)));
      List<String> cmd = java(launch);
      cmd.addAll(List.of("atrium.api.AtriumMain", "serve", "--config", conf.toString()));
      Path log = dir.resolve("node.log");
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      // a benchmark stopped by Ctrl-C takes its node with it (harmless once the node has stopped)
      Runtime.getRuntime().addShutdownHook(new Thread(p::destroy, "atrium-child-node-stop"));
      Map<String, Object> shown = new LinkedHashMap<>(s);
      shown.put("atrium.auth.hmac-secret", "(random)");
      ChildNode node = new ChildNode(p, dir, URI.create("http://127.0.0.1:" + httpPort), new InetSocketAddress("127.0.0.1", mqttPort), token,
          password, shown);
      node.awaitReady(readyWithin, log);
      return node;
    } catch (IOException | InterruptedException | RuntimeException e) {
      delete(dir);
      throw e;
    }
  }

  private static List<String> java(Launch launch) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(launch.javaOptions());
    cmd.add("-cp");
    cmd.add(launch.classpath());
    return cmd;
  }

  /** Runs one of the server's own commands in a JVM of its own and returns what it printed on stdout. */
  private static String runCommand(Launch launch, Path dir, Map<String, String> env, String stdin, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = java(new Launch(launch.classpath(), List.of("-Xmx256m"), launch.siteFile(), launch.site(), Map.of()));
    cmd.add("atrium.api.AtriumMain");
    cmd.addAll(List.of(args));
    Path err = dir.resolve(args[0] + ".err");
    ProcessBuilder b = new ProcessBuilder(cmd).redirectError(err.toFile());
    b.environment().putAll(env);
    Process p = b.start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("atrium " + args[0] + " failed (is the server built? bin/atrium build; classpath "
          + launch.classpath() + "): " + Files.readString(err).strip());
    }
    // the last line: whatever a logger printed before it is not the answer
    String[] lines = out.strip().split("\\R");
    return lines[lines.length - 1].strip();
  }

  private void awaitReady(Duration within, Path log) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new IllegalStateException("the Atrium node exited with " + process.exitValue() + ":\n" + tail(log));
      try {
        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(http.resolve("/ready")).timeout(Duration.ofSeconds(5)).GET().build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) return;
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    close();
    throw new IllegalStateException("the Atrium node was not ready within " + within + ":\n" + tail(log));
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  /** A port nothing listens on now (another process may take it before the node binds it: the node then fails to start, loudly). */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }

  public URI http() {
    return http;
  }

  public InetSocketAddress mqtt() {
    return mqtt;
  }

  public String token() {
    return token;
  }

  public String deviceUser() {
    return GATEWAY;
  }

  public String devicePassword() {
    return devicePassword;
  }

  /** The settings the node was started with (the secret hidden). */
  public Map<String, Object> settings() {
    return settings;
  }

  public long pid() {
    return process.pid();
  }

  /** The node's log (stdout and stderr), in its data directory until {@link #close()}. */
  public Path log() {
    return dir.resolve("node.log");
  }

  /** Something to do with the log when the node has stopped, before its directory is deleted (e.g. keep a copy). */
  public void beforeDelete(Consumer<Path> action) {
    this.beforeDelete = action;
  }

  /** Stops the node (SIGTERM, then SIGKILL after 30 s) and deletes its data directory. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      beforeDelete.accept(log());
    } finally {
      delete(dir);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
