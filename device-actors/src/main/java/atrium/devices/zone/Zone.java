package atrium.devices.zone;

import atrium.core.CborSerializable;
import atrium.core.alarm.Severity;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.TwinClock;
import atrium.core.history.TelemetryPoint;
import atrium.core.runtime.EntityKind;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Camera;
import atrium.core.site.Link;
import atrium.core.site.Site;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * One zone of the site (a shop, a corridor, the atrium...): how many people are in it, its density
 * over the site model's area, an estimate of their dwell time, and the flows to its neighbouring zones
 * (M §6.2, S §4(4)2). Its cameras tell it what they counted; a density over its kind's thresholds
 * raises a crowding alarm, cleared with hysteresis (M §7.4.3).
 *
 * <p>Counts are measurements: they change the occupancy in memory, and the occupancy goes to the
 * telemetry history and the live deltas at most once per {@code publish-every}. What is persisted: a
 * crowding level change (with the occupancy), an operator's correction, and a checkpoint of a changed
 * occupancy at most once per {@code checkpoint-every} of clock time (a timer makes sure a change is
 * checkpointed then even when the counts stop). A restarted zone comes back with its last persisted
 * occupancy; flows, rates and headcounts start afresh.
 *
 * <p>Every zone stays awake, so what one holds is counted (see "Heap per idle twin, every kind" in
 * docs/benchmarks.md, and {@link atrium.devices.parking.ParkingBay}'s class comment): the command
 * handler is one method dispatching on the command's type rather than Pekko's handler builder, whose
 * cases and adapters would be built again for every zone; the restart strategy, retention and event
 * handler are shared; the flow window and the headcounts are made on the first count, and the sharding
 * ref that wakes the zone only when a timer is armed.
 */
public final class Zone extends EventSourcedBehaviorWithEnforcedReplies<Zone.Command, Zone.Event, Zone.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Zone");
  /** Alarm condition: density at or above the kind's warning threshold (HIGH). */
  public static final String CROWDING = "crowding";
  /** Alarm condition: density at or above the kind's critical threshold (CRITICAL). */
  public static final String CROWDING_CRITICAL = "crowding-critical";
  /** Headcounts remembered per zone, whatever the site says: a bound on memory. */
  static final int MAX_HEADCOUNT_CAMERAS = 32;
  private static final RetentionCriteria RETENTION = RetentionCriteria.snapshotEvery(100, 2);
  private static final BackoffSupervisorStrategy ON_PERSIST_FAILURE =
      SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2);

  public enum Crowding {
    NORMAL,
    WARNING,
    CRITICAL
  }

  public sealed interface Command extends CborSerializable {}

  /**
   * From a line camera on the border with {@code neighbour}: {@code in} people came into this zone
   * from it and {@code out} left for it. A refusal (see {@link Refused}) goes to {@code refuseTo}, if given.
   */
  public record Crossed(String camera, String neighbour, int in, int out, Instant at, ActorRef<Refused> refuseTo)
      implements Command {}

  /** From a headcount camera of this zone: it sees {@code count} people in the zone. */
  public record HeadCounted(String camera, int count, Instant at) implements Command {}

  /** From a camera that went offline or was found implausible: its last headcount stands no more. */
  public record ForgetCamera(String camera) implements Command {}

  /** An operator sets the occupancy: a count on the ground, or 0 at closing time. */
  public record CorrectOccupancy(int occupancy, String by, String reason, ActorRef<StatusReply<View>> replyTo)
      implements Command {}

  public record GetState(ActorRef<View> replyTo) implements Command {}

  // Clock timers, sent through sharding, so they must serialize: package-private, not private.
  enum PublishDue implements Command { INSTANCE }

  enum CheckpointDue implements Command { INSTANCE }

  /**
   * The zone's answer to a camera whose counts would have left fewer than no one in a zone where every
   * way in is counted: the counts were not applied.
   */
  public record Refused(String zone, String camera, String reason) implements CborSerializable {}

  public sealed interface Event extends CborSerializable {
    Instant at();
  }

  /** The occupancy, persisted so that a restarted zone comes back with it. */
  public record OccupancyCheckpointed(int occupancy, Instant at) implements Event {}

  public record OccupancyCorrected(int occupancy, String by, String reason, Instant at) implements Event {}

  public record CrowdingChanged(Crowding from, Crowding to, int occupancy, double density, Instant at) implements Event {}

  /** The persisted state: the last persisted occupancy and the crowding level. */
  public record State(int occupancy, Instant occupancyAt, Crowding crowding, Instant crowdingSince)
      implements CborSerializable {
    static final State INITIAL = new State(0, null, Crowding.NORMAL, null);

    State apply(Event e) {
      if (e instanceof CrowdingChanged c) return new State(c.occupancy(), c.at(), c.to(), c.at());
      if (e instanceof OccupancyCorrected c) return new State(c.occupancy(), c.at(), crowding, crowdingSince);
      if (e instanceof OccupancyCheckpointed c) return new State(c.occupancy(), c.at(), crowding, crowdingSince);
      throw new IllegalStateException("unknown zone event " + e);
    }
  }

  /** People who came in from ({@code in}) and went out to ({@code out}) one neighbouring zone over the flow window. */
  public record Flow(String zone, int in, int out) implements CborSerializable {}

  /**
   * What the control room (and the HVAC zones, see {@link OccupancySink}) see. {@code dwellMinutes}
   * is Little's law (occupancy ÷ entry rate), null while nothing has come in; rates are per hour over
   * {@code windowSeconds} of counting; {@code observedHeadcount} is the median of the fresh headcounts.
   */
  public record View(String site, String zoneId, String kind, String floor, double area, int occupancy, double density,
      Crowding crowding, Instant crowdingSince, Double dwellMinutes, double entriesPerHour, double exitsPerHour,
      long windowSeconds, List<Flow> flows, Integer observedHeadcount, int headcountCameras, boolean fullyCounted,
      Instant lastCountAt, Instant checkpointedAt, long refusedReports) implements CborSerializable {}

  public static EntityKind<Command> kind(ZoneSettings settings, OccupancySink sink) {
    return new EntityKind<>(AssetKind.ZONE, ENTITY_KEY, (id, services) -> create(id, services, settings, sink));
  }

  public static Behavior<Command> create(AssetId id, TwinServices services, ZoneSettings settings) {
    return create(id, services, settings, OccupancySink.NONE);
  }

  public static Behavior<Command> create(AssetId id, TwinServices services, ZoneSettings settings, OccupancySink sink) {
    Site site = services.sites().site(id.site())
        .orElseThrow(() -> new IllegalArgumentException("no site " + id.site() + " for zone " + id));
    atrium.core.site.Zone model = site.zone(id.localId())
        .orElseThrow(() -> new IllegalArgumentException("no zone " + id + " in the site model"));
    int headcountCameras = headcountCameras(site, model.id());
    boolean fullyCounted = fullyCounted(site, model.id());
    return Behaviors.setup(ctx -> new Zone(id, model, headcountCameras, fullyCounted, services, settings, sink,
        ctx.getSelf()));
  }

  /** The headcount cameras the site model puts in the zone. */
  static int headcountCameras(Site site, String zoneId) {
    return (int) cameras(site).stream().filter(c -> c.mode() == Camera.Mode.HEADCOUNT && c.zone().equals(zoneId)).count();
  }

  /**
   * Whether every way into the zone is counted: each of its links watched by a line camera, no
   * emergency exit, no headcount camera (a headcount corrects the occupancy, so it may drift between).
   * Only such a zone can tell that a camera's counts are impossible because they would leave it below zero.
   */
  static boolean fullyCounted(Site site, String zoneId) {
    if (headcountCameras(site, zoneId) > 0) return false;
    if (site.exits().stream().anyMatch(e -> e.zone().equals(zoneId))) return false;
    List<Camera> lines = cameras(site).stream().filter(c -> c.mode() == Camera.Mode.LINE).toList();
    for (Link l : site.links()) {
      if (!l.from().equals(zoneId) && !l.to().equals(zoneId)) continue;
      if (lines.stream().noneMatch(c -> l.joins(c.from(), c.to()))) return false;
    }
    return true;
  }

  private static List<Camera> cameras(Site site) {
    return site.devices() == null ? List.of() : site.devices().cameras();
  }

  private record Headcount(int count, Instant at) {}

  private final AssetId id;
  private final atrium.core.site.Zone model;
  private final int headcountCameras;
  private final boolean fullyCounted;
  private final TwinServices services;
  private final TwinClock clock;
  private final ZoneSettings settings;
  private final ZoneSettings.Thresholds thresholds;
  private final OccupancySink sink;
  private final ActorRef<Command> self;
  // Measurements, in memory only: the live occupancy (persisted at checkpoints), flows, headcounts.
  private int occupancy;
  /** Null until the first crossing is counted. */
  private FlowWindow flows;
  /** Null until the first headcount. */
  private Map<String, Headcount> headcounts;
  private Instant lastCountAt;
  private long refusedReports;
  private Instant lastPublishedAt;
  private boolean publishPending;
  private TwinClock.Scheduled publishTimer;
  private TwinClock.Scheduled checkpointTimer;

  private Zone(AssetId id, atrium.core.site.Zone model, int headcountCameras, boolean fullyCounted, TwinServices services,
      ZoneSettings settings, OccupancySink sink, ActorRef<Command> self) {
    super(PersistenceId.of(ENTITY_KEY.name(), id.entityId()), ON_PERSIST_FAILURE);
    this.id = id;
    this.model = model;
    this.headcountCameras = headcountCameras;
    this.fullyCounted = fullyCounted;
    this.services = services;
    this.clock = services.clock();
    this.settings = settings;
    this.thresholds = settings.thresholds(model.kind());
    this.sink = sink;
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
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::onRecovered).build();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return this::onCommand;
  }

  private ReplyEffect<Event, State> onCommand(State state, Command command) {
    if (command instanceof Crossed c) return onCrossed(state, c);
    if (command instanceof HeadCounted c) return onHeadCounted(state, c);
    if (command instanceof ForgetCamera c) return forget(c.camera());
    if (command instanceof CorrectOccupancy c) return onCorrect(state, c);
    if (command instanceof GetState c) return Effect().reply(c.replyTo(), view(state));
    if (command instanceof PublishDue) return onPublishDue(state);
    if (command instanceof CheckpointDue) return onCheckpointDue(state);
    throw new IllegalArgumentException("a zone has no command " + command.getClass().getName());
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return State::apply;
  }

  private void onRecovered(State state) {
    occupancy = state.occupancy();
    // Alarms are reported on transitions only; an active one is reported again in case its report was lost.
    if (state.crowding() != Crowding.NORMAL) raise(CROWDING, state);
    if (state.crowding() == Crowding.CRITICAL) raise(CROWDING_CRITICAL, state);
  }

  private ReplyEffect<Event, State> onCrossed(State state, Crossed c) {
    if (c.in() < 0 || c.out() < 0) return Effect().noReply(); // cameras refuse these; never from a camera of ours
    long next = (long) occupancy + c.in() - c.out();
    if (next < 0 && fullyCounted && -next > settings.underflowTolerance()) {
      refusedReports++;
      String reason = String.format(Locale.ROOT, "%d in and %d out would leave %d people in %s, which has %d and "
          + "no way in that is not counted", c.in(), c.out(), next, id.localId(), occupancy);
      if (c.refuseTo() != null) c.refuseTo().tell(new Refused(id.localId(), c.camera(), reason));
      return Effect().noReply();
    }
    Instant now = clock.now();
    if (flows == null) flows = new FlowWindow(settings.flowWindow(), settings.flowBuckets(), settings.maxNeighbours());
    flows.add(now, c.neighbour(), c.in(), c.out());
    lastCountAt = c.at();
    return occupancyNow(state, (int) Math.min(Integer.MAX_VALUE, Math.max(0, next)), now);
  }

  private ReplyEffect<Event, State> onHeadCounted(State state, HeadCounted c) {
    if (c.count() < 0) return Effect().noReply();
    Instant now = clock.now();
    if (headcounts == null) headcounts = new HashMap<>();
    headcounts.put(c.camera(), new Headcount(c.count(), now));
    if (headcounts.size() > MAX_HEADCOUNT_CAMERAS) {
      headcounts.entrySet().stream().min(Comparator.comparing(e -> e.getValue().at()))
          .map(Map.Entry::getKey).ifPresent(headcounts::remove);
    }
    lastCountAt = c.at();
    Integer observed = observedHeadcount(now);
    return observed == null ? Effect().noReply() : occupancyNow(state, observed, now);
  }

  private ReplyEffect<Event, State> forget(String camera) {
    if (headcounts != null) headcounts.remove(camera);
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onCorrect(State state, CorrectOccupancy c) {
    int ceiling = (int) Math.floor(model.area() * settings.maxDensity());
    if (c.occupancy() < 0) return reject(c.replyTo(), "an occupancy is 0 or more, not " + c.occupancy());
    if (c.occupancy() > ceiling) {
      return reject(c.replyTo(), String.format(Locale.ROOT, "zone %s of %.0f m² holds at most %d people (%.1f persons/m²), not %d",
          id.localId(), model.area(), ceiling, settings.maxDensity(), c.occupancy()));
    }
    if (c.by() == null || c.by().isBlank()) return reject(c.replyTo(), "a correction needs who made it");
    if (c.reason() == null || c.reason().isBlank()) return reject(c.replyTo(), "a correction needs a reason");
    Instant now = clock.now();
    occupancy = c.occupancy();
    List<Event> events = new ArrayList<>();
    events.add(new OccupancyCorrected(c.occupancy(), c.by(), c.reason(), now));
    Crowding to = crowdingAt(state.crowding(), density(occupancy));
    if (to != state.crowding()) events.add(new CrowdingChanged(state.crowding(), to, occupancy, density(occupancy), now));
    return Effect().persist(events)
        .thenRun(s -> afterPersist(state.crowding(), s))
        .thenReply(c.replyTo(), s -> StatusReply.success(view(s)));
  }

  /** The live occupancy is now {@code next}: persist a crowding change or a due checkpoint, publish. */
  private ReplyEffect<Event, State> occupancyNow(State state, int next, Instant now) {
    boolean changed = next != occupancy;
    occupancy = next;
    double density = density(next);
    Crowding to = crowdingAt(state.crowding(), density);
    if (to != state.crowding()) {
      return Effect().persist(new CrowdingChanged(state.crowding(), to, next, density, now))
          .thenRun(s -> afterPersist(state.crowding(), s))
          .thenNoReply();
    }
    if (next != state.occupancy() && (state.occupancyAt() == null || !now.isBefore(state.occupancyAt().plus(settings.checkpointEvery())))) {
      return Effect().persist(new OccupancyCheckpointed(next, now)).thenRun(this::afterCheckpoint).thenNoReply();
    }
    armCheckpoint(state);
    if (changed) publishSoon(state);
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onCheckpointDue(State state) {
    checkpointTimer = null;
    if (occupancy == state.occupancy()) return Effect().noReply();
    return Effect().persist(new OccupancyCheckpointed(occupancy, clock.now())).thenRun(this::afterCheckpoint).thenNoReply();
  }

  private ReplyEffect<Event, State> onPublishDue(State state) {
    publishTimer = null;
    if (publishPending) publishNow(state);
    return Effect().noReply();
  }

  private void afterPersist(Crowding from, State s) {
    Crowding to = s.crowding();
    alarm(CROWDING, from != Crowding.NORMAL, to != Crowding.NORMAL, s);
    alarm(CROWDING_CRITICAL, from == Crowding.CRITICAL, to == Crowding.CRITICAL, s);
    cancelCheckpoint();
    publishNow(s);
  }

  private void afterCheckpoint(State s) {
    cancelCheckpoint();
    publishSoon(s);
  }

  private void alarm(String condition, boolean was, boolean is, State s) {
    if (is && !was) raise(condition, s);
    if (was && !is) services.alarms().clear(id, condition, clock.now());
  }

  private void raise(String condition, State s) {
    boolean critical = condition.equals(CROWDING_CRITICAL);
    double threshold = critical ? thresholds.critical() : thresholds.warning();
    String message = String.format(Locale.ROOT, "%s (%s): %d people on %.0f m², %.2f persons/m², %s at %.1f",
        model.name().en(), id.localId(), occupancy, model.area(), density(occupancy), critical ? "critical" : "warning",
        threshold);
    services.alarms().raise(id, condition, critical ? Severity.CRITICAL : Severity.HIGH, message, clock.now());
  }

  /** The level at {@code density}, moving down only once it is below the threshold × clear-ratio. */
  Crowding crowdingAt(Crowding current, double density) {
    double clear = settings.clearRatio();
    if (density >= thresholds.critical()) return Crowding.CRITICAL;
    if (current == Crowding.CRITICAL && density >= thresholds.critical() * clear) return Crowding.CRITICAL;
    if (density >= thresholds.warning()) return Crowding.WARNING;
    if (current != Crowding.NORMAL && density >= thresholds.warning() * clear) return Crowding.WARNING;
    return Crowding.NORMAL;
  }

  private double density(int people) {
    return model.area() > 0 ? people / model.area() : 0;
  }

  /** The median of the headcounts no older than {@code headcount-fresh-for}, or null if none is. */
  private Integer observedHeadcount(Instant now) {
    if (headcounts == null) return null;
    Instant oldest = now.minus(settings.headcountFreshFor());
    headcounts.values().removeIf(h -> h.at().isBefore(oldest));
    if (headcounts.isEmpty()) return null;
    int[] counts = headcounts.values().stream().mapToInt(Headcount::count).sorted().toArray();
    int n = counts.length;
    return n % 2 == 1 ? counts[n / 2] : (int) Math.round((counts[n / 2 - 1] + counts[n / 2]) / 2.0);
  }

  private void armCheckpoint(State state) {
    if (checkpointTimer != null || occupancy == state.occupancy()) return;
    Duration delay = state.occupancyAt() == null ? Duration.ZERO
        : Duration.between(clock.now(), state.occupancyAt().plus(settings.checkpointEvery()));
    RecipientRef<Command> wake = wake();
    checkpointTimer = clock.schedule(delay, () -> wake.tell(CheckpointDue.INSTANCE));
  }

  /** Through sharding, so that a passivated zone is woken when its timer is due. */
  private RecipientRef<Command> wake() {
    return services.wakeRef(ENTITY_KEY, id, self);
  }

  private void cancelCheckpoint() {
    if (checkpointTimer != null) checkpointTimer.cancel();
    checkpointTimer = null;
  }

  /** Publishes now if the last delta is at least {@code publish-every} old, else once it is. */
  private void publishSoon(State s) {
    Instant now = clock.now();
    if (lastPublishedAt == null || !now.isBefore(lastPublishedAt.plus(settings.publishEvery()))) {
      publishNow(s);
      return;
    }
    publishPending = true;
    if (publishTimer == null) {
      RecipientRef<Command> wake = wake();
      publishTimer = clock.schedule(Duration.between(now, lastPublishedAt.plus(settings.publishEvery())),
          () -> wake.tell(PublishDue.INSTANCE));
    }
  }

  private void publishNow(State s) {
    Instant now = clock.now();
    lastPublishedAt = now;
    publishPending = false;
    View v = view(s);
    services.deltas().publish(id, v);
    services.history().record(TelemetryPoint.of(id, now, "occupancy", occupancy));
    services.history().record(TelemetryPoint.of(id, now, "density", v.density()));
    sink.occupancyChanged(services, id, occupancy, v.density(), now);
  }

  private ReplyEffect<Event, State> reject(ActorRef<StatusReply<View>> replyTo, String reason) {
    return Effect().reply(replyTo, StatusReply.error(reason));
  }

  private View view(State s) {
    Instant now = clock.now();
    // A zone that has counted no crossing has an empty window: nothing covered, no entries, exits or flows.
    Duration covered = flows == null ? Duration.ZERO : flows.covered(now);
    double hours = covered.toMillis() / 3_600_000.0;
    int entries = flows == null ? 0 : flows.entries(now);
    int exits = flows == null ? 0 : flows.exits(now);
    double entriesPerHour = hours > 0 ? entries / hours : 0;
    double exitsPerHour = hours > 0 ? exits / hours : 0;
    // Little's law, L = λW: the people in the zone over the rate at which they come in.
    Double dwell = entriesPerHour > 0 ? round(occupancy / entriesPerHour * 60, 10) : null;
    return new View(id.site(), id.localId(), model.kind().toString(), model.floor(), model.area(), occupancy,
        round(density(occupancy), 1000), s.crowding(), s.crowdingSince(), dwell, round(entriesPerHour, 10),
        round(exitsPerHour, 10), covered.toSeconds(), flows == null ? List.of() : flows.flows(now), observedHeadcount(now), headcountCameras,
        fullyCounted, lastCountAt, s.occupancyAt(), refusedReports);
  }

  private static double round(double v, double scale) {
    return Math.round(v * scale) / scale;
  }
}
