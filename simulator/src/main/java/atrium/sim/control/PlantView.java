package atrium.sim.control;

import atrium.sim.thermal.HvacMode;
import atrium.sim.thermal.Plant;
import atrium.sim.thermal.ThermalZone;
import atrium.sim.thermal.ZoneParams;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link PlantController} sees of the plant and may change: each zone's readings and its
 * commands (the twin's {@code set-mode} and {@code set-setpoints}, and a constant outdoor-air flow).
 * It cannot step the plant or feed it occupancy.
 */
public final class PlantView {
  private final List<Zone> zones;
  private final Map<String, Zone> byId = new LinkedHashMap<>();

  public PlantView(Plant plant) {
    this(plant.zones());
  }

  public PlantView(List<ThermalZone> thermalZones) {
    zones = thermalZones.stream().map(Zone::new).toList();
    for (Zone z : zones) byId.put(z.id(), z);
  }

  public List<Zone> zones() {
    return Collections.unmodifiableList(zones);
  }

  public Zone zone(String id) {
    Zone z = byId.get(id);
    if (z == null) throw new IllegalArgumentException("unknown HVAC zone " + id);
    return z;
  }

  public double totalPowerKw() {
    double sum = 0;
    for (Zone z : zones) sum += z.powerKw();
    return sum;
  }

  /** One HVAC zone as a controller sees it. */
  public static final class Zone {
    private final ThermalZone z;

    Zone(ThermalZone z) {
      this.z = z;
    }

    public String id() {
      return z.id();
    }

    /** m² */
    public double floorArea() {
      return z.params().floorArea();
    }

    /** The ventilation rate procedure's per-person rate, L/s. */
    public double outdoorAirPerPerson() {
      return z.params().outdoorAirPerPerson();
    }

    /** The ventilation rate procedure's per-area rate, L/(s·m²). */
    public double outdoorAirPerArea() {
      return z.params().outdoorAirPerArea();
    }

    /** °C */
    public double temperature() {
      return z.temperature();
    }

    /** ppm */
    public double co2() {
      return z.co2();
    }

    /** % RH */
    public double humidity() {
      return z.relativeHumidity();
    }

    public double occupants() {
      return z.occupants();
    }

    /** Electric power over the last step, kW. */
    public double powerKw() {
      return z.powerKw();
    }

    public HvacMode mode() {
      return z.mode();
    }

    public double heatingSetpoint() {
      return z.heatingSetpoint();
    }

    public double coolingSetpoint() {
      return z.coolingSetpoint();
    }

    public void setMode(HvacMode mode) {
      z.setMode(mode);
    }

    public void setSetpoints(double heating, double cooling) {
      z.setSetpoints(heating, cooling);
    }

    /** A constant outdoor-air flow (L/s) while the fans run, or NaN for the flow the people present need. */
    public void setOutdoorAir(double litresPerSecond) {
      z.setOutdoorAir(litresPerSecond);
    }

    /** The zone's plant and envelope parameters (capacities, capacitance, conductances), for tuning a loop. */
    public ZoneParams params() {
      return z.params();
    }

    /**
     * Drives the plant directly (actuated mode, {@link ThermalZone#actuate}): {@code heatingPct} and
     * {@code coolingPct} of capacity and {@code outdoorAirLps} L/s of outdoor air while the fans run
     * ({@code comfort}, {@code economy}, {@code pre-cool}); held until the next call or {@link #release()}.
     */
    public void actuate(double heatingPct, double coolingPct, double outdoorAirLps) {
      z.actuate(heatingPct, coolingPct, outdoorAirLps);
    }

    /** Back to the plant's own ideal controller on its setpoints. */
    public void release() {
      z.release();
    }

    /** True while {@link #actuate} drives the zone. */
    public boolean actuated() {
      return z.actuated();
    }
  }
}
