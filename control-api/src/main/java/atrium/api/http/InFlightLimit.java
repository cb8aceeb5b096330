package atrium.api.http;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the calls towards the twin that are outstanding, server-wide, and refuses to go past a
 * maximum. A permit is released when the twin answers, not when the HTTP client gives up waiting:
 * a timed-out request still loads the twin until it is done. One instance may be shared by several
 * doors (HTTP and MQTT) so the bound is server-wide.
 */
public final class InFlightLimit {
  private final int max;
  private final AtomicInteger current = new AtomicInteger();

  public InFlightLimit(int max) {
    if (max <= 0) throw new IllegalArgumentException("max: must be positive, not " + max);
    this.max = max;
  }

  /** Takes {@code n} permits at once, or none. */
  public boolean tryAcquire(int n) {
    while (true) {
      int now = current.get();
      if (now + n > max) return false;
      if (current.compareAndSet(now, now + n)) return true;
    }
  }

  public void release(int n) {
    current.addAndGet(-n);
  }

  public int current() {
    return current.get();
  }

  public int max() {
    return max;
  }
}
