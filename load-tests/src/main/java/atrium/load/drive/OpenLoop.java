package atrium.load.drive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The open workload model: one thread issues each request at the time the arrival plan says it is
 * due, whatever the earlier ones are doing — requests do not wait for replies, so a slow server
 * cannot lower the rate it is offered. Latency is recorded from the due time (see
 * {@link LoadRecorder}). At most {@code maxInFlight} requests are outstanding: when the bound is
 * full, a due request waits for a free slot up to {@code maxLateness} past its due time and is then
 * dropped, counted as the {@code dropped-in-flight-bound} error; one sent more than
 * {@code lateAfter} past its due time is counted late. Neither is silent.
 */
public final class OpenLoop {
  /** A request of one kind; {@link #send()} must not block (it is called on the pacing thread). */
  public interface Request {
    CompletionStage<Outcome> send();
  }

  public record Options(int maxInFlight, Duration timeout, Duration maxLateness, Duration lateAfter) {
    public Options {
      if (maxInFlight < 1) throw new IllegalArgumentException("max in flight must be at least 1");
    }

    public static Options defaults() {
      return new Options(2000, Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMillis(10));
    }
  }

  /** Operations and their weights; picks them in a smooth weighted round-robin, so the shares are exact. */
  public static final class Mix {
    private final List<String> names = new ArrayList<>();
    private final List<Request> requests = new ArrayList<>();
    private final List<Double> weights = new ArrayList<>();
    private double[] current;

    public Mix add(String name, double weight, Request request) {
      if (!(weight > 0)) throw new IllegalArgumentException("the weight of '" + name + "' must be > 0");
      names.add(name);
      requests.add(request);
      weights.add(weight);
      return this;
    }

    public boolean isEmpty() {
      return names.isEmpty();
    }

    public List<String> names() {
      return List.copyOf(names);
    }

    public Request request(int index) {
      return requests.get(index);
    }

    int next() {
      if (current == null) current = new double[names.size()];
      double total = 0;
      int best = 0;
      for (int i = 0; i < current.length; i++) {
        current[i] += weights.get(i);
        total += weights.get(i);
        if (current[i] > current[best]) best = i;
      }
      current[best] -= total;
      return best;
    }
  }

  /** Requests made due per stage (offered, whether sent or dropped). */
  public record Result(long[] offeredByStage, boolean drained) {}

  private final Options options;
  private volatile boolean stopped;

  public OpenLoop(Options options) {
    this.options = options;
  }

  /** Stops issuing requests (what is in flight still completes). */
  public void stop() {
    stopped = true;
  }

  /** Runs the plan from {@code start} (pacer time); returns when every due request has been issued and those in flight have ended or timed out. */
  public Result run(ArrivalPlan plan, Mix mix, Pacer pacer, LoadRecorder recorder, long start) throws InterruptedException {
    if (mix.isEmpty()) throw new IllegalArgumentException("the traffic mix is empty");
    Semaphore slots = new Semaphore(options.maxInFlight());
    long maxLateness = options.maxLateness().toNanos();
    long lateAfter = options.lateAfter().toNanos();
    long timeoutNanos = options.timeout().toNanos();
    long[] offered = new long[plan.stages().size()];
    for (int s = 0; s < plan.stages().size() && !stopped; s++) {
      Stage stage = plan.stages().get(s);
      long stageStart = start + plan.stageStartNanos(s);
      long n = stage.planned();
      for (long k = 0; k < n && !stopped; k++) {
        long due = stageStart + (long) (stage.dueAt(k) * 1e9);
        pacer.sleepUntil(due);
        int i = mix.next();
        String op = mix.names.get(i);
        offered[s]++;
        recorder.offered(op);
        if (!slots.tryAcquire()) {
          recorder.boundHit();
          long wait = due + maxLateness - pacer.now();
          if (wait <= 0 || !slots.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
            recorder.dropped(op);
            continue;
          }
        }
        long sent = pacer.now();
        recorder.sent(op, sent - due > lateAfter);
        CompletableFuture<Outcome> f;
        try {
          f = mix.requests.get(i).send().toCompletableFuture().copy();
        } catch (RuntimeException e) {
          f = CompletableFuture.failedFuture(e);
        }
        f.orTimeout(timeoutNanos, TimeUnit.NANOSECONDS).whenComplete((outcome, failure) -> {
          long end = pacer.now();
          try {
            recorder.completed(op, due, sent, end, failure != null ? Outcome.ofFailure(failure) : outcome);
          } finally {
            // released after recording: run() returns once it holds every slot, so every reply is counted by then
            slots.release();
          }
        });
      }
    }
    boolean drained = slots.tryAcquire(options.maxInFlight(), timeoutNanos + 1_000_000_000L, TimeUnit.NANOSECONDS);
    if (drained) slots.release(options.maxInFlight());
    return new Result(offered, drained);
  }
}
