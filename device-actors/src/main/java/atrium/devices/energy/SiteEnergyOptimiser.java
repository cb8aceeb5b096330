package atrium.devices.energy;

import atrium.core.CborSerializable;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.TwinClock;
import atrium.core.control.OccupancyForecast;
import atrium.core.history.TelemetryHistory;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Site;
import atrium.devices.hvac.HvacZone;
import atrium.devices.hvac.HvacZone.Mode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The site energy optimiser of issue 6 (entity id: the site): every {@code tick} of the twin's clock
 * it reads the site's HVAC zones and decides, for the site as a whole, what no zone can — pre-cooling
 * before a peak tariff period in the cheapest price × carbon window, a site peak-demand limit kept by
 * raising cooling setpoints within the comfort band in an order that spreads the discomfort, and
 * smoke control of every zone during an evacuation. It learns an occupancy forecast from the twin's
 * telemetry history ({@link OccupancyForecast}) to plan ahead. Every decision is a persisted
 * {@link DecisionTaken} with its reason and expected effect, and only then sent to the zone as a
 * {@link HvacZone.SetSetpoints} / {@link HvacZone.SetMode} / {@link HvacZone.ClearSmokeControl}.
 * Engineers may suspend the optimiser or a zone, fix a zone's setpoints, and set the demand limit.
 * See {@code docs/energy-optimiser.md}.
 */
public final class SiteEnergyOptimiser
    extends EventSourcedBehaviorWithEnforcedReplies<SiteEnergyOptimiser.Command, SiteEnergyOptimiser.Event, SiteEnergyOptimiser.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "SiteEnergyOptimiser");
  /** Who the zones see setting their setpoints and modes. */
  public static final String BY = "energy-optimiser";
  /** Site forecast hours shown in the status. */
  static final int FORECAST_HOURS = 4;

  private static final Logger log = LoggerFactory.getLogger(SiteEnergyOptimiser.class);

  /** What a decision does to a zone. */
  public enum Action {
    /** Cooling setpoint lowered within the band ahead of a peak tariff period. */
    PRE_COOL,
    /** The peak began or the pre-cooling window passed: back to the zone's own setpoint. */
    PRE_COOL_END,
    /** Site demand over the limit: cooling setpoint raised a step, within the band. */
    RELAX,
    /** Site demand back under the limit with margin: a relaxed setpoint lowered a step. */
    RESTORE,
    /** The zone or the optimiser was suspended: the zone's own setpoints handed back. */
    HAND_BACK,
    /** Someone else changed setpoints the optimiser held: it lets the zone go. */
    RELEASE,
    /** An engineer's fixed setpoints applied. */
    OVERRIDE,
    /** Evacuation: the zone put in smoke control. */
    SMOKE_CONTROL,
    /** Evacuation over: the zone's smoke control (that the optimiser began) cleared. */
    SMOKE_CLEARED
  }

  /** A zone's mode and setpoints, before or after a decision. */
  public record Setting(Mode mode, double heating, double cooling) implements CborSerializable {}

  // ---- commands

  public sealed interface Command extends CborSerializable {}

  /** Time to read the zones and decide; also wakes the entity (through sharding). */
  enum Tick implements Command {
    INSTANCE
  }

  /** Wakes the entity at a node's start (it then ticks); decides nothing by itself. */
  enum Wake implements Command {
    INSTANCE
  }

  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  /** The newest decisions first, at most {@code limit}, of one zone or (null) all. */
  public record GetDecisions(String zone, int limit, ActorRef<Decisions> replyTo) implements Command {}

  /** An engineer suspends or resumes the optimiser and/or sets the demand limit (kW, 0: none); null leaves it. */
  public record Configure(Boolean suspended, Double demandLimitKw, String by, ActorRef<StatusReply<Status>> replyTo)
      implements Command {}

  /**
   * An engineer suspends a zone (the optimiser leaves it alone) and/or fixes its setpoints (the
   * optimiser applies and keeps them); replaces what was set for the zone before.
   */
  public record SetZoneControl(String zone, boolean suspended, Double heating, Double cooling, String by,
      ActorRef<StatusReply<Status>> replyTo) implements Command {}

  public record ClearZoneControl(String zone, String by, ActorRef<StatusReply<Status>> replyTo) implements Command {}

  /** Evacuation or smoke event: every zone to smoke control, over everything else, until cleared. */
  public record DeclareEvacuation(String reason, String by, ActorRef<StatusReply<Status>> replyTo) implements Command {}

  public record ClearEvacuation(String by, ActorRef<StatusReply<Status>> replyTo) implements Command {}

  // Local to this actor (pipeToSelf): never serialized.
  private record ZonesRead(List<ZoneReading> zones, Throwable failure) implements Command {}

  /** The commands of the last decisions have been answered: read again if asked to meanwhile. */
  private enum Sent implements Command {
    INSTANCE
  }

  private record ForecastLearnt(OccupancyForecast forecast, LocalDate day, Instant at, Throwable failure) implements Command {}

  // ---- events

  public sealed interface Event extends CborSerializable {
    Instant at();
  }

  /** One decision: what was done to which zone, from what to what, why, and the power change expected (kW, + more). */
  public record DecisionTaken(String zone, Action action, Setting from, Setting to, String reason, double expectedKw,
      Instant at) implements Event {}

  public record OptimiserSuspended(String by, Instant at) implements Event {}

  public record OptimiserResumed(String by, Instant at) implements Event {}

  public record DemandLimitSet(double kw, String by, Instant at) implements Event {}

  public record ZoneControlSet(String zone, boolean suspended, Double heating, Double cooling, String by, Instant at)
      implements Event {}

  public record ZoneControlCleared(String zone, String by, Instant at) implements Event {}

  public record EvacuationDeclared(String reason, String by, Instant at) implements Event {}

  public record EvacuationCleared(String by, Instant at) implements Event {}

  // ---- state

  /** A zone whose cooling setpoint the optimiser holds away from the zone's own ({@code base}). */
  public record Held(double baseHeating, double baseCooling, double cooling, Instant lastRelaxedAt) implements CborSerializable {}

  /** An engineer's hold on a zone: suspended, and/or fixed setpoints (both or neither). */
  public record ZoneControl(boolean suspended, Double heating, Double cooling, String by, Instant since)
      implements CborSerializable {
    boolean overrides() {
      return heating != null && cooling != null;
    }
  }

  public record Evacuation(String reason, String by, Instant since) implements CborSerializable {}

  /**
   * The persisted state. {@code demandLimitKw} null: the configured default; 0: none. Decisions are
   * the newest {@code max-decisions}, oldest first; {@code decisionCount} counts all ever taken.
   */
  public record State(boolean suspended, String suspendedBy, Instant suspendedSince, Double demandLimitKw,
      Evacuation evacuation, Map<String, Held> held, Map<String, ZoneControl> controls, List<String> smokeZones,
      List<DecisionTaken> decisions, long decisionCount) implements CborSerializable {
    static final State EMPTY = new State(false, null, null, null, null, Map.of(), Map.of(), List.of(), List.of(), 0);

    State apply(Event e, int maxDecisions) {
      if (e instanceof DecisionTaken d) return decided(d, maxDecisions);
      if (e instanceof OptimiserSuspended s) {
        return new State(true, s.by(), s.at(), demandLimitKw, evacuation, held, controls, smokeZones, decisions, decisionCount);
      }
      if (e instanceof OptimiserResumed) {
        return new State(false, null, null, demandLimitKw, evacuation, held, controls, smokeZones, decisions, decisionCount);
      }
      if (e instanceof DemandLimitSet l) {
        return new State(suspended, suspendedBy, suspendedSince, l.kw(), evacuation, held, controls, smokeZones, decisions,
            decisionCount);
      }
      if (e instanceof ZoneControlSet c) {
        Map<String, ZoneControl> m = new TreeMap<>(controls);
        m.put(c.zone(), new ZoneControl(c.suspended(), c.heating(), c.cooling(), c.by(), c.at()));
        return new State(suspended, suspendedBy, suspendedSince, demandLimitKw, evacuation, held, Map.copyOf(m), smokeZones,
            decisions, decisionCount);
      }
      if (e instanceof ZoneControlCleared c) {
        Map<String, ZoneControl> m = new TreeMap<>(controls);
        m.remove(c.zone());
        return new State(suspended, suspendedBy, suspendedSince, demandLimitKw, evacuation, held, Map.copyOf(m), smokeZones,
            decisions, decisionCount);
      }
      if (e instanceof EvacuationDeclared d) {
        return new State(suspended, suspendedBy, suspendedSince, demandLimitKw, new Evacuation(d.reason(), d.by(), d.at()),
            held, controls, smokeZones, decisions, decisionCount);
      }
      if (e instanceof EvacuationCleared) {
        return new State(suspended, suspendedBy, suspendedSince, demandLimitKw, null, held, controls, smokeZones, decisions,
            decisionCount);
      }
      throw new IllegalArgumentException("unknown event " + e);
    }

    private State decided(DecisionTaken d, int maxDecisions) {
      Map<String, Held> h = new TreeMap<>(held);
      List<String> smoke = new ArrayList<>(smokeZones);
      switch (d.action()) {
        case SMOKE_CONTROL:
          if (!smoke.contains(d.zone())) smoke.add(d.zone());
          break;
        case SMOKE_CLEARED:
          smoke.remove(d.zone());
          break;
        case RELEASE:
        case OVERRIDE:
          h.remove(d.zone());
          break;
        default:
          Held was = h.get(d.zone());
          double baseHeating = was != null ? was.baseHeating() : d.from().heating();
          double baseCooling = was != null ? was.baseCooling() : d.from().cooling();
          if (Math.abs(d.to().cooling() - baseCooling) < 1e-9 && Math.abs(d.to().heating() - baseHeating) < 1e-9) {
            h.remove(d.zone());
          } else {
            Instant relaxed = d.action() == Action.RELAX ? d.at() : was != null ? was.lastRelaxedAt() : null;
            h.put(d.zone(), new Held(baseHeating, baseCooling, d.to().cooling(), relaxed));
          }
      }
      List<DecisionTaken> kept = new ArrayList<>(Math.min(maxDecisions, decisions.size() + 1));
      int skip = Math.max(0, decisions.size() + 1 - maxDecisions);
      for (int i = skip; i < decisions.size(); i++) kept.add(decisions.get(i));
      if (maxDecisions > 0) kept.add(d);
      return new State(suspended, suspendedBy, suspendedSince, demandLimitKw, evacuation, Map.copyOf(h), controls,
          List.copyOf(smoke), List.copyOf(kept), decisionCount + 1);
    }
  }

  // ---- replies

  /** The pre-cooling plan for the next (or current) peak tariff period: pre-cool from {@code from} to {@code peakFrom}. */
  public record PreCoolWindow(Instant from, Instant peakFrom, Instant peakTo, double peakPrice, double windowPrice,
      double windowCarbon, boolean active) implements CborSerializable {}

  public record ForecastPoint(Instant at, double people) implements CborSerializable {}

  /** The occupancy forecast: learnt when, from how many days and zones; the site's people for the next hours. */
  public record ForecastSummary(Instant learntAt, int days, int zones, long observations, List<ForecastPoint> next)
      implements CborSerializable {}

  public record ZoneControlView(String zone, boolean suspended, Double heating, Double cooling, String by, Instant since)
      implements CborSerializable {}

  public record HeldView(String zone, double baseCooling, double cooling, Instant lastRelaxedAt) implements CborSerializable {}

  /**
   * The control room's view. {@code mode}: {@code active}, {@code suspended}, {@code evacuation}.
   * {@code siteDemandKw}: the sum of the zones' reported power at the last tick.
   */
  public record Status(String site, String mode, String suspendedBy, Instant suspendedSince, double demandLimitKw,
      Double siteDemandKw, Instant lastEvaluatedAt, double tariffPrice, boolean tariffPeak, double carbonIntensity,
      PreCoolWindow preCool, ForecastSummary forecast, List<ZoneControlView> zones, List<HeldView> held,
      Evacuation evacuation, long decisions) implements CborSerializable {}

  public record Decisions(String site, long total, List<DecisionTaken> decisions) implements CborSerializable {}

  // ---- the zones, as the optimiser reaches them

  /** How the optimiser reads and commands its site's HVAC zones (sharded entities; a fake in tests). */
  public interface Zones {
    CompletionStage<List<ZoneReading>> read();

    CompletionStage<?> setSetpoints(String zone, double heating, double cooling, String by);

    CompletionStage<?> setMode(String zone, Mode mode, String by);

    CompletionStage<?> clearSmokeControl(String zone, String by);

    static Zones sharded(TwinServices services, Site site) {
      return new Zones() {
        @Override
        public CompletionStage<List<ZoneReading>> read() {
          List<CompletableFuture<ZoneReading>> asks = new ArrayList<>();
          for (atrium.core.site.HvacZone z : site.devices().hvacZones()) {
            asks.add(zone(z.id()).ask(HvacZone.GetState::new, services.askTimeout()).thenApply(ZoneReading::of)
                .exceptionally(e -> null).toCompletableFuture());
          }
          return CompletableFuture.allOf(asks.toArray(new CompletableFuture[0])).thenApply(v -> {
            List<ZoneReading> out = new ArrayList<>(asks.size());
            for (CompletableFuture<ZoneReading> a : asks) if (a.join() != null) out.add(a.join());
            return out;
          });
        }

        @Override
        public CompletionStage<?> setSetpoints(String zone, double heating, double cooling, String by) {
          return zone(zone).<HvacZone.View>askWithStatus(r -> new HvacZone.SetSetpoints(heating, cooling, by, r), services.askTimeout());
        }

        @Override
        public CompletionStage<?> setMode(String zone, Mode mode, String by) {
          return zone(zone).<HvacZone.View>askWithStatus(r -> new HvacZone.SetMode(mode, by, r), services.askTimeout());
        }

        @Override
        public CompletionStage<?> clearSmokeControl(String zone, String by) {
          return zone(zone).<HvacZone.View>askWithStatus(r -> new HvacZone.ClearSmokeControl(by, r), services.askTimeout());
        }

        private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<HvacZone.Command> zone(String id) {
          return services.entityRef(HvacZone.ENTITY_KEY, AssetId.of(site.id(), AssetKind.HVAC_ZONE, id));
        }
      };
    }
  }

  // ---- creation

  public static Behavior<Command> create(String siteId, TwinServices services, EnergySettings settings) {
    Site site = services.sites().site(siteId).orElseThrow(() -> new IllegalArgumentException("no site " + siteId));
    return create(site, services, settings, Zones.sharded(services, site));
  }

  public static Behavior<Command> create(Site site, TwinServices services, EnergySettings settings, Zones zones) {
    return Behaviors.setup(ctx -> new SiteEnergyOptimiser(ctx, site, services, settings, zones));
  }

  private final ActorContext<Command> ctx;
  private final Site site;
  private final ZoneId timezone;
  private final TwinServices services;
  private final TwinClock clock;
  private final EnergySettings settings;
  private final Zones zones;
  private final RecipientRef<Command> wake;

  private TwinClock.Scheduled tickTimer;
  private Instant lastTickAt;
  private boolean reading;
  private boolean readAgain;
  private Double siteDemandKw;
  private Instant lastEvaluatedAt;
  private OccupancyForecast forecast;
  private Instant forecastLearntAt;
  private LocalDate forecastDay;
  private boolean learning;

  private SiteEnergyOptimiser(ActorContext<Command> ctx, Site site, TwinServices services, EnergySettings settings, Zones zones) {
    super(PersistenceId.of(ENTITY_KEY.name(), site.id()),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
    this.ctx = ctx;
    this.site = site;
    this.timezone = ZoneId.of(site.timezone() == null ? "UTC" : site.timezone());
    this.services = services;
    this.clock = services.clock();
    this.settings = settings;
    this.zones = zones;
    this.wake = services.sharding() == null ? ctx.getSelf() : services.sharding().entityRefFor(ENTITY_KEY, site.id());
    this.forecast = new OccupancyForecast(timezone, settings.forecastAlpha());
  }

  @Override
  public State emptyState() {
    return State.EMPTY;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), s -> armTick())
        .onSignal(PostStop.instance(), s -> {
          // Passivated or stopped: the next incarnation is woken by this tick, through sharding.
          if (tickTimer != null) tickTimer.cancel();
          tickTimer = null;
          if (settings.enabled() && services.sharding() != null) armTick();
        })
        .build();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Tick.class, this::onTick)
        .onCommand(Wake.class, (s, c) -> Effect().noReply())
        .onCommand(ZonesRead.class, this::onZonesRead)
        .onCommand(Sent.class, this::onSent)
        .onCommand(ForecastLearnt.class, this::onForecastLearnt)
        .onCommand(GetStatus.class, (s, c) -> Effect().reply(c.replyTo(), status(s)))
        .onCommand(GetDecisions.class, this::onGetDecisions)
        .onCommand(Configure.class, this::onConfigure)
        .onCommand(SetZoneControl.class, this::onSetZoneControl)
        .onCommand(ClearZoneControl.class, this::onClearZoneControl)
        .onCommand(DeclareEvacuation.class, this::onDeclareEvacuation)
        .onCommand(ClearEvacuation.class, this::onClearEvacuation)
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    var builder = newEventHandlerBuilder();
    int max = settings.maxDecisions();
    builder.forAnyState().onAnyEvent((s, e) -> s.apply(e, max));
    return builder.build();
  }

  // ---- the tick

  private void armTick() {
    if (!settings.enabled()) return;
    if (tickTimer != null) tickTimer.cancel();
    try {
      tickTimer = clock.schedule(settings.tick(), () -> wake.tell(Tick.INSTANCE));
    } catch (IllegalStateException e) {
      tickTimer = null; // the clock is shutting down with the node
    }
  }

  private ReplyEffect<Event, State> onTick(State state, Tick tick) {
    armTick();
    Instant now = clock.now();
    // A tick handed over by a stopped incarnation and this one's own may both arrive: one evaluation per half tick.
    if (lastTickAt != null && now.isBefore(lastTickAt.plus(settings.tick().dividedBy(2)))) return Effect().noReply();
    lastTickAt = now;
    // The first tick of a local day learns the forecast first and decides with it.
    if (!learnIfDue()) evaluate();
    return Effect().noReply();
  }

  /** Reads the zones now (or once more after the read in progress), then decides. */
  private void evaluate() {
    if (reading) {
      readAgain = true;
      return;
    }
    reading = true;
    ctx.pipeToSelf(zones.read(), (zs, e) -> new ZonesRead(zs, e));
  }

  private ReplyEffect<Event, State> onZonesRead(State state, ZonesRead read) {
    if (read.failure() != null) {
      log.warn("energy optimiser of {} could not read its zones: {}", site.id(), read.failure().toString());
      return onSent(state, Sent.INSTANCE);
    }
    Instant now = clock.now();
    double kw = 0;
    for (ZoneReading z : read.zones()) kw += z.power();
    siteDemandKw = kw;
    lastEvaluatedAt = now;
    EnergyPolicy policy = new EnergyPolicy(settings, timezone, forecast);
    List<DecisionTaken> decisions = policy.decide(state, read.zones(), now);
    resendHeld(state, read.zones());
    if (decisions.isEmpty()) return onSent(state, Sent.INSTANCE);
    return Effect().persist(new ArrayList<Event>(decisions)).thenRun(s -> {
      List<CompletableFuture<?>> sends = new ArrayList<>();
      decisions.forEach(d -> sends.add(apply(d).toCompletableFuture()));
      // The next read waits for the zones' answers, so it sees what was just decided.
      ctx.pipeToSelf(CompletableFuture.allOf(sends.toArray(new CompletableFuture[0])), (v, e) -> Sent.INSTANCE);
    }).thenNoReply();
  }

  private ReplyEffect<Event, State> onSent(State state, Sent sent) {
    reading = false;
    if (readAgain) {
      readAgain = false;
      evaluate();
    }
    return Effect().noReply();
  }

  /** A held setpoint the zone does not show yet (refused or lost): sent again, no new decision. */
  private void resendHeld(State state, List<ZoneReading> read) {
    for (ZoneReading z : read) {
      Held h = state.held().get(z.zone());
      if (h != null && BY.equals(z.setpointsBy()) && Math.abs(z.cooling() - h.cooling()) > 1e-6 && z.mode() != Mode.SMOKE_CONTROL) {
        send(zones.setSetpoints(z.zone(), z.heating(), h.cooling(), BY), z.zone(), "set-setpoints (again)");
      }
    }
  }

  /** Carries a persisted decision out: the zone's command; completes (never fails) when the zone has answered. */
  private CompletionStage<?> apply(DecisionTaken d) {
    switch (d.action()) {
      case SMOKE_CONTROL:
        return send(zones.setMode(d.zone(), Mode.SMOKE_CONTROL, BY), d.zone(), "set-mode smoke-control");
      case SMOKE_CLEARED:
        return d.from().mode() == Mode.SMOKE_CONTROL
            ? send(zones.clearSmokeControl(d.zone(), BY), d.zone(), "clear smoke control") : CompletableFuture.completedFuture(null);
      case RELEASE:
        return CompletableFuture.completedFuture(null);
      default:
        return send(zones.setSetpoints(d.zone(), d.to().heating(), d.to().cooling(), BY), d.zone(), "set-setpoints");
    }
  }

  private CompletionStage<?> send(CompletionStage<?> sent, String zone, String what) {
    return sent.handle((v, e) -> {
      if (e != null) log.warn("energy optimiser of {}: {} to zone {} failed: {}", site.id(), what, zone, e.toString());
      return null;
    });
  }

  // ---- the forecast

  /**
   * Learns the forecast from the history once per local day (on the first tick of each day); true
   * while learning, and the zones are read when it is done.
   */
  private boolean learnIfDue() {
    LocalDate today = clock.now().atZone(timezone).toLocalDate();
    if (learning) return true;
    if (today.equals(forecastDay)) return false;
    learning = true;
    ctx.pipeToSelf(learn(services.history(), site, timezone, settings, today),
        (f, e) -> new ForecastLearnt(f, today, clock.now(), e));
    return true;
  }

  /**
   * A fresh forecast from the {@code days} local days before {@code today}: each HVAC zone's recorded
   * {@code occupancy} (the people in the zones it serves), averaged per 15-minute bucket, in time order.
   */
  static CompletionStage<OccupancyForecast> learn(TelemetryHistory history, Site site, ZoneId timezone, EnergySettings settings,
      LocalDate today) {
    Instant to = today.atStartOfDay(timezone).toInstant();
    Instant from = today.minusDays(settings.forecastDays()).atStartOfDay(timezone).toInstant();
    OccupancyForecast f = new OccupancyForecast(timezone, settings.forecastAlpha());
    List<CompletableFuture<List<TelemetryHistory.Bucket>>> queries = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (atrium.core.site.HvacZone z : site.devices().hvacZones()) {
      ids.add(z.id());
      queries.add(history.downsample(AssetId.of(site.id(), AssetKind.HVAC_ZONE, z.id()), "occupancy", from, to,
          OccupancyForecast.SLOT).toCompletableFuture());
    }
    return CompletableFuture.allOf(queries.toArray(new CompletableFuture[0])).thenApply(v -> {
      for (int i = 0; i < ids.size(); i++) {
        for (TelemetryHistory.Bucket b : queries.get(i).join()) f.observe(ids.get(i), b.start(), b.mean());
      }
      return f;
    });
  }

  private ReplyEffect<Event, State> onForecastLearnt(State state, ForecastLearnt learnt) {
    learning = false;
    if (learnt.failure() != null) {
      // Decide with the forecast there is; try again at the next tick.
      log.warn("energy optimiser of {} could not learn its occupancy forecast: {}", site.id(), learnt.failure().toString());
    } else {
      forecast = learnt.forecast();
      forecastDay = learnt.day();
      forecastLearntAt = learnt.at();
    }
    evaluate();
    return Effect().noReply();
  }

  // ---- engineers' and operators' commands

  private ReplyEffect<Event, State> onConfigure(State state, Configure cmd) {
    if (blank(cmd.by())) return Effect().reply(cmd.replyTo(), StatusReply.error("who configures the optimiser (by) is required"));
    if (cmd.suspended() == null && cmd.demandLimitKw() == null) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("nothing to change: give suspended and/or demandLimitKw"));
    }
    if (cmd.demandLimitKw() != null && !(cmd.demandLimitKw() >= 0 && cmd.demandLimitKw() <= 1_000_000)) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(
          "the demand limit must be 0 (none) to 1,000,000 kW, not " + cmd.demandLimitKw()));
    }
    Instant now = clock.now();
    List<Event> events = new ArrayList<>();
    if (cmd.suspended() != null && cmd.suspended() != state.suspended()) {
      events.add(cmd.suspended() ? new OptimiserSuspended(cmd.by(), now) : new OptimiserResumed(cmd.by(), now));
    }
    if (cmd.demandLimitKw() != null && !cmd.demandLimitKw().equals(state.demandLimitKw())) {
      events.add(new DemandLimitSet(cmd.demandLimitKw(), cmd.by(), now));
    }
    if (events.isEmpty()) return Effect().reply(cmd.replyTo(), StatusReply.success(status(state)));
    return Effect().persist(events).thenRun(s -> evaluate()).thenReply(cmd.replyTo(), s -> StatusReply.success(status(s)));
  }

  private ReplyEffect<Event, State> onSetZoneControl(State state, SetZoneControl cmd) {
    String error = zoneError(cmd.zone(), cmd.by());
    if (error == null) error = EnergyPolicy.overrideError(cmd.heating(), cmd.cooling(), settings);
    if (error == null && !cmd.suspended() && cmd.heating() == null) {
      error = "give suspended: true and/or fixed setpoints; to clear the zone's control, delete it";
    }
    if (error != null) return Effect().reply(cmd.replyTo(), StatusReply.error(error));
    ZoneControl now = state.controls().get(cmd.zone());
    if (now != null && now.suspended() == cmd.suspended() && java.util.Objects.equals(now.heating(), cmd.heating())
        && java.util.Objects.equals(now.cooling(), cmd.cooling())) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(status(state)));
    }
    return Effect().persist(new ZoneControlSet(cmd.zone(), cmd.suspended(), cmd.heating(), cmd.cooling(), cmd.by(), clock.now()))
        .thenRun(s -> evaluate())
        .thenReply(cmd.replyTo(), s -> StatusReply.success(status(s)));
  }

  private ReplyEffect<Event, State> onClearZoneControl(State state, ClearZoneControl cmd) {
    String error = zoneError(cmd.zone(), cmd.by());
    if (error != null) return Effect().reply(cmd.replyTo(), StatusReply.error(error));
    if (!state.controls().containsKey(cmd.zone())) return Effect().reply(cmd.replyTo(), StatusReply.success(status(state)));
    return Effect().persist(new ZoneControlCleared(cmd.zone(), cmd.by(), clock.now()))
        .thenRun(s -> evaluate())
        .thenReply(cmd.replyTo(), s -> StatusReply.success(status(s)));
  }

  private ReplyEffect<Event, State> onDeclareEvacuation(State state, DeclareEvacuation cmd) {
    if (blank(cmd.by())) return Effect().reply(cmd.replyTo(), StatusReply.error("who declares the evacuation (by) is required"));
    if (blank(cmd.reason())) return Effect().reply(cmd.replyTo(), StatusReply.error("an evacuation needs a reason"));
    if (state.evacuation() != null) return Effect().reply(cmd.replyTo(), StatusReply.success(status(state)));
    return Effect().persist(new EvacuationDeclared(cmd.reason(), cmd.by(), clock.now()))
        .thenRun(s -> evaluate())
        .thenReply(cmd.replyTo(), s -> StatusReply.success(status(s)));
  }

  private ReplyEffect<Event, State> onClearEvacuation(State state, ClearEvacuation cmd) {
    if (blank(cmd.by())) return Effect().reply(cmd.replyTo(), StatusReply.error("who clears the evacuation (by) is required"));
    if (state.evacuation() == null) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("no evacuation is declared in site " + site.id()));
    }
    return Effect().persist(new EvacuationCleared(cmd.by(), clock.now()))
        .thenRun(s -> evaluate())
        .thenReply(cmd.replyTo(), s -> StatusReply.success(status(s)));
  }

  private String zoneError(String zone, String by) {
    if (blank(by)) return "who changes the zone's control (by) is required";
    if (zone == null || site.hvacZone(zone).isEmpty()) return "no HVAC zone '" + zone + "' in site " + site.id();
    return null;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  // ---- views

  private ReplyEffect<Event, State> onGetDecisions(State state, GetDecisions cmd) {
    List<DecisionTaken> out = new ArrayList<>();
    int limit = Math.max(0, cmd.limit());
    for (int i = state.decisions().size() - 1; i >= 0 && out.size() < limit; i--) {
      DecisionTaken d = state.decisions().get(i);
      if (cmd.zone() == null || cmd.zone().equals(d.zone())) out.add(d);
    }
    return Effect().reply(cmd.replyTo(), new Decisions(site.id(), state.decisionCount(), List.copyOf(out)));
  }

  private Status status(State s) {
    Instant now = clock.now();
    EnergyPolicy policy = new EnergyPolicy(settings, timezone, forecast);
    var local = now.atZone(timezone).toLocalTime();
    EnergySettings.TariffPeriod period = settings.period(local);
    List<ForecastPoint> next = new ArrayList<>();
    Instant hour = now.atZone(timezone).withMinute(0).withSecond(0).withNano(0).toInstant();
    for (int h = 1; h <= FORECAST_HOURS; h++) {
      Instant t = hour.plus(Duration.ofHours(h));
      next.add(new ForecastPoint(t, Math.round(forecast.siteForecast(t) * 10) / 10.0));
    }
    List<ZoneControlView> controls = new ArrayList<>();
    s.controls().forEach((z, c) -> controls.add(new ZoneControlView(z, c.suspended(), c.heating(), c.cooling(), c.by(), c.since())));
    controls.sort(java.util.Comparator.comparing(ZoneControlView::zone));
    List<HeldView> held = new ArrayList<>();
    s.held().forEach((z, h) -> held.add(new HeldView(z, h.baseCooling(), h.cooling(), h.lastRelaxedAt())));
    held.sort(java.util.Comparator.comparing(HeldView::zone));
    String mode = s.evacuation() != null ? "evacuation" : s.suspended() ? "suspended" : "active";
    return new Status(site.id(), mode, s.suspendedBy(), s.suspendedSince(), policy.limitKw(s), siteDemandKw, lastEvaluatedAt,
        period.price(), period.peak(), settings.carbon(local), policy.preCoolWindow(now),
        new ForecastSummary(forecastLearntAt, settings.forecastDays(), forecast.zones().size(), forecast.observations(),
            List.copyOf(next)),
        List.copyOf(controls), List.copyOf(held), s.evacuation(), s.decisionCount());
  }
}
