package atrium.load.ingest;

import atrium.load.node.ChildNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code mosquitto} broker (scripts/bench-prerequisites.sh installs it), started for one
 * benchmark on 127.0.0.1 and a free port, anonymous, without persistence, logging to a file of its
 * own. The machine's relay limit: what a plain C broker on the same cores passes from a publisher to
 * a subscriber.
 */
public final class MosquittoBroker implements AutoCloseable {
  private final Process process;
  private final InetSocketAddress address;
  private final Path log;

  private MosquittoBroker(Process process, InetSocketAddress address, Path log) {
    this.process = process;
    this.address = address;
    this.log = log;
  }

  /** The broker's executable: {@code mosquitto} on the PATH, else Debian's {@code /usr/sbin/mosquitto}. */
  public static String executable() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "mosquitto"))) return Path.of(dir, "mosquitto").toString();
    }
    if (Files.isExecutable(Path.of("/usr/sbin/mosquitto"))) return "/usr/sbin/mosquitto";
    throw new IllegalStateException("no mosquitto broker found (run scripts/bench-prerequisites.sh, which installs Debian's mosquitto)");
  }

  /** The broker's configuration: one anonymous listener on 127.0.0.1:{@code port}, nothing kept on disk. */
  static String config(int port, Path log) {
    return String.join("\n", List.of(
        "listener " + port + " 127.0.0.1",
        "allow_anonymous true",
        "persistence false",
        "log_dest file " + log.toAbsolutePath(),
        "log_type error",
        "log_type warning",
        "max_queued_messages 100000",
        "")) ;
  }

  public static MosquittoBroker start(Path dir) throws IOException, InterruptedException {
    int port = ChildNode.freePort();
    Path conf = dir.resolve("mosquitto.conf");
    Path log = dir.resolve("mosquitto.log");
    Files.writeString(conf, config(port, log));
    Process p = new ProcessBuilder(executable(), "-c", conf.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("mosquitto.out").toFile()).start();
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      if (!p.isAlive()) {
        throw new IllegalStateException("mosquitto exited with " + p.exitValue() + " (see " + dir.resolve("mosquitto.out") + ")");
      }
      try (Socket s = new Socket()) {
        s.connect(address, 200);
        return new MosquittoBroker(p, address, log);
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          p.destroyForcibly();
          throw new IllegalStateException("mosquitto did not listen on " + port + " within 15 s");
        }
        Thread.sleep(50);
      }
    }
  }

  /** {@code mosquitto -h}'s first line, e.g. "mosquitto version 2.0.11". */
  public static String version() {
    try {
      Process p = new ProcessBuilder(executable(), "-h").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor(5, TimeUnit.SECONDS);
      return out.lines().findFirst().orElse("mosquitto").trim();
    } catch (IOException e) {
      return "mosquitto (version unknown)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "mosquitto (version unknown)";
    }
  }

  public InetSocketAddress address() {
    return address;
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
