package atrium.core.clock;

import java.time.Duration;
import java.time.Instant;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The twin's time. Every entity timer and control tick takes its time from here, never from
 * {@code System.currentTimeMillis()} or Pekko's timers, so that the same logic runs on the wall
 * clock in production and on a {@link SimulatedClock} many times faster than real time in drills.
 */
public interface TwinClock {

  Instant now();

  /** Runs {@code action} once, after {@code delay} of this clock's time has passed. */
  Scheduled schedule(Duration delay, Runnable action);

  /** Sends {@code message} to {@code target} after {@code delay} of this clock's time. */
  default <T> Scheduled scheduleTell(Duration delay, ActorRef<T> target, T message) {
    return schedule(delay, () -> target.tell(message));
  }

  /** Clock seconds per real second: 1 for the wall clock. */
  double speed();

  /** A pending action; cancelling one that already ran (or was cancelled) returns false. */
  interface Scheduled {
    boolean cancel();
  }
}
