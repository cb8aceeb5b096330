package atrium.devices.shelflabel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.clock.SimulatedClock;
import atrium.core.testkit.TestTwins;
import atrium.devices.shelflabel.CampaignDirectory.Command;
import atrium.devices.shelflabel.CampaignDirectory.Entry;
import atrium.devices.shelflabel.CampaignDirectory.Event;
import atrium.devices.shelflabel.CampaignDirectory.State;
import atrium.devices.shelflabel.PriceCampaign.Phase;
import atrium.devices.shelflabel.PriceCampaign.Progress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CampaignDirectoryTest {
  private static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config()
      .withFallback(com.typesafe.config.ConfigFactory.load()));
  private static final Instant T0 = Instant.parse("2026-12-24T01:00:00Z");

  private final SimulatedClock clock = new SimulatedClock(T0);
  /** What each campaign answers when asked; a campaign absent here does not exist. */
  private final Map<String, Object> answers = new ConcurrentHashMap<>();
  private final List<String> polled = new CopyOnWriteArrayList<>();
  private final EventSourcedBehaviorTestKit<Command, Event, State> directory = EventSourcedBehaviorTestKit.create(
      testKit.system(), CampaignDirectory.create("demo-mall", TestTwins.unsharded(testKit.system(), clock), this::progress));

  @AfterEach
  void clear() {
    directory.clear();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private CompletableFuture<Progress> progress(String id) {
    polled.add(id);
    Object a = answers.get(id);
    if (a instanceof Progress p) return CompletableFuture.completedFuture(p);
    if (a instanceof Throwable t) return CompletableFuture.failedFuture(t);
    return CompletableFuture.failedFuture(new StatusReply.ErrorMessage("no price campaign '" + id + "' in site demo-mall"));
  }

  private static Progress progress(String id, Phase phase, int ack, int failed) {
    return new Progress("demo-mall", id, phase, "pricing", ack + failed, ack + failed, ack, failed, 0,
        phase == Phase.COMPLETED ? 0 : 1, T0, T0, phase == Phase.COMPLETED ? T0.plusSeconds(90) : null, List.of());
  }

  private StatusReply<Done> register(String id) {
    return directory.<StatusReply<Done>>runCommand(r -> new CampaignDirectory.Register(id, 20_000, "pricing", r)).reply();
  }

  private void watch() {
    directory.runCommand(CampaignDirectory.Watch.INSTANCE);
  }

  @Test
  void aRegisteredCampaignIsListedAsRunningAndRegisteringAgainIsHarmless() {
    var result = directory.<StatusReply<Done>>runCommand(r -> new CampaignDirectory.Register("xmas", 20_000, "pricing", r));
    assertInstanceOf(CampaignDirectory.CampaignRegistered.class, result.event());
    assertTrue(result.reply().isSuccess());
    var again = directory.<StatusReply<Done>>runCommand(r -> new CampaignDirectory.Register("xmas", 20_000, "pricing", r));
    assertTrue(again.hasNoEvents());
    var listing = directory.<CampaignDirectory.Listing>runCommand(CampaignDirectory.GetCampaigns::new).reply();
    assertEquals(List.of(new Entry("xmas", 20_000, "pricing", T0, 0, 0, 0, null)), listing.running());
    assertEquals(List.of(), listing.ended());
  }

  @Test
  void watchingAsksEveryRunningCampaignAndMovesTheCompletedToTheEnded() {
    register("xmas");
    register("spring");
    answers.put("xmas", progress("xmas", Phase.COMPLETED, 19_950, 50));
    answers.put("spring", progress("spring", Phase.RUNNING, 10, 0));
    watch();
    awaitAssert(() -> assertEquals(1, directory.getState().ended().size()));
    assertTrue(polled.containsAll(List.of("xmas", "spring")), "asking wakes a campaign that a restart stopped");
    Entry ended = directory.getState().ended().get(0);
    assertEquals(new Entry("xmas", 20_000, "pricing", T0, 19_950, 50, 0, T0.plusSeconds(90)), ended);
    assertEquals(List.of("spring"), directory.getState().running().stream().map(Entry::campaignId).toList());
  }

  @Test
  void aCampaignThatNeverStartedIsForgottenAfterAnHourButOneThatDoesNotAnswerIsKept() {
    register("broken-off");
    register("busy");
    answers.put("busy", new TimeoutException("ask timed out"));
    clock.advance(Duration.ofMinutes(30));
    watch();
    awaitAssert(() -> assertEquals(2, polled.size()));
    assertEquals(2, directory.getState().running().size());
    clock.advance(Duration.ofMinutes(31));
    watch();
    awaitAssert(() -> assertEquals(List.of("busy"), directory.getState().running().stream().map(Entry::campaignId).toList()));
    assertEquals(List.of(), directory.getState().ended());
  }

  @Test
  void theEndedListKeepsTheLastFifty() {
    for (int i = 0; i < CampaignDirectory.MAX_ENDED + 5; i++) {
      String id = "c-" + i;
      register(id);
      answers.put(id, progress(id, Phase.COMPLETED, 1, 0));
      watch();
      int ended = Math.min(i + 1, CampaignDirectory.MAX_ENDED);
      awaitAssert(() -> assertEquals(ended, directory.getState().ended().size()));
    }
    List<Entry> ended = directory.getState().ended();
    assertEquals("c-" + (CampaignDirectory.MAX_ENDED + 4), ended.get(0).campaignId(), "most recent first");
    assertEquals(List.of(), directory.getState().running());
    assertEquals(ended, directory.restart().state().ended());
  }

  private static void awaitAssert(Runnable check) {
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      check.run();
      return null;
    });
  }
}
