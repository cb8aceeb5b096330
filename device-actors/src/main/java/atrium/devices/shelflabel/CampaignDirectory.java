package atrium.devices.shelflabel;

import atrium.core.CborSerializable;
import atrium.core.clock.TwinClock;
import atrium.core.runtime.TwinServices;
import atrium.devices.shelflabel.PriceCampaign.Phase;
import atrium.devices.shelflabel.PriceCampaign.Progress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * The price campaigns of one site (entity id: the site): those running, and the last ones that
 * ended. It keeps running campaigns running: each node of the twin tells it to {@link Watch} every
 * watch interval, and it asks every running campaign for its progress — which wakes a campaign that
 * a node's restart stopped, and the campaign then asks again its labels without an outcome. A
 * campaign that completed moves to the list of ended ones; one that never got its items (a start
 * that broke off) is forgotten after {@link #ABANDONED_AFTER}.
 */
public final class CampaignDirectory
    extends EventSourcedBehaviorWithEnforcedReplies<CampaignDirectory.Command, CampaignDirectory.Event, CampaignDirectory.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "PriceCampaignDirectory");
  /** Most campaigns running at once in one site. */
  public static final int MAX_RUNNING = 1000;
  /** How many ended campaigns the directory lists. */
  public static final int MAX_ENDED = 50;
  /** A campaign registered this long ago that still has not started is forgotten. */
  public static final Duration ABANDONED_AFTER = Duration.ofHours(1);

  /** A campaign as listed; the counts are filled in when it has ended. */
  public record Entry(String campaignId, int total, String by, Instant registeredAt, int acknowledged, int failed,
      int superseded, Instant finishedAt) implements CborSerializable {}

  public sealed interface Command extends CborSerializable {}

  /** Before a campaign gets its items: list it as running. Registering again is harmless. */
  public record Register(String campaignId, int total, String by, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** From every node, every watch interval: ask the running campaigns how far they are. */
  public enum Watch implements Command {
    INSTANCE
  }

  public record GetCampaigns(ActorRef<Listing> replyTo) implements Command {}

  /** A campaign's answer: its progress, or none ({@code missing}: there is no such campaign; else it did not answer). */
  private record Polled(String campaignId, Progress progress, boolean missing) implements Command {}

  public sealed interface Event extends CborSerializable {
    Instant at();
  }

  public record CampaignRegistered(String campaignId, int total, String by, Instant at) implements Event {}

  public record CampaignEnded(String campaignId, int acknowledged, int failed, int superseded, Instant finishedAt,
      Instant at) implements Event {}

  public record CampaignForgotten(String campaignId, Instant at) implements Event {}

  /** Running campaigns in the order registered; ended ones most recent first. */
  public record State(List<Entry> running, List<Entry> ended) implements CborSerializable {
    static final State EMPTY = new State(List.of(), List.of());

    Entry find(String campaignId) {
      for (Entry e : running) if (e.campaignId().equals(campaignId)) return e;
      for (Entry e : ended) if (e.campaignId().equals(campaignId)) return e;
      return null;
    }

    State apply(Event event) {
      if (event instanceof CampaignRegistered r) {
        List<Entry> all = new ArrayList<>(running);
        all.add(new Entry(r.campaignId(), r.total(), r.by(), r.at(), 0, 0, 0, null));
        return new State(List.copyOf(all), ended);
      }
      List<Entry> still = new ArrayList<>(running);
      String id = event instanceof CampaignEnded e ? e.campaignId() : ((CampaignForgotten) event).campaignId();
      Entry entry = running.stream().filter(x -> x.campaignId().equals(id)).findFirst().orElse(null);
      still.remove(entry);
      if (!(event instanceof CampaignEnded e) || entry == null) return new State(List.copyOf(still), ended);
      List<Entry> done = new ArrayList<>(MAX_ENDED);
      done.add(new Entry(id, entry.total(), entry.by(), entry.registeredAt(), e.acknowledged(), e.failed(),
          e.superseded(), e.finishedAt()));
      ended.stream().limit(MAX_ENDED - 1).forEach(done::add);
      return new State(List.copyOf(still), List.copyOf(done));
    }
  }

  public record Listing(String site, List<Entry> running, List<Entry> ended) implements CborSerializable {}

  /** How the directory asks a campaign of its site for its progress (which wakes it). */
  @FunctionalInterface
  public interface Campaigns {
    CompletionStage<Progress> progress(String campaignId);

    static Campaigns sharded(TwinServices services, String site) {
      return id -> Stages.plain(services.sharding().entityRefFor(PriceCampaign.ENTITY_KEY, PriceCampaign.entityId(site, id))
          .askWithStatus(PriceCampaign.GetProgress::new, services.askTimeout()));
    }
  }

  public static Behavior<Command> create(String site, TwinServices services) {
    return create(site, services, Campaigns.sharded(services, site));
  }

  public static Behavior<Command> create(String site, TwinServices services, Campaigns campaigns) {
    return Behaviors.setup(ctx -> new CampaignDirectory(ctx, site, services.clock(), campaigns));
  }

  private final ActorContext<Command> ctx;
  private final String site;
  private final TwinClock clock;
  private final Campaigns campaigns;

  private CampaignDirectory(ActorContext<Command> ctx, String site, TwinClock clock, Campaigns campaigns) {
    super(PersistenceId.of(ENTITY_KEY.name(), site),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
    this.ctx = ctx;
    this.site = site;
    this.clock = clock;
    this.campaigns = campaigns;
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
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Register.class, this::onRegister)
        .onCommand(Watch.class, this::onWatch)
        .onCommand(Polled.class, this::onPolled)
        .onCommand(GetCampaigns.class, (s, c) -> Effect().reply(c.replyTo(), new Listing(site, s.running(), s.ended())))
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    var builder = newEventHandlerBuilder();
    builder.forAnyState().onAnyEvent(State::apply);
    return builder.build();
  }

  private ReplyEffect<Event, State> onRegister(State state, Register cmd) {
    if (state.find(cmd.campaignId()) != null) return Effect().reply(cmd.replyTo(), StatusReply.ack());
    if (state.running().size() >= MAX_RUNNING) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(
          "site " + site + " already runs " + MAX_RUNNING + " price campaigns; start this one when some have ended"));
    }
    String by = cmd.by() == null || cmd.by().isBlank() ? "unknown" : cmd.by();
    return Effect().persist(new CampaignRegistered(cmd.campaignId(), cmd.total(), by, clock.now()))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onWatch(State state, Watch watch) {
    for (Entry e : state.running()) {
      String id = e.campaignId();
      ctx.pipeToSelf(campaigns.progress(id), (p, err) -> new Polled(id, p, isMissing(err)));
    }
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onPolled(State state, Polled polled) {
    Entry entry = state.running().stream().filter(e -> e.campaignId().equals(polled.campaignId())).findFirst().orElse(null);
    if (entry == null) return Effect().noReply();
    Progress p = polled.progress();
    Instant now = clock.now();
    if (p != null && p.state() == Phase.COMPLETED) {
      return Effect().persist(new CampaignEnded(entry.campaignId(), p.acknowledged(), p.failed(), p.superseded(),
          p.finishedAt(), now)).thenNoReply();
    }
    boolean unstarted = polled.missing() || (p != null && p.state() == Phase.DRAFT);
    if (unstarted && !now.isBefore(entry.registeredAt().plus(ABANDONED_AFTER))) {
      return Effect().persist(new CampaignForgotten(entry.campaignId(), now)).thenNoReply();
    }
    return Effect().noReply();
  }

  private static boolean isMissing(Throwable e) {
    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    return cause instanceof StatusReply.ErrorMessage;
  }
}
