package atrium.devices.parking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.runtime.AtriumRuntime;
import atrium.core.testkit.TestTwins;
import atrium.devices.parking.ParkingBay.Status;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A surge must not kill twins. With Pekko's defaults, 20,000 simultaneous persists overflow the JDBC
 * journal's queue, open its circuit breaker and stop most entities (shared/STACK.md). Here 20,000
 * bays are each sent a persisting command at the same instant, bypassing the door's limit; some may
 * be refused or time out, but afterwards every twin answers, and every acknowledged change is there.
 */
class SurgeTest {
  private static final int BAYS = 20_000;
  private static final ActorTestKit waiter = ActorTestKit.create("waiter");

  @TempDir
  Path dataDir;

  @AfterAll
  static void stop() {
    waiter.shutdownTestKit();
  }

  @Test
  void twentyThousandSimultaneousPersistsLeaveEveryTwinAnsweringAndNothingAcknowledgedLost() throws Exception {
    Path site = TestTwins.siteWithBays(dataDir, BAYS);
    try (AtriumRuntime runtime = AtriumRuntime.start(ConfigFactory.parseMap(Map.of(
        "atrium.data-dir", dataDir.resolve("data").toString(),
        "atrium.site-files", List.of(site.toString()),
        "pekko.remote.artery.canonical.port", 0,
        "atrium.clock.mode", "manual")))) {
      runtime.register(ParkingBay.kind(new ParkingSettings(Duration.ofMinutes(1), Duration.ofHours(24))));
      var services = runtime.services();
      List<String> ids = new ArrayList<>();
      for (int i = 1; i <= BAYS; i++) ids.add(String.format(java.util.Locale.ROOT, "P1-B1-%06d", i));
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      Instant at = runtime.clock().now();

      List<CompletableFuture<?>> surge = new ArrayList<>(BAYS);
      for (String id : ids) {
        surge.add(services.entityRef(ParkingBay.ENTITY_KEY, AssetId.of("example-plaza", AssetKind.PARKING_BAY, id))
            .<ParkingBay.View>askWithStatus(r -> new ParkingBay.SensorReading(true, null, at, r), Duration.ofSeconds(20))
            .toCompletableFuture()
            .whenComplete((v, e) -> {
              if (e == null) acknowledged.add(id);
            }));
      }
      CompletableFuture.allOf(surge.stream().map(f -> f.handle((v, e) -> null)).toArray(CompletableFuture[]::new))
          .get(3, TimeUnit.MINUTES);
      assertTrue(acknowledged.size() > 0, "the surge was served at least in part");

      // Afterwards every twin answers (restarted with back-off if the journal refused it), and every
      // acknowledged change is in its state.
      List<String> wrong = new ArrayList<>();
      for (int from = 0; from < BAYS; from += 500) {
        List<CompletableFuture<ParkingBay.View>> batch = new ArrayList<>();
        for (String id : ids.subList(from, Math.min(BAYS, from + 500))) batch.add(stateOf(runtime, id));
        for (var f : batch) {
          ParkingBay.View v = f.get(2, TimeUnit.MINUTES);
          if (acknowledged.contains(v.bayId()) && v.status() != Status.OCCUPIED) wrong.add(v.bayId());
        }
      }
      assertEquals(List.of(), wrong, "acknowledged but not occupied");
    }
  }

  /** The bay's state, asking again (as a client would) until it answers. */
  private static CompletableFuture<ParkingBay.View> stateOf(AtriumRuntime runtime, String id) {
    var ref = runtime.services().entityRef(ParkingBay.ENTITY_KEY, AssetId.of("example-plaza", AssetKind.PARKING_BAY, id));
    CompletableFuture<ParkingBay.View> result = new CompletableFuture<>();
    retry(ref, result, 20);
    return result;
  }

  private static void retry(org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<ParkingBay.Command> ref,
      CompletableFuture<ParkingBay.View> result, int attemptsLeft) {
    ref.ask(ParkingBay.GetState::new, Duration.ofSeconds(5)).whenComplete((v, e) -> {
      if (e == null) result.complete(v);
      else if (attemptsLeft > 1) retry(ref, result, attemptsLeft - 1);
      else result.completeExceptionally(e);
    });
  }
}
