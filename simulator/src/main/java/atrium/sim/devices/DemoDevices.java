package atrium.sim.devices;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.TwinClock;
import atrium.core.protocol.DeviceProtocol;
import atrium.core.protocol.Envelope;
import atrium.core.site.Site;
import atrium.sim.link.DeviceLink;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's virtual devices other than the car park's: each kind's fleet reports on its own period
 * of the given clock, in one batch per period, through a {@link DeviceLink}; commands from the twin
 * ({@link #onCommand}) are answered with an ack after a short delay, as a real device would. Every
 * message is the device protocol; this class never sees a twin.
 *
 * <p>The simulator issue replaces these simple behaviours with the full models (crowd, thermal
 * plant, radio network); what stays is that the twin cannot tell them from real devices.
 */
public final class DemoDevices implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DemoDevices.class);

  private static final int COURIER_PERIOD_S = 60;

  private final Site site;
  private final TwinClock clock;
  private final DeviceLink link;
  private final SplittableRandom random;
  private final ZoneId zone;
  private final List<Fleet> fleets = new ArrayList<>();
  private final AtomicLong messageIds = new AtomicLong();
  private final String runId;
  private volatile boolean closed;
  private long sent, failed, acked;

  /** One kind's devices: every {@code period} of clock time, {@code report} adds their envelopes. */
  public record Fleet(String name, Duration period, Consumer<List<Envelope>> report) {}

  public DemoDevices(Site site, TwinClock clock, DeviceLink link, long seed) {
    this.site = site;
    this.clock = clock;
    this.link = link;
    this.random = new SplittableRandom(seed);
    this.zone = ZoneId.of(site.timezone());
    this.runId = Long.toString(seed, 36) + "-" + Long.toString(clock.now().toEpochMilli(), 36);
    // Periods of clock time; at the demo's 60x they come to a few hundred messages a second.
    fleets.add(new Fleet("kiosks", Duration.ofSeconds(60), this::kiosks));
    fleets.add(new Fleet("couriers", Duration.ofSeconds(COURIER_PERIOD_S), new CourierFleetModel()::report));
    fleets.add(new Fleet("hvac-zones", Duration.ofMinutes(5), new HvacModel()::report));
    fleets.add(new Fleet("cameras", Duration.ofMinutes(2), new CrowdModel()::report));
    fleets.add(new Fleet("shelf-labels", Duration.ofMinutes(1), new LabelBatteries()::report));
  }

  public void start() {
    for (Fleet f : fleets) schedule(f);
  }

  public synchronized Stats stats() {
    return new Stats(sent, failed, acked);
  }

  public record Stats(long sent, long failed, long acked) {}

  /** A command from the twin to one of these devices: answered ok after one to three clock seconds. */
  public void onCommand(Envelope.Command command) {
    if (closed) return;
    Duration delay;
    synchronized (this) {
      delay = Duration.ofMillis(1000 + random.nextInt(2000));
    }
    clock.schedule(delay, () -> {
      send(List.of(new Envelope.Ack(nextId("ack"), command.asset(), clock.now(), command.id(), Envelope.AckStatus.OK, null)));
      synchronized (this) {
        acked++;
      }
    });
  }

  private void schedule(Fleet f) {
    if (closed) return;
    // Spread the fleets' first reports over their period so that they don't all fire together.
    clock.schedule(Duration.ofMillis((long) (random.nextDouble() * f.period().toMillis())), () -> tick(f));
  }

  private void tick(Fleet f) {
    if (closed) return;
    List<Envelope> batch = new ArrayList<>();
    synchronized (this) {
      f.report().accept(batch);
    }
    for (int from = 0; from < batch.size(); from += 500) send(batch.subList(from, Math.min(batch.size(), from + 500)));
    clock.schedule(f.period(), () -> tick(f));
  }

  private void send(List<Envelope> batch) {
    if (batch.isEmpty()) return;
    link.send(List.copyOf(batch)).whenComplete((v, e) -> {
      synchronized (this) {
        if (e == null) sent += batch.size();
        else failed += batch.size();
      }
      if (e != null) log.warn("{} demo device messages refused: {}", batch.size(), e.getMessage());
    });
  }

  private String nextId(String prefix) {
    return prefix + "-" + runId + "-" + messageIds.incrementAndGet();
  }

  private Envelope.Telemetry telemetry(AssetKind kind, String id, ObjectNode data) {
    return new Envelope.Telemetry(nextId(kind.wireName()), AssetId.of(site.id(), kind, id), clock.now(), data);
  }

  /** Busy-ness of the mall at this hour, 0 at night to 1 at the afternoon peak. */
  double busy(Instant t) {
    int h = t.atZone(zone).getHour();
    return h < 9 || h >= 22 ? 0.05 : Math.sin(Math.PI * (h - 9 + 0.5) / 13.0);
  }

  private void kiosks(List<Envelope> out) {
    double b = busy(clock.now());
    for (var k : site.devices().kiosks()) {
      ObjectNode d = DeviceProtocol.mapper().createObjectNode().put("heartbeat", true)
          .put("sessions", poisson(6 * b)).put("wayfindingQueries", poisson(4 * b)).put("prints", poisson(0.5 * b));
      out.add(telemetry(AssetKind.KIOSK, k.id(), d));
    }
  }

  /** Couriers ride between their hub and destinations around the site at 3–6 m/s. */
  private final class CourierFleetModel {
    private final double[][] position;
    private final double[][] target;
    private final double[] speed;
    private final List<double[]> places = new ArrayList<>();

    CourierFleetModel() {
      var fleet = site.devices().courierFleet();
      int n = fleet == null ? 0 : fleet.count();
      site.zones().forEach(z -> places.add(new double[] {z.centre().x(), z.centre().y()}));
      double[] hub = fleet == null ? new double[2] : site.zone(fleet.hubZone())
          .map(z -> new double[] {z.centre().x(), z.centre().y()}).orElse(new double[2]);
      position = new double[n][];
      target = new double[n][];
      speed = new double[n];
      for (int i = 0; i < n; i++) {
        position[i] = hub.clone();
        target[i] = places.get(random.nextInt(places.size()));
        speed[i] = 3 + 3 * random.nextDouble();
      }
    }

    void report(List<Envelope> out) {
      var fleet = site.devices().courierFleet();
      for (int i = 0; i < position.length; i++) {
        double dx = target[i][0] - position[i][0], dy = target[i][1] - position[i][1];
        double dist = Math.hypot(dx, dy), step = speed[i] * COURIER_PERIOD_S;
        if (dist <= step) {
          position[i] = target[i].clone();
          target[i] = places.get(random.nextInt(places.size()));
        } else {
          position[i][0] += dx / dist * step;
          position[i][1] += dy / dist * step;
        }
        ObjectNode d = DeviceProtocol.mapper().createObjectNode()
            .put("x", Math.round(position[i][0] * 10) / 10.0).put("y", Math.round(position[i][1] * 10) / 10.0)
            .put("speed", Math.round(speed[i] * 10) / 10.0);
        out.add(telemetry(AssetKind.COURIER, fleet.courierId(i + 1), d));
      }
    }
  }

  /**
   * Air-handling zones holding about 22 °C with a little noise and a winter morning's warm-up; CO2
   * rising with the crowd; power following the heating output; the energy meter integrating power.
   */
  private final class HvacModel {
    private final double[] meter;
    private Instant last;

    HvacModel() {
      meter = new double[site.devices().hvacZones().size()];
      for (int i = 0; i < meter.length; i++) meter[i] = 1000 + 100 * random.nextDouble();
    }

    void report(List<Envelope> out) {
      Instant now = clock.now();
      double hours = last == null ? 0 : Duration.between(last, now).toMillis() / 3_600_000.0;
      last = now;
      double b = busy(now);
      var zones = site.devices().hvacZones();
      for (int i = 0; i < zones.size(); i++) {
        var z = zones.get(i);
        double heating = Math.max(0, Math.min(100, 40 - 30 * b + 5 * random.nextGaussian()));
        double power = z.floorArea() * 0.02 * (0.2 + heating / 100);
        meter[i] += power * hours;
        ObjectNode d = DeviceProtocol.mapper().createObjectNode()
            .put("temperature", round1(21.5 + 0.8 * b + 0.3 * random.nextGaussian()))
            .put("humidity", round1(42 + 6 * b + random.nextGaussian()))
            .put("co2", Math.round(420 + 650 * b + 30 * random.nextGaussian()))
            .put("supplyAirTemperature", round1(18 + heating / 10))
            .put("heatingOutput", round1(heating)).put("coolingOutput", 0)
            .put("power", round1(power)).put("energy", Math.round(meter[i] * 100) / 100.0);
        out.add(telemetry(AssetKind.HVAC_ZONE, z.id(), d));
      }
    }
  }

  /**
   * People in each zone, moved across the borders that line cameras watch: over a border, people go
   * in at a rate set by how busy the mall is and come out in proportion to how full the zone beyond
   * is (against a target density for its kind). Two cameras on one border split its crossings.
   * Headcount cameras report their zone's count with a little noise.
   */
  private final class CrowdModel {
    private final java.util.Map<String, Double> occupancy = new java.util.HashMap<>();
    private final java.util.Map<String, List<atrium.core.site.Camera>> borders = new java.util.LinkedHashMap<>();

    CrowdModel() {
      for (var c : site.devices().cameras()) {
        if (c.mode() == atrium.core.site.Camera.Mode.LINE) {
          borders.computeIfAbsent(c.from() + ">" + c.to(), k -> new ArrayList<>()).add(c);
        }
      }
    }

    private double target(String zoneId, double busy) {
      var z = site.zone(zoneId).orElseThrow();
      double density = switch (z.kind()) {
        case SHOP -> 0.15;
        case FOOD_COURT -> 0.6;
        case ATRIUM, CORRIDOR, ENTRANCE -> 0.3;
        default -> 0.1;
      };
      return Math.max(1, z.area() * density * busy);
    }

    void report(List<Envelope> out) {
      double b = busy(clock.now());
      for (var border : borders.values()) {
        var first = border.get(0);
        double inside = occupancy.getOrDefault(first.to(), 0.0);
        double outside = occupancy.getOrDefault(first.from(), 0.0);
        int in = poisson(12 * b);
        int leaving = Math.min((int) Math.floor(inside), poisson(12 * b * inside / target(first.to(), Math.max(b, 0.05))));
        occupancy.put(first.to(), inside + in - leaving);
        occupancy.put(first.from(), Math.max(0, outside - in + leaving));
        int[] inShare = split(in, border.size());
        int[] outShare = split(leaving, border.size());
        for (int i = 0; i < border.size(); i++) {
          ObjectNode d = DeviceProtocol.mapper().createObjectNode().put("in", inShare[i]).put("out", outShare[i]);
          out.add(telemetry(AssetKind.CAMERA, border.get(i).id(), d));
        }
      }
      for (var c : site.devices().cameras()) {
        if (c.mode() != atrium.core.site.Camera.Mode.HEADCOUNT) continue;
        double here = occupancy.computeIfAbsent(c.zone(), z -> target(z, b));
        double drift = (target(c.zone(), b) - here) * 0.2;
        here = Math.max(0, here + drift);
        occupancy.put(c.zone(), here);
        int seen = (int) Math.max(0, Math.round(here + random.nextGaussian()));
        out.add(telemetry(AssetKind.CAMERA, c.id(), DeviceProtocol.mapper().createObjectNode().put("count", seen)));
      }
    }

    private int[] split(int n, int ways) {
      int[] share = new int[ways];
      for (int k = 0; k < n; k++) share[random.nextInt(ways)]++;
      return share;
    }
  }

  /** Each label reports its battery every 6 hours of clock time: a sixth of an hour's slice a minute. */
  private final class LabelBatteries {
    private static final int SLICES = 360;
    private final List<String> labels = new ArrayList<>();
    private final double[] battery;
    private int slice;

    LabelBatteries() {
      site.devices().shelfLabelGroups().forEach(g -> {
        for (int n = 1; n <= g.count(); n++) labels.add(g.labelId(n));
      });
      battery = new double[labels.size()];
      for (int i = 0; i < battery.length; i++) battery[i] = 40 + 60 * random.nextDouble();
    }

    void report(List<Envelope> out) {
      for (int i = slice; i < labels.size(); i += SLICES) {
        battery[i] = Math.max(0, battery[i] - 0.05 - 0.05 * random.nextDouble());
        out.add(telemetry(AssetKind.SHELF_LABEL, labels.get(i),
            DeviceProtocol.mapper().createObjectNode().put("battery", (int) Math.round(battery[i]))));
      }
      slice = (slice + 1) % SLICES;
    }
  }

  private static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private int poisson(double mean) {
    // Knuth's method; means here are small.
    double l = Math.exp(-mean), p = 1;
    int k = 0;
    do {
      k++;
      p *= random.nextDouble();
    } while (p > l);
    return k - 1;
  }

  @Override
  public void close() {
    closed = true;
  }
}
