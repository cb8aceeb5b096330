package atrium.devices.parking;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.protocol.DataFields;
import atrium.core.protocol.Envelope;
import atrium.core.protocol.ProtocolException;
import atrium.core.runtime.AtriumRuntime;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Site;
import atrium.devices.TwinKind;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Parking bays at the doors: bay sensors send {@code {"occupied": boolean}} telemetry. */
public final class ParkingBays implements TwinKind {

  @Override
  public AssetKind kind() {
    return AssetKind.PARKING_BAY;
  }

  @Override
  public void start(AtriumRuntime runtime) {
    runtime.register(ParkingBay.kind(ParkingSettings.create(runtime.system().settings().config())));
  }

  @Override
  public boolean exists(Site site, String localId) {
    return site.bay(localId).isPresent();
  }

  @Override
  public CompletionStage<?> ingest(TwinServices services, Envelope envelope) {
    if (!(envelope instanceof Envelope.Telemetry t)) {
      throw new ProtocolException("$.type", "a parking-bay sensor sends telemetry only");
    }
    boolean occupied = DataFields.of(t.data()).only("occupied").requireBoolean("occupied");
    return services.entityRef(ParkingBay.ENTITY_KEY, t.asset())
        .<ParkingBay.View>askWithStatus(r -> new ParkingBay.SensorReading(occupied, t.ts(), r), services.askTimeout());
  }

  @Override
  public CompletionStage<Optional<Object>> state(TwinServices services, AssetId id) {
    return services.entityRef(ParkingBay.ENTITY_KEY, id).ask(ParkingBay.GetState::new, services.askTimeout())
        .thenApply(Optional::of);
  }
}
