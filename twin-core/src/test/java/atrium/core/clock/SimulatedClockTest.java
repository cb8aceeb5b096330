package atrium.core.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SimulatedClockTest {
  private static final Instant START = Instant.parse("2026-12-24T01:00:00Z");

  @Test
  void advancingRunsDueActionsInOrderWithNowAtTheirDueTime() {
    var clock = new SimulatedClock(START);
    List<String> seen = new ArrayList<>();
    clock.schedule(Duration.ofMinutes(30), () -> seen.add("b@" + clock.now()));
    clock.schedule(Duration.ofMinutes(10), () -> seen.add("a@" + clock.now()));
    clock.schedule(Duration.ofHours(2), () -> seen.add("late"));
    clock.advance(Duration.ofHours(1));
    assertEquals(List.of("a@" + START.plusSeconds(600), "b@" + START.plusSeconds(1800)), seen);
    assertEquals(START.plus(Duration.ofHours(1)), clock.now());
  }

  @Test
  void actionsScheduledWhileAdvancingRunInTheSameAdvanceWhenDue() {
    var clock = new SimulatedClock(START);
    AtomicInteger ticks = new AtomicInteger();
    Runnable[] tick = new Runnable[1];
    tick[0] = () -> {
      ticks.incrementAndGet();
      clock.schedule(Duration.ofMinutes(15), tick[0]);
    };
    clock.schedule(Duration.ofMinutes(15), tick[0]);
    clock.advance(Duration.ofHours(24));
    assertEquals(24 * 4, ticks.get());
  }

  @Test
  void aCancelledActionNeverRuns() {
    var clock = new SimulatedClock(START);
    AtomicInteger runs = new AtomicInteger();
    var s = clock.schedule(Duration.ofSeconds(5), runs::incrementAndGet);
    assertTrue(s.cancel());
    assertFalse(s.cancel());
    clock.advance(Duration.ofMinutes(1));
    assertEquals(0, runs.get());
  }

  @Test
  void aSimulatedDayPassesInSecondsWhenRunning() throws Exception {
    try (var clock = new SimulatedClock(START)) {
      var dayOver = new CountDownLatch(1);
      clock.schedule(Duration.ofDays(1), dayOver::countDown);
      // 86,400 clock seconds at 20,000x: about 4.3 s of real time.
      clock.run(20_000, Duration.ofMillis(10));
      assertTrue(dayOver.await(60, TimeUnit.SECONDS), "a simulated day did not pass within a minute");
      assertFalse(clock.now().isBefore(START.plus(Duration.ofDays(1))));
      assertEquals(20_000, clock.speed());
    }
  }
}
