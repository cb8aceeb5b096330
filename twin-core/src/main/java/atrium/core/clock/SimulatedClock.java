package atrium.core.clock;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A discrete-event clock. Time moves only when it is advanced: by hand ({@link #advance}), which
 * runs every action that falls due in order with {@link #now()} set to its due time, or by
 * {@link #run(double, Duration)}, which advances it in steps at a chosen multiple of real time.
 * A simulated day therefore passes in seconds, and actions fire in the same order at any speed.
 */
public final class SimulatedClock implements TwinClock, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SimulatedClock.class);

  private final Object lock = new Object();
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private final AtomicLong sequence = new AtomicLong();
  private Instant now;
  private volatile double speed;
  private ScheduledExecutorService driver;

  public SimulatedClock(Instant start) {
    this.now = start;
    this.speed = 0.0;
  }

  @Override
  public Instant now() {
    synchronized (lock) {
      return now;
    }
  }

  @Override
  public Scheduled schedule(Duration delay, Runnable action) {
    synchronized (lock) {
      Task t = new Task(now.plus(delay.isNegative() ? Duration.ZERO : delay), sequence.getAndIncrement(), action);
      queue.add(t);
      return t;
    }
  }

  @Override
  public double speed() {
    return speed;
  }

  /** Moves time forward by {@code step}, running what falls due on the way, in due order. */
  public void advance(Duration step) {
    Instant target;
    synchronized (lock) {
      target = now.plus(step);
    }
    advanceTo(target);
  }

  /** Moves time forward to {@code target} (never backwards), running what falls due on the way. */
  public void advanceTo(Instant target) {
    while (true) {
      Task due;
      synchronized (lock) {
        Task head = queue.peek();
        if (head == null || head.due.isAfter(target)) {
          if (target.isAfter(now)) now = target;
          return;
        }
        due = queue.poll();
        if (due.due.isAfter(now)) now = due.due;
      }
      if (due.claim()) {
        try {
          due.action.run();
        } catch (RuntimeException e) {
          log.error("scheduled action failed at simulated {}", due.due, e);
        }
      }
    }
  }

  /** Number of actions waiting to fall due (cancelled ones included until their time passes). */
  public int pending() {
    synchronized (lock) {
      return queue.size();
    }
  }

  /**
   * Lets time run by itself at {@code speed} clock seconds per real second, advancing every
   * {@code step} of real time. Calling it again changes the speed.
   */
  public synchronized void run(double speed, Duration step) {
    if (speed <= 0) throw new IllegalArgumentException("speed must be positive, was " + speed);
    pause();
    this.speed = speed;
    long stepNanos = step.toNanos();
    driver = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "atrium-simulated-clock");
      t.setDaemon(true);
      return t;
    });
    driver.scheduleAtFixedRate(() -> advance(Duration.ofNanos((long) (stepNanos * this.speed))),
        stepNanos, stepNanos, TimeUnit.NANOSECONDS);
  }

  /** Stops time running by itself; {@link #advance} still works. */
  public synchronized void pause() {
    if (driver != null) {
      driver.shutdownNow();
      driver = null;
    }
    speed = 0.0;
  }

  @Override
  public void close() {
    pause();
  }

  private static final class Task implements Comparable<Task>, Scheduled {
    final Instant due;
    final long seq;
    final Runnable action;
    private boolean done;

    Task(Instant due, long seq, Runnable action) {
      this.due = due;
      this.seq = seq;
      this.action = action;
    }

    synchronized boolean claim() {
      if (done) return false;
      done = true;
      return true;
    }

    @Override
    public boolean cancel() {
      return claim();
    }

    @Override
    public int compareTo(Task o) {
      int c = due.compareTo(o.due);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
