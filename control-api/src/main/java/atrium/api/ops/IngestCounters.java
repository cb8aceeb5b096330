package atrium.api.ops;

import atrium.core.asset.AssetId;
import atrium.core.protocol.Envelope;
import atrium.devices.TwinGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;

/**
 * The twin as the doors see it, counting what they hand it: device messages by how the twin answered
 * (applied, duplicate, failed — refused, unknown asset, bad data or unavailable) and the data points
 * of the telemetry it applied (one per field of {@code data}). {@link Metrics#bindIngest} exports
 * them; the ingest benchmark reads them from {@code /metrics}.
 */
public final class IngestCounters implements TwinGateway {
  private final TwinGateway twin;
  private final LongAdder applied = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder points = new LongAdder();

  public IngestCounters(TwinGateway twin) {
    this.twin = twin;
  }

  @Override
  public CompletionStage<Ingested> ingest(Envelope envelope) {
    return twin.ingest(envelope).whenComplete((outcome, failure) -> count(envelope, outcome, failure));
  }

  private void count(Envelope envelope, Ingested outcome, Throwable failure) {
    if (failure != null) {
      failed.increment();
    } else if (outcome == Ingested.DUPLICATE) {
      duplicates.increment();
    } else {
      applied.increment();
      if (envelope instanceof Envelope.Telemetry t) points.add(t.data().size());
    }
  }

  public long applied() {
    return applied.sum();
  }

  public long duplicates() {
    return duplicates.sum();
  }

  public long failed() {
    return failed.sum();
  }

  /** Data points of the telemetry envelopes applied. */
  public long points() {
    return points.sum();
  }

  @Override
  public CompletionStage<Optional<JsonNode>> state(AssetId asset) {
    return twin.state(asset);
  }

  @Override
  public CompletionStage<Optional<JsonNode>> site(String site) {
    return twin.site(site);
  }

  @Override
  public CompletionStage<Optional<atrium.devices.site.SiteRollup.SiteAlarms>> alarms(String site) {
    return twin.alarms(site);
  }

  @Override
  public List<String> sites() {
    return twin.sites();
  }
}
