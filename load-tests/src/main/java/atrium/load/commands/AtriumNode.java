package atrium.load.commands;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Atrium node in a JVM of its own, started as {@code bin/atrium serve} starts it
 * ({@code atrium.api.AtriumMain serve}, embedded H2 journal, wall clock), on ports chosen at run time
 * (HTTP, MQTT and cluster port 0), a fresh data directory, and a settings file that raises the REST
 * per-token rate limit ({@code atrium.http.rate-limit.per-second} and {@code burst}) so the benchmark
 * measures the twin, not the limiter. Its token secret is random, passed in {@code ATRIUM_AUTH_SECRET};
 * an operator's token is minted with {@code AtriumMain token} and the same secret.
 */
final class AtriumNode implements AutoCloseable {
  private static final Pattern UP = Pattern.compile("Atrium is up: (http://\\S+?)/api/v1/sites");

  private final Process process;
  private final URI base;
  private final String token;
  private final Path log;

  private AtriumNode(Process process, URI base, String token, Path log) {
    this.process = process;
    this.base = base;
    this.token = token;
    this.log = log;
  }

  /**
   * Starts the node and waits (up to {@code within}) until it says it is up. {@code classpath} is
   * control-api's jar and libraries; {@code javaOptions} the node JVM's options.
   */
  static AtriumNode start(String classpath, List<String> javaOptions, Path siteFile, String siteId, Path work, long rateLimit,
      Duration within) throws IOException, InterruptedException {
    Path dataDir = work.resolve("node-data");
    Path config = work.resolve("node.conf");
    Files.writeString(config, String.join("\n",
        "# written by the persisted-commands benchmark",
        "atrium.mqtt.port = 0",
        "pekko.remote.artery.canonical.port = 0",
        "atrium.http.rate-limit.per-second = " + rateLimit,
        "atrium.http.rate-limit.burst = " + rateLimit,
        ""), StandardCharsets.UTF_8);
    byte[] secret = new byte[48];
    new SecureRandom().nextBytes(secret);
    String secretText = "base64:" + Base64.getEncoder().encodeToString(secret);
    Path log = work.resolve("node.log");
    List<String> command = new ArrayList<>(java(classpath, javaOptions));
    command.addAll(List.of("atrium.api.AtriumMain", "serve", "--port", "0", "--data-dir", dataDir.toString(), "--site",
        siteFile.toString(), "--config", config.toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("ATRIUM_AUTH_SECRET", secretText);
    Process p = pb.start();
    // a benchmark stopped by Ctrl-C takes its node with it (harmless once the node has stopped)
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroy, "bench-commands-node-stop"));
    try {
      URI base = awaitUp(p, log, within);
      String token = mintToken(classpath, secretText, siteId, work);
      return new AtriumNode(p, base, token, log);
    } catch (IOException | RuntimeException | InterruptedException e) {
      stop(p);
      throw e;
    }
  }

  private static List<String> java(String classpath, List<String> javaOptions) {
    List<String> c = new ArrayList<>();
    c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    c.addAll(javaOptions);
    c.add("-cp");
    c.add(classpath);
    return c;
  }

  private static URI awaitUp(Process p, Path log, Duration within) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
      Matcher m = UP.matcher(text);
      if (m.find()) return URI.create(m.group(1));
      if (!p.isAlive()) throw new IllegalStateException("the Atrium node exited with status " + p.exitValue() + " before it was up; its log: " + log);
      p.waitFor(200, TimeUnit.MILLISECONDS);
    }
    throw new IllegalStateException("the Atrium node was not up within " + within + "; its log: " + log);
  }

  private static String mintToken(String classpath, String secret, String siteId, Path work) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(java(classpath, List.of("-Xmx256m")));
    command.addAll(List.of("atrium.api.AtriumMain", "token", "--subject", "bench-operator", "--role", "operator", "--site", siteId,
        "--ttl", "12h"));
    Path out = work.resolve("token.out");
    Path err = work.resolve("token.err");
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("ATRIUM_AUTH_SECRET", secret);
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("minting the operator's token took over 60 s");
    }
    String token = Files.readString(out, StandardCharsets.UTF_8).trim();
    if (p.exitValue() != 0 || token.isEmpty()) {
      throw new IllegalStateException("minting the operator's token failed (status " + p.exitValue() + "): "
          + Files.readString(err, StandardCharsets.UTF_8).trim());
    }
    return token;
  }

  URI base() {
    return base;
  }

  String token() {
    return token;
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  /** Asks the node to stop (SIGTERM: its shutdown hook closes it), and kills it if it has not within 30 s. */
  @Override
  public void close() throws InterruptedException {
    stop(process);
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
