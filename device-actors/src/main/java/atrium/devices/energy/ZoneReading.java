package atrium.devices.energy;

import atrium.devices.hvac.HvacZone;

/**
 * What the optimiser reads of one HVAC zone at a tick (from its {@link HvacZone.View}): mode,
 * setpoints and who set them, the air temperature if usable, the reported power and cooling output,
 * the people in the zones it serves. Not persisted.
 */
public record ZoneReading(String zone, double floorArea, HvacZone.Mode mode, double heating, double cooling,
    String setpointsBy, Double temperature, Double powerKw, Double coolingOutput, int people) {

  static ZoneReading of(HvacZone.View v) {
    Double t = v.temperature() != null && v.temperature().usable() ? v.temperature().value() : null;
    return new ZoneReading(v.hvacZoneId(), v.floorArea(), v.mode(), v.setpoints().heating(), v.setpoints().cooling(),
        v.setpoints().by(), t, v.energy() == null ? null : v.energy().powerKw(),
        v.outputs() == null ? null : v.outputs().cooling(), v.occupancy() == null ? 0 : v.occupancy().people());
  }

  double power() {
    return powerKw == null ? 0 : powerKw;
  }
}
