package atrium.load.drive;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the requests did, per operation and per second: counts, errors by type, and two latency
 * histograms — <b>corrected</b>, from the time a request was due to its answer (coordinated omission
 * corrected: time spent waiting to be sent counts), and <b>naive</b>, from the time it was actually
 * sent. Thread-safe: requests complete on the drivers' threads; {@link #sample} is called once a second.
 */
public final class LoadRecorder {
  static final long HIGHEST_NANOS = 3_600_000_000_000L;

  private final Map<String, Op> ops = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger peakInFlight = new AtomicInteger();
  private final LongAdder boundHits = new LongAdder();
  private final List<Second> seconds = new ArrayList<>();
  private final Histogram intervalScratch = histogram();

  /** One second of the run, as the report's time series show it. Latencies in milliseconds, corrected. */
  public record Second(double t, long offered, long sent, long ok, long failed, long late, long dropped, int inFlight,
      long boundHits, Map<String, Long> errors, double p50, double p90, double p99, double p999, double max) {}

  /** An operation's totals over the run. Latencies in milliseconds. */
  public record Totals(String op, long offered, long sent, long ok, long failed, long late, Map<String, Long> errors,
      Percentiles corrected, Percentiles naive) {
    public double errorRate() {
      return offered == 0 ? 0 : (double) failed / offered;
    }
  }

  public record Percentiles(long count, double p50, double p90, double p99, double p999, double max, double mean) {
    static Percentiles of(Histogram h) {
      if (h.getTotalCount() == 0) return new Percentiles(0, 0, 0, 0, 0, 0, 0);
      return new Percentiles(h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
          ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), h.getMean() / 1e6);
    }
  }

  private static final class Op {
    final String name;
    final Recorder corrected = new Recorder(HIGHEST_NANOS, 3);
    final Recorder naive = new Recorder(HIGHEST_NANOS, 3);
    final Histogram totalCorrected = histogram();
    final Histogram totalNaive = histogram();
    Histogram intervalCorrected;
    Histogram intervalNaive;
    final LongAdder offered = new LongAdder();
    final LongAdder sent = new LongAdder();
    final LongAdder ok = new LongAdder();
    final LongAdder late = new LongAdder();
    final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    // what the last sample saw, to report per-second deltas
    long lastOffered, lastSent, lastOk, lastLate;
    final Map<String, Long> lastErrors = new TreeMap<>();

    Op(String name) {
      this.name = name;
    }

    long failed() {
      return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }
  }

  private static Histogram histogram() {
    return new Histogram(HIGHEST_NANOS, 3);
  }

  static double ms(long nanos) {
    return nanos / 1e6;
  }

  private Op op(String name) {
    return ops.computeIfAbsent(name, Op::new);
  }

  /** A request became due. */
  public void offered(String op) {
    op(op).offered.increment();
  }

  /** A request went out {@code lateNanos} after it was due (late when over {@code lateAfterNanos}). */
  public void sent(String op, boolean late) {
    Op o = op(op);
    o.sent.increment();
    if (late) o.late.increment();
    int now = inFlight.incrementAndGet();
    peakInFlight.accumulateAndGet(now, Math::max);
  }

  /** A request could not be sent (the in-flight bound stayed full): an error of its own type. */
  public void dropped(String op) {
    op(op).errors.computeIfAbsent(Outcome.DROPPED, k -> new LongAdder()).increment();
  }

  /** The in-flight bound was full when a request was due. */
  public void boundHit() {
    boundHits.increment();
  }

  /** A sent request ended. Times on the pacer's clock, in nanoseconds. */
  public void completed(String op, long dueNanos, long sentNanos, long endNanos, Outcome outcome) {
    Op o = op(op);
    inFlight.decrementAndGet();
    if (outcome.ok()) {
      o.ok.increment();
      o.corrected.recordValue(clamp(endNanos - dueNanos));
      o.naive.recordValue(clamp(endNanos - sentNanos));
    } else {
      o.errors.computeIfAbsent(outcome.error(), k -> new LongAdder()).increment();
    }
  }

  /** A latency measured elsewhere (a stream delta's lag), counted as an answered request of {@code op}. */
  public void observed(String op, long nanos) {
    Op o = op(op);
    o.ok.increment();
    o.corrected.recordValue(clamp(nanos));
    o.naive.recordValue(clamp(nanos));
  }

  /** An error outside a request (a stream client closed). */
  public void error(String op, String type) {
    op(op).errors.computeIfAbsent(type, k -> new LongAdder()).increment();
  }

  private static long clamp(long nanos) {
    return Math.max(0, Math.min(nanos, HIGHEST_NANOS));
  }

  public int inFlight() {
    return inFlight.get();
  }

  /**
   * Closes the second ending at {@code t} seconds from the start: the counts since the last sample
   * and the corrected latency percentiles of the requests answered in it, over every operation whose
   * name is not in {@code apart} (stream lag is a latency of its own, not a request's).
   */
  public synchronized Second sample(double t, java.util.Set<String> apart) {
    long offered = 0, sent = 0, ok = 0, failed = 0, late = 0, dropped = 0;
    Map<String, Long> errors = new TreeMap<>();
    intervalScratch.reset();
    for (Op o : ops.values()) {
      o.intervalCorrected = o.corrected.getIntervalHistogram(o.intervalCorrected);
      o.intervalNaive = o.naive.getIntervalHistogram(o.intervalNaive);
      o.totalCorrected.add(o.intervalCorrected);
      o.totalNaive.add(o.intervalNaive);
      if (apart.contains(o.name)) continue;
      intervalScratch.add(o.intervalCorrected);
      long of = o.offered.sum(), se = o.sent.sum(), k = o.ok.sum(), la = o.late.sum();
      offered += of - o.lastOffered;
      sent += se - o.lastSent;
      ok += k - o.lastOk;
      late += la - o.lastLate;
      o.lastOffered = of;
      o.lastSent = se;
      o.lastOk = k;
      o.lastLate = la;
      for (Map.Entry<String, LongAdder> e : o.errors.entrySet()) {
        long now = e.getValue().sum();
        long delta = now - o.lastErrors.getOrDefault(e.getKey(), 0L);
        o.lastErrors.put(e.getKey(), now);
        if (delta > 0) {
          errors.merge(e.getKey(), delta, Long::sum);
          failed += delta;
          if (e.getKey().equals(Outcome.DROPPED)) dropped += delta;
        }
      }
    }
    long hits = boundHits.sumThenReset();
    int peak = peakInFlight.getAndSet(inFlight.get());
    Histogram h = intervalScratch;
    Second s = new Second(t, offered, sent, ok, failed, late, dropped, peak, hits, errors,
        h.getTotalCount() == 0 ? Double.NaN : ms(h.getValueAtPercentile(50)),
        h.getTotalCount() == 0 ? Double.NaN : ms(h.getValueAtPercentile(90)),
        h.getTotalCount() == 0 ? Double.NaN : ms(h.getValueAtPercentile(99)),
        h.getTotalCount() == 0 ? Double.NaN : ms(h.getValueAtPercentile(99.9)),
        h.getTotalCount() == 0 ? Double.NaN : ms(h.getMaxValue()));
    seconds.add(s);
    return s;
  }

  public synchronized List<Second> seconds() {
    return List.copyOf(seconds);
  }

  /** Each operation's totals (call after a last {@link #sample}), in name order. */
  public synchronized List<Totals> totals() {
    List<Totals> out = new ArrayList<>();
    for (Op o : new TreeMap<>(ops).values()) {
      Map<String, Long> errors = new LinkedHashMap<>();
      new TreeMap<>(o.errors).forEach((k, v) -> errors.put(k, v.sum()));
      out.add(new Totals(o.name, o.offered.sum(), o.sent.sum(), o.ok.sum(), o.failed(), o.late.sum(), errors,
          Percentiles.of(o.totalCorrected), Percentiles.of(o.totalNaive)));
    }
    return out;
  }

  /** The corrected histogram of the given operations together, over the run (after a last {@link #sample}). */
  public synchronized Percentiles combined(java.util.Set<String> apart) {
    Histogram all = histogram();
    for (Op o : ops.values()) if (!apart.contains(o.name)) all.add(o.totalCorrected);
    return Percentiles.of(all);
  }
}
