package atrium.devices.shelflabel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.alarm.Alarm;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.SimulatedClock;
import atrium.core.protocol.Envelope;
import atrium.core.runtime.AtriumRuntime;
import atrium.core.runtime.TwinServices;
import atrium.core.site.ShelfLabelGroup;
import atrium.core.site.Site;
import atrium.core.testkit.TestTwins;
import atrium.devices.ShardedTwinGateway;
import atrium.devices.TwinGateway;
import atrium.devices.shelflabel.PriceCampaign.Phase;
import atrium.devices.shelflabel.PriceCampaign.Progress;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole node on its H2 journal with a simulated fleet of the demo mall's 20,000 labels: a campaign
 * over all of them completes with every answering label acknowledged at its new price, and the
 * labels that never answer end failed, each with its alarm.
 */
class PriceCampaignOverTheDemoMallTest {
  private static final ActorTestKit waiter = ActorTestKit.create("waiter");
  private static final String SITE = "demo-mall";
  private static final String CAMPAIGN = "xmas-2026";

  @TempDir
  Path dataDir;

  @AfterAll
  static void stop() {
    waiter.shutdownTestKit();
  }

  private Config config() {
    return ConfigFactory.parseMap(Map.of(
        "atrium.data-dir", dataDir.toString(),
        "atrium.site-files", List.of(TestTwins.demoMallFile().toString()),
        "pekko.remote.artery.canonical.port", 0,
        "atrium.clock.mode", "manual"));
  }

  private static BigDecimal priceOf(int n) {
    return BigDecimal.valueOf(1000 + n % 5000, 2);
  }

  /** The demo mall's labels, in the site's order. */
  private static List<String> demoLabels(Site site) {
    List<String> labels = new ArrayList<>();
    for (ShelfLabelGroup g : site.devices().shelfLabelGroups()) {
      for (int n = 1; n <= g.count(); n++) labels.add(g.labelId(n));
    }
    return labels;
  }

  /**
   * A simulated fleet of labels subscribed to the site's device commands: every label but the
   * silent ones answers set-price with an ok ack, through the doors' gateway, a bounded number at once.
   */
  static final class Fleet {
    final AtomicInteger commands = new AtomicInteger();
    final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    final TwinGateway gateway;

    Fleet(AtriumRuntime runtime, ShelfLabels kind, Set<String> silent) {
      TwinServices services = runtime.services();
      this.gateway = new ShardedTwinGateway(services, List.of(kind), java.util.Map.of());
      BoundedSourceQueue<Envelope.Ack> acks = Source.<Envelope.Ack>queue(30_000)
          .mapAsyncUnordered(64, ack -> gateway.ingest(ack).handle((r, e) -> {
            if (e != null) problems.add(ack.asset() + ": " + e);
            return ack;
          }))
          .to(Sink.ignore())
          .run(Materializer.matFromSystem(runtime.system()));
      ActorRef<Envelope.Command> fleet = runtime.system().systemActorOf(Behaviors.<Envelope.Command>receiveMessage(c -> {
        commands.incrementAndGet();
        if (c.name().equals("set-price") && !silent.contains(c.asset().localId())) {
          var ack = new Envelope.Ack("ack-" + c.id(), c.asset(), runtime.clock().now(), c.id(), Envelope.AckStatus.OK, null);
          if (acks.offer(ack) != QueueOfferResult.enqueued()) problems.add("ack of " + c.asset() + " dropped");
        }
        return Behaviors.same();
      }), "label-fleet", Props.empty());
      services.commands().deliverTo(SITE, fleet);
      AssetId probe = AssetId.of(SITE, AssetKind.SHELF_LABEL, "ESL-S-L1-01-00001");
      awaitAssert(Duration.ofSeconds(20), () -> {
        services.commands().send(new Envelope.Command("ping", probe, runtime.clock().now(), "ping", null));
        assertTrue(commands.get() > 0, "the fleet is subscribed");
      });
    }
  }

  @Test
  void aCampaignOverEveryDemoLabelAcknowledgesTheAnsweringAndFailsTheSilentWithAlarms() throws Exception {
    long started = System.nanoTime();
    try (AtriumRuntime runtime = AtriumRuntime.start(config())) {
      ShelfLabels kind = new ShelfLabels();
      kind.start(runtime);
      TwinServices services = runtime.services();
      SimulatedClock clock = (SimulatedClock) runtime.clock();
      List<String> labels = demoLabels(services.sites().site(SITE).orElseThrow());
      assertEquals(20_000, labels.size());
      Set<String> silent = new HashSet<>();
      for (int i = 0; i < labels.size(); i += 400) silent.add(labels.get(i));
      Fleet fleet = new Fleet(runtime, kind, silent);
      TwinGateway gateway = fleet.gateway;

      List<PriceCampaigns.LabelPrice> prices = new ArrayList<>();
      for (int i = 0; i < labels.size(); i++) prices.add(new PriceCampaigns.LabelPrice(labels.get(i), priceOf(i)));
      PriceCampaigns campaigns = new PriceCampaigns(services, ShelfLabelSettings.create(runtime.system().settings().config()));
      Progress running = campaigns.start(SITE, CAMPAIGN, prices, "pricing-office").toCompletableFuture().get(60, TimeUnit.SECONDS);
      assertEquals(Phase.RUNNING, running.state());
      assertEquals(20_000, running.total());

      int answering = labels.size() - silent.size();
      awaitAssert(Duration.ofSeconds(150), () -> {
        Progress p = progress(campaigns);
        assertEquals(20_000, p.dispatched(), p.toString());
        assertEquals(answering, p.acknowledged(), p.toString());
      });
      long acknowledgedAfter = System.nanoTime();
      assertEquals(Phase.RUNNING, progress(campaigns).state(), "the silent labels are still pending");

      clock.advance(Duration.ofMinutes(10).plusSeconds(30)); // past the labels' deadline
      // Time goes on (the campaign settles its progress on the clock): outcomes that arrive after the
      // jump past the deadline are counted at the next second of clock time.
      awaitAssert(Duration.ofSeconds(60), () -> {
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Phase.COMPLETED, progress(campaigns).state());
      });
      Progress done = progress(campaigns);
      assertEquals(answering, done.acknowledged());
      assertEquals(silent.size(), done.failed());
      assertEquals(0, done.superseded());
      assertEquals(0, done.pending());
      assertEquals(Set.copyOf(silent), Set.copyOf(done.failures().stream().map(PriceCampaign.Failure::labelId).toList()));
      JsonNode door = gateway.state(AssetId.of(SITE, AssetKind.SHELF_LABEL, "campaign." + CAMPAIGN))
          .toCompletableFuture().get(10, TimeUnit.SECONDS).orElseThrow();
      assertEquals("COMPLETED", door.get("state").asText());

      // Every label, as the twin holds it.
      List<String> wrong = Source.range(0, labels.size() - 1)
          .mapAsyncUnordered(64, i -> Stages.plain(services.entityRef(ShelfLabel.ENTITY_KEY,
                  AssetId.of(SITE, AssetKind.SHELF_LABEL, labels.get(i))).ask(ShelfLabel.GetState::new, Duration.ofSeconds(10)))
              .thenApply(v -> silent.contains(v.labelId())
                  ? (v.priceChangeFailed() && v.last() != null && v.last().outcome() == ShelfLabel.Outcome.FAILED && v.price() == null ? "" : v.toString())
                  : (priceOf(i).equals(v.price()) && v.pending() == null && v.last() != null && v.last().outcome() == ShelfLabel.Outcome.ACKNOWLEDGED
                      ? "" : v.toString())))
          .filter(s -> !s.isEmpty())
          .runWith(Sink.seq(), runtime.system())
          .toCompletableFuture().get(120, TimeUnit.SECONDS);
      assertEquals(List.of(), wrong.subList(0, Math.min(5, wrong.size())), wrong.size() + " labels are not as expected");

      for (String id : silent) {
        AssetId label = AssetId.of(SITE, AssetKind.SHELF_LABEL, id);
        awaitAssert(Duration.ofSeconds(20), () -> {
          Alarm.View alarm = services.entityRef(Alarm.ENTITY_KEY, Alarm.idFor(label, ShelfLabel.PRICE_CHANGE_FAILED))
              .ask(Alarm.GetState::new, Duration.ofSeconds(10)).toCompletableFuture().get(15, TimeUnit.SECONDS);
          assertEquals(Alarm.AlarmState.UNACKNOWLEDGED, alarm.state(), id);
          assertEquals(label, alarm.source());
        });
      }
      AssetId answered = AssetId.of(SITE, AssetKind.SHELF_LABEL, labels.get(1));
      Alarm.View none = services.entityRef(Alarm.ENTITY_KEY, Alarm.idFor(answered, ShelfLabel.PRICE_CHANGE_FAILED))
          .ask(Alarm.GetState::new, Duration.ofSeconds(10)).toCompletableFuture().get(15, TimeUnit.SECONDS);
      assertEquals(null, none.source(), "an answering label raised no alarm");
      clock.advance(Duration.ofMinutes(1)); // the directory's next watch
      awaitAssert(Duration.ofSeconds(20), () -> {
        CampaignDirectory.Listing listing = campaigns.list(SITE).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(List.of(), listing.running());
        assertEquals(CAMPAIGN, listing.ended().get(0).campaignId());
        assertEquals(answering, listing.ended().get(0).acknowledged());
      });
      assertEquals(List.of(), List.copyOf(fleet.problems));
      System.out.printf("price campaign over %d labels (%d silent): all answering labels acknowledged %.1f s after the "
              + "node started, campaign completed and checked in %.1f s%n", labels.size(), silent.size(),
          (acknowledgedAfter - started) / 1e9, (System.nanoTime() - started) / 1e9);
    }
  }

  @Test
  void aCampaignStoppedByARestartResumesOnTheNextStartAndCompletes() throws Exception {
    List<String> labels;
    List<PriceCampaigns.LabelPrice> prices = new ArrayList<>();
    try (AtriumRuntime runtime = AtriumRuntime.start(config())) {
      ShelfLabels kind = new ShelfLabels();
      kind.start(runtime);
      labels = demoLabels(runtime.services().sites().site(SITE).orElseThrow()).subList(0, 300);
      Fleet fleet = new Fleet(runtime, kind, Set.copyOf(labels)); // the labels' radio is down: nobody answers
      for (int i = 0; i < labels.size(); i++) prices.add(new PriceCampaigns.LabelPrice(labels.get(i), priceOf(i)));
      PriceCampaigns campaigns = new PriceCampaigns(runtime.services(), ShelfLabelSettings.create(runtime.system().settings().config()));
      campaigns.start(SITE, CAMPAIGN, prices, "pricing-office").toCompletableFuture().get(60, TimeUnit.SECONDS);
      awaitAssert(Duration.ofSeconds(30), () -> assertEquals(300, progress(campaigns).dispatched()));
      awaitAssert(Duration.ofSeconds(30), () -> assertTrue(fleet.commands.get() >= 300));
    }
    // The node stops with every change pending; the next node's fleet answers. Nobody asks for the
    // campaign: the site's directory, watched by the node, wakes it, and it wakes its labels.
    try (AtriumRuntime runtime = AtriumRuntime.start(config())) {
      ShelfLabels kind = new ShelfLabels();
      kind.start(runtime);
      Fleet fleet = new Fleet(runtime, kind, Set.of());
      SimulatedClock clock = (SimulatedClock) runtime.clock();
      PriceCampaigns campaigns = new PriceCampaigns(runtime.services(), ShelfLabelSettings.create(runtime.system().settings().config()));
      awaitAssert(Duration.ofSeconds(60), () -> {
        clock.advance(Duration.ofSeconds(10)); // the labels re-send on their schedule, the first time after 30 s
        CampaignDirectory.Listing listing = campaigns.list(SITE).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(List.of(), listing.running());
        assertEquals(300, listing.ended().get(0).acknowledged());
      });
      ShelfLabel.View last = runtime.services().entityRef(ShelfLabel.ENTITY_KEY, AssetId.of(SITE, AssetKind.SHELF_LABEL,
          labels.get(299))).ask(ShelfLabel.GetState::new, Duration.ofSeconds(10)).toCompletableFuture().get(15, TimeUnit.SECONDS);
      assertEquals(priceOf(299), last.price());
      assertEquals(List.of(), List.copyOf(fleet.problems));
    }
  }

  private static Progress progress(PriceCampaigns campaigns) {
    try {
      return campaigns.progress(SITE, CAMPAIGN).toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private interface Check {
    void run() throws Exception;
  }

  private static void awaitAssert(Duration max, Check check) {
    waiter.createTestProbe().awaitAssert(max, Duration.ofMillis(500), () -> {
      try {
        check.run();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return null;
    });
  }
}
