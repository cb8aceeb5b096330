package atrium.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.json.Json;
import atrium.core.protocol.Envelope;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RecentMessagesTest {
  private final AtomicInteger applied = new AtomicInteger();

  private static Envelope telemetry(String id, String asset) {
    return new Envelope.Telemetry(id, AssetId.of("mall", AssetKind.CAMERA, asset), Instant.EPOCH, Json.MAPPER.createObjectNode());
  }

  private CompletionStage<?> apply() {
    applied.incrementAndGet();
    return CompletableFuture.completedFuture(null);
  }

  private static TwinGateway.Ingested result(CompletionStage<TwinGateway.Ingested> s) throws Exception {
    return s.toCompletableFuture().get();
  }

  @Test
  void aMessageSentAgainWithTheSameIdIsADuplicateAndAppliedOnce() throws Exception {
    RecentMessages recent = new RecentMessages(100);
    assertEquals(TwinGateway.Ingested.APPLIED, result(recent.once(telemetry("m-1", "CAM-1"), this::apply)));
    assertEquals(TwinGateway.Ingested.DUPLICATE, result(recent.once(telemetry("m-1", "CAM-1"), this::apply)));
    assertEquals(1, applied.get());
  }

  @Test
  void theSameIdFromAnotherAssetIsAnotherMessage() throws Exception {
    RecentMessages recent = new RecentMessages(100);
    result(recent.once(telemetry("m-1", "CAM-1"), this::apply));
    assertEquals(TwinGateway.Ingested.APPLIED, result(recent.once(telemetry("m-1", "CAM-2"), this::apply)));
    assertEquals(2, applied.get());
  }

  @Test
  void aCopyArrivingWhileTheFirstIsBeingAppliedWaitsForItAndIsNotApplied() throws Exception {
    RecentMessages recent = new RecentMessages(100);
    CompletableFuture<Void> slow = new CompletableFuture<>();
    var first = recent.once(telemetry("m-1", "CAM-1"), () -> slow);
    var copy = recent.once(telemetry("m-1", "CAM-1"), this::apply);
    assertTrue(!copy.toCompletableFuture().isDone());
    slow.complete(null);
    assertEquals(TwinGateway.Ingested.APPLIED, result(first));
    assertEquals(TwinGateway.Ingested.DUPLICATE, result(copy));
    assertEquals(0, applied.get());
  }

  @Test
  void aMessageWhoseApplicationFailedIsAppliedWhenSentAgain() throws Exception {
    RecentMessages recent = new RecentMessages(100);
    var failed = recent.once(telemetry("m-1", "CAM-1"), () -> CompletableFuture.failedFuture(new IllegalStateException("journal down")));
    assertThrows(ExecutionException.class, () -> result(failed));
    assertEquals(TwinGateway.Ingested.APPLIED, result(recent.once(telemetry("m-1", "CAM-1"), this::apply)));
    assertEquals(1, applied.get());
  }

  @Test
  void theOldestIdsAreForgottenBeyondTheCapacity() throws Exception {
    RecentMessages recent = new RecentMessages(3);
    for (int i = 1; i <= 4; i++) result(recent.once(telemetry("m-" + i, "CAM-1"), this::apply));
    assertEquals(3, recent.size());
    assertEquals(TwinGateway.Ingested.DUPLICATE, result(recent.once(telemetry("m-4", "CAM-1"), this::apply)));
    assertEquals(TwinGateway.Ingested.APPLIED, result(recent.once(telemetry("m-1", "CAM-1"), this::apply)));
    assertEquals(5, applied.get());
  }
}
