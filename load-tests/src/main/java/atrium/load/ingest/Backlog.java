package atrium.load.ingest;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * How far the publisher may run ahead of what the receiving end has counted. QoS 0 has no answer: a
 * publish "ends" when it is written to the socket, so without this bound the client fills the
 * kernel's socket buffers with hundreds of thousands of messages the receiver reads long after the
 * window — and the next phase would count them. The receiver's count is read every
 * {@code pollMillis} on a thread of its own; {@link #awaitRoom} holds the publishing thread while
 * more than {@code cap} messages are sent and not yet counted. Messages the receiver never counts (a
 * broker dropping QoS 0 messages for a slow subscriber) would hold it for ever: when the count has
 * not moved for {@code stallMillis}, what is outstanding is written off as {@link #writtenOff()} and
 * publishing goes on.
 */
final class Backlog implements AutoCloseable {
  private final LongSupplier received;
  private final long cap;
  private final long stallNanos;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong writtenOff = new AtomicLong();
  private final long base;
  private volatile long counted;
  private volatile long movedAt = System.nanoTime();
  private volatile boolean closed;
  private final Thread poller;

  Backlog(LongSupplier received, long cap, long pollMillis, long stallMillis) {
    this.received = received;
    this.cap = cap;
    this.stallNanos = TimeUnit.MILLISECONDS.toNanos(stallMillis);
    this.base = received.getAsLong();
    this.poller = new Thread(() -> {
      while (!closed) {
        poll();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pollMillis));
      }
    }, "ingest-backlog");
    poller.setDaemon(true);
    poller.start();
  }

  /** Reads the receiver's count once (the poller does this every {@code pollMillis}). */
  void poll() {
    long n;
    try {
      n = received.getAsLong() - base;
    } catch (RuntimeException e) {
      return;
    }
    if (n != counted) {
      counted = n;
      movedAt = System.nanoTime();
    }
  }

  /** Returns once fewer than {@code cap} messages are outstanding (or the receiver's count has stalled). */
  void awaitRoom() throws InterruptedException {
    while (outstanding() >= cap) {
      if (System.nanoTime() - movedAt > stallNanos) {
        writtenOff.addAndGet(outstanding());
        movedAt = System.nanoTime();
        return;
      }
      LockSupport.parkNanos(200_000);
      if (Thread.interrupted()) throw new InterruptedException();
    }
  }

  void sent() {
    sent.incrementAndGet();
  }

  /** Sent, not yet counted by the receiver, and not written off. */
  long outstanding() {
    return sent.get() - counted - writtenOff.get();
  }

  long writtenOff() {
    return writtenOff.get();
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(poller);
  }
}
