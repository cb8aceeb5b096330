package atrium.devices.zone;

import atrium.core.asset.AssetId;
import atrium.core.runtime.TwinServices;
import java.time.Instant;

/**
 * Who else hears of a zone's occupancy, at the zone's publishing cadence (at most once per
 * {@code atrium.zone.publish-every} of clock time, and at every persisted change). The integrator
 * gives one to {@link Zone#kind} to tell, for example, the HVAC zones that serve the zone. It runs on
 * the zone's thread: tell (e.g. through {@code services.entityRef}), never ask or block.
 */
@FunctionalInterface
public interface OccupancySink {
  OccupancySink NONE = (services, zone, occupancy, density, at) -> {};

  void occupancyChanged(TwinServices services, AssetId zone, int occupancy, double density, Instant at);
}
