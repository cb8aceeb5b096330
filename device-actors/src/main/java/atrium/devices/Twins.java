package atrium.devices;

import atrium.core.runtime.AtriumRuntime;
import atrium.devices.parking.CarPark;
import atrium.devices.parking.ParkingBay;
import atrium.devices.parking.ParkingProjection;
import atrium.devices.parking.ParkingSettings;

/** Registers every asset kind and its projections on a runtime; the doors then use the gateway. */
public final class Twins {
  private Twins() {}

  public static TwinGateway start(AtriumRuntime runtime) {
    runtime.register(ParkingBay.kind(ParkingSettings.create(runtime.system().settings().config())));
    runtime.register(CarPark.KIND);
    var database = runtime.database().orElseThrow(() -> new IllegalStateException(
        "persistence profile '" + runtime.settings().persistenceProfile() + "' has no projection store yet; use embedded"));
    ParkingProjection.init(runtime.services(), database);
    return new ShardedTwinGateway(runtime.services());
  }
}
