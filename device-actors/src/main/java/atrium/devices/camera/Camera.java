package atrium.devices.camera;

import atrium.core.CborSerializable;
import atrium.core.alarm.Severity;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.TwinClock;
import atrium.core.history.TelemetryPoint;
import atrium.core.runtime.EntityKind;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Site;
import atrium.devices.zone.Zone;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
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
 * One people-counting camera of the site model (M §6.2, M §7.5.1, S §5(1)6): a {@code line} camera
 * counts people crossing the border between two zones, a {@code headcount} camera the people in its
 * zone. Its reports are measurements: folded into memory, sent to the telemetry history, and passed on
 * to the {@link Zone} entities — unless the camera is marked implausible.
 *
 * <p>Its health is persisted: {@code offline} when it has sent nothing for {@code offline-after} of
 * clock time (cleared by its next report), {@code implausible} when a report is impossible (more
 * crossings than the border can pass, a headcount jump the zone's ways could not carry or a density no
 * crowd reaches, or counts its zone refuses because they would leave fewer than no one). An implausible
 * camera's counts are not applied until it has reported plausibly for {@code plausible-for} or an
 * operator resets it. Both conditions raise and clear alarms.
 *
 * <p>Every camera of a mall stays awake, so what one camera holds is counted (see "Heap per idle twin"
 * in docs/benchmarks.md and {@code ParkingBay}'s class comment): the restart strategy, retention and
 * event handler are shared, the command handler is one method rather than Pekko's handler builder
 * (whose cases and adapters would be built again for every camera), and the zone refusal adapter,
 * the remembered message ids and the deadline timer's sharding ref are made only when needed, and
 * the id is made of the site model's strings.
 */
public final class Camera extends EventSourcedBehaviorWithEnforcedReplies<Camera.Command, Camera.Event, Camera.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Camera");
  /** Alarm condition: no report for {@code offline-after} (MEDIUM). */
  public static final String OFFLINE = "offline";
  /** Alarm condition: the camera's counts are impossible and are ignored (MEDIUM). */
  public static final String IMPLAUSIBLE = "implausible";
  private static final RetentionCriteria RETENTION = RetentionCriteria.snapshotEvery(100, 2);
  private static final BackoffSupervisorStrategy ON_PERSIST_FAILURE =
      SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2);

  public sealed interface Command extends CborSerializable {}

  /**
   * A line camera's report: since its last report, {@code in} people crossed from its {@code from}
   * zone into its {@code to} zone and {@code out} the other way, as of {@code at} (device time).
   * {@code messageId} is the device message's id: a redelivered report is not counted twice.
   */
  public record CountLine(String messageId, int in, int out, Instant at, ActorRef<StatusReply<View>> replyTo)
      implements Command {}

  /** A headcount camera's report: it sees {@code count} people in its zone at {@code at}. */
  public record CountHeads(String messageId, int count, Instant at, ActorRef<StatusReply<View>> replyTo)
      implements Command {}

  /** An operator trusts an implausible camera again (after checking it). */
  public record ResetFault(String by, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record GetState(ActorRef<View> replyTo) implements Command {}

  // The report deadline timer, sent through sharding, so it must serialize: package-private, not private.
  record ReportDue(Instant lastSeen) implements Command {}

  // A zone refused this camera's counts (adapted from Zone.Refused).
  record ZoneRefused(String zone, String reason) implements Command {}

  public sealed interface Event extends CborSerializable {
    Instant at();
  }

  public record WentOffline(Instant lastReportAt, Instant at) implements Event {}

  public record CameBackOnline(Instant at) implements Event {}

  public record MarkedImplausible(String reason, Instant at) implements Event {}

  /** Trusted again: {@code by} is the operator, or {@code automatic} after plausible reports. */
  public record FaultCleared(String by, Instant at) implements Event {}

  /** The camera's health: offline since {@code offlineSince}, implausible since {@code faultySince} for {@code fault}. */
  public record State(Instant offlineSince, String fault, Instant faultySince) implements CborSerializable {
    static final State HEALTHY = new State(null, null, null);

    public boolean offline() {
      return offlineSince != null;
    }

    public boolean faulty() {
      return fault != null;
    }

    State apply(Event e) {
      if (e instanceof WentOffline w) return new State(w.at(), fault, faultySince);
      if (e instanceof CameBackOnline) return new State(null, fault, faultySince);
      if (e instanceof MarkedImplausible m) return new State(offlineSince, m.reason(), m.at());
      if (e instanceof FaultCleared) return new State(offlineSince, null, null);
      throw new IllegalStateException("unknown camera event " + e);
    }
  }

  /**
   * What the control room sees: health (persisted) and the last report and totals since the entity
   * started (memory only). {@code countedIn}/{@code countedOut} are the crossings passed on to the
   * zones (a headcount camera's last count is {@code lastCount}); {@code ignoredReports} were not
   * passed on because the camera was implausible.
   */
  public record View(String site, String cameraId, String mode, String zone, String from, String to, boolean offline,
      Instant offlineSince, boolean implausible, String fault, Instant faultySince, Instant lastReportAt,
      Instant lastMeasuredAt, Integer lastIn, Integer lastOut, Integer lastCount, long reports, long ignoredReports,
      long countedIn, long countedOut) implements CborSerializable {}

  public static EntityKind<Command> kind(CameraSettings settings) {
    return new EntityKind<>(AssetKind.CAMERA, ENTITY_KEY, (id, services) -> create(id, services, settings));
  }

  /** A camera that passes its counts on to the zones through sharding. */
  public static Behavior<Command> create(AssetId id, TwinServices services, CameraSettings settings) {
    return setup(id, services, settings, null);
  }

  /** A camera that passes its counts on to {@code zones.apply(zoneId)} (tests give it their own). */
  public static Behavior<Command> create(AssetId id, TwinServices services, CameraSettings settings,
      Function<String, RecipientRef<Zone.Command>> zones) {
    return setup(id, services, settings, zones);
  }

  // zones == null: through sharding, each zone's ref looked up when a count is passed on.
  private static Behavior<Command> setup(AssetId id, TwinServices services, CameraSettings settings,
      Function<String, RecipientRef<Zone.Command>> zones) {
    Site site = services.sites().site(id.site())
        .orElseThrow(() -> new IllegalArgumentException("no site " + id.site() + " for camera " + id));
    CameraModel model = CameraModel.of(site, id.localId());
    // The same id made of the site model's strings, which every camera shares, not of the entity id's copies.
    AssetId shared = AssetId.of(site.id(), AssetKind.CAMERA, model.camera().id());
    return Behaviors.setup(ctx -> new Camera(shared, model, services, settings, zones, ctx));
  }

  private final AssetId id;
  private final CameraModel model;
  private final TwinServices services;
  private final TwinClock clock;
  private final CameraSettings settings;
  private final Function<String, RecipientRef<Zone.Command>> zones;
  private final ActorContext<Command> ctx;
  // Made when a line count is first passed on (a headcount camera never needs it).
  private ActorRef<Zone.Refused> refusals;
  // Measurements, in memory only.
  private Instant lastReportAt;
  private Instant lastMeasuredAt;
  private Integer lastIn;
  private Integer lastOut;
  private Integer lastCount;
  private long reports;
  private long ignoredReports;
  private long countedIn;
  private long countedOut;
  // Made at the first report that carries an id.
  private String[] recentIds;
  private int nextId;
  private Instant plausibleSince;
  private int plausibleReports;
  private Instant lastPublishedAt;
  private TwinClock.Scheduled deadline;

  private Camera(AssetId id, CameraModel model, TwinServices services, CameraSettings settings,
      Function<String, RecipientRef<Zone.Command>> zones, ActorContext<Command> ctx) {
    super(PersistenceId.of(ENTITY_KEY.name(), id.entityId()), ON_PERSIST_FAILURE);
    this.id = id;
    this.model = model;
    this.services = services;
    this.clock = services.clock();
    this.settings = settings;
    this.zones = zones;
    this.ctx = ctx;
  }

  @Override
  public State emptyState() {
    return State.HEALTHY;
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
    if (command instanceof CountLine c) return onCountLine(state, c);
    if (command instanceof CountHeads c) return onCountHeads(state, c);
    if (command instanceof ResetFault c) return onResetFault(state, c);
    if (command instanceof GetState c) return Effect().reply(c.replyTo(), view(state));
    if (command instanceof ReportDue c) return onReportDue(state, c);
    if (command instanceof ZoneRefused c) return onZoneRefused(state, c);
    throw new IllegalArgumentException("a camera has no command " + command.getClass().getName());
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return State::apply;
  }

  private void onRecovered(State state) {
    // A camera that never reports again after this start goes offline one deadline from now.
    if (!state.offline()) armDeadline(clock.now());
    // Alarms are reported on transitions only; an active one is reported again in case its report was lost.
    if (state.offline()) raiseOffline(state.offlineSince());
    if (state.faulty()) raiseImplausible(state.fault());
  }

  private ReplyEffect<Event, State> onCountLine(State state, CountLine c) {
    if (!model.line()) {
      return reject(c.replyTo(), "camera " + id.localId() + " counts the people in " + model.camera().zone()
          + "; it reports {\"count\": n}, not line crossings");
    }
    if (c.in() < 0 || c.out() < 0) {
      return reject(c.replyTo(), "crossings are counted from 0 up, not in=" + c.in() + " out=" + c.out());
    }
    if (c.at() == null) return reject(c.replyTo(), "a count needs the time it was made");
    if (seen(c.messageId())) return Effect().reply(c.replyTo(), StatusReply.success(view(state)));
    String implausible = lineImplausibility(c.in(), c.out(), c.at());
    services.history().record(TelemetryPoint.of(id, c.at(), "in", c.in()));
    services.history().record(TelemetryPoint.of(id, c.at(), "out", c.out()));
    lastIn = c.in();
    lastOut = c.out();
    measuredAt(c.at());
    return afterReport(state, implausible, c.replyTo(), () -> passOnLine(c));
  }

  private ReplyEffect<Event, State> onCountHeads(State state, CountHeads c) {
    if (model.line()) {
      return reject(c.replyTo(), "camera " + id.localId() + " counts crossings between " + model.camera().from() + " and "
          + model.camera().to() + "; it reports {\"in\": n, \"out\": n}, not a headcount");
    }
    if (c.count() < 0) return reject(c.replyTo(), "a headcount is 0 or more, not " + c.count());
    if (c.at() == null) return reject(c.replyTo(), "a count needs the time it was made");
    if (seen(c.messageId())) return Effect().reply(c.replyTo(), StatusReply.success(view(state)));
    String implausible = headcountImplausibility(c.count(), c.at());
    services.history().record(TelemetryPoint.of(id, c.at(), "count", c.count()));
    lastCount = c.count();
    measuredAt(c.at());
    return afterReport(state, implausible, c.replyTo(), () -> zone(model.camera().zone())
        .tell(new Zone.HeadCounted(id.localId(), c.count(), c.at())));
  }

  /**
   * After a report was folded in: back online if it was offline, implausible if {@code implausible}
   * says why, trusted again after enough plausible reports; the counts are passed on (by
   * {@code passOn}) only by a camera that is not implausible once this report is taken.
   */
  private ReplyEffect<Event, State> afterReport(State state, String implausible, ActorRef<StatusReply<View>> replyTo,
      Runnable passOn) {
    Instant now = clock.now();
    lastReportAt = now;
    reports++;
    armDeadline(now);
    List<Event> events = new ArrayList<>();
    if (state.offline()) events.add(new CameBackOnline(now));
    if (!state.faulty() && implausible != null) {
      events.add(new MarkedImplausible(implausible, now));
    } else if (state.faulty() && implausible != null) {
      plausibleSince = null;
      plausibleReports = 0;
    } else if (state.faulty()) {
      if (plausibleSince == null) plausibleSince = now;
      plausibleReports++;
      if (plausibleReports >= settings.minPlausibleReports() && !now.isBefore(plausibleSince.plus(settings.plausibleFor()))) {
        events.add(new FaultCleared("automatic", now));
      }
    }
    if (events.isEmpty()) {
      takeOrIgnore(state, passOn);
      publishSoon(state);
      return Effect().reply(replyTo, StatusReply.success(view(state)));
    }
    return Effect().persist(events)
        .thenRun(s -> {
          takeOrIgnore(s, passOn);
          transitions(state, s);
        })
        .thenReply(replyTo, s -> StatusReply.success(view(s)));
  }

  private void takeOrIgnore(State s, Runnable passOn) {
    if (s.faulty()) {
      ignoredReports++;
    } else {
      passOn.run();
    }
  }

  private void passOnLine(CountLine c) {
    countedIn += c.in();
    countedOut += c.out();
    if (c.in() == 0 && c.out() == 0) return;
    var cam = model.camera();
    if (refusals == null) refusals = ctx.messageAdapter(Zone.Refused.class, r -> new ZoneRefused(r.zone(), r.reason()));
    zone(cam.to()).tell(new Zone.Crossed(id.localId(), cam.from(), c.in(), c.out(), c.at(), refusals));
    zone(cam.from()).tell(new Zone.Crossed(id.localId(), cam.to(), c.out(), c.in(), c.at(), refusals));
  }

  private RecipientRef<Zone.Command> zone(String zoneId) {
    if (zones != null) return zones.apply(zoneId);
    return services.entityRef(Zone.ENTITY_KEY, AssetId.of(id.site(), AssetKind.ZONE, zoneId));
  }

  private ReplyEffect<Event, State> onResetFault(State state, ResetFault c) {
    if (!state.faulty()) return reject(c.replyTo(), "camera " + id.localId() + " is not marked implausible");
    if (c.by() == null || c.by().isBlank()) return reject(c.replyTo(), "a reset needs who made it");
    return Effect().persist(new FaultCleared(c.by(), clock.now()))
        .thenRun(s -> transitions(state, s))
        .thenReply(c.replyTo(), s -> StatusReply.success(view(s)));
  }

  private ReplyEffect<Event, State> onReportDue(State state, ReportDue due) {
    // After a passivation both the old incarnation's timer and this one's may be pending: keep one.
    if (deadline != null) deadline.cancel();
    deadline = null;
    // A camera woken by its own timer after passivation knows of its last report only from the timer.
    if (lastReportAt == null || due.lastSeen().isAfter(lastReportAt)) lastReportAt = due.lastSeen();
    if (state.offline()) return Effect().noReply();
    Instant now = clock.now();
    Instant dueAt = lastReportAt.plus(settings.offlineAfter());
    if (now.isBefore(dueAt)) {
      schedule(Duration.between(now, dueAt), lastReportAt);
      return Effect().noReply();
    }
    return Effect().persist(new WentOffline(lastReportAt, now)).thenRun(s -> transitions(state, s)).thenNoReply();
  }

  private ReplyEffect<Event, State> onZoneRefused(State state, ZoneRefused r) {
    if (state.faulty()) return Effect().noReply();
    plausibleSince = null;
    plausibleReports = 0;
    return Effect().persist(new MarkedImplausible("zone " + r.zone() + " refused its counts: " + r.reason(), clock.now()))
        .thenRun(s -> transitions(state, s))
        .thenNoReply();
  }

  /** Reports alarms and tells the zone what changed between {@code before} and {@code after}; publishes. */
  private void transitions(State before, State after) {
    Instant now = clock.now();
    if (!before.offline() && after.offline()) {
      raiseOffline(after.offlineSince());
      forgetHeadcount();
    }
    if (before.offline() && !after.offline()) services.alarms().clear(id, OFFLINE, now);
    if (!before.faulty() && after.faulty()) {
      plausibleSince = null;
      plausibleReports = 0;
      raiseImplausible(after.fault());
      forgetHeadcount();
    }
    if (before.faulty() && !after.faulty()) {
      plausibleSince = null;
      plausibleReports = 0;
      services.alarms().clear(id, IMPLAUSIBLE, now);
    }
    publishNow(after);
  }

  private void raiseOffline(Instant since) {
    String last = lastReportAt == null ? "since this node started" : "since " + lastReportAt;
    services.alarms().raise(id, OFFLINE, Severity.MEDIUM, String.format(Locale.ROOT,
        "camera %s (%s) has sent nothing %s; its counts are missing from the zones", id.localId(), model.describe(), last),
        since == null ? clock.now() : since);
  }

  private void raiseImplausible(String reason) {
    services.alarms().raise(id, IMPLAUSIBLE, Severity.MEDIUM, String.format(Locale.ROOT,
        "camera %s (%s): %s; its counts are ignored until it reports plausibly for %s or an operator resets it",
        id.localId(), model.describe(), reason, human(settings.plausibleFor())), clock.now());
  }

  private void forgetHeadcount() {
    if (!model.line()) zone(model.camera().zone()).tell(new Zone.ForgetCamera(id.localId()));
  }

  private String lineImplausibility(int in, int out, Instant at) {
    double seconds = secondsSinceLastMeasurement(at);
    double most = model.borderWidth() * settings.maxFlow() * seconds + settings.slack();
    long crossings = (long) in + out;
    if (crossings <= most) return null;
    return String.format(Locale.ROOT, "%d crossings in %.0f s over a %.1f m border, which passes at most %.0f "
        + "(%.1f persons/(m·s), plus %d)", crossings, seconds, model.borderWidth(), Math.floor(most), settings.maxFlow(),
        settings.slack());
  }

  private String headcountImplausibility(int count, Instant at) {
    double ceiling = model.zoneArea() * settings.maxDensity() + settings.slack();
    if (count > ceiling) {
      return String.format(Locale.ROOT, "%d people in %s (%.0f m²) would be %.1f persons/m², more than any crowd (%.1f)",
          count, model.camera().zone(), model.zoneArea(), count / Math.max(1, model.zoneArea()), settings.maxDensity());
    }
    if (lastCount == null) return null;
    double seconds = secondsSinceLastMeasurement(at);
    double most = model.zoneWays() * settings.maxFlow() * seconds + settings.slack();
    int jump = Math.abs(count - lastCount);
    if (jump <= most) return null;
    return String.format(Locale.ROOT, "the count jumped from %d to %d in %.0f s; the ways in and out of %s (%.1f m wide "
        + "in all) pass at most %.0f", lastCount, count, seconds, model.camera().zone(), model.zoneWays(), Math.floor(most));
  }

  /** Seconds of device time since the last report (a first report counts for one deadline). */
  private double secondsSinceLastMeasurement(Instant at) {
    if (lastMeasuredAt == null) return settings.offlineAfter().toMillis() / 1000.0;
    return Math.max(0, Duration.between(lastMeasuredAt, at).toMillis()) / 1000.0;
  }

  private void measuredAt(Instant at) {
    if (lastMeasuredAt == null || at.isAfter(lastMeasuredAt)) lastMeasuredAt = at;
  }

  /** Whether a message with this id was taken already (among the last few); remembers it if not. */
  private boolean seen(String messageId) {
    if (messageId == null || settings.rememberedMessageIds() == 0) return false;
    if (recentIds == null) recentIds = new String[settings.rememberedMessageIds()];
    for (String s : recentIds) {
      if (messageId.equals(s)) return true;
    }
    recentIds[nextId] = messageId;
    nextId = (nextId + 1) % recentIds.length;
    return false;
  }

  /** Makes sure a deadline timer is pending; it re-arms itself while reports keep coming. */
  private void armDeadline(Instant lastSeen) {
    if (deadline == null) schedule(settings.offlineAfter(), lastSeen);
  }

  private void schedule(Duration delay, Instant lastSeen) {
    // Through sharding, so that a passivated camera is woken to go offline. Every camera has this timer
    // pending, so the sharding ref is made when it falls due rather than held while it waits.
    ActorRef<Command> self = ctx.getSelf();
    deadline = clock.schedule(delay, () -> services.wakeRef(ENTITY_KEY, id, self).tell(new ReportDue(lastSeen)));
  }

  private void publishSoon(State s) {
    Instant now = clock.now();
    if (lastPublishedAt == null || !now.isBefore(lastPublishedAt.plus(settings.publishEvery()))) publishNow(s);
  }

  private void publishNow(State s) {
    lastPublishedAt = clock.now();
    services.deltas().publish(id, view(s));
  }

  private ReplyEffect<Event, State> reject(ActorRef<StatusReply<View>> replyTo, String reason) {
    return Effect().reply(replyTo, StatusReply.error(reason));
  }

  private static String human(Duration d) {
    return d.toString().substring(2).toLowerCase(Locale.ROOT);
  }

  private View view(State s) {
    var cam = model.camera();
    return new View(id.site(), id.localId(), cam.mode().toString(), cam.zone(), cam.from(), cam.to(), s.offline(),
        s.offlineSince(), s.faulty(), s.fault(), s.faultySince(), lastReportAt, lastMeasuredAt, lastIn, lastOut, lastCount,
        reports, ignoredReports, countedIn, countedOut);
  }
}
