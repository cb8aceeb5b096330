package atrium.api.mqtt;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Runs Debian's mosquitto clients (scripts/test-prerequisites.sh installs them) against a test server. */
final class Mosquitto {
  private Mosquitto() {}

  record Result(int exitCode, String output) {}

  /** Runs {@code mosquitto_pub} to completion (at most 60 s); stdout and stderr together. */
  static Result pub(int port, String... args) {
    List<String> cmd = new ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(port)));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("mosquitto_pub did not finish: " + cmd);
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      throw new AssertionError("cannot run mosquitto_pub (scripts/test-prerequisites.sh installs mosquitto-clients)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A running {@code mosquitto_sub -d -v}, line-buffered (stdbuf) so its output lines come as they are printed. */
  static final class Sub implements AutoCloseable {
    final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    Sub(int port, String... args) {
      List<String> cmd = new ArrayList<>(List.of("stdbuf", "-oL", "mosquitto_sub", "-d", "-v", "-h", "127.0.0.1", "-p", String.valueOf(port)));
      cmd.addAll(List.of(args));
      try {
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      } catch (IOException e) {
        throw new AssertionError("cannot run mosquitto_sub (scripts/test-prerequisites.sh installs mosquitto-clients)", e);
      }
      Thread reader = new Thread(() -> {
        try (var r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) lines.add(line);
        } catch (IOException e) {
          lines.add("<read failed: " + e + ">");
        }
      }, "mosquitto_sub-reader");
      reader.setDaemon(true);
      reader.start();
    }

    /** Waits (at most {@code timeout}) for a line containing {@code text}; returns it. */
    String await(String text, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      for (String s : seen) if (s.contains(text)) return s;
      while (true) {
        long left = deadline - System.nanoTime();
        String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
        if (line == null) throw new AssertionError("mosquitto_sub printed no line containing '" + text + "' within " + timeout + "; it printed " + seen);
        seen.add(line);
        if (line.contains(text)) return line;
      }
    }

    /** Ends the client the hard way (SIGKILL): no DISCONNECT is sent. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
      if (process.isAlive()) kill();
    }
  }
}
