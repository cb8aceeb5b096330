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
      while ((left = nanos - System.nanoTime()) > 0) {
        // parkNanos oversleeps by tens of microseconds: park short of the instant, then spin the rest
        if (left > 200_000) LockSupport.parkNanos(left - 100_000);
        else Thread.onSpinWait();
        if (Thread.interrupted()) throw new InterruptedException();
      }
    }
  };
}
