package atrium.devices.shelflabel;

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
import atrium.core.site.ShelfLabelGroup;
import atrium.core.site.Site;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
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
 * One electronic shelf label (S §4(3)3, M §7.2.1): the price and content it shows, the price change
 * on its way to it, its battery and its restock or pick reminder.
 *
 * <p>A price change is persisted, then sent to the label as a {@code set-price} command and re-sent
 * (same command id) on a back-off schedule of the twin's clock until the label acknowledges it or its
 * deadline passes; then it fails and raises {@code price-change-failed}. A newer change supersedes a
 * pending one. Changes of a {@link PriceCampaign} report their outcome back to it, and answer the
 * campaign's repeated requests idempotently. The label keeps no copy of shared data: its zone is a
 * reference to the site's label group.
 *
 * <p>The demo mall keeps 20,000 labels awake, so what one label holds is counted, as for the parking
 * bay (see its class comment and "Heap per idle twin" in docs/benchmarks.md): the restart strategy,
 * the retention and the event handler are made once, the site id is the site model's string, the ref
 * that wakes a passivated label is built only when a sending is scheduled, and the command handler is
 * one hand-written method rather than Pekko's handler builder, which would build its cases again for
 * every label.
 */
public final class ShelfLabel
    extends EventSourcedBehaviorWithEnforcedReplies<ShelfLabel.Command, ShelfLabel.Event, ShelfLabel.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "ShelfLabel");
  public static final String PRICE_CHANGE_FAILED = "price-change-failed";
  public static final String LOW_BATTERY = "low-battery";
  /** Longest text of a content field, in characters. */
  public static final int MAX_TEXT = 64;
  private static final RetentionCriteria RETENTION = RetentionCriteria.snapshotEvery(100, 2);
  private static final BackoffSupervisorStrategy ON_PERSIST_FAILURE =
      SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2);

  public enum FlashReason {
    RESTOCK,
    PICK
  }

  /** How a price change ended. */
  public enum Outcome {
    ACKNOWLEDGED,
    FAILED,
    SUPERSEDED
  }

  /** What the label shows besides its price; every field is optional. */
  public record Content(String product, String unitPrice, String promotion) implements CborSerializable {}

  /** A change made on behalf of a campaign: which one, the item's place in it, and when it was issued. */
  public record CampaignItem(String campaignId, int item, Instant issuedAt) implements CborSerializable {}

  public sealed interface Command extends CborSerializable {}

  /**
   * Show {@code price} (and {@code content}, if given). Accepted once persisted; the label's
   * acknowledgement comes later. With {@code campaign}, asking again is harmless.
   */
  public record ChangePrice(BigDecimal price, Content content, CampaignItem campaign, String by,
      ActorRef<StatusReply<View>> replyTo) implements Command {}

  /** Flash the label as a restock or pick reminder for {@code duration}. */
  public record Flash(FlashReason reason, Duration duration, String by, ActorRef<StatusReply<View>> replyTo)
      implements Command {}

  /** The label reported its battery level (percent) at {@code at}, device time. */
  public record BatteryReading(double percent, Instant at, ActorRef<StatusReply<View>> replyTo) implements Command {}

  /** The label's answer to command {@code ref}: displayed ({@code ok}) or not, with the label's reason. */
  public record DeviceAck(String ref, boolean ok, String reason, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record GetState(ActorRef<View> replyTo) implements Command {}

  // Sent by the sending timer through sharding, so it must serialize: package-private, not private.
  record SendingDue(String commandId) implements Command {}

  public sealed interface Event extends CborSerializable {
    Instant at();
  }

  public record PriceChangeRequested(String commandId, long priceCents, Content content, CampaignItem campaign,
      String by, Instant deadline, Instant at) implements Event {}

  /** The label answered that it could not show the change; it is still re-sent until the deadline. */
  public record PriceChangeRefused(String commandId, String reason, Instant at) implements Event {}

  public record PriceDisplayed(String commandId, long priceCents, Content content, Instant at) implements Event {}

  public record PriceChangeFailed(String commandId, String reason, Instant at) implements Event {}

  public record FlashRequested(String commandId, FlashReason reason, Instant until, String by, Instant at)
      implements Event {}

  public record BatteryLow(int percent, Instant at) implements Event {}

  public record BatteryRecovered(int percent, Instant at) implements Event {}

  /** A change on its way to the label. */
  public record Change(String commandId, long priceCents, Content content, CampaignItem campaign, String by,
      Instant requestedAt, Instant deadline, String deviceError) implements CborSerializable {

    Instant issuedAt() {
      return campaign == null ? requestedAt : campaign.issuedAt();
    }

    Settled settle(Outcome outcome, String reason, Instant at) {
      return new Settled(commandId, priceCents, campaign, issuedAt(), outcome, reason, at);
    }
  }

  /** The last change that ended. */
  public record Settled(String commandId, long priceCents, CampaignItem campaign, Instant issuedAt, Outcome outcome,
      String reason, Instant at) implements CborSerializable {}

  /**
   * The persisted state. {@code priceCents} is null until the label first shows a price the twin
   * sent; {@code failing} is the price-change-failed condition: a change failed and none was shown since.
   */
  public record State(Long priceCents, Content content, Instant displayedAt, Change pending, Settled last,
      boolean failing, int commands, boolean batteryLow, FlashReason flash, Instant flashUntil)
      implements CborSerializable {
    static final State INITIAL = new State(null, null, null, null, null, false, 0, false, null, null);

    Instant currentIssuedAt() {
      if (pending != null) return pending.issuedAt();
      return last == null ? null : last.issuedAt();
    }

    State apply(Event e) {
      if (e instanceof PriceChangeRequested r) {
        Settled superseded = pending == null ? last
            : pending.settle(Outcome.SUPERSEDED, "superseded by " + r.commandId(), r.at());
        Change change = new Change(r.commandId(), r.priceCents(), r.content(), r.campaign(), r.by(), r.at(),
            r.deadline(), null);
        return new State(priceCents, content, displayedAt, change, superseded, failing, commands + 1, batteryLow,
            flash, flashUntil);
      }
      if (e instanceof PriceChangeRefused r) {
        Change c = pending;
        Change refused = new Change(c.commandId(), c.priceCents(), c.content(), c.campaign(), c.by(),
            c.requestedAt(), c.deadline(), r.reason());
        return new State(priceCents, content, displayedAt, refused, last, failing, commands, batteryLow, flash,
            flashUntil);
      }
      if (e instanceof PriceDisplayed d) {
        boolean wasPending = pending != null && pending.commandId().equals(d.commandId());
        Settled settled = wasPending ? pending.settle(Outcome.ACKNOWLEDGED, null, d.at())
            : new Settled(last.commandId(), last.priceCents(), last.campaign(), last.issuedAt(), Outcome.ACKNOWLEDGED,
                "acknowledged after its deadline", d.at());
        return new State(d.priceCents(), d.content() != null ? d.content() : content, d.at(),
            wasPending ? null : pending, settled, false, commands, batteryLow, flash, flashUntil);
      }
      if (e instanceof PriceChangeFailed f) {
        return new State(priceCents, content, displayedAt, null, pending.settle(Outcome.FAILED, f.reason(), f.at()),
            true, commands, batteryLow, flash, flashUntil);
      }
      if (e instanceof FlashRequested f) {
        return new State(priceCents, content, displayedAt, pending, last, failing, commands + 1, batteryLow,
            f.reason(), f.until());
      }
      if (e instanceof BatteryLow || e instanceof BatteryRecovered) {
        return new State(priceCents, content, displayedAt, pending, last, failing, commands, e instanceof BatteryLow,
            flash, flashUntil);
      }
      throw new IllegalStateException("unknown shelf-label event " + e);
    }
  }

  /** A pending change as the control room sees it; {@code sendings} counts since the label last woke. */
  public record PendingChange(String commandId, BigDecimal price, String campaignId, String by, Instant requestedAt,
      Instant deadline, int sendings, String deviceError) implements CborSerializable {}

  public record LastChange(String commandId, BigDecimal price, String campaignId, Outcome outcome, String reason,
      Instant at) implements CborSerializable {}

  /** What the control room sees: the persisted state plus the last battery reading (not persisted). */
  public record View(String site, String labelId, String zone, BigDecimal price, String currency, Content content,
      Instant displayedAt, PendingChange pending, LastChange last, boolean priceChangeFailed, Integer battery,
      Instant batteryAt, boolean batteryLow, FlashReason flash, Instant flashUntil) implements CborSerializable {}

  /** Where a label reports how a campaign's change ended. */
  @FunctionalInterface
  public interface CampaignOutcomes {
    void report(String site, CampaignItem item, String labelId, Outcome outcome, String reason);

    static CampaignOutcomes sharded(TwinServices services) {
      return (site, item, labelId, outcome, reason) -> services.sharding()
          .entityRefFor(PriceCampaign.ENTITY_KEY, PriceCampaign.entityId(site, item.campaignId()))
          .tell(new PriceCampaign.LabelOutcome(item.item(), labelId, outcome, reason));
    }
  }

  public static EntityKind<Command> kind(ShelfLabelSettings settings) {
    return new EntityKind<>(AssetKind.SHELF_LABEL, ENTITY_KEY,
        (id, services) -> create(id, services, settings, CampaignOutcomes.sharded(services)));
  }

  public static Behavior<Command> create(AssetId id, TwinServices services, ShelfLabelSettings settings,
      CampaignOutcomes outcomes) {
    Site site = services.sites().site(id.site())
        .orElseThrow(() -> new IllegalArgumentException("no shelf label " + id + " in the site model"));
    ShelfLabelGroup group = site.shelfLabelGroupOf(id.localId())
        .orElseThrow(() -> new IllegalArgumentException("no shelf label " + id + " in the site model"));
    // The site's id string is the site model's, which every label shares, not the entity id's copy.
    AssetId shared = AssetId.of(site.id(), AssetKind.SHELF_LABEL, id.localId());
    return Behaviors.setup(ctx -> new ShelfLabel(shared, group, services, settings, outcomes, ctx.getSelf()));
  }

  private final AssetId id;
  private final ShelfLabelGroup group;
  private final TwinServices services;
  private final TwinClock clock;
  private final ShelfLabelSettings settings;
  private final CampaignOutcomes outcomes;
  private final ActorRef<Command> self;
  // In memory only: the last battery reading (a measurement), and which sending of the pending change
  // went out last (-1: none since the label woke).
  private Integer battery;
  private Instant batteryAt;
  private int sentUpTo = -1;
  private TwinClock.Scheduled sendingTimer;

  private ShelfLabel(AssetId id, ShelfLabelGroup group, TwinServices services, ShelfLabelSettings settings,
      CampaignOutcomes outcomes, ActorRef<Command> self) {
    super(PersistenceId.of(ENTITY_KEY.name(), id.entityId()), ON_PERSIST_FAILURE);
    this.id = id;
    this.group = group;
    this.services = services;
    this.clock = services.clock();
    this.settings = settings;
    this.outcomes = outcomes;
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
    if (command instanceof ChangePrice c) return onChangePrice(state, c);
    if (command instanceof DeviceAck c) return onDeviceAck(state, c);
    if (command instanceof SendingDue c) return onSendingDue(state, c);
    if (command instanceof BatteryReading c) return onBatteryReading(state, c);
    if (command instanceof Flash c) return onFlash(state, c);
    if (command instanceof GetState c) return Effect().reply(c.replyTo(), view(state));
    throw new IllegalArgumentException("a shelf label has no command " + command.getClass().getName());
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return State::apply;
  }

  // --- price changes

  private ReplyEffect<Event, State> onChangePrice(State state, ChangePrice cmd) {
    long cents;
    try {
      cents = Prices.toCents(cmd.price());
    } catch (IllegalArgumentException e) {
      return reject(cmd.replyTo(), e.getMessage());
    }
    String contentError = contentError(cmd.content());
    if (contentError != null) return reject(cmd.replyTo(), contentError);
    CampaignItem campaign = cmd.campaign();
    if (campaign != null) {
      if (!AssetId.isValidName(campaign.campaignId()) || campaign.item() < 0 || campaign.issuedAt() == null) {
        return reject(cmd.replyTo(), "a campaign change needs a campaign id, an item number and an issue time");
      }
      ReplyEffect<Event, State> repeated = repeatedCampaignChange(state, cmd);
      if (repeated != null) return repeated;
    }
    Instant now = clock.now();
    String commandId = "price-" + (state.commands() + 1);
    Change superseded = state.pending();
    return Effect().persist(new PriceChangeRequested(commandId, cents, cmd.content(), campaign, by(cmd.by()),
            now.plus(settings.deadline()), now))
        .thenRun(s -> {
          if (superseded != null) reportOutcome(superseded, Outcome.SUPERSEDED, "superseded by " + commandId);
          sentUpTo = -1;
          sendDue(s.pending());
          publish(s);
        })
        .thenReply(cmd.replyTo(), s -> StatusReply.success(view(s)));
  }

  /**
   * A campaign asking again (after its own restart) for a change it already asked for: answered
   * from the state, nothing persisted, and the outcome re-reported if the change already ended.
   * Returns null when the change is new to this label.
   */
  private ReplyEffect<Event, State> repeatedCampaignChange(State state, ChangePrice cmd) {
    String campaignId = cmd.campaign().campaignId();
    Change pending = state.pending();
    if (pending != null && pending.campaign() != null && pending.campaign().campaignId().equals(campaignId)) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(view(state)));
    }
    Settled last = state.last();
    if (last != null && last.campaign() != null && last.campaign().campaignId().equals(campaignId)) {
      outcomes.report(id.site(), cmd.campaign(), id.localId(), last.outcome(), last.reason());
      return Effect().reply(cmd.replyTo(), StatusReply.success(view(state)));
    }
    Instant current = state.currentIssuedAt();
    if (current != null && current.isAfter(cmd.campaign().issuedAt())) {
      outcomes.report(id.site(), cmd.campaign(), id.localId(), Outcome.SUPERSEDED,
          "a newer price change, issued " + current + ", is on the label");
      return Effect().reply(cmd.replyTo(), StatusReply.success(view(state)));
    }
    return null;
  }

  private ReplyEffect<Event, State> onDeviceAck(State state, DeviceAck ack) {
    Change pending = state.pending();
    Instant now = clock.now();
    if (pending != null && pending.commandId().equals(ack.ref())) {
      if (!ack.ok()) {
        String reason = ack.reason() == null || ack.reason().isBlank() ? "no reason given" : ack.reason();
        if (reason.equals(pending.deviceError())) return Effect().reply(ack.replyTo(), StatusReply.success(view(state)));
        return Effect().persist(new PriceChangeRefused(pending.commandId(), truncate(reason), now))
            .thenRun(this::publish)
            .thenReply(ack.replyTo(), s -> StatusReply.success(view(s)));
      }
      boolean wasFailing = state.failing();
      return Effect().persist(new PriceDisplayed(pending.commandId(), pending.priceCents(), pending.content(), now))
          .thenRun(s -> {
            cancelSending();
            if (wasFailing) services.alarms().clear(id, PRICE_CHANGE_FAILED, now);
            reportOutcome(pending, Outcome.ACKNOWLEDGED, null);
            publish(s);
          })
          .thenReply(ack.replyTo(), s -> StatusReply.success(view(s)));
    }
    Settled last = state.last();
    if (ack.ok() && last != null && last.outcome() == Outcome.FAILED && last.commandId().equals(ack.ref())) {
      // The label showed a change after its deadline: the twin shows what the label shows.
      boolean wasFailing = state.failing();
      return Effect().persist(new PriceDisplayed(last.commandId(), last.priceCents(), null, now))
          .thenRun(s -> {
            if (wasFailing) services.alarms().clear(id, PRICE_CHANGE_FAILED, now);
            publish(s);
          })
          .thenReply(ack.replyTo(), s -> StatusReply.success(view(s)));
    }
    // A repeated, superseded or unknown command id (or a flash's): taken, and changes nothing.
    return Effect().reply(ack.replyTo(), StatusReply.success(view(state)));
  }

  private ReplyEffect<Event, State> onSendingDue(State state, SendingDue due) {
    Change pending = state.pending();
    if (pending == null || !pending.commandId().equals(due.commandId())) return Effect().noReply();
    Instant now = clock.now();
    if (now.isBefore(pending.deadline())) {
      sendDue(pending);
      return Effect().noReply();
    }
    int sendings = Math.max(sentUpTo + 1, sendingsBefore(pending, pending.deadline()));
    String reason = "not acknowledged within " + format(settings.deadline()) + " (" + sendings
        + (sendings == 1 ? " sending" : " sendings") + ")"
        + (pending.deviceError() == null ? "" : "; the label answered: " + pending.deviceError());
    return Effect().persist(new PriceChangeFailed(pending.commandId(), reason, now))
        .thenRun(s -> {
          cancelSending();
          services.alarms().raise(id, PRICE_CHANGE_FAILED, Severity.MEDIUM, "label " + id.localId()
              + " did not show price " + Prices.format(pending.priceCents()) + " " + settings.currency() + ": " + reason, now);
          reportOutcome(pending, Outcome.FAILED, reason);
          publish(s);
        })
        .thenNoReply();
  }

  /** Sends the latest sending of {@code change} that has fallen due, if not sent yet, and arms the timer for the next. */
  private void sendDue(Change change) {
    Instant now = clock.now();
    int due = sendingsBefore(change, now.plusNanos(1)) - 1;
    if (due > sentUpTo) {
      sentUpTo = due;
      services.commands().send(setPrice(change, now));
    }
    armSending(change);
  }

  private void armSending(Change change) {
    cancelSending();
    Instant next = change.requestedAt().plus(settings.sendingOffset(sentUpTo + 1));
    Instant due = next.isBefore(change.deadline()) ? next : change.deadline();
    String commandId = change.commandId();
    // Through sharding, so that a passivated label is woken to re-send or to fail the change.
    RecipientRef<Command> wake = services.wakeRef(ENTITY_KEY, id, self);
    sendingTimer = clock.schedule(Duration.between(clock.now(), due), () -> wake.tell(new SendingDue(commandId)));
  }

  private void cancelSending() {
    if (sendingTimer != null) sendingTimer.cancel();
    sendingTimer = null;
  }

  /** How many sendings of {@code change} fall strictly before {@code t} (and before its deadline). */
  private int sendingsBefore(Change change, Instant t) {
    int n = 0;
    while (true) {
      Instant at = change.requestedAt().plus(settings.sendingOffset(n));
      if (!at.isBefore(t) || !at.isBefore(change.deadline())) return n;
      n++;
    }
  }

  private Envelope.Command setPrice(Change change, Instant now) {
    ObjectNode data = Json.MAPPER.createObjectNode();
    data.put("price", Prices.toDecimal(change.priceCents()));
    data.put("currency", settings.currency());
    Content c = change.content();
    if (c != null) {
      if (c.product() != null) data.put("product", c.product());
      if (c.unitPrice() != null) data.put("unitPrice", c.unitPrice());
      if (c.promotion() != null) data.put("promotion", c.promotion());
    }
    return new Envelope.Command(change.commandId(), id, now, "set-price", data);
  }

  private void reportOutcome(Change change, Outcome outcome, String reason) {
    if (change.campaign() != null) outcomes.report(id.site(), change.campaign(), id.localId(), outcome, reason);
  }

  // --- battery and flash

  private ReplyEffect<Event, State> onBatteryReading(State state, BatteryReading reading) {
    double percent = reading.percent();
    if (!(percent >= 0 && percent <= 100)) {
      return reject(reading.replyTo(), "a battery level is a percentage from 0 to 100, not " + percent);
    }
    services.history().record(TelemetryPoint.of(id, reading.at(), "battery", percent));
    if (batteryAt != null && reading.at().isBefore(batteryAt)) {
      return Effect().reply(reading.replyTo(), StatusReply.success(view(state))); // late: history only
    }
    battery = (int) Math.round(percent);
    batteryAt = reading.at();
    Instant now = clock.now();
    if (!state.batteryLow() && percent < settings.batteryLowBelow()) {
      return Effect().persist(new BatteryLow(battery, now))
          .thenRun(s -> {
            services.alarms().raise(id, LOW_BATTERY, Severity.LOW, lowBatteryMessage(), now);
            publish(s);
          })
          .thenReply(reading.replyTo(), s -> StatusReply.success(view(s)));
    }
    if (state.batteryLow() && percent >= settings.batteryClearAt()) {
      return Effect().persist(new BatteryRecovered(battery, now))
          .thenRun(s -> {
            services.alarms().clear(id, LOW_BATTERY, now);
            publish(s);
          })
          .thenReply(reading.replyTo(), s -> StatusReply.success(view(s)));
    }
    return Effect().reply(reading.replyTo(), StatusReply.success(view(state)));
  }

  private String lowBatteryMessage() {
    return "label " + id.localId() + " battery at " + (battery == null ? "?" : battery) + " % (below "
        + settings.batteryLowBelow() + " %)";
  }

  private ReplyEffect<Event, State> onFlash(State state, Flash cmd) {
    if (cmd.reason() == null) return reject(cmd.replyTo(), "a flash needs a reason: restock or pick");
    Duration d = cmd.duration();
    if (d == null || d.isNegative() || d.isZero() || d.compareTo(settings.maxFlash()) > 0) {
      return reject(cmd.replyTo(), "a label flashes for more than 0 s and at most " + format(settings.maxFlash())
          + ", not " + (d == null ? "no time" : format(d)));
    }
    Instant now = clock.now();
    String commandId = "flash-" + (state.commands() + 1);
    return Effect().persist(new FlashRequested(commandId, cmd.reason(), now.plus(d), by(cmd.by()), now))
        .thenRun(s -> {
          ObjectNode data = Json.MAPPER.createObjectNode();
          data.put("reason", cmd.reason().name().toLowerCase(Locale.ROOT));
          data.put("seconds", d.toSeconds());
          services.commands().send(new Envelope.Command(commandId, id, now, "flash", data));
          publish(s);
        })
        .thenReply(cmd.replyTo(), s -> StatusReply.success(view(s)));
  }

  // --- recovery, views

  private void onRecovered(State state) {
    Instant now = clock.now();
    // Alarms are reported on transitions; re-report the active ones in case a report was lost.
    if (state.failing()) {
      services.alarms().raise(id, PRICE_CHANGE_FAILED, Severity.MEDIUM,
          "label " + id.localId() + " has shown no price since a price change failed", now);
    }
    if (state.batteryLow()) services.alarms().raise(id, LOW_BATTERY, Severity.LOW, lowBatteryMessage(), now);
    Change pending = state.pending();
    if (pending != null) {
      // The sendings scheduled before now went out before the label stopped; continue from the next.
      sentUpTo = sendingsBefore(pending, now) - 1;
      armSending(pending);
    }
  }

  private void publish(State s) {
    services.deltas().publish(id, view(s));
  }

  private View view(State s) {
    Change p = s.pending();
    PendingChange pending = p == null ? null : new PendingChange(p.commandId(), Prices.toDecimal(p.priceCents()),
        p.campaign() == null ? null : p.campaign().campaignId(), p.by(), p.requestedAt(), p.deadline(), sentUpTo + 1,
        p.deviceError());
    Settled l = s.last();
    LastChange last = l == null ? null : new LastChange(l.commandId(), Prices.toDecimal(l.priceCents()),
        l.campaign() == null ? null : l.campaign().campaignId(), l.outcome(), l.reason(), l.at());
    boolean flashing = s.flashUntil() != null && clock.now().isBefore(s.flashUntil());
    return new View(id.site(), id.localId(), group.zone(), s.priceCents() == null ? null : Prices.toDecimal(s.priceCents()),
        settings.currency(), s.content(), s.displayedAt(), pending, last, s.failing(), battery, batteryAt, s.batteryLow(),
        flashing ? s.flash() : null, flashing ? s.flashUntil() : null);
  }

  private ReplyEffect<Event, State> reject(ActorRef<StatusReply<View>> replyTo, String reason) {
    return Effect().reply(replyTo, StatusReply.error(reason));
  }

  private static String contentError(Content c) {
    if (c == null) return null;
    if (tooLong(c.product()) || tooLong(c.unitPrice()) || tooLong(c.promotion())) {
      return "label content fields hold at most " + MAX_TEXT + " characters";
    }
    return null;
  }

  private static boolean tooLong(String s) {
    return s != null && s.length() > MAX_TEXT;
  }

  private static String by(String by) {
    return by == null || by.isBlank() ? "unknown" : by;
  }

  private static String truncate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200);
  }

  static String format(Duration d) {
    return d.toString().substring(2).toLowerCase(Locale.ROOT);
  }
}
