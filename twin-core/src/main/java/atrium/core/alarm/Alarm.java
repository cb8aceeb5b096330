package atrium.core.alarm;

import atrium.core.CborSerializable;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.TwinClock;
import atrium.core.runtime.EntityKind;
import atrium.core.runtime.TwinServices;
import java.time.Duration;
import java.time.Instant;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One alarm: one abnormal condition of one source asset (M §7.4.3, S §4(4)5), with the ISA-18.2
 * lifecycle. The source raises and clears the condition; operators acknowledge, shelve (for a
 * while), clear a returned alarm, suppress it by design or take it out of service — each recorded
 * with who did it. Its id is {@code <source kind>.<source id>.<condition>} in the source's site.
 *
 * <p>Every alarm ever raised can be awake, so what one holds is counted (see "Heap per idle twin, every
 * kind" in docs/benchmarks.md, and ParkingBay's class comment): the command handler is one method
 * dispatching on the command's type rather than Pekko's handler builder, whose cases and adapters would
 * be built again for every alarm; the restart strategy, retention and event handler are shared; and the
 * sharding ref that wakes a shelved alarm is made only when a shelving timer is armed.
 */
public final class Alarm
    extends EventSourcedBehaviorWithEnforcedReplies<Alarm.Command, Alarm.Event, Alarm.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Alarm");
  public static final EntityKind<Command> KIND = new EntityKind<>(AssetKind.ALARM, ENTITY_KEY, Alarm::create);
  private static final RetentionCriteria RETENTION = RetentionCriteria.snapshotEvery(50, 2);
  private static final BackoffSupervisorStrategy ON_PERSIST_FAILURE =
      SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2);

  /** ISA-18.2 states, as the control room shows them. */
  public enum AlarmState {
    NORMAL,
    UNACKNOWLEDGED,
    ACKNOWLEDGED,
    RETURNED_UNACKNOWLEDGED,
    SHELVED,
    SUPPRESSED,
    OUT_OF_SERVICE
  }

  public static AssetId idFor(AssetId source, String condition) {
    return AssetId.of(source.site(), AssetKind.ALARM, source.kind().wireName() + "." + source.localId() + "." + condition);
  }

  public sealed interface Command extends CborSerializable {}

  /** From the source: the condition is present. Ignored while already active. */
  public record Raise(AssetId source, String condition, Severity severity, String message, Instant at) implements Command {}

  /** From the source: the condition has ended. */
  public record Return(Instant at) implements Command {}

  public record Acknowledge(String by, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record Shelve(String by, Duration duration, String reason, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record Unshelve(String by, ActorRef<StatusReply<View>> replyTo) implements Command {}

  /** An operator clears an alarm whose condition has returned to normal (acknowledging it). */
  public record Clear(String by, ActorRef<StatusReply<View>> replyTo) implements Command {}

  /** Suppressed by design, e.g. while the site is in evacuation mode. */
  public record Suppress(String by, String reason, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record Unsuppress(String by, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record RemoveFromService(String by, String reason, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record ReturnToService(String by, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record GetState(ActorRef<View> replyTo) implements Command {}

  // Sent by the shelving timer through sharding, so it must serialize: package-private, not private.
  record ShelfExpired(Instant until) implements Command {}

  public sealed interface Event extends CborSerializable {
    Instant at();
  }

  public record Raised(AssetId source, String condition, Severity severity, String message, Instant at) implements Event {}

  public record Returned(Instant at) implements Event {}

  public record Acknowledged(String by, Instant at) implements Event {}

  public record Shelved(String by, Instant until, String reason, Instant at) implements Event {}

  public record Unshelved(String by, Instant at) implements Event {}

  public record Cleared(String by, Instant at) implements Event {}

  public record SuppressedByDesign(String by, String reason, Instant at) implements Event {}

  public record Unsuppressed(String by, Instant at) implements Event {}

  public record RemovedFromService(String by, String reason, Instant at) implements Event {}

  public record ReturnedToService(String by, Instant at) implements Event {}

  /**
   * The alarm's facts; its ISA-18.2 state is derived from them ({@link #state()}), so no combination
   * of flags can contradict it.
   */
  public record State(AssetId source, String condition, Severity severity, String message, boolean active,
      boolean acknowledged, Instant shelvedUntil, boolean suppressed, boolean outOfService,
      Instant firstAt, Instant lastAt, long count, String lastBy, String lastAction, Instant lastActionAt)
      implements CborSerializable {

    static final State EMPTY = new State(null, null, Severity.LOW, null, false, true, null, false, false, null, null, 0,
        null, null, null);

    public AlarmState state() {
      if (outOfService) return AlarmState.OUT_OF_SERVICE;
      if (suppressed) return AlarmState.SUPPRESSED;
      if (shelvedUntil != null) return AlarmState.SHELVED;
      if (active) return acknowledged ? AlarmState.ACKNOWLEDGED : AlarmState.UNACKNOWLEDGED;
      return acknowledged ? AlarmState.NORMAL : AlarmState.RETURNED_UNACKNOWLEDGED;
    }

    State apply(Event e) {
      if (e instanceof Raised r) {
        return new State(r.source(), r.condition(), r.severity(), r.message(), true, false, shelvedUntil, suppressed,
            outOfService, firstAt == null ? r.at() : firstAt, r.at(), count + 1, lastBy, lastAction, lastActionAt);
      }
      if (e instanceof Returned) {
        return new State(source, condition, severity, message, false, acknowledged, shelvedUntil, suppressed,
            outOfService, firstAt, lastAt, count, lastBy, lastAction, lastActionAt);
      }
      if (e instanceof Acknowledged a) return acted(true, shelvedUntil, suppressed, outOfService, a.by(), "acknowledged", a.at());
      if (e instanceof Shelved s) return acted(acknowledged, s.until(), suppressed, outOfService, s.by(), "shelved: " + s.reason(), s.at());
      if (e instanceof Unshelved u) return acted(acknowledged, null, suppressed, outOfService, u.by(), "unshelved", u.at());
      if (e instanceof Cleared c) return acted(true, shelvedUntil, suppressed, outOfService, c.by(), "cleared", c.at());
      if (e instanceof SuppressedByDesign s) return acted(acknowledged, shelvedUntil, true, outOfService, s.by(), "suppressed: " + s.reason(), s.at());
      if (e instanceof Unsuppressed u) return acted(acknowledged, shelvedUntil, false, outOfService, u.by(), "unsuppressed", u.at());
      if (e instanceof RemovedFromService r) return acted(acknowledged, shelvedUntil, suppressed, true, r.by(), "out of service: " + r.reason(), r.at());
      if (e instanceof ReturnedToService r) return acted(acknowledged, shelvedUntil, suppressed, false, r.by(), "returned to service", r.at());
      throw new IllegalStateException("unknown alarm event " + e);
    }

    private State acted(boolean ack, Instant shelved, boolean supp, boolean oos, String by, String action, Instant at) {
      return new State(source, condition, severity, message, active, ack, shelved, supp, oos, firstAt, lastAt, count,
          by, action, at);
    }
  }

  /** What the control room sees. */
  public record View(String site, String alarmId, AlarmState state, AssetId source, String condition, Severity severity,
      String message, boolean active, Instant firstAt, Instant lastAt, long count, Instant shelvedUntil,
      String lastBy, String lastAction, Instant lastActionAt) implements CborSerializable {}

  public static Behavior<Command> create(AssetId id, TwinServices services) {
    return Behaviors.setup(ctx -> new Alarm(id, services, ctx.getSelf()));
  }

  private final AssetId id;
  private final TwinServices services;
  private final TwinClock clock;
  private final ActorRef<Command> self;
  private TwinClock.Scheduled shelfTimer;

  private Alarm(AssetId id, TwinServices services, ActorRef<Command> self) {
    super(PersistenceId.of(ENTITY_KEY.name(), id.entityId()), ON_PERSIST_FAILURE);
    this.id = id;
    this.services = services;
    this.clock = services.clock();
    this.self = self;
  }

  @Override
  public State emptyState() {
    return State.EMPTY;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RETENTION;
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::armShelfTimer).build();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return this::onCommand;
  }

  private ReplyEffect<Event, State> onCommand(State s, Command command) {
    if (command instanceof Raise c) return onRaise(s, c);
    if (command instanceof Return c) return s.active() ? persist(new Returned(c.at())) : Effect().noReply();
    if (command instanceof Acknowledge c) return onAcknowledge(s, c);
    if (command instanceof Shelve c) return onShelve(s, c);
    if (command instanceof Unshelve c) {
      return s.shelvedUntil() == null
          ? reject(c.replyTo(), "alarm " + id.localId() + " is not shelved")
          : persist(new Unshelved(c.by(), clock.now()), c.replyTo());
    }
    if (command instanceof Clear c) return onClear(s, c);
    if (command instanceof Suppress c) {
      return s.suppressed()
          ? reject(c.replyTo(), "alarm " + id.localId() + " is already suppressed")
          : persist(new SuppressedByDesign(c.by(), c.reason(), clock.now()), c.replyTo());
    }
    if (command instanceof Unsuppress c) {
      return !s.suppressed()
          ? reject(c.replyTo(), "alarm " + id.localId() + " is not suppressed")
          : persist(new Unsuppressed(c.by(), clock.now()), c.replyTo());
    }
    if (command instanceof RemoveFromService c) {
      return s.outOfService()
          ? reject(c.replyTo(), "alarm " + id.localId() + " is already out of service")
          : persist(new RemovedFromService(c.by(), c.reason(), clock.now()), c.replyTo());
    }
    if (command instanceof ReturnToService c) {
      return !s.outOfService()
          ? reject(c.replyTo(), "alarm " + id.localId() + " is in service")
          : persist(new ReturnedToService(c.by(), clock.now()), c.replyTo());
    }
    if (command instanceof GetState c) return Effect().reply(c.replyTo(), view(s));
    if (command instanceof ShelfExpired c) {
      return c.until().equals(s.shelvedUntil()) && !clock.now().isBefore(c.until())
          ? persist(new Unshelved("system: shelving expired", clock.now()))
          : Effect().noReply();
    }
    throw new IllegalArgumentException("an alarm has no command " + command.getClass().getName());
  }

  private ReplyEffect<Event, State> onRaise(State s, Raise c) {
    if (s.active()) return Effect().noReply();
    return persist(new Raised(c.source(), c.condition(), c.severity(), c.message(), c.at()));
  }

  private ReplyEffect<Event, State> onAcknowledge(State s, Acknowledge c) {
    if (s.source() == null || s.acknowledged()) {
      return reject(c.replyTo(), "alarm " + id.localId() + " has nothing to acknowledge (" + s.state() + ")");
    }
    return persist(new Acknowledged(requireBy(c.by()), clock.now()), c.replyTo());
  }

  private ReplyEffect<Event, State> onShelve(State s, Shelve c) {
    if (s.source() == null) return reject(c.replyTo(), "alarm " + id.localId() + " has never been raised");
    if (c.duration().isNegative() || c.duration().isZero() || c.duration().compareTo(Duration.ofHours(24)) > 0) {
      return reject(c.replyTo(), "an alarm is shelved for more than 0 and at most 24 h, not " + c.duration());
    }
    if (c.reason() == null || c.reason().isBlank()) return reject(c.replyTo(), "shelving needs a reason");
    Instant until = clock.now().plus(c.duration());
    return Effect().persist(new Shelved(requireBy(c.by()), until, c.reason(), clock.now()))
        .thenRun(this::armShelfTimer)
        .thenRun(this::publish)
        .thenReply(c.replyTo(), st -> StatusReply.success(view(st)));
  }

  private ReplyEffect<Event, State> onClear(State s, Clear c) {
    if (s.source() == null) return reject(c.replyTo(), "alarm " + id.localId() + " has never been raised");
    if (s.active()) {
      return reject(c.replyTo(), "the condition of alarm " + id.localId() + " is still active; acknowledge or shelve it");
    }
    if (s.acknowledged()) return reject(c.replyTo(), "alarm " + id.localId() + " is already normal");
    return persist(new Cleared(requireBy(c.by()), clock.now()), c.replyTo());
  }

  private static String requireBy(String by) {
    return by == null || by.isBlank() ? "unknown" : by;
  }

  private ReplyEffect<Event, State> persist(Event e) {
    return Effect().persist(e).thenRun(this::publish).thenNoReply();
  }

  private ReplyEffect<Event, State> persist(Event e, ActorRef<StatusReply<View>> replyTo) {
    return Effect().persist(e).thenRun(this::publish).thenReply(replyTo, s -> StatusReply.success(view(s)));
  }

  private ReplyEffect<Event, State> reject(ActorRef<StatusReply<View>> replyTo, String reason) {
    return Effect().reply(replyTo, StatusReply.error(reason));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return State::apply;
  }

  private void publish(State s) {
    services.deltas().publish(id, view(s));
  }

  private void armShelfTimer(State s) {
    if (shelfTimer != null) shelfTimer.cancel();
    shelfTimer = null;
    Instant until = s.shelvedUntil();
    if (until == null) return;
    // Through sharding, so that a passivated alarm is woken to end its shelving.
    RecipientRef<Command> wake = services.wakeRef(ENTITY_KEY, id, self);
    shelfTimer = clock.schedule(Duration.between(clock.now(), until), () -> wake.tell(new ShelfExpired(until)));
  }

  private View view(State s) {
    return new View(id.site(), id.localId(), s.state(), s.source(), s.condition(), s.severity(), s.message(), s.active(),
        s.firstAt(), s.lastAt(), s.count(), s.shelvedUntil(), s.lastBy(), s.lastAction(), s.lastActionAt());
  }
}
