package atrium.devices.shelflabel;

import atrium.core.CborSerializable;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.TwinClock;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Site;
import atrium.devices.shelflabel.ShelfLabel.CampaignItem;
import atrium.devices.shelflabel.ShelfLabel.Outcome;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A store-wide price campaign (S §4(3)3): one request that changes the price of thousands of shelf
 * labels, and whose progress can be watched. Its entity id is {@code <site>/<campaignId>}.
 *
 * <p>The items arrive in chunks ({@link AddItems}, sent by {@link PriceCampaigns#start}) so that no
 * message or event is large; the campaign starts when the last chunk is in. It then hands the
 * changes to the labels with bounded concurrency (a stream of asks), and the labels report how each
 * change ended ({@link LabelOutcome}). Dispatches and outcomes are persisted in batches; a campaign
 * that restarts asks again every label it has no outcome from — harmless, since a label answers a
 * campaign's repeated request from its state — and so does a campaign that waited a label's deadline
 * (plus a margin) for outcomes that did not come. It is COMPLETED when every label has acknowledged,
 * failed or had its change superseded by a newer one.
 */
public final class PriceCampaign
    extends EventSourcedBehaviorWithEnforcedReplies<PriceCampaign.Command, PriceCampaign.Event, PriceCampaign.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "PriceCampaign");
  /** How many failed labels a campaign lists (with their reasons); the count covers all. */
  public static final int MAX_LISTED_FAILURES = 100;
  /** Passes over labels still without an outcome after which a label whose twin never took the change fails. */
  static final int PASSES_BEFORE_GIVING_UP = 2;

  public enum Phase {
    DRAFT,
    RUNNING,
    COMPLETED
  }

  /** Where one item stands: not yet taken by its label, taken (pending at the label), or ended. */
  public enum ItemStatus {
    NEW,
    SENT,
    OK,
    FAILED,
    SUPERSEDED;

    boolean ended() {
      return this == OK || this == FAILED || this == SUPERSEDED;
    }

    static ItemStatus of(Outcome o) {
      return o == Outcome.ACKNOWLEDGED ? OK : o == Outcome.FAILED ? FAILED : SUPERSEDED;
    }
  }

  /** One label's new price, in minor units (see {@link Prices}). */
  public record Item(String labelId, long priceCents) implements CborSerializable {}

  public record Failure(String labelId, String reason) implements CborSerializable {}

  public record Settlement(int item, ItemStatus status, String reason) implements CborSerializable {}

  public static String entityId(String site, String campaignId) {
    return site + "/" + campaignId;
  }

  public sealed interface Command extends CborSerializable {}

  /**
   * Items {@code offset} to {@code offset + items.size() - 1} of a campaign of {@code total} labels.
   * The first chunk creates the campaign, the one that completes it starts it. Sending a chunk again
   * is harmless; a chunk that disagrees with what the campaign holds is refused.
   */
  public record AddItems(int offset, List<Item> items, int total, String by, ActorRef<StatusReply<Progress>> replyTo)
      implements Command {}

  public record GetProgress(ActorRef<StatusReply<Progress>> replyTo) implements Command {}

  /** From a label: how the campaign's change of item {@code item} ended. Repeats are ignored. */
  record LabelOutcome(int item, String labelId, Outcome outcome, String reason) implements Command {}

  // Timers, through sharding: package-private so that Jackson can construct them.
  enum FlushDue implements Command {
    INSTANCE
  }

  enum ReconcileDue implements Command {
    INSTANCE
  }

  // From the dispatching stream of this actor only.
  private record Dispatched(int item, boolean taken, String refusal) {}

  private record DispatchedBatch(List<Dispatched> results, ActorRef<Done> replyTo) implements Command {}

  private record DispatchEnded(int stream) implements Command {}

  public sealed interface Event extends CborSerializable {
    Instant at();
  }

  public record ItemsAdded(int offset, List<Item> items, int total, String by, Instant at) implements Event {}

  public record CampaignStarted(Instant at) implements Event {}

  /** A batch of progress: items the labels took, and items that ended. */
  public record ProgressRecorded(List<Integer> sent, List<Settlement> settled, Instant at) implements Event {}

  /**
   * The persisted state: the items and where each stands, with their counts. An empty {@code phase}
   * (null) is a campaign that does not exist.
   */
  public record State(Phase phase, String by, int total, List<Item> items, List<ItemStatus> statuses, int waiting,
      int sent, int acknowledged, int failed, int superseded, List<Failure> failures, Instant createdAt,
      Instant startedAt, Instant finishedAt) implements CborSerializable {
    static final State EMPTY = new State(null, null, 0, List.of(), List.of(), 0, 0, 0, 0, 0, List.of(), null, null, null);

    State apply(Event e) {
      if (e instanceof ItemsAdded a) {
        List<Item> all = new ArrayList<>(items.size() + a.items().size());
        all.addAll(items);
        all.addAll(a.items());
        List<ItemStatus> st = new ArrayList<>(statuses);
        a.items().forEach(i -> st.add(ItemStatus.NEW));
        return new State(Phase.DRAFT, a.by(), a.total(), List.copyOf(all), List.copyOf(st), waiting + a.items().size(),
            sent, acknowledged, failed, superseded, failures, createdAt == null ? a.at() : createdAt, null, null);
      }
      if (e instanceof CampaignStarted s) {
        return new State(Phase.RUNNING, by, total, items, statuses, waiting, sent, acknowledged, failed, superseded,
            failures, createdAt, s.at(), null);
      }
      if (e instanceof ProgressRecorded p) {
        Tally t = Tally.of(this);
        p.sent().forEach(t::markSent);
        p.settled().forEach(s -> t.settle(s.item(), s.status(), s.reason(), items.get(s.item()).labelId()));
        return t.into(this, p.at());
      }
      throw new IllegalStateException("unknown price-campaign event " + e);
    }
  }

  /** What the control room watches. {@code pending} counts labels without an outcome yet. */
  public record Progress(String site, String campaignId, Phase state, String by, int total, int dispatched,
      int acknowledged, int failed, int superseded, int pending, Instant createdAt, Instant startedAt,
      Instant finishedAt, List<Failure> failures) implements CborSerializable {}

  /** How the campaign reaches its labels: asks one to take a change, completing once it has. */
  @FunctionalInterface
  public interface Labels {
    CompletionStage<?> changePrice(AssetId label, BigDecimal price, CampaignItem item, String by);

    static Labels sharded(TwinServices services) {
      return (label, price, item, by) -> Stages.plain(services.entityRef(ShelfLabel.ENTITY_KEY, label)
          .<ShelfLabel.View>askWithStatus(r -> new ShelfLabel.ChangePrice(price, null, item, by, r), services.askTimeout()));
    }
  }

  public static Behavior<Command> create(String entityId, TwinServices services, ShelfLabelSettings settings) {
    return create(entityId, services, settings, Labels.sharded(services));
  }

  public static Behavior<Command> create(String entityId, TwinServices services, ShelfLabelSettings settings,
      Labels labels) {
    int slash = entityId.indexOf('/');
    if (slash < 0) throw new IllegalArgumentException("campaign entity id '" + entityId + "' is not site/campaignId");
    String site = entityId.substring(0, slash);
    String campaignId = entityId.substring(slash + 1);
    return Behaviors.setup(ctx -> {
      RecipientRef<Command> wake = services.sharding() == null ? ctx.getSelf()
          : services.sharding().entityRefFor(ENTITY_KEY, entityId);
      return new PriceCampaign(ctx, site, campaignId, services, settings, labels, wake);
    });
  }

  private final ActorContext<Command> ctx;
  private final String site;
  private final String campaignId;
  private final AssetId deltaId;
  private final TwinServices services;
  private final TwinClock clock;
  private final ShelfLabelSettings settings;
  private final Labels labels;
  private final RecipientRef<Command> wake;
  // In memory: where every item stands, persisted or not; what is not persisted yet; the dispatching stream.
  private Tally live;
  private final List<Integer> sentBuffer = new ArrayList<>();
  private final List<Settlement> settledBuffer = new ArrayList<>();
  private TwinClock.Scheduled flushTimer;
  private TwinClock.Scheduled reconcileTimer;
  private UniqueKillSwitch dispatching;
  private int streams;
  private int passes;
  private Set<String> draftLabels;

  private PriceCampaign(ActorContext<Command> ctx, String site, String campaignId, TwinServices services,
      ShelfLabelSettings settings, Labels labels, RecipientRef<Command> wake) {
    super(PersistenceId.of(ENTITY_KEY.name(), entityId(site, campaignId)),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
    this.ctx = ctx;
    this.site = site;
    this.campaignId = campaignId;
    this.deltaId = AssetId.of(site, AssetKind.SHELF_LABEL, PriceCampaigns.DELTA_PREFIX + campaignId);
    this.services = services;
    this.clock = services.clock();
    this.settings = settings;
    this.labels = labels;
    this.wake = wake;
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
        .onSignal(RecoveryCompleted.instance(), this::onRecovered)
        .onSignal(PostStop.instance(), s -> stopDispatching())
        .onSignal(PreRestart.instance(), s -> stopDispatching())
        .build();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(AddItems.class, this::onAddItems)
        .onCommand(GetProgress.class, (s, c) -> Effect().reply(c.replyTo(), s.phase() == null
            ? StatusReply.error("no price campaign '" + campaignId + "' in site " + site)
            : StatusReply.success(progress(s))))
        .onCommand(LabelOutcome.class, this::onLabelOutcome)
        .onCommand(DispatchedBatch.class, this::onDispatchedBatch)
        .onCommand(DispatchEnded.class, this::onDispatchEnded)
        .onCommand(FlushDue.class, (s, c) -> {
          flushTimer = null;
          return flush(s);
        })
        .onCommand(ReconcileDue.class, this::onReconcileDue)
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    var builder = newEventHandlerBuilder();
    builder.forAnyState().onAnyEvent(State::apply);
    return builder.build();
  }

  // --- creating and starting

  private ReplyEffect<Event, State> onAddItems(State state, AddItems cmd) {
    String error = chunkError(state, cmd);
    if (error != null) return Effect().reply(cmd.replyTo(), StatusReply.error(error));
    if (cmd.offset() < state.items().size()) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(progress(state))); // a chunk sent again
    }
    if (state.phase() == null || draftLabels == null) draftLabels = labelsOf(state.items());
    PriceCampaigns.Problems problems = new PriceCampaigns.Problems();
    PriceCampaigns.checkItems(site(), cmd.items(), cmd.offset(), draftLabels, problems);
    if (!problems.isEmpty()) return Effect().reply(cmd.replyTo(), StatusReply.error(problems.describe(campaignId)));
    Instant now = clock.now();
    List<Event> events = new ArrayList<>(2);
    events.add(new ItemsAdded(cmd.offset(), List.copyOf(cmd.items()), cmd.total(), by(cmd.by()), now));
    boolean complete = cmd.offset() + cmd.items().size() == cmd.total();
    if (complete) events.add(new CampaignStarted(now));
    cmd.items().forEach(i -> draftLabels.add(i.labelId()));
    return Effect().persist(events)
        .thenRun(s -> {
          if (complete) {
            draftLabels = null;
            live = Tally.of(s);
            dispatch(s);
            publish(s);
          }
        })
        .thenReply(cmd.replyTo(), s -> StatusReply.success(progress(s)));
  }

  /** Why a chunk does not fit the campaign as it stands, or null. */
  private String chunkError(State state, AddItems cmd) {
    if (cmd.items() == null || cmd.items().isEmpty()) return "a chunk of campaign " + campaignId + " holds no items";
    if (cmd.total() < 1 || cmd.total() > settings.campaignMaxLabels()) {
      return "a campaign changes 1 to " + settings.campaignMaxLabels() + " labels, not " + cmd.total();
    }
    if (cmd.offset() < 0 || cmd.offset() + cmd.items().size() > cmd.total()) {
      return "items " + cmd.offset() + " to " + (cmd.offset() + cmd.items().size() - 1) + " lie outside a campaign of "
          + cmd.total();
    }
    if (state.phase() == null) {
      return cmd.offset() == 0 ? null : "campaign " + campaignId + " does not exist yet: send its items from the first";
    }
    if (state.total() != cmd.total()) {
      return "campaign " + campaignId + " already exists with " + state.total() + " labels (" + state.phase() + ")";
    }
    int held = state.items().size();
    if (cmd.offset() < held) {
      boolean same = cmd.offset() + cmd.items().size() <= held
          && state.items().subList(cmd.offset(), cmd.offset() + cmd.items().size()).equals(cmd.items());
      return same ? null : "campaign " + campaignId + " already exists with other items (" + state.phase() + ")";
    }
    if (cmd.offset() > held) return "campaign " + campaignId + " holds " + held + " items; send item " + held + " next";
    return null;
  }

  // --- dispatching

  /** Starts handing every item without an outcome to its label, unless a stream is already doing so. */
  private void dispatch(State state) {
    if (dispatching != null || state.phase() != Phase.RUNNING) return;
    List<Integer> todo = live.unended();
    if (todo.isEmpty()) return;
    int stream = ++streams;
    ActorRef<Command> self = ctx.getSelf();
    Instant issuedAt = state.startedAt();
    String by = state.by();
    List<Item> items = state.items();
    Pair<UniqueKillSwitch, CompletionStage<Done>> run = Source.from(todo)
        .viaMat(KillSwitches.single(), Keep.right())
        .mapAsync(settings.campaignParallelism(), i -> hand(i, items.get(i), issuedAt, by, 3))
        .groupedWithin(settings.campaignBatchSize(), Duration.ofMillis(200))
        .mapAsync(1, batch -> Stages.plain(AskPattern.<Command, Done>ask(self, r -> new DispatchedBatch(batch, r),
            Duration.ofSeconds(30), ctx.getSystem().scheduler())))
        .toMat(Sink.ignore(), Keep.both())
        .run(Materializer.matFromSystem(ctx.getSystem()));
    dispatching = run.first();
    Stages.plain(run.second()).whenComplete((done, e) -> self.tell(new DispatchEnded(stream)));
  }

  /** Hands one item to its label: taken, refused with the label's reason, or not taken (to be tried again later). */
  private CompletionStage<Dispatched> hand(int i, Item item, Instant issuedAt, String by, int tries) {
    AssetId label = AssetId.of(site, AssetKind.SHELF_LABEL, item.labelId());
    return Stages.plain(labels.changePrice(label, Prices.toDecimal(item.priceCents()),
            new CampaignItem(campaignId, i, issuedAt), by))
        .<CompletionStage<Dispatched>>handle((v, e) -> {
          Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          if (cause == null) return CompletableFuture.completedFuture(new Dispatched(i, true, null));
          if (cause instanceof StatusReply.ErrorMessage err) {
            return CompletableFuture.completedFuture(new Dispatched(i, false, err.getMessage()));
          }
          if (cause instanceof TimeoutException && tries > 1) return hand(i, item, issuedAt, by, tries - 1);
          return CompletableFuture.completedFuture(new Dispatched(i, false, null));
        })
        .thenCompose(x -> x);
  }

  private ReplyEffect<Event, State> onDispatchedBatch(State state, DispatchedBatch batch) {
    if (state.phase() != Phase.RUNNING) return Effect().reply(batch.replyTo(), Done.getInstance());
    for (Dispatched d : batch.results()) {
      if (d.taken()) {
        if (live.markSent(d.item())) sentBuffer.add(d.item());
      } else if (d.refusal() != null) {
        String reason = "the label's twin refused the change: " + d.refusal();
        if (live.settle(d.item(), ItemStatus.FAILED, reason, state.items().get(d.item()).labelId())) {
          settledBuffer.add(new Settlement(d.item(), ItemStatus.FAILED, reason));
        }
      }
    }
    return flushOrWait(state).thenReply(batch.replyTo(), s -> Done.getInstance());
  }

  private ReplyEffect<Event, State> onDispatchEnded(State state, DispatchEnded ended) {
    if (ended.stream() != streams) return Effect().noReply();
    dispatching = null;
    if (state.phase() == Phase.RUNNING && live.open() > 0) {
      if (reconcileTimer != null) reconcileTimer.cancel();
      // Labels fail their own changes at their deadline; after it, ask those still silent again.
      reconcileTimer = clock.schedule(settings.deadline().plus(settings.campaignReconcileMargin()),
          () -> wake.tell(ReconcileDue.INSTANCE));
    }
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onReconcileDue(State state, ReconcileDue due) {
    reconcileTimer = null;
    if (state.phase() != Phase.RUNNING || live == null || live.open() == 0 || dispatching != null) return Effect().noReply();
    passes++;
    if (passes > PASSES_BEFORE_GIVING_UP) {
      for (int i : live.unended()) {
        if (live.status(i) != ItemStatus.NEW) continue;
        String reason = "the label's twin did not take the change after " + passes + " tries";
        if (live.settle(i, ItemStatus.FAILED, reason, state.items().get(i).labelId())) {
          settledBuffer.add(new Settlement(i, ItemStatus.FAILED, reason));
        }
      }
    }
    dispatch(state);
    return settledBuffer.isEmpty() ? Effect().noReply() : flush(state);
  }

  // --- outcomes

  private ReplyEffect<Event, State> onLabelOutcome(State state, LabelOutcome o) {
    if (state.phase() != Phase.RUNNING || live == null || o.item() < 0 || o.item() >= state.total()
        || !state.items().get(o.item()).labelId().equals(o.labelId())) {
      return Effect().noReply();
    }
    ItemStatus status = ItemStatus.of(o.outcome());
    if (!live.settle(o.item(), status, o.reason(), o.labelId())) return Effect().noReply();
    settledBuffer.add(new Settlement(o.item(), status, o.reason()));
    return flushOrWait(state).thenNoReply();
  }

  /** Persists the buffered progress when a batch is full or the campaign is complete; otherwise waits for the flush timer. */
  private EffectBuilder<Event, State> flushOrWait(State state) {
    int buffered = sentBuffer.size() + settledBuffer.size();
    if (buffered == 0) return Effect().none();
    if (buffered >= settings.campaignBatchSize() || live.open() == 0) return persistBuffered();
    if (flushTimer == null) {
      flushTimer = clock.schedule(settings.campaignProgressInterval(), () -> wake.tell(FlushDue.INSTANCE));
    }
    return Effect().none();
  }

  private ReplyEffect<Event, State> flush(State state) {
    if (sentBuffer.isEmpty() && settledBuffer.isEmpty()) return Effect().noReply();
    return persistBuffered().thenNoReply();
  }

  private EffectBuilder<Event, State> persistBuffered() {
    ProgressRecorded event = new ProgressRecorded(List.copyOf(sentBuffer), List.copyOf(settledBuffer), clock.now());
    sentBuffer.clear();
    settledBuffer.clear();
    if (flushTimer != null) flushTimer.cancel();
    flushTimer = null;
    return Effect().persist(event).thenRun(s -> {
      if (s.phase() == Phase.COMPLETED) {
        if (reconcileTimer != null) reconcileTimer.cancel();
        stopDispatching();
      }
      publish(s);
    });
  }

  // --- recovery, views

  private void onRecovered(State state) {
    if (state.phase() == Phase.DRAFT) draftLabels = labelsOf(state.items());
    if (state.phase() == Phase.RUNNING || state.phase() == Phase.COMPLETED) live = Tally.of(state);
    // Outcomes not persisted before the stop are lost: ask every label without one again.
    dispatch(state);
  }

  private void stopDispatching() {
    if (dispatching != null) dispatching.shutdown();
    dispatching = null;
  }

  private void publish(State s) {
    services.deltas().publish(deltaId, progress(s));
  }

  private Progress progress(State s) {
    Tally t = live != null ? live : Tally.of(s);
    int ended = t.acknowledged + t.failed + t.superseded;
    return new Progress(site, campaignId, s.phase(), s.by(), s.total(), s.items().size() - t.waiting,
        t.acknowledged, t.failed, t.superseded, s.total() - ended, s.createdAt(), s.startedAt(), s.finishedAt(),
        List.copyOf(t.failures));
  }

  private Site site() {
    return services.sites().site(site).orElseThrow(() -> new IllegalStateException("no site " + site));
  }

  private static Set<String> labelsOf(List<Item> items) {
    Set<String> set = new HashSet<>(Math.max(16, items.size() * 2));
    items.forEach(i -> set.add(i.labelId()));
    return set;
  }

  private static String by(String by) {
    return by == null || by.isBlank() ? "unknown" : by;
  }

  /** Where every item stands, mutable: the campaign's live view, and the event handler's scratch copy. */
  static final class Tally {
    private final ItemStatus[] statuses;
    private int waiting;
    private int sent;
    private int acknowledged;
    private int failed;
    private int superseded;
    private final List<Failure> failures;

    private Tally(State s) {
      this.statuses = s.statuses().toArray(new ItemStatus[0]);
      this.waiting = s.waiting();
      this.sent = s.sent();
      this.acknowledged = s.acknowledged();
      this.failed = s.failed();
      this.superseded = s.superseded();
      this.failures = new ArrayList<>(s.failures());
    }

    static Tally of(State s) {
      return new Tally(s);
    }

    ItemStatus status(int i) {
      return statuses[i];
    }

    /** Items with no outcome yet. */
    int open() {
      return waiting + sent;
    }

    List<Integer> unended() {
      List<Integer> out = new ArrayList<>(open());
      for (int i = 0; i < statuses.length; i++) if (!statuses[i].ended()) out.add(i);
      return out;
    }

    boolean markSent(int i) {
      if (statuses[i] != ItemStatus.NEW) return false;
      statuses[i] = ItemStatus.SENT;
      waiting--;
      sent++;
      return true;
    }

    boolean settle(int i, ItemStatus to, String reason, String labelId) {
      ItemStatus from = statuses[i];
      if (from.ended()) return false;
      if (from == ItemStatus.NEW) waiting--;
      else sent--;
      statuses[i] = to;
      if (to == ItemStatus.OK) acknowledged++;
      else if (to == ItemStatus.SUPERSEDED) superseded++;
      else {
        failed++;
        if (failures.size() < MAX_LISTED_FAILURES) failures.add(new Failure(labelId, reason));
      }
      return true;
    }

    State into(State s, Instant at) {
      boolean done = open() == 0;
      return new State(done ? Phase.COMPLETED : s.phase(), s.by(), s.total(), s.items(), List.of(statuses), waiting, sent,
          acknowledged, failed, superseded, List.copyOf(failures), s.createdAt(), s.startedAt(),
          done ? (s.finishedAt() != null ? s.finishedAt() : at) : null);
    }

    @Override
    public String toString() {
      return "Tally" + Arrays.asList(waiting, sent, acknowledged, failed, superseded);
    }
  }
}
