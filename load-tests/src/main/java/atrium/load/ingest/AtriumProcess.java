package atrium.load.ingest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Atrium node in a JVM of its own, started as {@code bin/atrium serve} starts one
 * ({@code atrium.api.AtriumMain serve}, wall clock, embedded H2 journal and history, the demo mall):
 * its CPU is its own, not shared with the load generator's threads. HTTP and MQTT bind free ports
 * (port 0; the node's log says which), the data directory is fresh, one site-gateway device
 * credential is made with the product's own {@code device-credential} command, and the people's and
 * devices' HTTP rate limits are raised out of the way (MQTT publishes have none).
 */
public final class AtriumProcess implements AutoCloseable {
  static final Pattern UP = Pattern.compile("Atrium is up: (http://[^/\\s]+)/");
  static final Pattern MQTT = Pattern.compile("MQTT device door listening on /?([0-9.]+):(\\d+)");
  public static final String USER = "bench-gateway";

  private final Process process;
  private final URI http;
  private final InetSocketAddress mqtt;
  private final String password;
  private final Path log;

  private AtriumProcess(Process process, URI http, InetSocketAddress mqtt, String password, Path log) {
    this.process = process;
    this.http = http;
    this.mqtt = mqtt;
    this.password = password;
    this.log = log;
  }

  /** How to start the node's JVM: its options and classpath (the server's jar and its libraries). */
  public record Launch(List<String> jvmOptions, String classpath, Path siteFile) {}

  public static AtriumProcess start(Launch launch, Path dir) throws IOException, InterruptedException {
    Path data = Files.createDirectories(dir.resolve("atrium-data"));
    String password = Long.toString(Double.doubleToLongBits(Math.random()), 36) + Long.toString(System.nanoTime(), 36);
    Path credentials = dir.resolve("devices.json");
    Files.writeString(credentials, "{\"devices\": [" + credential(launch, password, dir) + "]}\n");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(launch.jvmOptions());
    cmd.addAll(List.of("-cp", launch.classpath(), "atrium.api.AtriumMain", "serve", "--port", "0", "--data-dir", data.toString(),
        "--site", launch.siteFile().toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Path log = dir.resolve("atrium.log");
    pb.redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("ATRIUM_MQTT_PORT", "0");
    env.put("ATRIUM_DEVICE_CREDENTIALS_FILE", credentials.toString());
    env.put("ATRIUM_RATE_LIMIT_PER_SECOND", "100000");
    env.put("ATRIUM_RATE_LIMIT_BURST", "100000");
    env.put("ATRIUM_DEVICE_RATE_LIMIT_PER_SECOND", "1000000");
    env.put("ATRIUM_DEVICE_RATE_LIMIT_BURST", "1000000");
    env.put("ATRIUM_AUTH_GENERATE_SECRET", "true");
    Process p = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    URI http = null;
    InetSocketAddress mqtt = null;
    while (http == null || mqtt == null) {
      String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
      Matcher up = UP.matcher(text);
      if (up.find()) http = URI.create(up.group(1));
      Matcher m = MQTT.matcher(text);
      if (m.find()) mqtt = new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
      if (http != null && mqtt != null) break;
      if (!p.isAlive()) throw new IllegalStateException("the Atrium node exited with " + p.exitValue() + " before it was up (see " + log + ")");
      if (System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IllegalStateException("the Atrium node was not up within 120 s (see " + log + ")");
      }
      Thread.sleep(200);
    }
    return new AtriumProcess(p, http, mqtt, password, log);
  }

  /** A site gateway's credential entry for the demo mall, from {@code AtriumMain device-credential}. */
  private static String credential(Launch launch, String password, Path dir) throws IOException, InterruptedException {
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", launch.classpath(),
        "atrium.api.AtriumMain", "device-credential", "--username", USER, "--site", "demo-mall", "--asset", "*", "--password-stdin");
    Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("device-credential.err").toFile()).start();
    p.getOutputStream().write((password + "\n").getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !out.startsWith("{")) {
      throw new IllegalStateException("device-credential failed (see " + dir.resolve("device-credential.err") + "): " + out);
    }
    return out.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow();
  }

  public URI http() {
    return http;
  }

  public InetSocketAddress mqtt() {
    return mqtt;
  }

  public String user() {
    return USER;
  }

  public String password() {
    return password;
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  /** SIGTERM, as a service manager stops a node (the history drains on shutdown); killed after 30 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
