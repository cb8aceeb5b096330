package atrium.sim.thermal;

import atrium.core.site.HvacZone;
import atrium.core.site.Site;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The site's HVAC plant: one {@link ThermalZone} per {@code devices.hvacZones[]} entry, stepped
 * together under one weather and one sun. People counted in a site zone are shared among the HVAC
 * zones that serve it in proportion to their floor areas. A plant failure (a scenario event) makes
 * every zone, or one zone, unavailable until restored.
 *
 * <p>The runner drives it with {@link #step(double, Weather, double)} (seconds, the weather over the
 * step, the local hour of day at the step's start), applies the twin's commands with
 * {@link #setMode} and {@link #setSetpoints}, feeds occupancy from the crowd model with
 * {@link #setSiteZoneOccupancy}, and reads each zone's {@link ThermalZone#readings()} for telemetry.
 */
public final class Plant {
  private final Sun sun;
  private final ThermalZone[] zones;
  private final Map<String, ThermalZone> byId = new HashMap<>();
  /** site zone → the HVAC zones serving it and their shares of its people. */
  private final Map<String, int[]> servedBy = new HashMap<>();
  private final Map<String, double[]> shares = new HashMap<>();
  private final Map<String, Double> siteZonePeople = new HashMap<>();

  public Plant(Site site, Function<HvacZone, ZoneParams> params, Sun sun, double initialTemperature, double initialCo2,
      double initialHumidity) {
    this.sun = sun;
    List<HvacZone> list = site.devices() == null ? List.of() : site.devices().hvacZones();
    zones = new ThermalZone[list.size()];
    Map<String, List<Integer>> serving = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      HvacZone hz = list.get(i);
      zones[i] = new ThermalZone(hz.id(), params.apply(hz), initialTemperature, initialCo2, initialHumidity);
      byId.put(hz.id(), zones[i]);
      for (String z : hz.serves()) serving.computeIfAbsent(z, k -> new ArrayList<>()).add(i);
    }
    serving.forEach((zone, idx) -> {
      int[] a = idx.stream().mapToInt(Integer::intValue).toArray();
      double total = 0;
      for (int i : a) total += list.get(i).floorArea();
      double[] s = new double[a.length];
      for (int j = 0; j < a.length; j++) s[j] = total > 0 ? list.get(a[j]).floorArea() / total : 1.0 / a.length;
      servedBy.put(zone, a);
      shares.put(zone, s);
    });
  }

  /** The defaults: every zone from its floor area, 20 °C, outdoor CO2, 50 % RH at the start. */
  public static Plant forSite(Site site, Sun sun) {
    return new Plant(site, hz -> ZoneParams.forFloorArea(hz.floorArea()), sun, 20, Weather.OUTDOOR_CO2, 50);
  }

  public List<ThermalZone> zones() {
    return Collections.unmodifiableList(List.of(zones));
  }

  public ThermalZone zone(String hvacZoneId) {
    ThermalZone z = byId.get(hvacZoneId);
    if (z == null) throw new IllegalArgumentException("unknown HVAC zone " + hvacZoneId);
    return z;
  }

  public void setMode(String hvacZoneId, HvacMode mode) {
    zone(hvacZoneId).setMode(mode);
  }

  public void setSetpoints(String hvacZoneId, double heating, double cooling) {
    zone(hvacZoneId).setSetpoints(heating, cooling);
  }

  /** People now in a site zone; shared among the HVAC zones serving it by floor area. */
  public void setSiteZoneOccupancy(String siteZoneId, double people) {
    int[] idx = servedBy.get(siteZoneId);
    if (idx == null) return; // a zone no HVAC zone serves (car park, outdoors)
    Double before = siteZonePeople.put(siteZoneId, people);
    double delta = people - (before == null ? 0 : before);
    double[] s = shares.get(siteZoneId);
    for (int j = 0; j < idx.length; j++) zones[idx[j]].setOccupants(zones[idx[j]].occupants() + delta * s[j]);
  }

  public void setInternalLoadFraction(double fraction) {
    for (ThermalZone z : zones) z.setInternalLoadFraction(fraction);
  }

  /** A plant failure (or its repair) for every zone. */
  public void setAvailable(boolean available) {
    for (ThermalZone z : zones) z.setAvailable(available);
  }

  public void step(double dt, Weather weather, double hourOfDay) {
    double sol = sun.irradiance(hourOfDay, weather.cloudCover());
    for (ThermalZone z : zones) z.step(dt, weather, sol);
  }

  public double totalPowerKw() {
    double sum = 0;
    for (ThermalZone z : zones) sum += z.powerKw();
    return sum;
  }

  public double totalEnergyKwh() {
    double sum = 0;
    for (ThermalZone z : zones) sum += z.energyKwh();
    return sum;
  }
}
