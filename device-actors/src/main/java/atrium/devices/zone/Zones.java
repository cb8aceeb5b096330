package atrium.devices.zone;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.protocol.Envelope;
import atrium.core.protocol.ProtocolException;
import atrium.core.runtime.AtriumRuntime;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Site;
import atrium.devices.TwinKind;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Zones at the doors: every zone of the site model, kept by its cameras; no device speaks for a zone.
 * {@code sink} hears of occupancy changes (the integrator passes one that tells the HVAC zones).
 */
public final class Zones implements TwinKind {
  private final OccupancySink sink;

  public Zones() {
    this(OccupancySink.NONE);
  }

  public Zones(OccupancySink sink) {
    this.sink = sink;
  }

  @Override
  public AssetKind kind() {
    return AssetKind.ZONE;
  }

  @Override
  public void start(AtriumRuntime runtime) {
    runtime.register(Zone.kind(ZoneSettings.create(runtime.system().settings().config()), sink));
  }

  @Override
  public boolean exists(Site site, String localId) {
    return site.zone(localId).isPresent();
  }

  @Override
  public CompletionStage<?> ingest(TwinServices services, Envelope envelope) {
    throw new ProtocolException("$.kind", "a zone has no device of its own; its cameras report (kind 'camera')");
  }

  @Override
  public CompletionStage<Optional<Object>> state(TwinServices services, AssetId id) {
    return services.entityRef(Zone.ENTITY_KEY, id).ask(Zone.GetState::new, services.askTimeout())
        .thenApply(Optional::of);
  }
}
