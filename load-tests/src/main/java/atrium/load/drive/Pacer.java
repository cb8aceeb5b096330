package atrium.load.drive;

import java.util.concurrent.locks.LockSupport;

/** The load generator's time: a monotonic nanosecond clock and a way to wait until an instant on it. */
public interface Pacer {
  long now();

  /** Returns at or after {@code nanos}; at once when it has passed. */
  void sleepUntil(long nanos) throws InterruptedException;

  /** {@link System#nanoTime()}: the wall clock a request's latency is measured on. */
  Pacer SYSTEM = new Pacer() {
    @Override
    public long now() {
      return System.nanoTime();
    }

    @Override
    public void sleepUntil(long nanos) throws InterruptedException {
      long left;
      // no spinning: parkNanos oversleeps by some tens of microseconds, far below what counts as late
      // (10 ms), and a spinning pacer would take a core from the server it measures
      while ((left = nanos - System.nanoTime()) > 0) {
        LockSupport.parkNanos(left);
        if (Thread.interrupted()) throw new InterruptedException();
      }
    }
  };
}
