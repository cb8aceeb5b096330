package atrium.core.clock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.Scheduler;
import scala.concurrent.ExecutionContextExecutor;

/** Real time, with timers on Pekko's scheduler. */
public final class WallClock implements TwinClock {
  private final Clock clock;
  private final Scheduler scheduler;
  private final ExecutionContextExecutor executor;

  public WallClock(Scheduler scheduler, ExecutionContextExecutor executor) {
    this(Clock.systemUTC(), scheduler, executor);
  }

  WallClock(Clock clock, Scheduler scheduler, ExecutionContextExecutor executor) {
    this.clock = clock;
    this.scheduler = scheduler;
    this.executor = executor;
  }

  @Override
  public Instant now() {
    return clock.instant();
  }

  @Override
  public Scheduled schedule(Duration delay, Runnable action) {
    Cancellable c = scheduler.scheduleOnce(delay.isNegative() ? Duration.ZERO : delay, action, executor);
    return c::cancel;
  }

  @Override
  public double speed() {
    return 1.0;
  }
}
