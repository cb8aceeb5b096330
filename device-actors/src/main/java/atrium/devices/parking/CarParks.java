package atrium.devices.parking;

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

/** Car parks at the doors: read-only aggregates kept by the parking projection. */
public final class CarParks implements TwinKind {

  @Override
  public AssetKind kind() {
    return AssetKind.CAR_PARK;
  }

  @Override
  public void start(AtriumRuntime runtime) {
    runtime.register(CarPark.KIND);
    if (runtime.database().isPresent()) {
      ParkingProjection.init(runtime.services(), runtime.database().get());
    } else if (runtime.cassandra().isPresent()) {
      ParkingProjection.initCassandra(runtime.services());
    } else {
      throw new IllegalStateException("persistence profile '" + runtime.settings().persistenceProfile() + "' has no projection store");
    }
  }

  @Override
  public boolean exists(Site site, String localId) {
    return site.carPark(localId).isPresent();
  }

  @Override
  public CompletionStage<?> ingest(TwinServices services, Envelope envelope) {
    throw new ProtocolException("$.kind", "a car park has no device of its own; its bays and gate cameras report");
  }

  @Override
  public CompletionStage<Optional<Object>> state(TwinServices services, AssetId id) {
    return services.entityRef(CarPark.ENTITY_KEY, id).ask(CarPark.GetState::new, services.askTimeout())
        .thenApply(Optional::of);
  }
}
