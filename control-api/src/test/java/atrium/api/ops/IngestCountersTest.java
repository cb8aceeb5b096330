package atrium.api.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.protocol.DeviceProtocol;
import atrium.core.protocol.Envelope;
import atrium.devices.TwinException;
import atrium.devices.TwinGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class IngestCountersTest {
  private static final AssetId ZONE = AssetId.of("demo-mall", AssetKind.HVAC_ZONE, "AHU-L1-01");

  /** Answers each message by its id: "dup…" duplicate, "bad…" refused, else applied. */
  private static final TwinGateway TWIN = new TwinGateway() {
    @Override
    public CompletionStage<Ingested> ingest(Envelope e) {
      if (e.id().startsWith("dup")) return CompletableFuture.completedFuture(Ingested.DUPLICATE);
      if (e.id().startsWith("bad")) return CompletableFuture.failedFuture(new TwinException.Rejected("no"));
      return CompletableFuture.completedFuture(Ingested.APPLIED);
    }

    @Override
    public CompletionStage<Optional<JsonNode>> state(AssetId asset) {
      return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public CompletionStage<Optional<JsonNode>> site(String site) {
      return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public List<String> sites() {
      return List.of("demo-mall");
    }
  };

  private static Envelope.Telemetry telemetry(String id, int fields) {
    var data = DeviceProtocol.mapper().createObjectNode();
    for (int i = 0; i < fields; i++) data.put("f" + i, i);
    return new Envelope.Telemetry(id, ZONE, Instant.parse("2026-12-24T06:00:00Z"), data);
  }

  @Test
  void countsMessagesByOutcomeAndThePointsOfAppliedTelemetryOnly() {
    IngestCounters counters = new IngestCounters(TWIN);
    counters.ingest(telemetry("m-1", 8));
    counters.ingest(telemetry("m-2", 3));
    counters.ingest(telemetry("dup-1", 8));
    counters.ingest(telemetry("bad-1", 8));
    counters.ingest(new Envelope.Event("m-3", ZONE, Instant.parse("2026-12-24T06:00:00Z"), "button", DeviceProtocol.mapper().createObjectNode()));

    assertEquals(3, counters.applied());
    assertEquals(1, counters.duplicates());
    assertEquals(1, counters.failed());
    assertEquals(11, counters.points());
  }

  @Test
  void theTwinsAnswerPassesThroughUnchanged() {
    IngestCounters counters = new IngestCounters(TWIN);
    assertEquals(TwinGateway.Ingested.DUPLICATE, counters.ingest(telemetry("dup-2", 1)).toCompletableFuture().join());
    assertTrue(counters.ingest(telemetry("bad-2", 1)).toCompletableFuture().isCompletedExceptionally());
  }

  @Test
  void metricsExportTheCountsAsPrometheusCounters() {
    IngestCounters counters = new IngestCounters(TWIN);
    counters.ingest(telemetry("m-1", 8));
    counters.ingest(telemetry("dup-1", 8));
    try (Metrics metrics = new Metrics()) {
      metrics.bindIngest(counters);
      String text = metrics.scrape();
      assertTrue(text.contains("atrium_ingest_messages_total{outcome=\"applied\"} 1.0"), text);
      assertTrue(text.contains("atrium_ingest_messages_total{outcome=\"duplicate\"} 1.0"), text);
      assertTrue(text.contains("atrium_ingest_messages_total{outcome=\"failed\"} 0.0"), text);
      assertTrue(text.contains("atrium_ingest_points_total 8.0"), text);
    }
  }
}
