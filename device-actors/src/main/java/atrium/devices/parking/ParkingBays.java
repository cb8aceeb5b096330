package atrium.devices.parking;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.privacy.Pseudonymiser;
import atrium.core.protocol.DataFields;
import atrium.core.protocol.Envelope;
import atrium.core.protocol.ProtocolException;
import atrium.core.runtime.AtriumRuntime;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Site;
import atrium.devices.TwinKind;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Parking bays at the doors: bay sensors send {@code {"occupied": boolean}} telemetry; a bay camera
 * may add {@code "plate"}, which is pseudonymised here, before it reaches the entity or a log.
 */
public final class ParkingBays implements TwinKind {
  private final Pseudonymiser pseudonymiser;

  public ParkingBays(Pseudonymiser pseudonymiser) {
    this.pseudonymiser = pseudonymiser;
  }

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
    DataFields data = DataFields.of(t.data()).only("occupied", "plate");
    boolean occupied = data.requireBoolean("occupied");
    String token = data.optionalText("plate").map(p -> plateToken(p, occupied)).orElse(null);
    return services.entityRef(ParkingBay.ENTITY_KEY, t.asset())
        .<ParkingBay.View>askWithStatus(r -> new ParkingBay.SensorReading(occupied, token, t.ts(), r), services.askTimeout());
  }

  private String plateToken(String plate, boolean occupied) {
    if (!occupied) throw new ProtocolException("$.data.plate", "a plate goes with an occupied bay only");
    try {
      return pseudonymiser.plateToken(plate);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("$.data.plate", "not a licence plate (1 to 16 letters and digits)");
    }
  }

  @Override
  public CompletionStage<Optional<Object>> state(TwinServices services, AssetId id) {
    return services.entityRef(ParkingBay.ENTITY_KEY, id).ask(ParkingBay.GetState::new, services.askTimeout())
        .thenApply(Optional::of);
  }
}
