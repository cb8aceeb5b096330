package atrium.devices;

import atrium.core.privacy.Pseudonymiser;
import atrium.core.runtime.AtriumRuntime;
import com.typesafe.config.Config;
import atrium.devices.alarm.Alarms;
import atrium.devices.courier.Couriers;
import atrium.devices.hvac.HvacZones;
import atrium.devices.kiosk.Kiosks;
import atrium.devices.parking.CarParks;
import atrium.devices.parking.ParkingBays;
import java.util.List;

/** Every asset kind of the twin; starts them on a runtime and returns the doors' gateway. */
public final class Twins {
  private Twins() {}

  public static List<TwinKind> kinds(Config config) {
    Pseudonymiser pseudonymiser = Pseudonymiser.create(config);
    return List.of(new ParkingBays(pseudonymiser), new CarParks(), new Alarms(), new Kiosks(), new Couriers(), new HvacZones());
  }

  public static TwinGateway start(AtriumRuntime runtime) {
    List<TwinKind> kinds = kinds(runtime.system().settings().config());
    kinds.forEach(k -> k.start(runtime));
    return new ShardedTwinGateway(runtime.services(), kinds);
  }
}
