package atrium.devices.shelflabel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.alarm.Severity;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.SimulatedClock;
import atrium.core.protocol.Envelope;
import atrium.core.testkit.TestTwins;
import atrium.core.testkit.TestTwins.AlarmReport;
import atrium.devices.shelflabel.ShelfLabel.CampaignItem;
import atrium.devices.shelflabel.ShelfLabel.Command;
import atrium.devices.shelflabel.ShelfLabel.Content;
import atrium.devices.shelflabel.ShelfLabel.Event;
import atrium.devices.shelflabel.ShelfLabel.Outcome;
import atrium.devices.shelflabel.ShelfLabel.State;
import atrium.devices.shelflabel.ShelfLabel.View;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ShelfLabelTest {
  private static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config()
      .withFallback(com.typesafe.config.ConfigFactory.load()));
  private static final Instant T0 = Instant.parse("2026-12-24T01:00:00Z");
  private static final AssetId LABEL = AssetId.of("demo-mall", AssetKind.SHELF_LABEL, "ESL-S-L1-01-00001");
  private static final ShelfLabelSettings SETTINGS = ShelfLabelSettings.defaults();
  private static final Content MILK = new Content("Bright milk 1 L", "12.80 / L", null);

  record Reported(String site, CampaignItem item, String labelId, Outcome outcome, String reason) {}

  private final SimulatedClock clock = new SimulatedClock(T0);
  private final TestTwins.Recorder recorder = new TestTwins.Recorder();
  private final List<Reported> reported = new CopyOnWriteArrayList<>();
  private final EventSourcedBehaviorTestKit<Command, Event, State> label = EventSourcedBehaviorTestKit.create(
      testKit.system(), ShelfLabel.create(LABEL, TestTwins.unsharded(testKit.system(), clock, recorder), SETTINGS,
          (site, item, labelId, outcome, reason) -> reported.add(new Reported(site, item, labelId, outcome, reason))));

  @AfterEach
  void clear() {
    label.clear();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private CommandResultWithReply<Command, Event, State, StatusReply<View>> change(String price) {
    return change(price, null);
  }

  private CommandResultWithReply<Command, Event, State, StatusReply<View>> change(String price, CampaignItem campaign) {
    return label.runCommand(r -> new ShelfLabel.ChangePrice(new BigDecimal(price), MILK, campaign, "pricing", r));
  }

  private CommandResultWithReply<Command, Event, State, StatusReply<View>> ack(String ref, boolean ok, String reason) {
    return label.runCommand(r -> new ShelfLabel.DeviceAck(ref, ok, reason, r));
  }

  private CommandResultWithReply<Command, Event, State, StatusReply<View>> battery(double percent) {
    return label.runCommand(r -> new ShelfLabel.BatteryReading(percent, clock.now(), r));
  }

  private List<Envelope.Command> sent(String name) {
    return recorder.commands.stream().filter(c -> c.name().equals(name)).toList();
  }

  private List<AlarmReport> alarms(String condition) {
    return recorder.alarms.stream().filter(a -> a.condition().equals(condition)).toList();
  }

  @Test
  void aPriceChangeIsPersistedThenSentToTheLabelAsSetPrice() {
    var result = change("12.80");
    var event = assertInstanceOf(ShelfLabel.PriceChangeRequested.class, result.event());
    assertEquals(1280, event.priceCents());
    assertEquals(T0.plus(Duration.ofMinutes(10)), event.deadline());
    View view = result.reply().getValue();
    assertEquals(event.commandId(), view.pending().commandId());
    assertNull(view.price(), "nothing is shown before the label acknowledges");
    Envelope.Command cmd = sent("set-price").get(0);
    assertEquals(event.commandId(), cmd.id());
    assertEquals(LABEL, cmd.asset());
    assertEquals(new BigDecimal("12.80"), cmd.data().get("price").decimalValue());
    assertEquals("CNY", cmd.data().get("currency").asText());
    assertEquals("Bright milk 1 L", cmd.data().get("product").asText());
    assertEquals(1, recorder.deltas.size());
  }

  @Test
  void anOkAckDisplaysThePriceAndContent() {
    String id = change("12.80").reply().getValue().pending().commandId();
    var result = ack(id, true, null);
    var event = assertInstanceOf(ShelfLabel.PriceDisplayed.class, result.event());
    assertEquals(id, event.commandId());
    View view = result.reply().getValue();
    assertEquals(new BigDecimal("12.80"), view.price());
    assertEquals(MILK, view.content());
    assertNull(view.pending());
    assertEquals(Outcome.ACKNOWLEDGED, view.last().outcome());
    assertEquals("S-L1-01", view.zone());
    assertTrue(recorder.alarms.isEmpty(), "no alarm was raised, so none is cleared");
  }

  @Test
  void priceChangeRetriesWithBackOffUntilAcknowledged() {
    String id = change("9.90").reply().getValue().pending().commandId();
    clock.advance(Duration.ofSeconds(29));
    assertEquals(1, sent("set-price").size());
    clock.advance(Duration.ofSeconds(2)); // 31 s: the first retry (30 s)
    awaitSendings(2);
    clock.advance(Duration.ofSeconds(58)); // 89 s: the next is due at 90 s
    assertEquals(2, sent("set-price").size());
    clock.advance(Duration.ofSeconds(2));
    awaitSendings(3);
    assertTrue(sent("set-price").stream().allMatch(c -> c.id().equals(id)), "a retry re-sends the same command id");
    assertEquals(id, label.getState().pending().commandId());
    assertInstanceOf(ShelfLabel.PriceDisplayed.class, ack(id, true, null).event());
    clock.advance(Duration.ofMinutes(20));
    assertEquals(3, sent("set-price").size(), "an acknowledged change is not re-sent");
    assertTrue(recorder.alarms.isEmpty());
  }

  @Test
  void anUnacknowledgedChangeFailsAtItsDeadlineWithAnAlarm() {
    change("9.90");
    for (int s = 0; s < 9 * 60; s += 30) {
      clock.advance(Duration.ofSeconds(30));
      label.getState(); // the label has handled what fell due
    }
    awaitSendings(5); // 0, 30 s, 90 s, 210 s, 450 s
    assertNotNull(label.getState().pending());
    clock.advance(Duration.ofMinutes(1));
    awaitFailing();
    State state = label.getState();
    assertNull(state.pending());
    assertEquals(Outcome.FAILED, state.last().outcome());
    assertTrue(state.last().reason().contains("not acknowledged within 10m (5 sendings)"), state.last().reason());
    awaitAssert(() -> assertEquals(1, alarms(ShelfLabel.PRICE_CHANGE_FAILED).size()));
    AlarmReport alarm = alarms(ShelfLabel.PRICE_CHANGE_FAILED).get(0);
    assertEquals(Severity.MEDIUM, alarm.severity());
    assertEquals(LABEL, alarm.source());
    assertTrue(alarm.message().contains("9.90 CNY"), alarm.message());
    clock.advance(Duration.ofMinutes(30));
    assertEquals(5, sent("set-price").size(), "a failed change is not re-sent");
  }

  @Test
  void aPriceShownAfterAFailureClearsThePriceChangeFailedAlarm() {
    change("9.90");
    clock.advance(Duration.ofMinutes(11));
    awaitFailing();
    String second = change("9.50").reply().getValue().pending().commandId();
    assertTrue(label.getState().failing(), "the condition lasts until the label shows a price");
    var shown = ack(second, true, null);
    assertEquals(false, shown.state().failing());
    List<AlarmReport> reports = alarms(ShelfLabel.PRICE_CHANGE_FAILED);
    assertEquals(2, reports.size());
    assertTrue(reports.get(0).raised());
    assertTrue(!reports.get(1).raised());
  }

  @Test
  void aLateAckOfAFailedChangeShowsItsPriceAndClearsTheAlarm() {
    String id = change("9.90").reply().getValue().pending().commandId();
    clock.advance(Duration.ofMinutes(11));
    awaitFailing();
    var late = ack(id, true, null);
    assertInstanceOf(ShelfLabel.PriceDisplayed.class, late.event());
    assertEquals(new BigDecimal("9.90"), late.reply().getValue().price());
    assertEquals(Outcome.ACKNOWLEDGED, late.state().last().outcome());
    assertTrue(!alarms(ShelfLabel.PRICE_CHANGE_FAILED).get(1).raised());
  }

  @Test
  void staleAndUnknownAcksAreTakenAndChangeNothing() {
    String first = change("9.90").reply().getValue().pending().commandId();
    String second = change("9.80").reply().getValue().pending().commandId();
    var stale = ack(first, true, null);
    assertTrue(stale.hasNoEvents());
    assertTrue(stale.reply().isSuccess());
    assertEquals(second, stale.state().pending().commandId());
    assertTrue(ack("price-999", false, "what?").hasNoEvents());
    assertInstanceOf(ShelfLabel.PriceDisplayed.class, ack(second, true, null).event());
    var repeated = ack(second, true, null);
    assertTrue(repeated.hasNoEvents(), "a repeated ack is harmless");
    assertEquals(new BigDecimal("9.80"), repeated.reply().getValue().price());
  }

  @Test
  void aNewerChangeSupersedesAPendingCampaignChangeAndTellsTheCampaign() {
    change("9.90", new CampaignItem("xmas", 7, T0));
    var newer = change("8.80");
    assertEquals(Outcome.SUPERSEDED, newer.state().last().outcome());
    assertEquals(1, reported.size());
    Reported r = reported.get(0);
    assertEquals(Outcome.SUPERSEDED, r.outcome());
    assertEquals("xmas", r.item().campaignId());
    assertEquals(7, r.item().item());
    assertEquals(LABEL.localId(), r.labelId());
  }

  @Test
  void theLabelRefusingAChangeIsRecordedOnceAndTheChangeIsStillResent() {
    String id = change("9.90").reply().getValue().pending().commandId();
    var refused = ack(id, false, "display fault");
    assertInstanceOf(ShelfLabel.PriceChangeRefused.class, refused.event());
    assertEquals("display fault", refused.reply().getValue().pending().deviceError());
    assertTrue(ack(id, false, "display fault").hasNoEvents());
    clock.advance(Duration.ofSeconds(31));
    awaitSendings(2);
    clock.advance(Duration.ofMinutes(10));
    awaitFailing();
    assertTrue(label.getState().last().reason().endsWith("the label answered: display fault"));
  }

  @Test
  void invalidChangesAreRejectedWithAReasonAndPersistNothing() {
    for (String price : List.of("0", "-1.00", "1.234", "1000000.00")) {
      var result = change(price);
      assertTrue(result.hasNoEvents(), price);
      assertTrue(result.reply().isError(), price);
    }
    assertTrue(change("1.234").reply().getError().getMessage().contains("more than two decimals"));
    var tooLong = label.<StatusReply<View>>runCommand(r -> new ShelfLabel.ChangePrice(BigDecimal.ONE,
        new Content("x".repeat(65), null, null), null, "pricing", r));
    assertTrue(tooLong.hasNoEvents());
    assertTrue(tooLong.reply().getError().getMessage().contains("at most 64 characters"));
    assertTrue(recorder.commands.isEmpty());
  }

  @Test
  void aCampaignAskingAgainIsAnsweredFromTheStateWithoutPersisting() {
    CampaignItem xmas = new CampaignItem("xmas", 3, T0);
    String id = change("9.90", xmas).reply().getValue().pending().commandId();
    var again = change("9.90", xmas);
    assertTrue(again.hasNoEvents());
    assertTrue(again.reply().isSuccess());
    assertEquals(1, sent("set-price").size());
    ack(id, true, null);
    assertEquals(List.of(Outcome.ACKNOWLEDGED), reported.stream().map(Reported::outcome).toList());
    var afterAck = change("9.90", xmas);
    assertTrue(afterAck.hasNoEvents());
    assertEquals(List.of(Outcome.ACKNOWLEDGED, Outcome.ACKNOWLEDGED), reported.stream().map(Reported::outcome).toList(),
        "the outcome is reported again");
  }

  @Test
  void aCampaignChangeIssuedBeforeTheLabelsCurrentChangeIsReportedSuperseded() {
    clock.advance(Duration.ofMinutes(1));
    change("7.70");
    var old = change("9.90", new CampaignItem("xmas", 3, T0));
    assertTrue(old.hasNoEvents());
    assertEquals(Outcome.SUPERSEDED, reported.get(0).outcome());
    assertEquals(1, sent("set-price").size());
  }

  @Test
  void lowBatteryIsRaisedOnceAndClearedOnlyAtTheClearLevel() {
    assertTrue(battery(50).hasNoEvents());
    assertInstanceOf(ShelfLabel.BatteryLow.class, battery(14).event());
    assertTrue(battery(12).hasNoEvents());
    assertTrue(battery(16).hasNoEvents(), "above the low level but below the clear level: still low");
    assertTrue(battery(14.5).hasNoEvents());
    var recovered = battery(20);
    assertInstanceOf(ShelfLabel.BatteryRecovered.class, recovered.event());
    assertEquals(false, recovered.reply().getValue().batteryLow());
    List<AlarmReport> reports = alarms(ShelfLabel.LOW_BATTERY);
    assertEquals(2, reports.size());
    assertEquals(Severity.LOW, reports.get(0).severity());
    assertTrue(!reports.get(1).raised());
  }

  @Test
  void aBatteryReadingIsFoldedIntoTheViewAndTheHistoryNotTheJournal() {
    var result = battery(81.6);
    assertTrue(result.hasNoEvents());
    assertEquals(82, result.reply().getValue().battery());
    assertEquals(T0, result.reply().getValue().batteryAt());
    var bad = battery(101);
    assertTrue(bad.reply().isError());
  }

  @Test
  void aFlashIsSentAsACommandAndShownUntilItEnds() {
    var result = label.<StatusReply<View>>runCommand(r -> new ShelfLabel.Flash(ShelfLabel.FlashReason.RESTOCK,
        Duration.ofMinutes(5), "stock-app", r));
    var event = assertInstanceOf(ShelfLabel.FlashRequested.class, result.event());
    assertEquals(T0.plus(Duration.ofMinutes(5)), event.until());
    assertEquals(ShelfLabel.FlashReason.RESTOCK, result.reply().getValue().flash());
    Envelope.Command cmd = sent("flash").get(0);
    assertEquals("restock", cmd.data().get("reason").asText());
    assertEquals(300, cmd.data().get("seconds").asInt());
    assertTrue(ack(cmd.id(), true, null).hasNoEvents(), "a flash's ack changes nothing");
    clock.advance(Duration.ofMinutes(6));
    View after = label.<View>runCommand(ShelfLabel.GetState::new).reply();
    assertNull(after.flash());
  }

  @Test
  void aFlashLongerThanTheLimitIsRejected() {
    var result = label.<StatusReply<View>>runCommand(r -> new ShelfLabel.Flash(ShelfLabel.FlashReason.PICK,
        Duration.ofHours(2), "stock-app", r));
    assertTrue(result.hasNoEvents());
    assertTrue(result.reply().getError().getMessage().contains("at most 1h"), result.reply().getError().getMessage());
  }

  @Test
  void aPendingChangeSurvivesARestartAndIsResentOnSchedule() {
    String id = change("9.90").reply().getValue().pending().commandId();
    clock.advance(Duration.ofSeconds(31));
    awaitSendings(2);
    var restarted = label.restart();
    assertEquals(id, restarted.state().pending().commandId());
    clock.advance(Duration.ofSeconds(30));
    assertEquals(2, sent("set-price").size(), "the sendings before the restart are not repeated");
    clock.advance(Duration.ofSeconds(30)); // 91 s: the third sending
    awaitSendings(3);
    clock.advance(Duration.ofMinutes(10));
    awaitFailing();
  }

  @Test
  void activeConditionsAreReportedAgainOnRecovery() {
    change("9.90");
    battery(10);
    clock.advance(Duration.ofMinutes(11));
    awaitFailing();
    recorder.alarms.clear();
    var restarted = label.restart();
    assertTrue(restarted.state().batteryLow());
    assertEquals(1, alarms(ShelfLabel.PRICE_CHANGE_FAILED).size());
    assertEquals(1, alarms(ShelfLabel.LOW_BATTERY).size());
    assertTrue(recorder.alarms.stream().allMatch(AlarmReport::raised));
  }

  /**
   * Lets clock time go on until the label has failed: its sendings are chained timers, each armed by
   * the label when the previous one is handled, so one big jump of the manual clock can outrun them.
   */
  private void awaitFailing() {
    awaitAssert(() -> {
      clock.advance(Duration.ofSeconds(30));
      assertTrue(label.getState().failing());
    });
  }

  private void awaitSendings(int n) {
    awaitAssert(() -> assertEquals(n, sent("set-price").size()));
  }

  private static void awaitAssert(Runnable check) {
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      check.run();
      return null;
    });
  }
}
