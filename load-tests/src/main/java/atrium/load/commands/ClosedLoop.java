package atrium.load.commands;

import atrium.load.drive.Outcome;
import atrium.load.drive.Pacer;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;

/**
 * A fixed number of commands in flight, each replaced as soon as it is answered: the highest rate
 * the target sustains at that concurrency — how the bare entity's floor was measured (STACK.md:
 * "200–800 commands in flight"). After a warm-up (not counted), the commands that end inside the
 * measured window are counted and their latency (send to answer) recorded; the run then waits for
 * what is still in flight. Every command sent ends as answered or failed: none is lost silently.
 *
 * <p>This is a closed model: a slow target lowers the rate it is offered, so its latency is the
 * latency at that concurrency, not at a given arrival rate (the HTTP figures use the open model of
 * {@code atrium.load.drive.OpenLoop} for that).
 */
public final class ClosedLoop {
  /** The latency of the counted commands, in milliseconds. */
  public record Latency(long count, double p50, double p90, double p99, double max) {
    static Latency of(Histogram h) {
      if (h.getTotalCount() == 0) return new Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
      return new Latency(h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
          ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()));
    }

    private static double ms(long nanos) {
      return nanos / 1e6;
    }
  }

  /**
   * What a run did: {@code sent} commands over the whole run (warm-up included), of which
   * {@code answered} and {@code failed} (by type); {@code counted} answered inside the measured window
   * of {@code seconds}, hence {@code perSecond}; the most in flight at once; {@code drained} false
   * when some were still outstanding when the run gave up waiting for them.
   */
  public record Result(int inFlight, long sent, long answered, long failed, Map<String, Long> errors, long counted,
      double seconds, double perSecond, Latency latency, int peakInFlight, boolean drained) {
    public boolean complete() {
      return drained && sent == answered + failed;
    }
  }

  /** The counting: which ends fall in the measured window, and their latencies. Thread-safe. */
  static final class Window {
    private final long from;
    private final long to;
    private final Histogram latency = new Histogram(3_600_000_000_000L, 3);
    private final Map<String, Long> errors = new TreeMap<>();
    private long answered;
    private long failed;
    private long counted;

    /** Counts the ends in {@code [from, to)}, nanoseconds on the pacer's clock. */
    Window(long from, long to) {
      if (to <= from) throw new IllegalArgumentException("the measured window must be longer than 0");
      this.from = from;
      this.to = to;
    }

    synchronized void ended(long sentNanos, long endNanos, Outcome outcome) {
      if (!outcome.ok()) {
        failed++;
        errors.merge(outcome.error(), 1L, Long::sum);
        return;
      }
      answered++;
      if (endNanos >= from && endNanos < to) {
        counted++;
        latency.recordValue(Math.max(0, Math.min(endNanos - sentNanos, latency.getHighestTrackableValue())));
      }
    }

    synchronized Result result(int inFlight, long sent, int peak, boolean drained) {
      double seconds = (to - from) / 1e9;
      return new Result(inFlight, sent, answered, failed, Map.copyOf(errors), counted, seconds, counted / seconds,
          Latency.of(latency), peak, drained);
    }
  }

  private final int inFlight;
  private final Duration warmUp;
  private final Duration measure;
  private final Duration drainTimeout;
  private final Pacer pacer;

  public ClosedLoop(int inFlight, Duration warmUp, Duration measure, Duration drainTimeout, Pacer pacer) {
    if (inFlight < 1) throw new IllegalArgumentException("in flight: at least 1, not " + inFlight);
    if (warmUp.isNegative()) throw new IllegalArgumentException("the warm-up cannot be negative");
    if (measure.isNegative() || measure.isZero()) throw new IllegalArgumentException("the measured time must be longer than 0");
    this.inFlight = inFlight;
    this.warmUp = warmUp;
    this.measure = measure;
    this.drainTimeout = drainTimeout;
    this.pacer = pacer;
  }

  /**
   * Sends {@code send.apply(n)} for n = 0, 1, 2, … with {@code inFlight} outstanding at a time, for the
   * warm-up and the measured time; returns when every command has ended or the drain timeout passed.
   * {@code send} must not block; a command whose stage fails (or that throws) counts as failed.
   */
  public Result run(LongFunction<CompletionStage<Outcome>> send) throws InterruptedException {
    Semaphore slots = new Semaphore(inFlight);
    AtomicInteger outstanding = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    long start = pacer.now();
    long from = start + warmUp.toNanos();
    long to = from + measure.toNanos();
    Window window = new Window(from, to);
    long sent = 0;
    while (true) {
      long left = to - pacer.now();
      if (left <= 0 || !slots.tryAcquire(left, TimeUnit.NANOSECONDS)) break;
      if (pacer.now() >= to) {
        slots.release();
        break;
      }
      long begin = pacer.now();
      peak.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
      CompletionStage<Outcome> stage;
      try {
        stage = send.apply(sent);
      } catch (RuntimeException e) {
        stage = CompletableFuture.failedFuture(e);
      }
      sent++;
      stage.whenComplete((outcome, failure) -> {
        long end = pacer.now();
        try {
          window.ended(begin, end, failure != null ? Outcome.ofFailure(failure) : outcome);
        } finally {
          outstanding.decrementAndGet();
          slots.release();
        }
      });
    }
    boolean drained = slots.tryAcquire(inFlight, drainTimeout.toNanos(), TimeUnit.NANOSECONDS);
    if (drained) slots.release(inFlight);
    return window.result(inFlight, sent, peak.get(), drained);
  }
}
