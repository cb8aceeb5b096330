package atrium.load.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.load.drive.Outcome;
import atrium.load.drive.Pacer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bare driver's counting: what ends in the window is counted, every command ends, the bound holds. */
class ClosedLoopTest {
  private final ScheduledExecutorService replies = Executors.newScheduledThreadPool(2);

  @AfterEach
  void stop() {
    replies.shutdownNow();
  }

  @Test
  void onlyAnswersEndingInsideTheWindowAreCountedAndTimed() {
    ClosedLoop.Window w = new ClosedLoop.Window(1_000_000_000L, 3_000_000_000L);
    w.ended(500_000_000L, 900_000_000L, Outcome.OK); // warm-up
    w.ended(900_000_000L, 1_000_000_000L, Outcome.OK); // the window's first instant
    w.ended(2_000_000_000L, 2_004_000_000L, Outcome.OK);
    w.ended(2_999_000_000L, 3_000_000_000L, Outcome.OK); // the window's end is outside it
    w.ended(2_000_000_000L, 2_001_000_000L, Outcome.error("http-5xx"));

    ClosedLoop.Result r = w.result(8, 5, 3, true);

    assertEquals(4, r.answered());
    assertEquals(1, r.failed());
    assertEquals(Map.of("http-5xx", 1L), r.errors());
    assertEquals(2, r.counted());
    assertEquals(2.0, r.seconds(), 1e-9);
    assertEquals(1.0, r.perSecond(), 1e-9);
    assertEquals(2, r.latency().count());
    assertEquals(100.0, r.latency().max(), 0.1, "the slowest counted took 100 ms from send to answer");
    assertTrue(r.complete());
  }

  @Test
  void aResultWithCommandsUnaccountedForIsIncomplete() {
    ClosedLoop.Window w = new ClosedLoop.Window(0, 1_000_000_000L);
    w.ended(0, 10, Outcome.OK);
    assertFalse(w.result(4, 2, 2, true).complete(), "two sent, one ended");
    assertFalse(w.result(4, 1, 1, false).complete(), "not drained");
  }

  @Test
  void everyCommandSentEndsAnsweredOrFailedAndNoMoreThanTheBoundAreInFlight() throws Exception {
    AtomicInteger now = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    ClosedLoop loop = new ClosedLoop(5, Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofSeconds(30), Pacer.SYSTEM);

    ClosedLoop.Result r = loop.run(n -> {
      most.accumulateAndGet(now.incrementAndGet(), Math::max);
      CompletableFuture<Outcome> f = new CompletableFuture<>();
      replies.schedule(() -> {
        now.decrementAndGet();
        if (n % 10 == 3) f.completeExceptionally(new java.util.concurrent.TimeoutException());
        else if (n % 10 == 7) f.complete(Outcome.ofStatus(503));
        else f.complete(Outcome.OK);
      }, 1, TimeUnit.MILLISECONDS);
      return f;
    });

    assertTrue(r.sent() > 0);
    assertEquals(r.sent(), r.answered() + r.failed(), "every command sent ended");
    assertTrue(r.drained());
    assertTrue(most.get() <= 5, "at most the bound in flight, saw " + most.get());
    assertTrue(r.peakInFlight() <= 5);
    assertTrue(r.counted() <= r.answered());
    assertEquals(r.failed(), r.errors().values().stream().mapToLong(Long::longValue).sum());
    assertTrue(r.errors().containsKey(Outcome.TIMEOUT) && r.errors().containsKey("http-5xx"), r.errors().toString());
  }

  @Test
  void aSendThatThrowsCountsAsAFailedCommand() throws Exception {
    ClosedLoop loop = new ClosedLoop(2, Duration.ZERO, Duration.ofMillis(50), Duration.ofSeconds(10), Pacer.SYSTEM);
    ClosedLoop.Result r = loop.run(n -> {
      throw new IllegalStateException("refused");
    });
    assertTrue(r.sent() > 0);
    assertEquals(r.sent(), r.failed());
    assertEquals(0, r.answered());
    assertEquals(Map.of("other-IllegalStateException", r.sent()), r.errors());
  }

  @Test
  void aBoundBelowOneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ClosedLoop(0, Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1), Pacer.SYSTEM));
  }
}
