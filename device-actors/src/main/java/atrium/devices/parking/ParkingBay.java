package atrium.devices.parking;

import atrium.core.CborSerializable;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.TwinClock;
import atrium.core.history.TelemetryPoint;
import atrium.core.runtime.EntityKind;
import atrium.core.runtime.TwinServices;
import atrium.core.site.BayLocation;
import atrium.core.site.Site;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
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
 * One parking bay: free, occupied, reserved or out of service, and since when (M §6.1, §7.4.6–7.4.8).
 * Its occupancy sensor's readings are folded into state and kept in the telemetry history; a change
 * of status is a persisted event, replied to only once stored. Reservations expire on the twin's clock.
 *
 * <p>A mall keeps tens of thousands of bays awake, so what one bay holds is counted (see "Heap per idle
 * twin" in docs/benchmarks.md): whatever can be shared between bays — tag sets, the restart strategy,
 * the retention, the event handler, the id's strings (the site model's) — is made once, and the
 * command handler is one method rather than Pekko's handler builder, whose cases and adapters would be
 * built again for every bay.
 */
public final class ParkingBay
    extends EventSourcedBehaviorWithEnforcedReplies<ParkingBay.Command, ParkingBay.Event, ParkingBay.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "ParkingBay");
  /** Events are tagged in this many slices so that projections can run in parallel. */
  public static final int TAG_SLICES = 4;
  private static final List<Set<String>> TAG_SETS =
      IntStream.range(0, TAG_SLICES).mapToObj(i -> Set.of("parking-" + i)).toList();
  private static final RetentionCriteria RETENTION = RetentionCriteria.snapshotEvery(100, 2);
  private static final BackoffSupervisorStrategy ON_PERSIST_FAILURE =
      SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2);

  public enum Status {
    FREE,
    OCCUPIED,
    RESERVED,
    OUT_OF_SERVICE
  }

  /** Where the bay is: copied into every event so that roll-ups need no look-up. */
  public record BayRef(String site, String bayId, String carPark, String level) implements CborSerializable {}

  public sealed interface Command extends CborSerializable {}

  /**
   * The bay sensor saw a car ({@code occupied}) or an empty bay, at {@code at} device time; a bay
   * camera may add the car's plate, already pseudonymised at the door ({@code plateToken}, else null).
   */
  public record SensorReading(boolean occupied, String plateToken, Instant at, ActorRef<StatusReply<View>> replyTo)
      implements Command {}

  public record Reserve(String reference, Duration hold, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record CancelReservation(String reference, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record TakeOutOfService(String reason, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record ReturnToService(ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record GetState(ActorRef<View> replyTo) implements Command {}

  // Sent by the reservation timer through sharding, so it must serialize: package-private, not private.
  record ReservationDue(Instant until) implements Command {}

  public sealed interface Event extends CborSerializable {
    BayRef bay();

    Instant at();

    /** The bay's status once this event is applied. */
    Status statusAfter();
  }

  public record Occupied(BayRef bay, String plateToken, Instant at) implements Event {
    public Status statusAfter() {
      return Status.OCCUPIED;
    }
  }

  /** The car that had been there since {@code occupiedSince} left. */
  public record Vacated(BayRef bay, Instant occupiedSince, Instant at) implements Event {
    public Status statusAfter() {
      return Status.FREE;
    }
  }

  public record Reserved(BayRef bay, String reference, Instant until, Instant at) implements Event {
    public Status statusAfter() {
      return Status.RESERVED;
    }
  }

  /** A bay camera recognised the plate of a car already parked (its token). */
  public record PlateRecognised(BayRef bay, String plateToken, Instant at) implements Event {
    public Status statusAfter() {
      return Status.OCCUPIED;
    }
  }

  public record ReservationEnded(BayRef bay, String reference, String why, Instant at) implements Event {
    public Status statusAfter() {
      return Status.FREE;
    }
  }

  public record TakenOutOfService(BayRef bay, String reason, Instant at) implements Event {
    public Status statusAfter() {
      return Status.OUT_OF_SERVICE;
    }
  }

  public record ReturnedToService(BayRef bay, boolean occupied, Instant at) implements Event {
    public Status statusAfter() {
      return occupied ? Status.OCCUPIED : Status.FREE;
    }
  }

  /**
   * The persisted state. {@code since} is when the status last changed; {@code plateToken} is the
   * pseudonymised plate of the parked car, when a camera read it (never the plate itself).
   */
  public record State(Status status, Instant since, String plateToken, String reservation, Instant reservedUntil,
      String outOfServiceReason) implements CborSerializable {
    static final State INITIAL = new State(Status.FREE, null, null, null, null, null);

    State to(Status s, Instant at) {
      return new State(s, at, null, null, null, null);
    }
  }

  /** What the control room sees: the persisted state plus the last sensor reading (not persisted). */
  public record View(String site, String bayId, String carPark, String level, String bayKind, boolean shared,
      Status status, Instant since, String plateToken, String reservation, Instant reservedUntil, String outOfServiceReason,
      Boolean sensorOccupied, Instant lastReadingAt) implements CborSerializable {}

  public static EntityKind<Command> kind(ParkingSettings settings) {
    return new EntityKind<>(AssetKind.PARKING_BAY, ENTITY_KEY, (id, services) -> create(id, services, settings));
  }

  public static Behavior<Command> create(AssetId id, TwinServices services, ParkingSettings settings) {
    Site site = services.sites().site(id.site())
        .orElseThrow(() -> new IllegalArgumentException("no bay " + id + " in the site model"));
    BayLocation location = site.bay(id.localId())
        .orElseThrow(() -> new IllegalArgumentException("no bay " + id + " in the site model"));
    // The same id made of the site model's strings, which every bay shares, not of the entity id's copies.
    AssetId shared = AssetId.of(site.id(), AssetKind.PARKING_BAY, location.bay().id());
    return Behaviors.setup(ctx -> new ParkingBay(shared, location, services, settings, ctx.getSelf()));
  }

  public static String tagFor(String entityId) {
    return "parking-" + slice(entityId);
  }

  private static int slice(String entityId) {
    return Math.floorMod(entityId.hashCode(), TAG_SLICES);
  }

  private final AssetId id;
  private final BayLocation location;
  private final BayRef ref;
  private final TwinServices services;
  private final TwinClock clock;
  private final Set<String> tags;
  // The last reading is a measurement: kept in memory and in the history, not in the journal.
  private Boolean sensorOccupied;
  private Instant lastReadingAt;
  private TwinClock.Scheduled reservationTimer;
  private final ActorRef<Command> self;
  private final ParkingSettings settings;

  private ParkingBay(AssetId id, BayLocation location, TwinServices services, ParkingSettings settings, ActorRef<Command> self) {
    super(PersistenceId.of(ENTITY_KEY.name(), id.entityId()), ON_PERSIST_FAILURE);
    this.id = id;
    this.location = location;
    this.ref = new BayRef(id.site(), id.localId(), location.carParkId(), location.levelId());
    this.services = services;
    this.clock = services.clock();
    this.tags = TAG_SETS.get(slice(id.entityId()));
    this.self = self;
    this.settings = settings;
  }

  @Override
  public State emptyState() {
    return State.INITIAL;
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return tags;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RETENTION;
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::armReservationTimer)
        .build();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return this::onCommand;
  }

  private ReplyEffect<Event, State> onCommand(State state, Command command) {
    if (command instanceof SensorReading c) return onSensorReading(state, c);
    if (command instanceof Reserve c) return onReserve(state, c);
    if (command instanceof CancelReservation c) return onCancelReservation(state, c);
    if (command instanceof TakeOutOfService c) return onTakeOutOfService(state, c);
    if (command instanceof ReturnToService c) return onReturnToService(state, c);
    if (command instanceof GetState c) return Effect().reply(c.replyTo(), view(state));
    if (command instanceof ReservationDue c) return onReservationDue(state, c);
    throw new IllegalArgumentException("a parking bay has no command " + command.getClass().getName());
  }

  private ReplyEffect<Event, State> onSensorReading(State state, SensorReading cmd) {
    if (lastReadingAt == null || !cmd.at().isBefore(lastReadingAt)) {
      sensorOccupied = cmd.occupied();
      lastReadingAt = cmd.at();
    }
    services.history().record(new TelemetryPoint(id, cmd.at(), "occupied", cmd.occupied() ? 1 : 0));
    Event event = switch (state.status()) {
      case FREE, RESERVED -> cmd.occupied() ? new Occupied(ref, cmd.plateToken(), cmd.at()) : null;
      case OCCUPIED -> !cmd.occupied() ? new Vacated(ref, state.since(), cmd.at())
          : cmd.plateToken() != null && !cmd.plateToken().equals(state.plateToken())
              ? new PlateRecognised(ref, cmd.plateToken(), cmd.at()) : null;
      case OUT_OF_SERVICE -> null;
    };
    if (event == null) return Effect().reply(cmd.replyTo(), StatusReply.success(view(state)));
    return Effect().persist(event).thenRun(this::publish).thenReply(cmd.replyTo(), s -> StatusReply.success(view(s)));
  }

  private ReplyEffect<Event, State> onReserve(State state, Reserve cmd) {
    if (cmd.reference() == null || cmd.reference().isBlank()) return reject(cmd.replyTo(), "a reservation needs a reference");
    if (cmd.hold().compareTo(settings.minHold()) < 0 || cmd.hold().compareTo(settings.maxHold()) > 0) {
      return reject(cmd.replyTo(), "a reservation holds a bay for " + settings.minHold() + " to " + settings.maxHold() + ", not " + cmd.hold());
    }
    if (state.status() != Status.FREE) {
      return reject(cmd.replyTo(), "bay " + id.localId() + " is " + state.status().name().toLowerCase().replace('_', ' ') + ", not free");
    }
    Instant now = clock.now();
    return Effect().persist(new Reserved(ref, cmd.reference(), now.plus(cmd.hold()), now))
        .thenRun(this::armReservationTimer)
        .thenRun(this::publish)
        .thenReply(cmd.replyTo(), s -> StatusReply.success(view(s)));
  }

  private ReplyEffect<Event, State> onCancelReservation(State state, CancelReservation cmd) {
    if (state.status() != Status.RESERVED || !state.reservation().equals(cmd.reference())) {
      return reject(cmd.replyTo(), "bay " + id.localId() + " holds no reservation '" + cmd.reference() + "'");
    }
    return Effect().persist(new ReservationEnded(ref, cmd.reference(), "cancelled", clock.now()))
        .thenRun(this::publish)
        .thenReply(cmd.replyTo(), s -> StatusReply.success(view(s)));
  }

  private ReplyEffect<Event, State> onReservationDue(State state, ReservationDue due) {
    if (state.status() != Status.RESERVED || !due.until().equals(state.reservedUntil())) return Effect().noReply();
    if (clock.now().isBefore(state.reservedUntil())) {
      armReservationTimer(state);
      return Effect().noReply();
    }
    return Effect().persist(new ReservationEnded(ref, state.reservation(), "expired", clock.now()))
        .thenRun(this::publish)
        .thenNoReply();
  }

  private ReplyEffect<Event, State> onTakeOutOfService(State state, TakeOutOfService cmd) {
    if (cmd.reason() == null || cmd.reason().isBlank()) return reject(cmd.replyTo(), "taking a bay out of service needs a reason");
    if (state.status() == Status.OUT_OF_SERVICE) return reject(cmd.replyTo(), "bay " + id.localId() + " is already out of service");
    return Effect().persist(new TakenOutOfService(ref, cmd.reason(), clock.now()))
        .thenRun(this::publish)
        .thenReply(cmd.replyTo(), s -> StatusReply.success(view(s)));
  }

  private ReplyEffect<Event, State> onReturnToService(State state, ReturnToService cmd) {
    if (state.status() != Status.OUT_OF_SERVICE) return reject(cmd.replyTo(), "bay " + id.localId() + " is in service");
    return Effect().persist(new ReturnedToService(ref, Boolean.TRUE.equals(sensorOccupied), clock.now()))
        .thenRun(this::publish)
        .thenReply(cmd.replyTo(), s -> StatusReply.success(view(s)));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return ParkingBay::applyEvent;
  }

  private static State applyEvent(State state, Event event) {
    if (event instanceof Occupied e) return new State(Status.OCCUPIED, e.at(), e.plateToken(), null, null, null);
    if (event instanceof PlateRecognised e) return new State(Status.OCCUPIED, state.since(), e.plateToken(), null, null, null);
    if (event instanceof Reserved e) return new State(Status.RESERVED, e.at(), null, e.reference(), e.until(), null);
    if (event instanceof TakenOutOfService e) return new State(Status.OUT_OF_SERVICE, e.at(), null, null, null, e.reason());
    return state.to(event.statusAfter(), event.at());
  }

  private void armReservationTimer(State state) {
    if (reservationTimer != null) reservationTimer.cancel();
    reservationTimer = null;
    if (state.status() != Status.RESERVED) return;
    Duration left = Duration.between(clock.now(), state.reservedUntil());
    Instant until = state.reservedUntil();
    // Through sharding, so that a passivated bay is woken to end its reservation.
    RecipientRef<Command> wake = services.wakeRef(ENTITY_KEY, id, self);
    reservationTimer = clock.schedule(left, () -> wake.tell(new ReservationDue(until)));
  }

  private void publish(State s) {
    services.deltas().publish(id, view(s));
  }

  private ReplyEffect<Event, State> reject(ActorRef<StatusReply<View>> replyTo, String reason) {
    return Effect().reply(replyTo, StatusReply.error(reason));
  }

  private View view(State s) {
    var bay = location.bay();
    return new View(id.site(), id.localId(), location.carParkId(), location.levelId(), bay.kind().toString(), bay.shared(),
        s.status(), s.since(), s.plateToken(), s.reservation(), s.reservedUntil(), s.outOfServiceReason(), sensorOccupied, lastReadingAt);
  }
}
