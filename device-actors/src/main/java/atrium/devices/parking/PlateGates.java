package atrium.devices.parking;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.privacy.Pseudonymiser;
import atrium.core.protocol.DataFields;
import atrium.core.protocol.Envelope;
import atrium.core.protocol.ProtocolException;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Camera;
import java.util.concurrent.CompletionStage;

/**
 * The car parks' gate cameras (cameras of mode {@code plate-gate}): a {@code plate-read} event with
 * {@code {"plate": "沪A12345"}} opens a stay at an entry gate and closes it at an exit gate. The
 * plate is pseudonymised here, at the door; only its token reaches the car park.
 */
public final class PlateGates {
  private final Pseudonymiser pseudonymiser;

  public PlateGates(Pseudonymiser pseudonymiser) {
    this.pseudonymiser = pseudonymiser;
  }

  public static boolean isGate(Camera camera) {
    return camera.mode() == Camera.Mode.PLATE_GATE;
  }

  public CompletionStage<CarPark.StayView> ingest(TwinServices services, Camera camera, Envelope envelope) {
    if (!(envelope instanceof Envelope.Event e) || !e.name().equals("plate-read")) {
      throw new ProtocolException(envelope instanceof Envelope.Event ? "$.name" : "$.type",
          "a plate-gate camera sends plate-read events only");
    }
    String plate = DataFields.of(e.data()).only("plate").requireText("plate");
    String token;
    try {
      token = pseudonymiser.plateToken(plate);
    } catch (IllegalArgumentException ex) {
      throw new ProtocolException("$.data.plate", "not a licence plate (1 to 16 letters and digits)");
    }
    var direction = camera.direction() == Camera.Direction.ENTRY ? CarPark.GateDirection.ENTRY : CarPark.GateDirection.EXIT;
    var carPark = services.entityRef(CarPark.ENTITY_KEY, AssetId.of(e.asset().site(), AssetKind.CAR_PARK, camera.carPark()));
    return carPark.askWithStatus(r -> new CarPark.GateRead(camera.id(), direction, token, e.ts(), r), services.askTimeout());
  }
}
