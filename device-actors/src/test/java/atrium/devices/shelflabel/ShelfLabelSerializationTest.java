package atrium.devices.shelflabel;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.devices.shelflabel.PriceCampaign.Failure;
import atrium.devices.shelflabel.PriceCampaign.Item;
import atrium.devices.shelflabel.PriceCampaign.ItemStatus;
import atrium.devices.shelflabel.PriceCampaign.Phase;
import atrium.devices.shelflabel.PriceCampaign.Settlement;
import atrium.devices.shelflabel.ShelfLabel.CampaignItem;
import atrium.devices.shelflabel.ShelfLabel.Change;
import atrium.devices.shelflabel.ShelfLabel.Content;
import atrium.devices.shelflabel.ShelfLabel.FlashReason;
import atrium.devices.shelflabel.ShelfLabel.Outcome;
import atrium.devices.shelflabel.ShelfLabel.Settled;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every persisted shelf-label and campaign message, and those that cross the cluster, survive Jackson CBOR. */
class ShelfLabelSerializationTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final SerializationTestKit serialization = new SerializationTestKit(testKit.system());
  private static final Instant T = Instant.parse("2026-12-24T06:30:00.250Z");
  private static final Content CONTENT = new Content("Bright milk 1 L", "12.80 / L", "2 for 20");
  private static final CampaignItem ITEM = new CampaignItem("xmas-2026", 17, T);

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void everyShelfLabelEventAndStateRoundTrip() {
    Change change = new Change("price-3", 1280, CONTENT, ITEM, "pricing", T, T.plusSeconds(600), "display fault");
    Settled settled = new Settled("price-2", 1290, null, T, Outcome.FAILED, "not acknowledged within 10m", T);
    List<Object> all = List.of(
        new ShelfLabel.PriceChangeRequested("price-3", 1280, CONTENT, ITEM, "pricing", T.plusSeconds(600), T),
        new ShelfLabel.PriceChangeRequested("price-4", 990, null, null, "pricing", T.plusSeconds(600), T),
        new ShelfLabel.PriceChangeRefused("price-3", "display fault", T),
        new ShelfLabel.PriceDisplayed("price-3", 1280, CONTENT, T),
        new ShelfLabel.PriceChangeFailed("price-3", "not acknowledged within 10m (5 sendings)", T),
        new ShelfLabel.FlashRequested("flash-5", FlashReason.PICK, T.plusSeconds(300), "picker", T),
        new ShelfLabel.BatteryLow(12, T),
        new ShelfLabel.BatteryRecovered(80, T),
        ShelfLabel.State.INITIAL,
        new ShelfLabel.State(1290L, CONTENT, T, change, settled, true, 5, true, FlashReason.RESTOCK, T.plusSeconds(60)),
        new ShelfLabel.SendingDue("price-3"));
    all.forEach(m -> serialization.verifySerialization(m, true));
  }

  @Test
  void shelfLabelCommandsAndViewsThatCrossTheClusterRoundTrip() {
    var replyTo = testKit.<org.apache.pekko.pattern.StatusReply<ShelfLabel.View>>createTestProbe().ref();
    ShelfLabel.View view = new ShelfLabel.View("demo-mall", "ESL-S-L1-01-00001", "S-L1-01", new BigDecimal("12.80"), "CNY",
        CONTENT, T, new ShelfLabel.PendingChange("price-4", new BigDecimal("9.90"), "xmas-2026", "pricing", T,
            T.plusSeconds(600), 2, null),
        new ShelfLabel.LastChange("price-3", new BigDecimal("12.80"), null, Outcome.ACKNOWLEDGED, null, T), false, 81, T,
        false, FlashReason.PICK, T.plusSeconds(60));
    List<Object> all = List.of(
        new ShelfLabel.ChangePrice(new BigDecimal("12.80"), CONTENT, ITEM, "pricing", replyTo),
        new ShelfLabel.Flash(FlashReason.RESTOCK, Duration.ofMinutes(5), "stock-app", replyTo),
        new ShelfLabel.BatteryReading(42.5, T, replyTo),
        new ShelfLabel.DeviceAck("price-3", false, "display fault", replyTo),
        view);
    all.forEach(m -> serialization.verifySerialization(m, true));
  }

  @Test
  void everyPriceCampaignEventStateAndMessageRoundTrip() {
    List<Item> items = List.of(new Item("ESL-S-L1-01-00001", 1280), new Item("ESL-S-L1-01-00002", 990));
    var replyTo = testKit.<org.apache.pekko.pattern.StatusReply<PriceCampaign.Progress>>createTestProbe().ref();
    List<Object> all = List.of(
        new PriceCampaign.ItemsAdded(0, items, 2, "pricing", T),
        new PriceCampaign.CampaignStarted(T),
        new PriceCampaign.ProgressRecorded(List.of(0, 1), List.of(new Settlement(1, ItemStatus.FAILED, "silent")), T),
        PriceCampaign.State.EMPTY,
        new PriceCampaign.State(Phase.RUNNING, "pricing", 2, items, List.of(ItemStatus.OK, ItemStatus.FAILED), 0, 0, 1, 1,
            0, List.of(new Failure("ESL-S-L1-01-00002", "silent")), T, T, null),
        new PriceCampaign.AddItems(0, items, 2, "pricing", replyTo),
        new PriceCampaign.GetProgress(replyTo),
        new PriceCampaign.LabelOutcome(1, "ESL-S-L1-01-00002", Outcome.SUPERSEDED, "superseded by price-9"),
        PriceCampaign.FlushDue.INSTANCE,
        PriceCampaign.ReconcileDue.INSTANCE,
        new PriceCampaign.Progress("demo-mall", "xmas-2026", Phase.COMPLETED, "pricing", 2, 2, 1, 1, 0, 0, T, T, T,
            List.of(new Failure("ESL-S-L1-01-00002", "silent"))));
    all.forEach(m -> serialization.verifySerialization(m, true));
    serialization.verifySerialization(AssetId.of("demo-mall", AssetKind.SHELF_LABEL, "campaign.xmas-2026"), true);
  }

  @Test
  void everyCampaignDirectoryEventStateAndMessageRoundTrip() {
    var entry = new CampaignDirectory.Entry("xmas-2026", 20_000, "pricing", T, 19_950, 50, 0, T.plusSeconds(90));
    var running = new CampaignDirectory.Entry("spring", 100, "pricing", T, 0, 0, 0, null);
    List<Object> all = List.of(
        new CampaignDirectory.CampaignRegistered("xmas-2026", 20_000, "pricing", T),
        new CampaignDirectory.CampaignEnded("xmas-2026", 19_950, 50, 0, T.plusSeconds(90), T),
        new CampaignDirectory.CampaignForgotten("spring", T),
        CampaignDirectory.State.EMPTY,
        new CampaignDirectory.State(List.of(running), List.of(entry)),
        new CampaignDirectory.Register("xmas-2026", 20_000, "pricing",
            testKit.<org.apache.pekko.pattern.StatusReply<org.apache.pekko.Done>>createTestProbe().ref()),
        CampaignDirectory.Watch.INSTANCE,
        new CampaignDirectory.GetCampaigns(testKit.<CampaignDirectory.Listing>createTestProbe().ref()),
        new CampaignDirectory.Listing("demo-mall", List.of(running), List.of(entry)));
    all.forEach(m -> serialization.verifySerialization(m, true));
  }
}
