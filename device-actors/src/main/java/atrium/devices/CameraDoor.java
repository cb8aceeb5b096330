package atrium.devices;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.protocol.Envelope;
import atrium.core.runtime.AtriumRuntime;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Camera;
import atrium.core.site.Site;
import atrium.devices.camera.Cameras;
import atrium.devices.parking.PlateGates;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Every camera of a site at the doors: people-counting cameras (line, headcount) are twins of their
 * own ({@link Cameras}); plate-gate cameras have none — their plate reads go, pseudonymised, to
 * their car park ({@link PlateGates}).
 */
final class CameraDoor implements TwinKind {
  private final Cameras counting;
  private final PlateGates gates;

  CameraDoor(Cameras counting, PlateGates gates) {
    this.counting = counting;
    this.gates = gates;
  }

  @Override
  public AssetKind kind() {
    return AssetKind.CAMERA;
  }

  @Override
  public void start(AtriumRuntime runtime) {
    counting.start(runtime);
  }

  @Override
  public boolean exists(Site site, String localId) {
    return site.camera(localId).isPresent();
  }

  @Override
  public CompletionStage<?> ingest(TwinServices services, Envelope envelope) {
    Camera camera = gate(services, envelope.asset());
    return camera != null ? gates.ingest(services, camera, envelope) : counting.ingest(services, envelope);
  }

  @Override
  public CompletionStage<Optional<Object>> state(TwinServices services, AssetId id) {
    return gate(services, id) != null ? CompletableFuture.completedFuture(Optional.empty()) : counting.state(services, id);
  }

  private static Camera gate(TwinServices services, AssetId id) {
    return services.sites().site(id.site()).flatMap(s -> s.camera(id.localId())).filter(PlateGates::isGate).orElse(null);
  }
}
