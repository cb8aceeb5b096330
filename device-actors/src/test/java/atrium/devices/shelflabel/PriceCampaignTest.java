package atrium.devices.shelflabel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.asset.AssetId;
import atrium.core.clock.SimulatedClock;
import atrium.core.testkit.TestTwins;
import atrium.devices.shelflabel.PriceCampaign.AddItems;
import atrium.devices.shelflabel.PriceCampaign.Command;
import atrium.devices.shelflabel.PriceCampaign.Event;
import atrium.devices.shelflabel.PriceCampaign.Item;
import atrium.devices.shelflabel.PriceCampaign.ItemStatus;
import atrium.devices.shelflabel.PriceCampaign.Phase;
import atrium.devices.shelflabel.PriceCampaign.Progress;
import atrium.devices.shelflabel.PriceCampaign.State;
import atrium.devices.shelflabel.ShelfLabel.CampaignItem;
import atrium.devices.shelflabel.ShelfLabel.Outcome;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PriceCampaignTest {
  private static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config()
      .withFallback(com.typesafe.config.ConfigFactory.load()));
  private static final Instant T0 = Instant.parse("2026-12-24T01:00:00Z");
  private static final String CAMPAIGN = "xmas-2026";

  /** One ask of a label by the campaign. */
  record Asked(AssetId label, BigDecimal price, CampaignItem item, String by) {}

  private final SimulatedClock clock = new SimulatedClock(T0);
  private final TestTwins.Recorder recorder = new TestTwins.Recorder();
  private final List<Asked> asked = new CopyOnWriteArrayList<>();
  /** Labels whose twin refuses, and labels whose twin never answers. */
  private final Set<String> refusing = new java.util.concurrent.ConcurrentSkipListSet<>();
  private final Set<String> unavailable = new java.util.concurrent.ConcurrentSkipListSet<>();

  @AfterEach
  void clear() {
    PersistenceTestKit.create(testKit.system()).clearAll();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static ShelfLabelSettings settings(int batchSize) {
    ShelfLabelSettings d = ShelfLabelSettings.defaults();
    return new ShelfLabelSettings(d.currency(), d.firstRetry(), d.backoffFactor(), d.maxRetryInterval(), d.deadline(),
        d.batteryLowBelow(), d.batteryClearAt(), d.maxFlash(), 4, batchSize, Duration.ofSeconds(1), 1000, 2,
        Duration.ofMinutes(1), Duration.ofMinutes(1));
  }

  private EventSourcedBehaviorTestKit<Command, Event, State> campaign(int batchSize) {
    return campaign(batchSize, CAMPAIGN);
  }

  private EventSourcedBehaviorTestKit<Command, Event, State> campaign(int batchSize, String id) {
    PriceCampaign.Labels labels = this::changePrice;
    return EventSourcedBehaviorTestKit.create(testKit.system(), PriceCampaign.create(
        PriceCampaign.entityId("demo-mall", id), TestTwins.unsharded(testKit.system(), clock, recorder),
        settings(batchSize), labels));
  }

  private CompletionStage<?> changePrice(AssetId label, BigDecimal price, CampaignItem item, String by) {
    asked.add(new Asked(label, price, item, by));
    if (refusing.contains(label.localId())) {
      return CompletableFuture.failedFuture(new StatusReply.ErrorMessage("price 1.00 is not allowed here"));
    }
    if (unavailable.contains(label.localId())) return CompletableFuture.failedFuture(new TimeoutException("ask timed out"));
    return CompletableFuture.completedFuture("taken");
  }

  private static String label(int n) {
    return String.format("ESL-S-L1-01-%05d", n);
  }

  private static List<Item> items(int from, int count) {
    return IntStream.range(from, from + count).mapToObj(i -> new Item(label(i + 1), 1000 + i)).toList();
  }

  private static CommandResultWithReply<Command, Event, State, StatusReply<Progress>> add(
      EventSourcedBehaviorTestKit<Command, Event, State> c, int offset, List<Item> items, int total) {
    return c.runCommand(r -> new AddItems(offset, items, total, "pricing", r));
  }

  private static EventSourcedBehaviorTestKit<Command, Event, State> started(
      EventSourcedBehaviorTestKit<Command, Event, State> c, int total) {
    add(c, 0, items(0, total), total);
    return c;
  }

  private static void outcome(EventSourcedBehaviorTestKit<Command, Event, State> c, int item, Outcome o, String reason) {
    c.runCommand(new PriceCampaign.LabelOutcome(item, label(item + 1), o, reason));
  }

  private static Progress progress(EventSourcedBehaviorTestKit<Command, Event, State> c) {
    return c.<StatusReply<Progress>>runCommand(PriceCampaign.GetProgress::new).reply().getValue();
  }

  @Test
  void aCampaignStartsWhenItsLastChunkIsInAndAsksEveryLabelToShowItsPrice() {
    var c = campaign(500);
    var first = add(c, 0, items(0, 2), 3);
    var added = assertInstanceOf(PriceCampaign.ItemsAdded.class, first.event());
    assertEquals(2, added.items().size());
    assertEquals(Phase.DRAFT, first.reply().getValue().state());
    assertTrue(asked.isEmpty(), "a draft touches no label");
    var last = add(c, 2, items(2, 1), 3);
    assertEquals(2, last.events().size());
    assertInstanceOf(PriceCampaign.CampaignStarted.class, last.events().get(1));
    assertEquals(Phase.RUNNING, last.reply().getValue().state());
    assertEquals(T0, last.reply().getValue().startedAt());
    awaitAssert(() -> assertEquals(3, asked.size()));
    Asked third = asked.stream().filter(a -> a.item().item() == 2).findFirst().orElseThrow();
    assertEquals(label(3), third.label().localId());
    assertEquals(new BigDecimal("10.02"), third.price());
    assertEquals(new CampaignItem(CAMPAIGN, 2, T0), third.item());
    assertEquals("pricing", third.by());
    awaitAssert(() -> assertEquals(3, progress(c).dispatched()));
  }

  @Test
  void outcomesCompleteTheCampaignWithTheirCounts() {
    var c = started(campaign(500), 3);
    outcome(c, 0, Outcome.ACKNOWLEDGED, null);
    outcome(c, 1, Outcome.FAILED, "not acknowledged within 10m");
    assertEquals(Phase.RUNNING, progress(c).state());
    outcome(c, 2, Outcome.SUPERSEDED, "superseded by price-2");
    awaitAssert(() -> assertEquals(Phase.COMPLETED, c.getState().phase()));
    Progress p = progress(c);
    assertEquals(3, p.total());
    assertEquals(1, p.acknowledged());
    assertEquals(1, p.failed());
    assertEquals(1, p.superseded());
    assertEquals(0, p.pending());
    assertEquals(T0, p.finishedAt());
    assertEquals(List.of(new PriceCampaign.Failure(label(2), "not acknowledged within 10m")), p.failures());
    assertTrue(recorder.deltas.stream().anyMatch(d -> d.view() instanceof Progress pr && pr.state() == Phase.COMPLETED),
        "the completion is published");
    assertEquals("campaign." + CAMPAIGN, recorder.deltas.get(recorder.deltas.size() - 1).asset().localId());
  }

  @Test
  void aRepeatedOrMismatchedOutcomeIsIgnored() {
    var c = started(campaign(500), 2);
    outcome(c, 0, Outcome.ACKNOWLEDGED, null);
    outcome(c, 0, Outcome.FAILED, "late");
    c.runCommand(new PriceCampaign.LabelOutcome(1, label(7), Outcome.FAILED, "not this campaign's label"));
    c.runCommand(new PriceCampaign.LabelOutcome(99, label(99), Outcome.FAILED, "no such item"));
    Progress p = progress(c);
    assertEquals(1, p.acknowledged());
    assertEquals(0, p.failed());
    assertEquals(1, p.pending());
  }

  @Test
  void progressIsPersistedInBatchesNotPerLabel() {
    var c = started(campaign(4), 10);
    awaitAssert(() -> assertEquals(10, progress(c).dispatched()));
    for (int i = 0; i < 10; i++) outcome(c, i, Outcome.ACKNOWLEDGED, null);
    awaitAssert(() -> assertEquals(Phase.COMPLETED, c.getState().phase()));
    var events = c.persistenceTestKit().persistedInStorage("PriceCampaign|demo-mall/" + CAMPAIGN);
    long recorded = events.stream().filter(e -> e instanceof PriceCampaign.ProgressRecorded).count();
    assertTrue(recorded <= 6, "20 dispatches and outcomes in batches of 4: " + recorded + " events");
    State s = c.getState();
    assertEquals(10, s.acknowledged());
    assertTrue(s.statuses().stream().allMatch(st -> st == ItemStatus.OK));
  }

  @Test
  void aPartialBatchIsPersistedAfterTheProgressIntervalOfTheClock() {
    var c = started(campaign(500), 3);
    awaitAssert(() -> assertEquals(3, progress(c).dispatched()));
    outcome(c, 0, Outcome.ACKNOWLEDGED, null);
    assertEquals(0, c.getState().acknowledged(), "not persisted yet");
    assertEquals(1, progress(c).acknowledged(), "but shown");
    clock.advance(Duration.ofSeconds(1));
    awaitAssert(() -> assertEquals(1, c.getState().acknowledged()));
  }

  @Test
  void aRestartedCampaignAsksOnlyTheLabelsWithoutAnOutcomeAgain() {
    var c = started(campaign(500), 3);
    awaitAssert(() -> assertEquals(3, asked.size()));
    outcome(c, 0, Outcome.ACKNOWLEDGED, null);
    clock.advance(Duration.ofSeconds(1));
    awaitAssert(() -> assertEquals(1, c.getState().acknowledged()));
    asked.clear();
    var restarted = c.restart();
    assertEquals(Phase.RUNNING, restarted.state().phase());
    awaitAssert(() -> assertEquals(Set.of(1, 2), Set.copyOf(asked.stream().map(a -> a.item().item()).toList())));
    assertEquals(2, asked.size());
  }

  @Test
  void labelsStillSilentAfterTheDeadlineAreAskedAgain() {
    var c = started(campaign(500), 2);
    awaitAssert(() -> assertEquals(2, progress(c).dispatched()));
    outcome(c, 0, Outcome.ACKNOWLEDGED, null);
    asked.clear();
    clock.advance(Duration.ofMinutes(10));
    assertTrue(asked.isEmpty());
    clock.advance(Duration.ofMinutes(1)); // deadline + reconcile margin
    awaitAssert(() -> assertEquals(List.of(1), asked.stream().map(a -> a.item().item()).toList()));
  }

  @Test
  void aLabelRefusingTheChangeCountsAsFailed() {
    refusing.add(label(2));
    var c = started(campaign(500), 2);
    outcome(c, 0, Outcome.ACKNOWLEDGED, null);
    awaitAssert(() -> assertEquals(Phase.COMPLETED, c.getState().phase()));
    Progress p = progress(c);
    assertEquals(1, p.failed());
    assertTrue(p.failures().get(0).reason().contains("price 1.00 is not allowed here"), p.failures().toString());
  }

  @Test
  void aLabelWhoseTwinNeverTakesTheChangeFailsAfterRepeatedPasses() {
    unavailable.add(label(2));
    var c = started(campaign(500), 2);
    outcome(c, 0, Outcome.ACKNOWLEDGED, null);
    awaitAssert(() -> assertEquals(4, asked.size())); // item 0 once, item 1 three times
    assertEquals(1, progress(c).pending());
    // Each pass over the silent labels waits for the deadline and the margin.
    awaitAssert(() -> {
      clock.advance(Duration.ofMinutes(11));
      assertEquals(Phase.COMPLETED, c.getState().phase());
    });
    assertEquals(3 * (1 + PriceCampaign.PASSES_BEFORE_GIVING_UP), asked.stream().filter(a -> a.item().item() == 1).count());
    assertTrue(progress(c).failures().get(0).reason().contains("did not take the change"));
  }

  @Test
  void unknownAndRepeatedLabelsAreRefusedWithReasonsAndPersistNothing() {
    var c = campaign(500);
    List<Item> bad = List.of(new Item(label(1), 100), new Item("ESL-NOPE-00001", 100), new Item(label(1), 200),
        new Item(label(3), 0));
    var result = add(c, 0, bad, 4);
    assertTrue(result.hasNoEvents());
    String reason = result.reply().getError().getMessage();
    assertTrue(reason.contains("item 1: no shelf label 'ESL-NOPE-00001' in site demo-mall"), reason);
    assertTrue(reason.contains("item 2: label ESL-S-L1-01-00001 is named twice"), reason);
    assertTrue(reason.contains("item 3 (ESL-S-L1-01-00003): a price is 0.01 to 999999.99, not 0.00"), reason);
    assertNull(c.getState().phase());
    assertTrue(c.<StatusReply<Progress>>runCommand(PriceCampaign.GetProgress::new).reply().isError());
  }

  @Test
  void aChunkSentAgainIsHarmlessAndAnotherCampaignUnderTheSameIdIsRefused() {
    var c = started(campaign(500), 2);
    var again = add(c, 0, items(0, 2), 2);
    assertTrue(again.hasNoEvents());
    assertTrue(again.reply().isSuccess());
    var other = add(c, 0, List.of(new Item(label(1), 5555), new Item(label(2), 5555)), 2);
    assertTrue(other.hasNoEvents());
    assertTrue(other.reply().getError().getMessage().contains("already exists with other items"));
    var gap = campaign(500, "gap");
    add(gap, 0, items(0, 1), 3);
    var skipped = add(gap, 2, items(2, 1), 3);
    assertTrue(skipped.hasNoEvents());
    assertTrue(skipped.reply().getError().getMessage().contains("send item 1 next"));
  }

  @Test
  void theStartOfACampaignIsCheckedWholeBeforeAnythingIsSent() {
    var campaigns = new PriceCampaigns(TestTwins.unsharded(testKit.system(), clock, recorder), settings(500));
    List<PriceCampaigns.LabelPrice> prices = new java.util.ArrayList<>();
    for (int i = 1; i <= 15; i++) prices.add(new PriceCampaigns.LabelPrice("ESL-NOPE-" + String.format("%05d", i), BigDecimal.ONE));
    prices.add(new PriceCampaigns.LabelPrice(label(1), new BigDecimal("1.001")));
    String reason = refusal(campaigns.start("demo-mall", CAMPAIGN, prices, "pricing"));
    assertTrue(reason.startsWith("campaign xmas-2026 not started: item 15 (ESL-S-L1-01-00001): price 1.001 has more "
        + "than two decimals; item 0: no shelf label 'ESL-NOPE-00001' in site demo-mall; item 1:"), reason);
    assertTrue(reason.endsWith("; and 6 more"), reason);
    assertTrue(refusal(campaigns.start("demo-mall", "bad id!", prices, "p")).contains("campaign id 'bad id!'"));
    assertTrue(refusal(campaigns.start("no-mall", CAMPAIGN, prices, "p")).contains("no site 'no-mall'"));
    assertTrue(refusal(campaigns.start("demo-mall", CAMPAIGN, List.of(), "p")).contains("names no labels"));
  }

  private static String refusal(CompletionStage<Progress> stage) {
    try {
      stage.toCompletableFuture().join();
      throw new AssertionError("expected a refusal");
    } catch (java.util.concurrent.CompletionException e) {
      assertNotNull(e.getCause());
      return assertInstanceOf(StatusReply.ErrorMessage.class, e.getCause()).getMessage();
    }
  }

  private static void awaitAssert(Runnable check) {
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      check.run();
      return null;
    });
  }
}
