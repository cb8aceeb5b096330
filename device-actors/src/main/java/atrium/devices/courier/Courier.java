package atrium.devices.courier;

import atrium.core.CborSerializable;
import atrium.core.alarm.Severity;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.TwinClock;
import atrium.core.history.TelemetryPoint;
import atrium.core.runtime.EntityKind;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Floor;
import atrium.core.site.Site;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
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
 * One instant-delivery courier (M §6.10.1–6.10.2): where it is, the orders it carries, an ETA for
 * each matched to the remaining distance and the courier's observed speed, and what it delivered.
 *
 * <p>Positions are metres in the site's local plane (the frame of its floor plans, extended beyond
 * the building), with an optional floor. They are <b>personal data</b> (M §6.10.2, M §7.6.3): folded
 * into memory and a bounded track pruned after {@code track-retention} on the twin's clock, never
 * persisted and never sent to the telemetry history (whose retention is global). Orders are persisted
 * by id with their destination, never with customer data. {@link View}, the state the control room
 * and the live stream see, has no position; {@link TrackedView}, from {@link GetTrack}, is for roles
 * allowed to see the track.
 *
 * <p>What one courier twin holds is counted, as for the parking bay (see its class comment and "Heap
 * per idle twin" in docs/benchmarks.md): the restart strategy, the retention and the event handler are
 * made once, the site id is the site model's string, the ETA map and the ref that wakes a passivated
 * courier are made only when needed, and the command handler is one hand-written method rather than
 * Pekko's handler builder, which would build its cases again for every courier.
 */
public final class Courier extends EventSourcedBehaviorWithEnforcedReplies<Courier.Command, Courier.Event, Courier.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Courier");
  /** Order ids: letters, digits, '.', '_', ':' and '-', 1 to 64 characters. An id, not customer data. */
  public static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
  /** The furthest a point may be from the site's origin, in metres along either axis. */
  public static final double MAX_COORDINATE = 100_000;
  /** The fastest speed a courier may report, m/s. */
  public static final double MAX_SPEED = 50;
  static final String ORDER_LATE = "order-late";
  static final int RECENT_ORDERS = 10;
  private static final RetentionCriteria RETENTION = RetentionCriteria.snapshotEvery(100, 2);
  private static final BackoffSupervisorStrategy ON_PERSIST_FAILURE =
      SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2);
  static final int MAX_TEXT = 200;
  /** An ETA that moves by less than this since it was last published is not published again. */
  static final Duration ETA_PUBLISH_STEP = Duration.ofSeconds(30);

  /** A point in the site's local plane: metres from its origin, on {@code floor} if known (else null). */
  public record Place(double x, double y, String floor) implements CborSerializable {}

  public enum Outcome {
    DELIVERED,
    FAILED
  }

  public sealed interface Command extends CborSerializable {}

  /** Telemetry: the courier was at ({@code x}, {@code y}) on {@code floor} (may be null) at {@code at}, moving at {@code speed} m/s if known. */
  public record ReportPosition(double x, double y, String floor, Double speed, Instant at,
      ActorRef<StatusReply<View>> replyTo) implements Command {
    /** Without the position, so that no log line (a failure, a dead letter) can carry it. */
    @Override
    public String toString() {
      return "ReportPosition[redacted, at=" + at + "]";
    }
  }

  /** Dispatch gives the courier an order to take to {@code destination}, promised by {@code promisedBy} (may be null). */
  public record AssignOrder(String orderId, Place destination, Instant promisedBy, String by,
      ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record MarkDelivered(String orderId, String by, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record MarkFailed(String orderId, String reason, String by, ActorRef<StatusReply<View>> replyTo) implements Command {}

  /** The redacted state: no position, no track, no destination. */
  public record GetState(ActorRef<View> replyTo) implements Command {}

  /** The state with position, track and destinations, for roles allowed to see them (the API checks). */
  public record GetTrack(ActorRef<TrackedView> replyTo) implements Command {}

  // The promise timer, sent through sharding (a passivated courier is woken to raise order-late): package-private.
  record PromiseDue(Instant promisedBy) implements Command {}

  /** The track's pruning timer: sent to the courier itself, it only concerns memory a stopped courier no longer holds. */
  enum PruneTrack implements Command {
    INSTANCE
  }

  public sealed interface Event extends CborSerializable {
    String orderId();

    Instant at();
  }

  public record OrderAssigned(String orderId, Place destination, Instant promisedBy, String by, Instant at) implements Event {}

  public record OrderDelivered(String orderId, String by, Instant at) implements Event {}

  public record OrderFailed(String orderId, String reason, String by, Instant at) implements Event {}

  public record Order(String orderId, Place destination, Instant promisedBy, String assignedBy, Instant assignedAt)
      implements CborSerializable {}

  public record Finished(String orderId, Outcome outcome, String reason, Instant at) implements CborSerializable {}

  /** The persisted state: the orders carried, counts, and the last {@value #RECENT_ORDERS} finished orders. */
  public record State(List<Order> orders, long delivered, long failed, List<Finished> recent) implements CborSerializable {
    static final State INITIAL = new State(List.of(), 0, 0, List.of());

    public State {
      orders = orders == null ? List.of() : List.copyOf(orders);
      recent = recent == null ? List.of() : List.copyOf(recent);
    }

    public Optional<Order> order(String orderId) {
      return orders.stream().filter(o -> o.orderId().equals(orderId)).findFirst();
    }

    public Optional<Finished> finished(String orderId) {
      return recent.stream().filter(f -> f.orderId().equals(orderId)).findFirst();
    }

    State apply(Event e) {
      if (e instanceof OrderAssigned a) {
        List<Order> next = new ArrayList<>(orders);
        next.add(new Order(a.orderId(), a.destination(), a.promisedBy(), a.by(), a.at()));
        return new State(next, delivered, failed, recent);
      }
      if (e instanceof OrderDelivered d) return finish(new Finished(d.orderId(), Outcome.DELIVERED, null, d.at()));
      if (e instanceof OrderFailed f) return finish(new Finished(f.orderId(), Outcome.FAILED, f.reason(), f.at()));
      throw new IllegalStateException("unknown courier event " + e);
    }

    private State finish(Finished f) {
      List<Order> next = new ArrayList<>(orders);
      next.removeIf(o -> o.orderId().equals(f.orderId()));
      List<Finished> last = new ArrayList<>(recent);
      last.add(f);
      if (last.size() > RECENT_ORDERS) last.remove(0);
      boolean ok = f.outcome() == Outcome.DELIVERED;
      return new State(next, delivered + (ok ? 1 : 0), failed + (ok ? 0 : 1), last);
    }
  }

  /** An order as operators see it: no destination; {@code eta} and {@code remainingMetres} once a position is known. */
  public record OrderView(String orderId, Instant assignedAt, Instant promisedBy, Instant eta, Double remainingMetres,
      boolean late) implements CborSerializable {}

  /** What operators and the live stream see: nothing of where the courier is or goes. */
  public record View(String site, String courierId, Instant lastSeenAt, Double observedSpeed, List<OrderView> orders,
      boolean late, long delivered, long failed, List<Finished> recent) implements CborSerializable {}

  public record TrackPoint(Instant at, double x, double y, String floor) implements CborSerializable {}

  public record TrackedOrder(OrderView order, Place destination) implements CborSerializable {}

  /** For roles allowed to see it: the position, the track (oldest first) and the orders' destinations. */
  public record TrackedView(String site, String courierId, Place position, Instant positionAt, Double observedSpeed,
      List<TrackedOrder> orders, List<TrackPoint> track, Duration trackRetention) implements CborSerializable {}

  public static EntityKind<Command> kind(CourierSettings settings) {
    return new EntityKind<>(AssetKind.COURIER, ENTITY_KEY, (id, services) -> create(id, services, settings));
  }

  public static Behavior<Command> create(AssetId id, TwinServices services, CourierSettings settings) {
    Site site = services.sites().site(id.site()).filter(s -> s.hasCourier(id.localId()))
        .orElseThrow(() -> new IllegalArgumentException("no courier " + id + " in the site model"));
    // The site's id string is the site model's, which every courier shares, not the entity id's copy.
    AssetId shared = AssetId.of(site.id(), AssetKind.COURIER, id.localId());
    return Behaviors.setup(ctx -> new Courier(shared, site, services, settings, ctx.getSelf()));
  }

  /** In-memory ETA of one order, and the ETA last published for it. */
  private record Eta(Instant at, double metres, Instant published) {}

  private final AssetId id;
  private final Site site;
  private final TwinServices services;
  private final TwinClock clock;
  private final CourierSettings settings;
  private final ActorRef<Command> self;
  // Personal data: in memory only.
  private Place position;
  private Instant positionAt;
  private Track track;
  // Measurements and what follows from them: in memory.
  private Instant lastSeenAt;
  private Double observedSpeed;
  private Map<String, Eta> etas; // made with the first ETA
  /** Whether order-late is reported active; null when unknown (after a restart, before the next position). */
  private Boolean lateReported = Boolean.FALSE;
  private TwinClock.Scheduled pruneTimer;
  private TwinClock.Scheduled promiseTimer;
  private Instant promiseArmedFor;

  private Courier(AssetId id, Site site, TwinServices services, CourierSettings settings, ActorRef<Command> self) {
    super(PersistenceId.of(ENTITY_KEY.name(), id.entityId()), ON_PERSIST_FAILURE);
    this.id = id;
    this.site = site;
    this.services = services;
    this.clock = services.clock();
    this.settings = settings;
    this.self = self;
  }

  @Override
  public State emptyState() {
    return State.INITIAL;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RETENTION;
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::onRecovered)
        .onSignal(PostStop.instance(), state -> forgetTrack())
        .build();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return this::onCommand;
  }

  private ReplyEffect<Event, State> onCommand(State state, Command command) {
    if (command instanceof ReportPosition c) return onPosition(state, c);
    if (command instanceof AssignOrder c) return onAssign(state, c);
    if (command instanceof MarkDelivered c) return onDelivered(state, c);
    if (command instanceof MarkFailed c) return onFailed(state, c);
    if (command instanceof GetState c) return Effect().reply(c.replyTo(), view(state));
    if (command instanceof GetTrack c) return Effect().reply(c.replyTo(), trackedView(state));
    if (command instanceof PromiseDue c) return onPromiseDue(state, c);
    if (command instanceof PruneTrack) return onPruneTrack();
    throw new IllegalArgumentException("a courier has no command " + command.getClass().getName());
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return State::apply;
  }

  private ReplyEffect<Event, State> onPosition(State state, ReportPosition cmd) {
    String problem = placeProblem(cmd.x(), cmd.y(), cmd.floor());
    if (problem == null && cmd.speed() != null && !(cmd.speed() >= 0 && cmd.speed() <= MAX_SPEED)) {
      problem = "a speed is 0 to " + MAX_SPEED + " m/s, not " + cmd.speed();
    }
    if (problem != null) return reject(cmd.replyTo(), problem);
    Instant now = clock.now();
    lastSeenAt = now;
    Instant at = cmd.at().isAfter(now) ? now : cmd.at();
    // A position older than the one held (a late redelivery), or already past the retention, is
    // neither current nor on the track.
    boolean stale = positionAt != null && at.isBefore(positionAt);
    if (stale || at.isBefore(now.minus(settings.trackRetention()))) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(view(state)));
    }
    Place here = new Place(cmd.x(), cmd.y(), floorId(cmd.floor()));
    Double sample = cmd.speed();
    if (sample == null && position != null) {
      long millis = Duration.between(positionAt, at).toMillis();
      if (millis >= 1000) sample = Math.min(MAX_SPEED, distance(position, here) / (millis / 1000.0));
    }
    if (sample != null) {
      double w = settings.speedSmoothing();
      observedSpeed = observedSpeed == null ? sample : w * sample + (1 - w) * observedSpeed;
      services.history().record(TelemetryPoint.of(id, at, "speed", sample));
    }
    position = here;
    positionAt = at;
    if (track == null) track = new Track(settings.trackMaxPoints());
    track.add(at, here.x(), here.y(), here.floor());
    track.pruneBefore(now.minus(settings.trackRetention()));
    armPruneTimer();
    boolean etaMoved = updateEtas(state);
    boolean lateChanged = reportLateness(state);
    if (etaMoved || lateChanged) publish(state);
    return Effect().reply(cmd.replyTo(), StatusReply.success(view(state)));
  }

  private ReplyEffect<Event, State> onAssign(State state, AssignOrder cmd) {
    String problem = orderIdProblem(cmd.orderId());
    if (problem == null && blank(cmd.by())) problem = "assigning an order needs who assigns it";
    if (problem == null && cmd.destination() == null) problem = "an order needs a destination";
    if (problem == null) problem = placeProblem(cmd.destination().x(), cmd.destination().y(), cmd.destination().floor());
    if (problem == null && cmd.promisedBy() != null && !cmd.promisedBy().isAfter(clock.now())) {
      problem = "order " + cmd.orderId() + " cannot be promised by " + cmd.promisedBy() + ", which is not after now (" + clock.now() + ")";
    }
    if (problem == null && state.order(cmd.orderId()).isPresent()) {
      problem = "courier " + id.localId() + " already carries order " + cmd.orderId();
    }
    if (problem == null && state.finished(cmd.orderId()).isPresent()) problem = finishedAlready(state.finished(cmd.orderId()).get());
    if (problem == null && state.orders().size() >= settings.maxOrders()) {
      problem = "courier " + id.localId() + " already carries " + state.orders().size() + " orders, the most one courier takes";
    }
    if (problem != null) return reject(cmd.replyTo(), problem);
    Place destination = new Place(cmd.destination().x(), cmd.destination().y(), floorId(cmd.destination().floor()));
    return persist(new OrderAssigned(cmd.orderId(), destination, cmd.promisedBy(), cmd.by(), clock.now()), cmd.replyTo());
  }

  private ReplyEffect<Event, State> onDelivered(State state, MarkDelivered cmd) {
    String problem = activeOrderProblem(state, cmd.orderId());
    if (problem != null) return reject(cmd.replyTo(), problem);
    return persist(new OrderDelivered(cmd.orderId(), blank(cmd.by()) ? "courier" : cmd.by(), clock.now()), cmd.replyTo());
  }

  private ReplyEffect<Event, State> onFailed(State state, MarkFailed cmd) {
    String problem = activeOrderProblem(state, cmd.orderId());
    if (problem == null && blank(cmd.reason())) problem = "a failed delivery needs a reason";
    if (problem == null && cmd.reason().length() > MAX_TEXT) problem = "a reason is at most " + MAX_TEXT + " characters";
    if (problem != null) return reject(cmd.replyTo(), problem);
    return persist(new OrderFailed(cmd.orderId(), cmd.reason(), blank(cmd.by()) ? "courier" : cmd.by(), clock.now()),
        cmd.replyTo());
  }

  private ReplyEffect<Event, State> onPromiseDue(State state, PromiseDue due) {
    if (due.promisedBy().equals(promiseArmedFor)) {
      promiseTimer = null;
      promiseArmedFor = null;
    }
    if (reportLateness(state)) publish(state);
    armPromiseTimer(state);
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onPruneTrack() {
    pruneTimer = null;
    if (track != null) {
      track.pruneBefore(clock.now().minus(settings.trackRetention()));
      if (track.isEmpty()) {
        // The retention has passed for every point, the current position included.
        position = null;
        positionAt = null;
      }
    }
    armPruneTimer();
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> persist(Event event, ActorRef<StatusReply<View>> replyTo) {
    return Effect().persist(event)
        .thenRun(this::afterPersist)
        .thenReply(replyTo, s -> StatusReply.success(view(s)));
  }

  private void afterPersist(State state) {
    if (etas != null) etas.keySet().retainAll(state.orders().stream().map(Order::orderId).toList());
    updateEtas(state);
    reportLateness(state);
    armPromiseTimer(state);
    publish(state);
  }

  private void onRecovered(State state) {
    // Positions did not survive (they never leave memory); lateness is known only for promises past.
    lateReported = state.orders().stream().anyMatch(o -> o.promisedBy() != null) ? null : Boolean.FALSE;
    if (!lateOrders(state).isEmpty()) reportLateness(state);
    armPromiseTimer(state);
  }

  /** Recomputes every order's ETA from the current position; true if one moved enough to publish. */
  private boolean updateEtas(State state) {
    if (position == null) return false;
    Instant now = clock.now();
    double speed = observedSpeed == null ? settings.defaultSpeed() : Math.max(observedSpeed, settings.minSpeed());
    boolean moved = false;
    for (Order o : state.orders()) {
      double metres = distance(position, o.destination());
      Instant eta = now.plusMillis(Math.round(metres / speed * 1000));
      Eta before = eta(o.orderId());
      Instant published = before == null ? null : before.published();
      if (published == null || Duration.between(published, eta).abs().compareTo(ETA_PUBLISH_STEP) >= 0) {
        moved = true;
        published = eta;
      }
      if (etas == null) etas = new HashMap<>(4);
      etas.put(o.orderId(), new Eta(eta, metres, published));
    }
    return moved;
  }

  private List<Order> lateOrders(State state) {
    Instant now = clock.now();
    List<Order> late = new ArrayList<>(1);
    for (Order o : state.orders()) if (isLate(o, now)) late.add(o);
    return late;
  }

  /** Late: not delivered by its promised time, or an ETA after it. */
  private boolean isLate(Order o, Instant now) {
    if (o.promisedBy() == null) return false;
    if (!now.isBefore(o.promisedBy())) return true;
    Eta eta = eta(o.orderId());
    return eta != null && eta.at().isAfter(o.promisedBy());
  }

  /** Raises or clears order-late on a transition; true if it changed. */
  private boolean reportLateness(State state) {
    List<Order> late = lateOrders(state);
    boolean isLate = !late.isEmpty();
    if (lateReported != null && lateReported == isLate) return false;
    lateReported = isLate;
    if (isLate) {
      Order first = late.get(0);
      Eta eta = eta(first.orderId());
      services.alarms().raise(id, ORDER_LATE, Severity.MEDIUM, "courier " + id.localId() + " will miss the promised time of "
          + (late.size() == 1 ? "order " : late.size() + " orders, first ") + first.orderId() + " (promised "
          + first.promisedBy() + (eta == null ? "" : ", ETA " + eta.at()) + ")", clock.now());
    } else {
      services.alarms().clear(id, ORDER_LATE, clock.now());
    }
    return true;
  }

  private void armPromiseTimer(State state) {
    Instant now = clock.now();
    Instant next = null;
    for (Order o : state.orders()) {
      Instant p = o.promisedBy();
      if (p != null && p.isAfter(now) && (next == null || p.isBefore(next))) next = p;
    }
    if (next == null || next.equals(promiseArmedFor)) return;
    if (promiseTimer != null) promiseTimer.cancel();
    Instant due = next;
    promiseArmedFor = due;
    // Through sharding, so that a passivated courier is woken to report a missed promise.
    RecipientRef<Command> wake = services.wakeRef(ENTITY_KEY, id, self);
    promiseTimer = clock.schedule(Duration.between(now, due), () -> wake.tell(new PromiseDue(due)));
  }

  private void armPruneTimer() {
    if (pruneTimer != null || track == null || track.isEmpty()) return;
    Duration left = Duration.between(clock.now(), track.oldest().plus(settings.trackRetention()));
    pruneTimer = clock.schedule(left, () -> self.tell(PruneTrack.INSTANCE));
  }

  private void forgetTrack() {
    if (pruneTimer != null) pruneTimer.cancel();
    pruneTimer = null;
    if (track != null) track.clear();
    position = null;
    positionAt = null;
  }

  private void publish(State state) {
    services.deltas().publish(id, view(state));
  }

  private Eta eta(String orderId) {
    return etas == null ? null : etas.get(orderId);
  }

  /** Straight-line metres in plan, plus the height between the floors when both are known. */
  private double distance(Place a, Place b) {
    double plan = Math.hypot(a.x() - b.x(), a.y() - b.y());
    if (a.floor() == null || b.floor() == null || a.floor().equals(b.floor())) return plan;
    double ha = site.floor(a.floor()).map(Floor::elevation).orElse(0.0);
    double hb = site.floor(b.floor()).map(Floor::elevation).orElse(0.0);
    return plan + Math.abs(ha - hb);
  }

  /** The site's own floor id (one shared string rather than a copy per point), or null. */
  private String floorId(String floor) {
    return floor == null ? null : site.floor(floor).map(Floor::id).orElse(floor);
  }

  private String placeProblem(double x, double y, String floor) {
    if (!Double.isFinite(x) || !Double.isFinite(y) || Math.abs(x) > MAX_COORDINATE || Math.abs(y) > MAX_COORDINATE) {
      return "a point is x and y in metres within " + (long) MAX_COORDINATE + " of the site's origin, not (" + x + ", " + y + ")";
    }
    if (floor != null && site.floor(floor).isEmpty()) return "site " + site.id() + " has no floor '" + floor + "'";
    return null;
  }

  private String orderIdProblem(String orderId) {
    if (orderId == null || !ORDER_ID.matcher(orderId).matches()) {
      return "an order id is 1 to 64 letters, digits, '.', '_', ':' or '-', not '" + orderId + "'";
    }
    return null;
  }

  private String activeOrderProblem(State state, String orderId) {
    String problem = orderIdProblem(orderId);
    if (problem != null || state.order(orderId).isPresent()) return problem;
    return state.finished(orderId).map(this::finishedAlready)
        .orElse("courier " + id.localId() + " carries no order " + orderId);
  }

  private String finishedAlready(Finished f) {
    return "order " + f.orderId() + " was already " + (f.outcome() == Outcome.DELIVERED ? "delivered" : "marked failed")
        + " at " + f.at();
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private ReplyEffect<Event, State> reject(ActorRef<StatusReply<View>> replyTo, String reason) {
    return Effect().reply(replyTo, StatusReply.error(reason));
  }

  private OrderView orderView(Order o, Instant now) {
    Eta eta = eta(o.orderId());
    return new OrderView(o.orderId(), o.assignedAt(), o.promisedBy(), eta == null ? null : eta.at(),
        eta == null ? null : eta.metres(), isLate(o, now));
  }

  private View view(State s) {
    Instant now = clock.now();
    List<OrderView> orders = s.orders().stream().map(o -> orderView(o, now)).toList();
    return new View(id.site(), id.localId(), lastSeenAt, observedSpeed, orders, orders.stream().anyMatch(OrderView::late),
        s.delivered(), s.failed(), s.recent());
  }

  private TrackedView trackedView(State s) {
    Instant now = clock.now();
    List<TrackedOrder> orders = s.orders().stream().map(o -> new TrackedOrder(orderView(o, now), o.destination())).toList();
    List<TrackPoint> points = track == null ? List.of() : track.points();
    return new TrackedView(id.site(), id.localId(), position, positionAt, observedSpeed, orders, points,
        settings.trackRetention());
  }
}
