package atrium.sim.replay;

import atrium.core.protocol.DeviceProtocol;
import atrium.core.protocol.Envelope;
import atrium.core.protocol.ProtocolException;
import atrium.sim.link.DeviceLink;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Replays recorded device traffic — a simulator run's recording, or a real mall's logs converted to
 * the device protocol, one envelope per line in time order — into a twin at 1× to many times real
 * time: each message leaves when its {@code ts}, counted from the first, has come on a clock running
 * {@code speed} times real time. Messages due together go as one batch. At most a few batches are
 * outstanding; a slower twin slows the replay rather than letting messages pile up.
 *
 * <p>The file is checked line by line as it is read: a line that is not a valid envelope, or whose
 * time goes backwards, stops the replay with the line number and the field. {@code shiftTo} moves
 * every timestamp so the first falls there (replaying last December into today's twin);
 * {@code idPrefix} makes every message id new, so a second replay into the same twin is not taken
 * for duplicates.
 */
public final class Replay {
  /** Batches in flight at most. */
  static final int WINDOW = 8;

  /** How to replay. {@code speed} = 0 sends as fast as the twin takes it. */
  public record Options(double speed, Optional<Instant> shiftTo, String idPrefix, int batchSize) {
    public Options {
      if (speed < 0 || Double.isNaN(speed)) throw new IllegalArgumentException("speed: must be 0 (as fast as possible) or positive, not " + speed);
      if (batchSize < 1 || batchSize > DeviceProtocol.MAX_BATCH) {
        throw new IllegalArgumentException("batchSize: must be 1 to " + DeviceProtocol.MAX_BATCH + ", not " + batchSize);
      }
      if (idPrefix == null) idPrefix = "";
      if (!idPrefix.matches("[A-Za-z0-9._:-]{0,32}")) {
        throw new IllegalArgumentException("idPrefix: at most 32 letters, digits, '.', '_', ':' or '-', not '" + idPrefix + "'");
      }
    }

    public static Options at(double speed) {
      return new Options(speed, Optional.empty(), "", 200);
    }
  }

  /** What was sent: messages, batches, the span of device time and of wall time. */
  public record Result(long messages, long batches, Duration deviceTime, Duration wallTime) {}

  /** A line of the file that is not a valid envelope, or out of order. */
  public static final class BadLine extends RuntimeException {
    private final long line;
    private final String field;

    public BadLine(Path file, long line, String field, String reason) {
      super(file + ":" + line + ": " + (field == null ? "" : field + ": ") + reason);
      this.line = line;
      this.field = field;
    }

    public long line() {
      return line;
    }

    public String field() {
      return field;
    }
  }

  /** Waits until a point of the replay's own time; the real one sleeps, a test's returns at once. */
  @FunctionalInterface
  public interface Pacer {
    void waitUntil(Duration sinceStart) throws InterruptedException;

    /** Real time: {@code sinceStart} of device time is due {@code sinceStart / speed} after the first call. */
    static Pacer realTime(double speed) {
      if (speed == 0) return d -> {};
      long origin = System.nanoTime();
      return d -> {
        long due = origin + (long) (d.toNanos() / speed);
        long wait = due - System.nanoTime();
        if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
      };
    }
  }

  private Replay() {}

  public static Result run(Path file, DeviceLink link, Options options) throws InterruptedException {
    return run(file, link, options, Pacer.realTime(options.speed()));
  }

  public static Result run(Path file, DeviceLink link, Options options, Pacer pacer) throws InterruptedException {
    long started = System.nanoTime();
    long messages = 0;
    long batches = 0;
    ArrayDeque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
    Instant first = null;
    Instant last = null;
    Duration shift = Duration.ZERO;
    List<Envelope> batch = new ArrayList<>();
    Instant batchAt = null;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long lineNo = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNo++;
        if (line.isBlank()) continue;
        Envelope e;
        try {
          e = DeviceProtocol.parse(line.getBytes(StandardCharsets.UTF_8));
        } catch (ProtocolException p) {
          throw new BadLine(file, lineNo, p.field(), p.reason());
        }
        if (last != null && e.ts().isBefore(last)) {
          throw new BadLine(file, lineNo, "$.ts", "goes back in time (" + e.ts() + " after " + last + "); sort the file by ts");
        }
        if (first == null) {
          first = e.ts();
          shift = options.shiftTo().map(to -> Duration.between(e.ts(), to)).orElse(Duration.ZERO);
        }
        last = e.ts();
        if (batchAt != null && (!e.ts().equals(batchAt) || batch.size() == options.batchSize())) {
          pacer.waitUntil(Duration.between(first, batchAt));
          batches++;
          messages += batch.size();
          send(link, batch, inFlight);
          batch = new ArrayList<>();
        }
        batchAt = e.ts();
        batch.add(rewrite(e, shift, options.idPrefix()));
      }
      if (!batch.isEmpty()) {
        pacer.waitUntil(Duration.between(first, batchAt));
        batches++;
        messages += batch.size();
        send(link, batch, inFlight);
      }
      while (!inFlight.isEmpty()) await(inFlight.poll());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return new Result(messages, batches, first == null ? Duration.ZERO : Duration.between(first, last),
        Duration.ofNanos(System.nanoTime() - started));
  }

  private static void send(DeviceLink link, List<Envelope> batch, ArrayDeque<CompletableFuture<Void>> inFlight)
      throws InterruptedException {
    while (inFlight.size() >= WINDOW) await(inFlight.poll());
    inFlight.add(link.send(List.copyOf(batch)).toCompletableFuture());
  }

  private static void await(CompletableFuture<Void> sent) throws InterruptedException {
    try {
      sent.get(5, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the twin refused replayed messages: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the twin did not take replayed messages within 5 minutes", e);
    }
  }

  static Envelope rewrite(Envelope e, Duration shift, String prefix) {
    if (shift.isZero() && prefix.isEmpty()) return e;
    String id = prefix + e.id();
    Instant ts = e.ts().plus(shift);
    if (e instanceof Envelope.Telemetry t) return new Envelope.Telemetry(id, t.asset(), ts, t.data());
    if (e instanceof Envelope.Event v) return new Envelope.Event(id, v.asset(), ts, v.name(), v.data());
    if (e instanceof Envelope.Ack a) return new Envelope.Ack(id, a.asset(), ts, a.ref(), a.status(), a.reason());
    if (e instanceof Envelope.Command c) return new Envelope.Command(id, c.asset(), ts, c.name(), c.data());
    throw new IllegalStateException("unknown envelope " + e);
  }
}
