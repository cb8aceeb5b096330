package atrium.devices.parking;

import atrium.core.CborSerializable;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.runtime.EntityKind;
import atrium.core.runtime.TwinServices;
import atrium.core.site.LocalizedName;
import atrium.devices.parking.ParkingBay.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * A car park: the live free count per level and in total (M §7.4.6). It learns its bays' statuses
 * from the {@link ParkingProjection} of the bays' events, at least once and in order per bay: a
 * bay status older than (or equal to) the one it holds is acknowledged and ignored.
 */
public final class CarPark
    extends EventSourcedBehaviorWithEnforcedReplies<CarPark.Command, CarPark.Event, CarPark.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "CarPark");
  public static final EntityKind<Command> KIND = new EntityKind<>(AssetKind.CAR_PARK, ENTITY_KEY, CarPark::create);

  public sealed interface Command extends CborSerializable {}

  /** Bay {@code bayId} is now {@code status}, as of its journal sequence number {@code seqNr}. */
  public record ApplyBayStatus(String bayId, String level, Status status, long seqNr, Instant at, ActorRef<Done> replyTo)
      implements Command {}

  public record GetState(ActorRef<View> replyTo) implements Command {}

  public sealed interface Event extends CborSerializable {}

  public record BayStatusRecorded(String bayId, String level, Status status, long seqNr, Instant at) implements Event {}

  public record BayEntry(String level, Status status, long seqNr) implements CborSerializable {}

  /**
   * Bays that have ever reported, by id (a bay never heard of is free). Mutated in place by the
   * event handler: the map is this entity's alone and never leaves it.
   */
  public record State(Map<String, BayEntry> bays, Instant updatedAt) implements CborSerializable {
    State apply(BayStatusRecorded e) {
      bays.put(e.bayId(), new BayEntry(e.level(), e.status(), e.seqNr()));
      return new State(bays, e.at());
    }
  }

  public record LevelView(String level, String floor, int capacity, int free, int occupied, int reserved, int outOfService) {}

  public record View(String site, String carPark, LocalizedName name, int capacity, int free, int occupied, int reserved,
      int outOfService, double fillLevel, Instant updatedAt, List<LevelView> levels) implements CborSerializable {}

  public static Behavior<Command> create(AssetId id, TwinServices services) {
    var site = services.sites().site(id.site()).orElseThrow(() -> new IllegalArgumentException("no site " + id.site()));
    var carPark = site.carPark(id.localId()).orElseThrow(() -> new IllegalArgumentException("no car park " + id));
    return new CarPark(id, carPark);
  }

  private final AssetId id;
  private final atrium.core.site.CarPark model;

  private CarPark(AssetId id, atrium.core.site.CarPark model) {
    super(PersistenceId.of(ENTITY_KEY.name(), id.entityId()),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
    this.id = id;
    this.model = model;
  }

  @Override
  public State emptyState() {
    return new State(new HashMap<>(), null);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(500, 2);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(ApplyBayStatus.class, this::onApply)
        .onCommand(GetState.class, (state, cmd) -> Effect().reply(cmd.replyTo(), view(state)))
        .build();
  }

  private ReplyEffect<Event, State> onApply(State state, ApplyBayStatus cmd) {
    BayEntry known = state.bays().get(cmd.bayId());
    if (known != null && known.seqNr() >= cmd.seqNr()) return Effect().reply(cmd.replyTo(), Done.getInstance());
    return Effect().persist(new BayStatusRecorded(cmd.bayId(), cmd.level(), cmd.status(), cmd.seqNr(), cmd.at()))
        .thenReply(cmd.replyTo(), s -> Done.getInstance());
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    var builder = newEventHandlerBuilder();
    builder.forAnyState().onEvent(BayStatusRecorded.class, State::apply);
    return builder.build();
  }

  private View view(State state) {
    Map<String, EnumMap<Status, Integer>> counts = new HashMap<>();
    for (BayEntry b : state.bays().values()) {
      counts.computeIfAbsent(b.level(), l -> new EnumMap<>(Status.class)).merge(b.status(), 1, Integer::sum);
    }
    List<LevelView> levels = new ArrayList<>();
    int capacity = 0, occupied = 0, reserved = 0, outOfService = 0;
    for (var level : model.levels()) {
      var c = counts.getOrDefault(level.id(), new EnumMap<>(Status.class));
      int cap = level.bays().size();
      int occ = c.getOrDefault(Status.OCCUPIED, 0);
      int res = c.getOrDefault(Status.RESERVED, 0);
      int oos = c.getOrDefault(Status.OUT_OF_SERVICE, 0);
      levels.add(new LevelView(level.id(), level.floor(), cap, cap - occ - res - oos, occ, res, oos));
      capacity += cap;
      occupied += occ;
      reserved += res;
      outOfService += oos;
    }
    int free = capacity - occupied - reserved - outOfService;
    double fill = capacity == 0 ? 0 : (double) (capacity - free) / capacity;
    return new View(id.site(), id.localId(), model.name(), capacity, free, occupied, reserved, outOfService,
        Math.round(fill * 1000) / 1000.0, state.updatedAt(), levels);
  }
}
