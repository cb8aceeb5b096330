package atrium.devices;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.privacy.Pseudonymiser;
import atrium.core.runtime.AtriumRuntime;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Site;
import atrium.devices.alarm.Alarms;
import atrium.devices.camera.Camera;
import atrium.devices.camera.Cameras;
import atrium.devices.courier.Couriers;
import atrium.devices.energy.EnergyOptimisers;
import atrium.devices.hvac.HvacZone;
import atrium.devices.hvac.HvacZones;
import atrium.devices.kiosk.Kiosk;
import atrium.devices.kiosk.Kiosks;
import atrium.devices.parking.CarParks;
import atrium.devices.parking.ParkingBays;
import atrium.devices.parking.PlateGates;
import atrium.devices.zone.OccupancySink;
import atrium.devices.zone.Zones;
import atrium.devices.shelflabel.ShelfLabels;
import atrium.devices.site.SiteRollup;
import com.typesafe.config.Config;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Props;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/** Every asset kind of the twin; starts them on a runtime and returns the doors' gateway. */
public final class Twins {
  private Twins() {}

  public static List<TwinKind> kinds(Config config) {
    Pseudonymiser pseudonymiser = Pseudonymiser.create(config);
    return List.of(new ParkingBays(pseudonymiser), new CarParks(), new Alarms(), new Kiosks(), new Couriers(),
        new HvacZones(), new CameraDoor(new Cameras(), new PlateGates(pseudonymiser)), new Zones(new ToHvacZones()), new ShelfLabels());
  }

  public static TwinGateway start(AtriumRuntime runtime) {
    List<TwinKind> kinds = kinds(runtime.system().settings().config());
    kinds.forEach(k -> k.start(runtime));
    EnergyOptimisers.start(runtime);
    var services = runtime.services();
    String readJournal = runtime.system().settings().config().getString("atrium.persistence.read-journal");
    Map<String, ActorRef<SiteRollup.Command>> rollups = new java.util.HashMap<>();
    for (String id : services.sites().ids()) {
      Site site = services.sites().site(id).orElseThrow();
      wakeWatchedDevices(services, site);
      rollups.put(id, runtime.system().systemActorOf(SiteRollup.create(services, site, readJournal), "rollup-" + id, Props.empty()));
    }
    return new ShardedTwinGateway(services, kinds, rollups);
  }

  /**
   * Starts the twins of devices that are watched for silence (people-counting cameras, kiosks), so
   * that one which never reports after a restart is still found offline on the clock.
   */
  private static void wakeWatchedDevices(TwinServices services, Site site) {
    List<Runnable> wakes = new ArrayList<>();
    site.devices().cameras().stream().filter(c -> !PlateGates.isGate(c)).forEach(c -> wakes.add(() ->
        services.entityRef(Camera.ENTITY_KEY, AssetId.of(site.id(), AssetKind.CAMERA, c.id()))
            .ask(Camera.GetState::new, services.askTimeout())));
    site.devices().kiosks().forEach(k -> wakes.add(() ->
        services.entityRef(Kiosk.ENTITY_KEY, AssetId.of(site.id(), AssetKind.KIOSK, k.id()))
            .ask(Kiosk.GetState::new, services.askTimeout())));
    Source.from(wakes).throttle(200, java.time.Duration.ofSeconds(1)).runWith(Sink.foreach(Runnable::run), services.system());
  }

  /** A zone's occupancy goes to the HVAC zones that serve it (they set back when their zones are empty). */
  static final class ToHvacZones implements OccupancySink {
    private final Map<String, Map<String, List<String>>> servedBy = new ConcurrentHashMap<>();

    @Override
    public void occupancyChanged(TwinServices services, AssetId zone, int occupancy, double density, Instant at) {
      Map<String, List<String>> index = servedBy.computeIfAbsent(zone.site(), s -> index(services.sites().site(s).orElseThrow()));
      for (String hvac : index.getOrDefault(zone.localId(), List.of())) {
        services.entityRef(HvacZone.ENTITY_KEY, AssetId.of(zone.site(), AssetKind.HVAC_ZONE, hvac))
            .tell(new HvacZone.ServedZoneOccupancy(zone.localId(), occupancy, at));
      }
    }

    private static Map<String, List<String>> index(Site site) {
      Map<String, List<String>> m = new java.util.HashMap<>();
      site.devices().hvacZones().forEach(h -> h.serves().forEach(z -> m.computeIfAbsent(z, k -> new ArrayList<>()).add(h.id())));
      return m;
    }
  }
}
