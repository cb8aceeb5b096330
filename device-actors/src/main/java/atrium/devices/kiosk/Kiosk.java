package atrium.devices.kiosk;

import atrium.core.CborSerializable;
import atrium.core.alarm.Severity;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.TwinClock;
import atrium.core.history.TelemetryPoint;
import atrium.core.json.Json;
import atrium.core.protocol.Envelope;
import atrium.core.runtime.EntityKind;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Site;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * One self-service terminal (M §5.2.3, S §5(1)1): online or offline from its signs of life, its
 * faults, the content it shows (normal, promotion, evacuation guidance) and its usage counts.
 *
 * <p>Any message from the kiosk is a sign of life; a kiosk silent for the heartbeat deadline (on the
 * twin's clock) goes offline. Connectivity, faults and content mode are persisted events; heartbeats
 * and usage counters are measurements, folded into memory and sent to the telemetry history. A
 * content mode is persisted, then sent to the device as the command {@code set-content-mode}; the
 * device's ack marks it applied (or refused), and an unacknowledged command is sent again.
 *
 * <p>What one kiosk twin holds is counted, as for the parking bay (see its class comment and "Heap per
 * idle twin" in docs/benchmarks.md): the restart strategy, the retention and the event handler are made
 * once, the id's strings are the site model's, the ref that wakes a passivated kiosk is built only when
 * the heartbeat deadline is armed, and the command handler is one hand-written method rather than
 * Pekko's handler builder, which would build its cases again for every kiosk.
 */
public final class Kiosk extends EventSourcedBehaviorWithEnforcedReplies<Kiosk.Command, Kiosk.Event, Kiosk.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Kiosk");
  /** The device command that sets the content mode; its data is {@code {"mode": "<wire name>"}}. */
  public static final String SET_CONTENT_MODE = "set-content-mode";
  static final String COMMAND_ID_PREFIX = "content-mode-";
  static final String OFFLINE = "offline";
  static final String CONTENT_MODE_REFUSED = "content-mode-refused";
  private static final RetentionCriteria RETENTION = RetentionCriteria.snapshotEvery(100, 2);
  private static final BackoffSupervisorStrategy ON_PERSIST_FAILURE =
      SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2);

  public enum Connectivity {
    /** Never heard from since the twin has known it. */
    UNKNOWN,
    ONLINE,
    OFFLINE
  }

  /** A part of the kiosk that can fail; each has its alarm {@code fault-<wire name>}. */
  public enum Component {
    PRINTER("printer", Severity.LOW),
    SCREEN("screen", Severity.HIGH),
    NETWORK("network", Severity.MEDIUM);

    private final String wireName;
    private final Severity severity;

    Component(String wireName, Severity severity) {
      this.wireName = wireName;
      this.severity = severity;
    }

    public String wireName() {
      return wireName;
    }

    public Severity severity() {
      return severity;
    }

    public String condition() {
      return "fault-" + wireName;
    }

    public static Optional<Component> fromWireName(String name) {
      return Arrays.stream(values()).filter(c -> c.wireName.equals(name)).findFirst();
    }
  }

  /** What the kiosk shows (M §5.2.3: wayfinding and merchant information, promotions, evacuation guidance). */
  public enum ContentMode {
    NORMAL("normal"),
    PROMOTION("promotion"),
    EVACUATION_GUIDANCE("evacuation-guidance");

    private final String wireName;

    ContentMode(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    public static Optional<ContentMode> fromWireName(String name) {
      return Arrays.stream(values()).filter(m -> m.wireName.equals(name)).findFirst();
    }
  }

  /** Where the last content-mode command stands at the device. */
  public enum Delivery {
    PENDING,
    APPLIED,
    REFUSED
  }

  /** Usage counters a kiosk reports, each the number since its previous report. */
  public enum Counter {
    SESSIONS("sessions"),
    PRINTS("prints"),
    WAYFINDING_QUERIES("wayfindingQueries"),
    MERCHANT_QUERIES("merchantQueries"),
    AD_IMPRESSIONS("adImpressions");

    private final String wireName;

    Counter(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    public static String wireNames() {
      return String.join(", ", Arrays.stream(values()).map(Counter::wireName).toList());
    }
  }

  public sealed interface Command extends CborSerializable {}

  /** Telemetry: a heartbeat and/or usage counts since the last report, measured at {@code at} (device time). */
  public record Report(boolean heartbeat, Map<Counter, Long> usage, Instant at, ActorRef<StatusReply<View>> replyTo)
      implements Command {
    public Report {
      usage = usage == null ? Map.of() : Map.copyOf(usage);
    }
  }

  /** The device's {@code fault} event: {@code component} failed ({@code active}) or recovered. */
  public record ReportFault(Component component, boolean active, String detail, Instant at,
      ActorRef<StatusReply<View>> replyTo) implements Command {}

  /** An operator (or the evacuation drill) sets what the kiosk shows. */
  public record SetContentMode(ContentMode mode, String by, ActorRef<StatusReply<View>> replyTo) implements Command {}

  /** The device's ack of command {@code ref}: {@code ok}, or refused with {@code reason}. */
  public record DeviceAck(String ref, boolean ok, String reason, Instant at, ActorRef<StatusReply<View>> replyTo)
      implements Command {}

  public record GetState(ActorRef<View> replyTo) implements Command {}

  // The heartbeat deadline's timer, sent through sharding (it must wake a passivated kiosk): package-private.
  record HeartbeatDue(Instant seen) implements Command {}

  public sealed interface Event extends CborSerializable {
    Instant at();
  }

  public record CameOnline(Instant at) implements Event {}

  /** Nothing from the kiosk since {@code lastSeen}: offline from {@code at}, when the deadline passed. */
  public record WentOffline(Instant lastSeen, Instant at) implements Event {}

  public record FaultRaised(Component component, String detail, Instant at) implements Event {}

  public record FaultCleared(Component component, Instant at) implements Event {}

  /** Mode {@code mode} was set; it goes to the device as command {@code content-mode-<seq>}. */
  public record ContentModeSet(ContentMode mode, long seq, String by, Instant at) implements Event {}

  public record ContentModeApplied(long seq, Instant at) implements Event {}

  public record ContentModeRefused(long seq, String reason, Instant at) implements Event {}

  public record Fault(Component component, String detail, Instant since) implements CborSerializable {}

  /**
   * The persisted state. {@code faults} holds at most one entry per component, in component order;
   * {@code refusal} is the device's reason for refusing a mode, kept until it applies one.
   */
  public record State(Connectivity connectivity, Instant connectivitySince, List<Fault> faults, ContentMode mode,
      long modeSeq, String modeBy, Instant modeSetAt, Delivery delivery, String refusal, Instant deliveryAt)
      implements CborSerializable {
    static final State INITIAL = new State(Connectivity.UNKNOWN, null, List.of(), ContentMode.NORMAL, 0, null, null,
        Delivery.APPLIED, null, null);

    public State {
      faults = faults == null ? List.of() : List.copyOf(faults);
    }

    public Optional<Fault> fault(Component c) {
      return faults.stream().filter(f -> f.component() == c).findFirst();
    }

    public String commandId() {
      return modeSeq == 0 ? null : COMMAND_ID_PREFIX + modeSeq;
    }

    State apply(Event e) {
      if (e instanceof CameOnline o) return connectivity(Connectivity.ONLINE, o.at());
      if (e instanceof WentOffline o) return connectivity(Connectivity.OFFLINE, o.at());
      if (e instanceof FaultRaised f) {
        List<Fault> next = new ArrayList<>(faults);
        next.removeIf(x -> x.component() == f.component());
        next.add(new Fault(f.component(), f.detail(), f.at()));
        next.sort(Comparator.comparing(Fault::component));
        return withFaults(next);
      }
      if (e instanceof FaultCleared f) {
        List<Fault> next = new ArrayList<>(faults);
        next.removeIf(x -> x.component() == f.component());
        return withFaults(next);
      }
      if (e instanceof ContentModeSet m) {
        // A refusal stands until the kiosk applies a mode: a retry does not undo it.
        return new State(connectivity, connectivitySince, faults, m.mode(), m.seq(), m.by(), m.at(), Delivery.PENDING,
            refusal, null);
      }
      if (e instanceof ContentModeApplied a) return delivery(Delivery.APPLIED, null, a.at());
      if (e instanceof ContentModeRefused r) return delivery(Delivery.REFUSED, r.reason(), r.at());
      throw new IllegalStateException("unknown kiosk event " + e);
    }

    private State connectivity(Connectivity c, Instant at) {
      return new State(c, at, faults, mode, modeSeq, modeBy, modeSetAt, delivery, refusal, deliveryAt);
    }

    private State withFaults(List<Fault> f) {
      return new State(connectivity, connectivitySince, f, mode, modeSeq, modeBy, modeSetAt, delivery, refusal, deliveryAt);
    }

    private State delivery(Delivery d, String why, Instant at) {
      return new State(connectivity, connectivitySince, faults, mode, modeSeq, modeBy, modeSetAt, d, why, at);
    }
  }

  /**
   * What the control room sees: the persisted state, when the kiosk was last heard from, and the usage
   * counted since {@code usageSince} (in memory: since this twin was last started; the full series is
   * in the telemetry history).
   */
  public record View(String site, String kioskId, String zone, Connectivity connectivity, Instant since,
      Instant lastSeenAt, List<Fault> faults, ContentMode contentMode, Delivery contentDelivery, String contentCommandId,
      String contentSetBy, Instant contentSetAt, String contentRefusal, Map<String, Long> usage, Instant usageSince)
      implements CborSerializable {}

  public static EntityKind<Command> kind(KioskSettings settings) {
    return new EntityKind<>(AssetKind.KIOSK, ENTITY_KEY, (id, services) -> create(id, services, settings));
  }

  public static Behavior<Command> create(AssetId id, TwinServices services, KioskSettings settings) {
    Site site = services.sites().site(id.site())
        .orElseThrow(() -> new IllegalArgumentException("no kiosk " + id + " in the site model"));
    atrium.core.site.Kiosk kiosk = site.kiosk(id.localId())
        .orElseThrow(() -> new IllegalArgumentException("no kiosk " + id + " in the site model"));
    // The same id made of the site model's strings, which every kiosk shares, not of the entity id's copies.
    AssetId shared = AssetId.of(site.id(), AssetKind.KIOSK, kiosk.id());
    return Behaviors.setup(ctx -> new Kiosk(shared, kiosk, services, settings, ctx.getSelf()));
  }

  private final AssetId id;
  private final atrium.core.site.Kiosk kiosk;
  private final TwinServices services;
  private final TwinClock clock;
  private final KioskSettings settings;
  private final ActorRef<Command> self;
  // Signs of life and usage are measurements: in memory (and the history), never in the journal.
  private Instant lastSeen;
  private Instant deadlineArmedFor;
  private Instant commandSentAt;
  private long[] usage;
  private Instant usageSince;

  private Kiosk(AssetId id, atrium.core.site.Kiosk kiosk, TwinServices services, KioskSettings settings,
      ActorRef<Command> self) {
    super(PersistenceId.of(ENTITY_KEY.name(), id.entityId()), ON_PERSIST_FAILURE);
    this.id = id;
    this.kiosk = kiosk;
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
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::onRecovered).build();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return this::onCommand;
  }

  private ReplyEffect<Event, State> onCommand(State state, Command command) {
    if (command instanceof Report c) return onReport(state, c);
    if (command instanceof ReportFault c) return onReportFault(state, c);
    if (command instanceof SetContentMode c) return onSetContentMode(state, c);
    if (command instanceof DeviceAck c) return onDeviceAck(state, c);
    if (command instanceof GetState c) return Effect().reply(c.replyTo(), view(state));
    if (command instanceof HeartbeatDue c) return onHeartbeatDue(state, c);
    throw new IllegalArgumentException("a kiosk has no command " + command.getClass().getName());
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return State::apply;
  }

  private ReplyEffect<Event, State> onReport(State state, Report cmd) {
    for (var count : cmd.usage().entrySet()) {
      if (count.getValue() == null || count.getValue() < 0) {
        return reject(cmd.replyTo(), "usage count " + count.getKey().wireName() + " must be 0 or more, was " + count.getValue());
      }
    }
    if (!cmd.heartbeat() && cmd.usage().isEmpty()) {
      return reject(cmd.replyTo(), "a kiosk report is a heartbeat, usage counts, or both");
    }
    if (cmd.heartbeat()) services.history().record(TelemetryPoint.of(id, cmd.at(), "heartbeat", true));
    if (!cmd.usage().isEmpty()) {
      if (usage == null) {
        usage = new long[Counter.values().length];
        usageSince = clock.now();
      }
      cmd.usage().forEach((counter, n) -> {
        usage[counter.ordinal()] += n;
        services.history().record(TelemetryPoint.of(id, cmd.at(), counter.wireName(), n));
      });
    }
    return withSignOfLife(state, null, cmd.replyTo());
  }

  private ReplyEffect<Event, State> onReportFault(State state, ReportFault cmd) {
    if (cmd.component() == null) return reject(cmd.replyTo(), "a fault names its component: printer, screen or network");
    boolean present = state.fault(cmd.component()).isPresent();
    Event change = null;
    if (cmd.active() && !present) change = new FaultRaised(cmd.component(), cmd.detail(), clock.now());
    if (!cmd.active() && present) change = new FaultCleared(cmd.component(), clock.now());
    return withSignOfLife(state, change, cmd.replyTo());
  }

  private ReplyEffect<Event, State> onSetContentMode(State state, SetContentMode cmd) {
    if (cmd.mode() == null) return reject(cmd.replyTo(), "a content mode is normal, promotion or evacuation guidance");
    if (cmd.by() == null || cmd.by().isBlank()) return reject(cmd.replyTo(), "setting a kiosk's content mode needs who sets it");
    if (cmd.by().length() > 100) return reject(cmd.replyTo(), "who sets a content mode is at most 100 characters");
    if (cmd.mode() == state.mode() && state.delivery() != Delivery.REFUSED) {
      // Already the kiosk's mode: nothing to persist; a request while it is pending is a retry.
      if (state.delivery() == Delivery.PENDING) sendContentMode(state);
      return Effect().reply(cmd.replyTo(), StatusReply.success(view(state)));
    }
    return persist(state, List.of(new ContentModeSet(cmd.mode(), state.modeSeq() + 1, cmd.by(), clock.now())), cmd.replyTo());
  }

  private ReplyEffect<Event, State> onDeviceAck(State state, DeviceAck cmd) {
    long seq = commandSeq(cmd.ref());
    if (seq < 1 || seq > state.modeSeq()) {
      signOfLife();
      return reject(cmd.replyTo(), "kiosk " + id.localId() + " acknowledged '" + cmd.ref() + "', a command the twin never sent it");
    }
    Event change = null;
    if (seq == state.modeSeq() && state.delivery() == Delivery.PENDING) {
      // A late or repeated ack of an older command changes nothing.
      change = cmd.ok() ? new ContentModeApplied(seq, clock.now())
          : new ContentModeRefused(seq, cmd.reason() == null || cmd.reason().isBlank() ? "no reason given" : cmd.reason(), clock.now());
    }
    return withSignOfLife(state, change, cmd.replyTo());
  }

  /** The kiosk said something: it is alive (and online, persisted if it was not), then {@code change} if any. */
  private ReplyEffect<Event, State> withSignOfLife(State state, Event change, ActorRef<StatusReply<View>> replyTo) {
    signOfLife();
    List<Event> events = new ArrayList<>(2);
    if (state.connectivity() != Connectivity.ONLINE) events.add(new CameOnline(clock.now()));
    if (change != null) events.add(change);
    if (events.isEmpty()) {
      resendIfDue(state);
      return Effect().reply(replyTo, StatusReply.success(view(state)));
    }
    return persist(state, events, replyTo);
  }

  private ReplyEffect<Event, State> onHeartbeatDue(State state, HeartbeatDue due) {
    if (due.seen().equals(deadlineArmedFor)) deadlineArmedFor = null;
    if (state.connectivity() != Connectivity.ONLINE) return Effect().noReply();
    Instant seen = lastSeen != null && lastSeen.isAfter(due.seen()) ? lastSeen : due.seen();
    if (clock.now().isBefore(seen.plus(settings.heartbeatDeadline()))) {
      armDeadline(seen);
      return Effect().noReply();
    }
    List<Event> offline = List.of(new WentOffline(seen, seen.plus(settings.heartbeatDeadline())));
    return Effect().persist(offline).thenRun(s -> afterPersist(state, offline, s)).thenNoReply();
  }

  private ReplyEffect<Event, State> persist(State before, List<Event> events, ActorRef<StatusReply<View>> replyTo) {
    return Effect().persist(events)
        .thenRun(s -> afterPersist(before, events, s))
        .thenReply(replyTo, s -> StatusReply.success(view(s)));
  }

  /** Alarms, device commands and the live delta that follow stored events (never before). */
  private void afterPersist(State before, List<Event> events, State after) {
    Instant now = clock.now();
    for (Event e : events) {
      if (e instanceof CameOnline) {
        commandSentAt = null; // whatever it missed while away is sent again at once
        if (before.connectivity() == Connectivity.OFFLINE) services.alarms().clear(id, OFFLINE, now);
      }
      if (e instanceof WentOffline w) raiseOffline(after, w.lastSeen());
      if (e instanceof FaultRaised f) raiseFault(after.fault(f.component()).orElseThrow());
      if (e instanceof FaultCleared f) services.alarms().clear(id, f.component().condition(), now);
      if (e instanceof ContentModeSet) commandSentAt = null;
      if (e instanceof ContentModeApplied && before.refusal() != null) {
        services.alarms().clear(id, CONTENT_MODE_REFUSED, now);
      }
      if (e instanceof ContentModeRefused) raiseRefused(after);
    }
    resendIfDue(after);
    services.deltas().publish(id, view(after));
  }

  private void onRecovered(State state) {
    // Alarms are fire-and-forget: re-report what is still active.
    if (state.connectivity() == Connectivity.OFFLINE) raiseOffline(state, null);
    state.faults().forEach(this::raiseFault);
    if (state.refusal() != null) raiseRefused(state);
    // A timer from before a passivation may be on its way; this one covers a node that crashed.
    if (state.connectivity() == Connectivity.ONLINE) armDeadline(clock.now());
  }

  private void signOfLife() {
    lastSeen = clock.now();
    armDeadline(lastSeen);
  }

  /** One deadline timer at a time; when it falls due it re-arms itself from the latest sign of life. */
  private void armDeadline(Instant seen) {
    if (deadlineArmedFor != null) return;
    deadlineArmedFor = seen;
    Duration left = Duration.between(clock.now(), seen.plus(settings.heartbeatDeadline()));
    // Through sharding, so that a passivated kiosk is woken to go offline.
    RecipientRef<Command> wake = services.wakeRef(ENTITY_KEY, id, self);
    clock.schedule(left, () -> wake.tell(new HeartbeatDue(seen)));
  }

  private void resendIfDue(State state) {
    if (state.delivery() != Delivery.PENDING) return;
    if (state.connectivity() == Connectivity.OFFLINE && commandSentAt != null) return;
    if (commandSentAt == null || !clock.now().isBefore(commandSentAt.plus(settings.commandRetry()))) sendContentMode(state);
  }

  private void sendContentMode(State state) {
    commandSentAt = clock.now();
    var data = Json.MAPPER.createObjectNode().put("mode", state.mode().wireName());
    services.commands().send(new Envelope.Command(state.commandId(), id, commandSentAt, SET_CONTENT_MODE, data));
  }

  private void raiseOffline(State state, Instant lastSeen) {
    boolean guiding = state.mode() == ContentMode.EVACUATION_GUIDANCE;
    String since = lastSeen == null ? "" : " since " + lastSeen;
    services.alarms().raise(id, OFFLINE, guiding ? Severity.HIGH : Severity.MEDIUM,
        "kiosk " + id.localId() + " in zone " + kiosk.zone() + " has sent nothing" + since
            + (guiding ? " while it should show evacuation guidance" : ""), clock.now());
  }

  private void raiseFault(Fault f) {
    services.alarms().raise(id, f.component().condition(), f.component().severity(),
        "kiosk " + id.localId() + " in zone " + kiosk.zone() + ": " + f.component().wireName() + " fault"
            + (f.detail() == null ? "" : " (" + f.detail() + ")"), clock.now());
  }

  private void raiseRefused(State state) {
    boolean guiding = state.mode() == ContentMode.EVACUATION_GUIDANCE;
    services.alarms().raise(id, CONTENT_MODE_REFUSED, guiding ? Severity.HIGH : Severity.MEDIUM,
        "kiosk " + id.localId() + " refused content mode " + state.mode().wireName() + ": " + state.refusal(), clock.now());
  }

  private static long commandSeq(String ref) {
    if (ref == null || !ref.startsWith(COMMAND_ID_PREFIX)) return -1;
    try {
      return Long.parseLong(ref.substring(COMMAND_ID_PREFIX.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private ReplyEffect<Event, State> reject(ActorRef<StatusReply<View>> replyTo, String reason) {
    return Effect().reply(replyTo, StatusReply.error(reason));
  }

  private View view(State s) {
    Map<String, Long> counts = new LinkedHashMap<>();
    if (usage != null) for (Counter c : Counter.values()) counts.put(c.wireName(), usage[c.ordinal()]);
    return new View(id.site(), id.localId(), kiosk.zone(), s.connectivity(), s.connectivitySince(), lastSeen, s.faults(),
        s.mode(), s.delivery(), s.commandId(), s.modeBy(), s.modeSetAt(), s.refusal(), counts, usageSince);
  }
}
