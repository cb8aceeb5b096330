package atrium.devices;

import atrium.core.asset.AssetId;
import atrium.core.protocol.Envelope;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What the doors (HTTP, MQTT, the simulator in-process) see of the twin: apply a device envelope to
 * its asset, and read an asset's current state. Implemented over Cluster Sharding by
 * a sharded gateway in this module.
 *
 * <p>Failures complete the stage exceptionally with {@link TwinException} subtypes, or with
 * {@link atrium.core.protocol.ProtocolException} when the envelope's data is wrong for its kind.
 */
public interface TwinGateway {

  /** Applies the envelope; completes once the twin has persisted (or folded) it. */
  CompletionStage<Ingested> ingest(Envelope envelope);

  /** The asset's current state as JSON, or empty when the site has no such asset. */
  CompletionStage<Optional<JsonNode>> state(AssetId asset);

  /** A site's summary (name, floors, asset counts) and its live roll-ups, or empty when not served here. */
  CompletionStage<Optional<JsonNode>> site(String site);

  /**
   * The site's alarms as its roll-up knows them (each alarm's view), or empty when the site is not
   * served here (the default, for gateways without roll-ups).
   */
  default CompletionStage<Optional<atrium.devices.site.SiteRollup.SiteAlarms>> alarms(String site) {
    return java.util.concurrent.CompletableFuture.completedFuture(Optional.empty());
  }

  /** Ids of the sites this node serves. */
  List<String> sites();

  /** The outcome of an applied envelope. */
  enum Ingested {
    /** The twin took it (its state may or may not have changed). */
    APPLIED,
    /** The twin had already applied a message with this id; nothing changed. */
    DUPLICATE
  }
}
