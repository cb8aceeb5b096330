package atrium.devices;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.protocol.Envelope;
import atrium.core.runtime.AtriumRuntime;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Site;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * One asset kind as the doors see it: how it starts (sharding, projections), which assets of a
 * site exist, how a device envelope becomes its entity's command, and how its state is read. Each
 * kind's package has one; {@link Twins} lists them.
 *
 * <p>{@link #ingest} and {@link #state} are only called for assets that {@link #exists}. They
 * throw (or fail the stage with) {@link atrium.core.protocol.ProtocolException} for data wrong for
 * the kind, and the stage fails with {@link org.apache.pekko.pattern.StatusReply.ErrorMessage}
 * (rejected) or a timeout, which the gateway translates.
 */
public interface TwinKind {

  AssetKind kind();

  /** Registers the kind's entities with sharding and starts its projections. */
  void start(AtriumRuntime runtime);

  boolean exists(Site site, String localId);

  /** Applies a device envelope; completes when the twin has taken it (persisted, if it changed meaning). */
  CompletionStage<?> ingest(TwinServices services, Envelope envelope);

  /** The asset's current view (a record), or empty when it has none to show. */
  CompletionStage<Optional<Object>> state(TwinServices services, AssetId id);
}
