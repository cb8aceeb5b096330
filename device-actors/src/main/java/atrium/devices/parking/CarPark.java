package atrium.devices.parking;

import atrium.core.CborSerializable;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.TwinClock;
import atrium.core.runtime.EntityKind;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Bay;
import atrium.core.site.LocalizedName;
import atrium.core.site.Routes;
import atrium.core.site.Site;
import atrium.devices.parking.ParkingBay.Status;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * A car park (M §6.1, §7.4.6–7.4.8): the live free count per level and in total; guidance to the
 * free bay nearest the entrance or a lift; reverse car finding from a plate token to the bay and the
 * walking route; stays opened and closed by the gate cameras' plate reads; flow statistics
 * (arrivals and departures per hour, dwell).
 *
 * <p>It learns its bays' statuses from the {@link ParkingProjection} of the bays' events, at least
 * once and in order per bay: a status older than (or as old as) the one it holds is acknowledged and
 * ignored.
 *
 * <p>Every car park stays awake, so what one holds is counted (see "Heap per idle twin, every kind" in
 * docs/benchmarks.md, and {@link ParkingBay}'s class comment): the command handler is one method
 * dispatching on the command's type rather than Pekko's handler builder, whose cases and adapters would
 * be built again for every car park; the restart strategy and retention are shared; and the bays are
 * looked up in the site model when needed rather than copied into a map of its own.
 */
public final class CarPark
    extends EventSourcedBehaviorWithEnforcedReplies<CarPark.Command, CarPark.Event, CarPark.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "CarPark");
  public static final EntityKind<Command> KIND = new EntityKind<>(AssetKind.CAR_PARK, ENTITY_KEY, CarPark::create);
  /** Flow statistics are kept per hour for this many hours. */
  public static final int FLOW_HOURS = 48;
  /** Open stays (gate entries without an exit) kept at most, oldest dropped first. */
  public static final int MAX_OPEN_STAYS_PER_BAY = 2;
  /** A bay just given to an arriving car is not given to the next one for this long. */
  public static final Duration GUIDANCE_HOLD = Duration.ofMinutes(3);
  private static final RetentionCriteria RETENTION = RetentionCriteria.snapshotEvery(500, 2);
  private static final BackoffSupervisorStrategy ON_PERSIST_FAILURE =
      SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2);

  public enum Preference {
    ENTRANCE,
    LIFT
  }

  public enum GateDirection {
    ENTRY,
    EXIT
  }

  public sealed interface Command extends CborSerializable {}

  /** Bay {@code bayId} is now {@code status}, as of its journal sequence number {@code seqNr}. */
  public record ApplyBayStatus(String bayId, String level, Status status, long seqNr, String plateToken,
      Instant occupiedSince, Instant at, ActorRef<Done> replyTo) implements Command {}

  /** A gate camera read a plate (its token) going in or out. */
  public record GateRead(String camera, GateDirection direction, String plateToken, Instant at,
      ActorRef<StatusReply<StayView>> replyTo) implements Command {}

  /**
   * Which bay should an arriving car take? {@code kind} narrows to accessible, EV... bays (null: any).
   * Past the overflow fill level no bay is offered unless {@code evenIfOverflowing}: the site's
   * guidance first sends the car to a car park with room ({@link ParkingGuidance}).
   */
  public record Guide(Preference preference, Bay.Kind kind, boolean evenIfOverflowing, ActorRef<Guidance> replyTo)
      implements Command {}

  /** Where is the car with this plate token, and how does one walk there from {@code fromZone} (null: the lift lobby)? */
  public record FindCar(String plateToken, String fromZone, ActorRef<StatusReply<CarLocation>> replyTo) implements Command {}

  public record GetState(ActorRef<View> replyTo) implements Command {}

  public sealed interface Event extends CborSerializable {
    Instant at();
  }

  public record BayStatusRecorded(String bayId, String level, Status status, long seqNr, String plateToken,
      Instant occupiedSince, Instant at) implements Event {}

  public record StayOpened(String plateToken, String camera, Instant at) implements Event {}

  /** {@code enteredAt} is null when the car's entry was not seen. */
  public record StayClosed(String plateToken, String camera, Instant enteredAt, Instant at) implements Event {}

  public record BayEntry(String level, Status status, long seqNr, String plateToken) implements CborSerializable {}

  /** Arrivals, departures and dwell of one hour (epoch hour). */
  public record HourFlow(long hour, int arrivals, int departures, long dwellMinutes, int gateEntries, int gateExits)
      implements CborSerializable {
    HourFlow plus(int arr, int dep, long dwell, int in, int out) {
      return new HourFlow(hour, arrivals + arr, departures + dep, dwellMinutes + dwell, gateEntries + in, gateExits + out);
    }
  }

  /**
   * Bays that have ever reported, by id (a bay never heard of is free); open stays by plate token;
   * flows of the last {@link #FLOW_HOURS} hours. Mutated in place by the event handler: the
   * collections are this entity's alone and never leave it.
   */
  public record State(Map<String, BayEntry> bays, Map<String, Instant> openStays, Map<Long, HourFlow> flows,
      Instant updatedAt) implements CborSerializable {

    static State empty() {
      return new State(new HashMap<>(), new LinkedHashMap<>(), new HashMap<>(), null);
    }

    State apply(Event e) {
      if (e instanceof BayStatusRecorded r) {
        BayEntry before = bays.put(r.bayId(), new BayEntry(r.level(), r.status(), r.seqNr(), r.plateToken()));
        boolean wasOccupied = before != null && before.status() == Status.OCCUPIED;
        if (r.status() == Status.OCCUPIED && !wasOccupied) flow(r.at(), 1, 0, 0, 0, 0);
        if (wasOccupied && r.status() != Status.OCCUPIED) {
          long dwell = r.occupiedSince() == null ? 0 : Duration.between(r.occupiedSince(), r.at()).toMinutes();
          flow(r.at(), 0, 1, Math.max(0, dwell), 0, 0);
        }
      } else if (e instanceof StayOpened o) {
        openStays.put(o.plateToken(), o.at());
        flow(o.at(), 0, 0, 0, 1, 0);
      } else if (e instanceof StayClosed c) {
        openStays.remove(c.plateToken());
        flow(c.at(), 0, 0, 0, 0, 1);
      }
      return new State(bays, openStays, flows, e.at());
    }

    private void flow(Instant at, int arr, int dep, long dwell, int in, int out) {
      long hour = at.truncatedTo(ChronoUnit.HOURS).getEpochSecond() / 3600;
      flows.merge(hour, new HourFlow(hour, arr, dep, dwell, in, out), (a, b) -> a.plus(arr, dep, dwell, in, out));
      flows.keySet().removeIf(h -> h <= hour - FLOW_HOURS);
    }
  }

  public record LevelView(String level, String floor, int capacity, int free, int occupied, int reserved,
      int outOfService, int sharedFree) {}

  public record FlowView(Instant hour, int arrivals, int departures, Double meanDwellMinutes, int gateEntries, int gateExits) {}

  public record View(String site, String carPark, LocalizedName name, int capacity, int free, int occupied, int reserved,
      int outOfService, double fillLevel, double overflowFill, boolean overflowing, int openStays, Instant updatedAt,
      List<LevelView> levels, List<FlowView> flows) implements CborSerializable {}

  /** The bay to send a car to, or none ({@code bayId} null) when no bay of the kind is free. */
  public record Guidance(String site, String carPark, String bayId, String level, String floor, double metres,
      Preference preference, boolean shared, double fillLevel, boolean overflowing, String redirectedFrom)
      implements CborSerializable {
    Guidance redirectedFrom(String carPark) {
      return new Guidance(site, this.carPark, bayId, level, floor, metres, preference, shared, fillLevel, overflowing, carPark);
    }
  }

  public record CarLocation(String carPark, String bayId, String level, String floor, String levelZone,
      List<String> route, double routeMetres) implements CborSerializable {}

  public record StayView(String carPark, String plateToken, Instant enteredAt, Instant leftAt, Long minutes)
      implements CborSerializable {}

  public static Behavior<Command> create(AssetId id, TwinServices services) {
    Site site = services.sites().site(id.site()).orElseThrow(() -> new IllegalArgumentException("no site " + id.site()));
    var carPark = site.carPark(id.localId()).orElseThrow(() -> new IllegalArgumentException("no car park " + id));
    return new CarPark(id, site, carPark, services.clock(), services);
  }

  private final AssetId id;
  private final Site site;
  private final atrium.core.site.CarPark model;
  private final TwinClock clock;
  private final TwinServices services;
  /**
   * Bays recently given to arriving cars, until when (memory only: a hint, not a reservation); null
   * until the first car is guided.
   */
  private Map<String, Instant> guided;

  private record BayPlace(Bay bay, atrium.core.site.CarParkLevel level) {}

  private CarPark(AssetId id, Site site, atrium.core.site.CarPark model, TwinClock clock, TwinServices services) {
    super(PersistenceId.of(ENTITY_KEY.name(), id.entityId()), ON_PERSIST_FAILURE);
    this.id = id;
    this.site = site;
    this.model = model;
    this.clock = clock;
    this.services = services;
  }

  /** This car park's bay {@code bayId} and its level, from the site model; null if it has no such bay. */
  private BayPlace place(String bayId) {
    for (var level : model.levels()) {
      for (Bay bay : level.bays()) {
        if (bay.id().equals(bayId)) return new BayPlace(bay, level);
      }
    }
    return null;
  }

  /** Every bay of this car park with its level, in the site model's order. */
  private Stream<BayPlace> places() {
    return model.levels().stream().flatMap(l -> l.bays().stream().map(b -> new BayPlace(b, l)));
  }

  @Override
  public State emptyState() {
    return State.empty();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RETENTION;
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return this::onCommand;
  }

  private ReplyEffect<Event, State> onCommand(State state, Command command) {
    if (command instanceof ApplyBayStatus c) return onApply(state, c);
    if (command instanceof GateRead c) return onGateRead(state, c);
    if (command instanceof Guide c) return Effect().reply(c.replyTo(), guide(state, c));
    if (command instanceof FindCar c) return onFindCar(state, c);
    if (command instanceof GetState c) return Effect().reply(c.replyTo(), view(state));
    throw new IllegalArgumentException("a car park has no command " + command.getClass().getName());
  }

  private ReplyEffect<Event, State> onApply(State state, ApplyBayStatus cmd) {
    BayEntry known = state.bays().get(cmd.bayId());
    if (known != null && known.seqNr() >= cmd.seqNr()) return Effect().reply(cmd.replyTo(), Done.getInstance());
    return Effect().persist(new BayStatusRecorded(cmd.bayId(), cmd.level(), cmd.status(), cmd.seqNr(), cmd.plateToken(),
            cmd.occupiedSince(), cmd.at()))
        .thenRun(this::publish)
        .thenReply(cmd.replyTo(), s -> Done.getInstance());
  }

  private ReplyEffect<Event, State> onGateRead(State state, GateRead cmd) {
    Instant entered = state.openStays().get(cmd.plateToken());
    if (cmd.direction() == GateDirection.ENTRY) {
      if (entered != null) {
        // A second entry read of a car already inside (a re-read at the barrier): the stay stands.
        return Effect().reply(cmd.replyTo(), StatusReply.success(new StayView(id.localId(), cmd.plateToken(), entered, null, null)));
      }
      return Effect().persist(new StayOpened(cmd.plateToken(), cmd.camera(), cmd.at()))
          .thenRun(this::publish)
          .thenReply(cmd.replyTo(), s -> StatusReply.success(new StayView(id.localId(), cmd.plateToken(), cmd.at(), null, null)));
    }
    Long minutes = entered == null ? null : Duration.between(entered, cmd.at()).toMinutes();
    return Effect().persist(new StayClosed(cmd.plateToken(), cmd.camera(), entered, cmd.at()))
        .thenRun(this::publish)
        .thenReply(cmd.replyTo(), s -> StatusReply.success(new StayView(id.localId(), cmd.plateToken(), entered, cmd.at(), minutes)));
  }

  private ReplyEffect<Event, State> onFindCar(State state, FindCar cmd) {
    Optional<Map.Entry<String, BayEntry>> found = state.bays().entrySet().stream()
        .filter(e -> e.getValue().status() == Status.OCCUPIED && cmd.plateToken().equals(e.getValue().plateToken()))
        .findFirst();
    if (found.isEmpty()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("no car with that plate is parked in " + id.localId()));
    }
    BayPlace place = place(found.get().getKey());
    String from = cmd.fromZone() != null ? cmd.fromZone() : nearestLiftLobby(place.level().zone());
    var route = Routes.shortest(site, from, place.level().zone());
    if (route.isEmpty()) return Effect().reply(cmd.replyTo(), StatusReply.error("no walking route from zone " + from));
    return Effect().reply(cmd.replyTo(), StatusReply.success(new CarLocation(id.localId(), place.bay().id(),
        place.level().id(), place.level().floor(), place.level().zone(), route.get().zones(),
        route.get().metres() + place.bay().toLift())));
  }

  private String nearestLiftLobby(String levelZone) {
    return site.links().stream()
        .filter(l -> l.from().equals(levelZone) || l.to().equals(levelZone))
        .map(l -> l.from().equals(levelZone) ? l.to() : l.from())
        .filter(z -> site.zone(z).map(zone -> zone.kind() == atrium.core.site.Zone.Kind.LIFT_LOBBY).orElse(false))
        .findFirst().orElse(levelZone);
  }

  /**
   * The free bay of the kind nearest the entrance (or a lift), skipping bays given to another car in
   * the last few minutes; shared bays only when no other bay of the kind is free.
   */
  private Guidance guide(State state, Guide cmd) {
    Instant now = clock.now();
    if (guided != null) guided.values().removeIf(until -> !until.isAfter(now));
    double fill = fill(state);
    boolean overflowing = fill >= overflowFill();
    if (overflowing && !cmd.evenIfOverflowing()) {
      return new Guidance(id.site(), id.localId(), null, null, null, 0, cmd.preference(), false, fill, true, null);
    }
    Comparator<BayPlace> nearest = Comparator.comparingDouble(
        p -> cmd.preference() == Preference.LIFT ? p.bay().toLift() : p.bay().toEntrance());
    Optional<BayPlace> best = places()
        .filter(p -> cmd.kind() == null || p.bay().kind() == cmd.kind())
        .filter(p -> (guided == null || !guided.containsKey(p.bay().id())) && isFree(state, p.bay().id()))
        .min(Comparator.<BayPlace, Boolean>comparing(p -> p.bay().shared()).thenComparing(nearest));
    if (best.isEmpty()) {
      return new Guidance(id.site(), id.localId(), null, null, null, 0, cmd.preference(), false, fill, overflowing, null);
    }
    BayPlace p = best.get();
    if (guided == null) guided = new HashMap<>();
    guided.put(p.bay().id(), now.plus(GUIDANCE_HOLD));
    return new Guidance(id.site(), id.localId(), p.bay().id(), p.level().id(), p.level().floor(),
        cmd.preference() == Preference.LIFT ? p.bay().toLift() : p.bay().toEntrance(), cmd.preference(),
        p.bay().shared(), fill, overflowing, null);
  }

  private static boolean isFree(State state, String bayId) {
    BayEntry e = state.bays().get(bayId);
    return e == null || e.status() == Status.FREE;
  }

  private double overflowFill() {
    return model.overflowFill() != null ? model.overflowFill() : atrium.core.site.CarPark.DEFAULT_OVERFLOW_FILL;
  }

  private double fill(State state) {
    int capacity = model.bayCount();
    long taken = state.bays().values().stream().filter(b -> b.status() != Status.FREE).count();
    return capacity == 0 ? 1.0 : Math.round(1000.0 * taken / capacity) / 1000.0;
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return State::apply;
  }

  private void publish(State state) {
    services.deltas().publish(id, view(state));
  }

  private View view(State state) {
    Map<String, EnumMap<Status, Integer>> counts = new HashMap<>();
    Map<String, Integer> sharedFree = new HashMap<>();
    for (var e : state.bays().entrySet()) {
      counts.computeIfAbsent(e.getValue().level(), l -> new EnumMap<>(Status.class)).merge(e.getValue().status(), 1, Integer::sum);
    }
    for (var level : model.levels()) {
      for (Bay bay : level.bays()) {
        if (bay.shared() && isFree(state, bay.id())) sharedFree.merge(level.id(), 1, Integer::sum);
      }
    }
    List<LevelView> levels = new ArrayList<>();
    int capacity = 0, occupied = 0, reserved = 0, outOfService = 0;
    for (var level : model.levels()) {
      var c = counts.getOrDefault(level.id(), new EnumMap<>(Status.class));
      int cap = level.bays().size();
      int occ = c.getOrDefault(Status.OCCUPIED, 0);
      int res = c.getOrDefault(Status.RESERVED, 0);
      int oos = c.getOrDefault(Status.OUT_OF_SERVICE, 0);
      levels.add(new LevelView(level.id(), level.floor(), cap, cap - occ - res - oos, occ, res, oos,
          sharedFree.getOrDefault(level.id(), 0)));
      capacity += cap;
      occupied += occ;
      reserved += res;
      outOfService += oos;
    }
    int free = capacity - occupied - reserved - outOfService;
    double fill = fill(state);
    List<FlowView> flows = state.flows().values().stream()
        .sorted(Comparator.comparingLong(HourFlow::hour))
        .map(f -> new FlowView(Instant.ofEpochSecond(f.hour() * 3600), f.arrivals(), f.departures(),
            f.departures() == 0 ? null : (double) f.dwellMinutes() / f.departures(), f.gateEntries(), f.gateExits()))
        .toList();
    return new View(id.site(), id.localId(), model.name(), capacity, free, occupied, reserved, outOfService, fill,
        overflowFill(), fill >= overflowFill(), state.openStays().size(), state.updatedAt(), levels, flows);
  }
}
