package atrium.load.drive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class OpenLoopTest {
  /** Virtual time: sleeping moves the clock, so a plan of minutes runs at once. */
  static final class VirtualPacer implements Pacer {
    long now;

    @Override
    public long now() {
      return now;
    }

    @Override
    public void sleepUntil(long nanos) {
      now = Math.max(now, nanos);
    }
  }

  @Test
  void theSchedulerIssuesThePlannedNumberOfRequestsPerStage() throws Exception {
    ArrivalPlan plan = new ArrivalPlan(List.of(Stage.ramp(10, 100, Duration.ofSeconds(30)), Stage.hold(100, Duration.ofSeconds(60)),
        Stage.spike(400, Duration.ofSeconds(5)), Stage.ramp(100, 0, Duration.ofSeconds(10))));
    LoadRecorder recorder = new LoadRecorder();
    OpenLoop.Mix mix = new OpenLoop.Mix()
        .add("a", 3, () -> CompletableFuture.completedFuture(Outcome.OK))
        .add("b", 1, () -> CompletableFuture.completedFuture(Outcome.OK));
    VirtualPacer pacer = new VirtualPacer();

    OpenLoop.Result r = new OpenLoop(OpenLoop.Options.defaults()).run(plan, mix, pacer, recorder, 0);

    assertArrayEquals(new long[] {1650, 6000, 2000, 500}, r.offeredByStage());
    recorder.sample(1, Set.of());
    Map<String, Long> ok = Map.of("a", recorder.totals().get(0).ok(), "b", recorder.totals().get(1).ok());
    assertEquals(Map.of("a", 7613L, "b", 2537L), ok, "the mix's shares are exact: 3 to 1 of 10,150, the cycle a a b a");
  }

  @Test
  void requestsAreDueWhereTheRampPutsThem() {
    Stage ramp = Stage.ramp(0, 100, Duration.ofSeconds(10));
    // N(t) = 5·t²: the 125th request is due at 5 s, the 500th at 10 s (the stage's end)
    assertEquals(5.0, ramp.dueAt(125), 1e-9);
    assertEquals(500, ramp.planned());
    assertTrue(ramp.dueAt(499) < 10.0);
    for (long k = 1; k < 500; k++) assertTrue(ramp.dueAt(k) >= ramp.dueAt(k - 1), "due times never go back");
  }

  @Test
  void aFullInFlightBoundDropsRequestsVisiblyInsteadOfSendingThemLater() throws Exception {
    ArrivalPlan plan = new ArrivalPlan(List.of(Stage.hold(100, Duration.ofSeconds(1))));
    LoadRecorder recorder = new LoadRecorder();
    OpenLoop.Mix mix = new OpenLoop.Mix().add("never", 1, CompletableFuture::new);
    OpenLoop loop = new OpenLoop(new OpenLoop.Options(5, Duration.ofMillis(200), Duration.ZERO, Duration.ofMillis(10)));

    loop.run(plan, mix, new VirtualPacer(), recorder, 0);
    recorder.sample(1, Set.of());

    LoadRecorder.Totals t = recorder.totals().get(0);
    assertEquals(100, t.offered());
    assertEquals(5, t.sent());
    assertEquals(Map.of(Outcome.DROPPED, 95L, Outcome.TIMEOUT, 5L), t.errors());
    assertEquals(1.0, t.errorRate());
  }
}
