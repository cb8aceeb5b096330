package atrium.sim.devices;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.json.Json;
import atrium.core.protocol.Envelope;
import atrium.core.site.Camera;
import atrium.core.site.Site;
import atrium.sim.crowd.CrowdModel;
import atrium.sim.crowd.CrowdNetwork;
import atrium.sim.scenario.Scenario;
import atrium.sim.thermal.HvacMode;
import atrium.sim.thermal.Plant;
import atrium.sim.thermal.ThermalZone;
import atrium.sim.traffic.TrafficEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The mall's devices as the models see them, speaking the device protocol: people-counting
 * cameras count what the crowd model moves across their lines (with the scenario's noise; a faulty
 * one goes silent or counts wildly), headcount cameras count their zone, bay sensors and gate
 * cameras report what the traffic model does, HVAC controllers report the thermal plant every five
 * minutes, kiosks send heartbeats and usage. Commands from the twin reach them here: HVAC modes
 * and setpoints drive the plant's own controller, the twin's loop outputs and lighting levels drive
 * the plant directly (until set-control hands it back), and every command is acknowledged — a label's only when its base
 * station gets round to it, and sometimes never (the scenario's ack loss).
 */
public final class VirtualDevices {
  static final double CAMERA_EVERY = 60;
  static final double HVAC_EVERY = 300;

  private final Site site;
  private final CrowdNetwork net;
  private final Scenario.DeviceBehaviour behaviour;
  private final Consumer<List<Envelope>> out;
  private final SplittableRandom random;
  private final String runId;
  private long ids;

  private final List<Camera> lineCameras = new ArrayList<>();
  private final int[] lineIn;
  private final int[] lineOut;
  private final long[] lastIn;
  private final long[] lastOut;
  private final List<Camera> headcountCameras = new ArrayList<>();
  private final int[] headcountNode;
  private final Set<String> silentCameras = new HashSet<>();
  private final Set<String> noisyCameras = new HashSet<>();
  private final Set<String> faultyKiosks = new HashSet<>();
  private double nextCameras = CAMERA_EVERY;
  private double nextHvac = 0;
  private double nextKiosks = 0;
  private final PriorityQueue<Due> acks = new PriorityQueue<>((a, b) -> Double.compare(a.at, b.at));
  /** When each label base station is next free, seconds since the start. */
  private final double[] baseStationFree;
  private long sent;

  private record Due(double at, Envelope envelope) {}

  static final double LABEL_SLICE_EVERY = 60;
  /** Each label reports its battery once in this many slices (every 6 hours). */
  static final int LABEL_SLICES = 360;
  private final List<String> labels = new ArrayList<>();
  private final double[] battery;
  private int labelSlice;
  private double nextLabels = LABEL_SLICE_EVERY;
  private final double[][] courierAt;
  private final double[][] courierTo;
  private final double[] courierSpeed;
  private final List<double[]> places = new ArrayList<>();
  private double nextCouriers = 0;

  public VirtualDevices(Site site, CrowdNetwork net, Scenario.DeviceBehaviour behaviour, long seed,
      Consumer<List<Envelope>> out) {
    this.site = site;
    this.net = net;
    this.behaviour = behaviour;
    this.out = out;
    this.random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    this.runId = "sim" + Long.toHexString(seed & 0xffffff);
    for (Camera c : site.devices().cameras()) {
      if (c.mode() == Camera.Mode.LINE) lineCameras.add(c);
      if (c.mode() == Camera.Mode.HEADCOUNT) headcountCameras.add(c);
    }
    lineIn = new int[lineCameras.size()];
    lineOut = new int[lineCameras.size()];
    lastIn = new long[lineCameras.size()];
    lastOut = new long[lineCameras.size()];
    for (int i = 0; i < lineCameras.size(); i++) {
      Camera c = lineCameras.get(i);
      lineIn[i] = link(c.from(), c.to());
      lineOut[i] = link(c.to(), c.from());
    }
    headcountNode = new int[headcountCameras.size()];
    for (int i = 0; i < headcountNode.length; i++) headcountNode[i] = nodeOrMinus(headcountCameras.get(i).zone());
    int labels = site.shelfLabelCount();
    int perStation = behaviour.shelfLabels().labelsPerBaseStation();
    baseStationFree = new double[Math.max(1, (labels + perStation - 1) / perStation)];
    site.devices().shelfLabelGroups().forEach(g -> {
      for (int n = 1; n <= g.count(); n++) this.labels.add(g.labelId(n));
    });
    battery = new double[this.labels.size()];
    for (int i = 0; i < battery.length; i++) battery[i] = 40 + 60 * random.nextDouble();
    var fleet = site.devices().courierFleet();
    int couriers = fleet == null ? 0 : fleet.count();
    site.zones().forEach(z -> places.add(new double[] {z.centre().x(), z.centre().y()}));
    double[] hub = fleet == null ? new double[2]
        : site.zone(fleet.hubZone()).map(z -> new double[] {z.centre().x(), z.centre().y()}).orElse(new double[2]);
    courierAt = new double[couriers][];
    courierTo = new double[couriers][];
    courierSpeed = new double[couriers];
    for (int i = 0; i < couriers; i++) {
      courierAt[i] = hub.clone();
      courierTo[i] = places.get(random.nextInt(places.size()));
      courierSpeed[i] = 3 + 3 * random.nextDouble();
    }
  }

  private int link(String from, String to) {
    try {
      return from == null || to == null ? -1 : net.link(from, to);
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private int nodeOrMinus(String zone) {
    try {
      return net.node(zone);
    } catch (RuntimeException e) {
      return -1;
    }
  }

  public long sent() {
    return sent;
  }

  public void cameraFault(List<String> cameras, boolean offline, boolean on) {
    Set<String> set = offline ? silentCameras : noisyCameras;
    if (on) set.addAll(cameras);
    else set.removeAll(cameras);
  }

  public void kioskFault(List<String> kiosks, boolean on, double t, Instant now) {
    List<Envelope> batch = new ArrayList<>();
    for (String k : kiosks) {
      if (on) faultyKiosks.add(k);
      else faultyKiosks.remove(k);
      ObjectNode d = Json.MAPPER.createObjectNode().put("component", "printer").put("active", on);
      batch.add(new Envelope.Event(id(), AssetId.of(site.id(), AssetKind.KIOSK, k), now, "fault", d));
    }
    emit(batch);
  }

  /** What the traffic model did: a bay's sensor, a gate camera's plate read. */
  public void traffic(TrafficEvent e, Instant now) {
    if (e instanceof TrafficEvent.BayOccupied o) {
      ObjectNode d = Json.MAPPER.createObjectNode().put("occupied", true).put("plate", o.plate());
      emit(List.of(new Envelope.Telemetry(id(), AssetId.of(site.id(), AssetKind.PARKING_BAY, o.bayId()), now, d)));
    } else if (e instanceof TrafficEvent.BayVacated v) {
      ObjectNode d = Json.MAPPER.createObjectNode().put("occupied", false);
      emit(List.of(new Envelope.Telemetry(id(), AssetId.of(site.id(), AssetKind.PARKING_BAY, v.bayId()), now, d)));
    } else if (e instanceof TrafficEvent.GateRead g && g.cameraId() != null) {
      ObjectNode d = Json.MAPPER.createObjectNode().put("plate", g.plate());
      emit(List.of(new Envelope.Event(id(), AssetId.of(site.id(), AssetKind.CAMERA, g.cameraId()), now, "plate-read", d)));
    }
  }

  /** Called every simulated second: the devices whose report is due send it; acks that are due go. */
  public void tick(double t, Instant now, CrowdModel crowd, Plant plant) {
    if (t >= nextCameras) {
      nextCameras += CAMERA_EVERY;
      cameras(now, crowd);
    }
    if (t >= nextHvac) {
      nextHvac += HVAC_EVERY;
      hvac(now, plant);
    }
    if (t >= nextKiosks) {
      nextKiosks += behaviour.kiosks().heartbeatEvery().toSeconds();
      kiosks(now, crowd);
    }
    if (t >= nextLabels) {
      nextLabels += LABEL_SLICE_EVERY;
      batteries(now);
    }
    if (t >= nextCouriers) {
      double every = behaviour.couriers().reportEvery().toMillis() / 1000.0;
      nextCouriers += every;
      couriers(now, every);
    }
    List<Envelope> due = new ArrayList<>();
    while (!acks.isEmpty() && acks.peek().at <= t) due.add(acks.poll().envelope);
    emit(due);
  }

  /** A slice of the labels reports its battery each minute, so each label reports every six hours. */
  private void batteries(Instant now) {
    List<Envelope> batch = new ArrayList<>();
    double drain = behaviour.shelfLabels().batteryPerDay() * 100 / 4;
    for (int i = labelSlice; i < labels.size(); i += LABEL_SLICES) {
      battery[i] = Math.max(0, battery[i] - drain * (0.5 + random.nextDouble()));
      ObjectNode d = Json.MAPPER.createObjectNode().put("battery", (int) Math.round(battery[i]));
      batch.add(new Envelope.Telemetry(id(), AssetId.of(site.id(), AssetKind.SHELF_LABEL, labels.get(i)), now, d));
    }
    labelSlice = (labelSlice + 1) % LABEL_SLICES;
    emit(batch);
  }

  /** Couriers ride between their hub and places around the site at 3–6 m/s and report where they are. */
  private void couriers(Instant now, double every) {
    var fleet = site.devices().courierFleet();
    if (fleet == null) return;
    List<Envelope> batch = new ArrayList<>();
    for (int i = 0; i < courierAt.length; i++) {
      double dx = courierTo[i][0] - courierAt[i][0];
      double dy = courierTo[i][1] - courierAt[i][1];
      double dist = Math.hypot(dx, dy);
      double step = courierSpeed[i] * every;
      if (dist <= step) {
        courierAt[i] = courierTo[i].clone();
        courierTo[i] = places.get(random.nextInt(places.size()));
      } else {
        courierAt[i][0] += dx / dist * step;
        courierAt[i][1] += dy / dist * step;
      }
      ObjectNode d = Json.MAPPER.createObjectNode().put("x", round(courierAt[i][0], 1)).put("y", round(courierAt[i][1], 1))
          .put("speed", round(courierSpeed[i], 1));
      batch.add(new Envelope.Telemetry(id(), AssetId.of(site.id(), AssetKind.COURIER, fleet.courierId(i + 1)), now, d));
    }
    emit(batch);
  }

  /**
   * A command from the twin: HVAC modes and setpoints go to the plant; each command is acknowledged
   * after its device's delay — a label's when its base station has sent it, if the ack is not lost.
   */
  public void command(Envelope.Command c, double t, Plant plant) {
    String kind = c.asset().kind().wireName();
    double delay = 1 + random.nextDouble() * 2;
    boolean lost = false;
    String refused = null;
    if (c.asset().kind() == AssetKind.HVAC_ZONE && plant.zone(c.asset().localId()) != null) {
      refused = hvacCommand(c, plant.zone(c.asset().localId()), plant);
    } else if (kind.equals("shelf-label")) {
      int station = Math.floorMod(c.asset().localId().hashCode(), baseStationFree.length);
      double perUpdate = 60.0 / behaviour.shelfLabels().updatesPerMinute();
      double start = Math.max(t, baseStationFree[station]);
      baseStationFree[station] = start + perUpdate;
      delay = start + perUpdate - t;
      lost = random.nextDouble() < behaviour.shelfLabels().ackLoss();
    }
    if (!lost) {
      Envelope.Ack ack = new Envelope.Ack(id(), c.asset(), c.ts(), c.id(),
          refused == null ? Envelope.AckStatus.OK : Envelope.AckStatus.FAILED, refused);
      acks.add(new Due(t + delay, ack));
    }
  }

  /**
   * An HVAC controller's commands: its mode and setpoints for its own controller; {@code set-control}
   * {@code local} hands the plant back to it; the twin's {@code set-outputs} (heating %, cooling %,
   * outdoor air L/s) drive the plant directly until then; {@code set-lighting} sets the lighting level.
   * Returns why a command was refused, or null.
   */
  private static String hvacCommand(Envelope.Command c, ThermalZone z, Plant plant) {
    String zone = c.asset().localId();
    switch (c.name()) {
      case "set-mode":
        if (c.data().hasNonNull("mode")) plant.setMode(zone, HvacMode.fromWire(c.data().get("mode").asText()));
        return null;
      case "set-setpoints":
        plant.setSetpoints(zone, c.data().path("heating").asDouble(z.heatingSetpoint()),
            c.data().path("cooling").asDouble(z.coolingSetpoint()));
        return null;
      case "set-control":
        // Atrium control begins with the first set-outputs; until then the zone's own controller runs.
        if ("local".equals(c.data().path("control").asText())) z.release();
        return null;
      case "set-outputs": {
        double h = c.data().path("heating").asDouble(Double.NaN);
        double k = c.data().path("cooling").asDouble(Double.NaN);
        double oa = c.data().path("outdoorAir").asDouble(Double.NaN);
        if (!(h >= 0 && h <= 100 && k >= 0 && k <= 100 && oa >= 0 && Double.isFinite(oa))) {
          return "set-outputs needs heating and cooling of 0 to 100 % and outdoor air >= 0 L/s, got " + c.data();
        }
        z.actuate(h, k, oa);
        return null;
      }
      case "set-lighting": {
        double level = c.data().path("level").asDouble(Double.NaN);
        if (!(level >= 0 && level <= 100)) return "set-lighting needs a level of 0 to 100 %, got " + c.data();
        z.setLightingLevel(level);
        return null;
      }
      default:
        return null;
    }
  }

  private void cameras(Instant now, CrowdModel crowd) {
    List<Envelope> batch = new ArrayList<>();
    double noise = behaviour.cameras().countNoise();
    for (int i = 0; i < lineCameras.size(); i++) {
      Camera c = lineCameras.get(i);
      long in = lineIn[i] < 0 ? lastIn[i] : crowd.crossings(lineIn[i]);
      long outs = lineOut[i] < 0 ? lastOut[i] : crowd.crossings(lineOut[i]);
      long dIn = in - lastIn[i];
      long dOut = outs - lastOut[i];
      lastIn[i] = in;
      lastOut[i] = outs;
      if (silentCameras.contains(c.id())) continue;
      double n = noisyCameras.contains(c.id()) ? 0.5 : noise;
      ObjectNode d = Json.MAPPER.createObjectNode().put("in", noisy(dIn, n)).put("out", noisy(dOut, n));
      batch.add(new Envelope.Telemetry(id(), AssetId.of(site.id(), AssetKind.CAMERA, c.id()), now, d));
    }
    for (int i = 0; i < headcountCameras.size(); i++) {
      Camera c = headcountCameras.get(i);
      if (headcountNode[i] < 0 || silentCameras.contains(c.id())) continue;
      ObjectNode d = Json.MAPPER.createObjectNode().put("count", noisy(crowd.people(headcountNode[i]), noise));
      batch.add(new Envelope.Telemetry(id(), AssetId.of(site.id(), AssetKind.CAMERA, c.id()), now, d));
    }
    emit(batch);
  }

  private long noisy(long count, double relativeSd) {
    if (count <= 0 || relativeSd <= 0) return Math.max(0, count);
    double g = gaussian();
    return Math.max(0, Math.round(count * (1 + relativeSd * g)));
  }

  private double gaussian() {
    double u = Math.max(1e-12, random.nextDouble());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  private void hvac(Instant now, Plant plant) {
    List<Envelope> batch = new ArrayList<>();
    for (ThermalZone z : plant.zones()) {
      ThermalZone.Readings r = z.readings();
      ObjectNode d = Json.MAPPER.createObjectNode()
          .put("temperature", round(r.temperature(), 1)).put("humidity", round(r.humidity(), 1)).put("co2", Math.round(r.co2()))
          .put("supplyAirTemperature", round(r.supplyAirTemperature(), 1)).put("heatingOutput", round(r.heatingOutput(), 1))
          .put("coolingOutput", round(r.coolingOutput(), 1)).put("power", round(r.power(), 2)).put("energy", round(r.energy(), 2));
      batch.add(new Envelope.Telemetry(id(), AssetId.of(site.id(), AssetKind.HVAC_ZONE, z.id()), now, d));
    }
    emit(batch);
  }

  private void kiosks(Instant now, CrowdModel crowd) {
    List<Envelope> batch = new ArrayList<>();
    for (var k : site.devices().kiosks()) {
      int node = nodeOrMinus(k.zone());
      int people = node < 0 ? 0 : crowd.people(node);
      ObjectNode d = Json.MAPPER.createObjectNode().put("heartbeat", true)
          .put("sessions", poisson(people * 0.002)).put("wayfindingQueries", poisson(people * 0.001));
      batch.add(new Envelope.Telemetry(id(), AssetId.of(site.id(), AssetKind.KIOSK, k.id()), now, d));
    }
    emit(batch);
  }

  private long poisson(double mean) {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian()));
    double l = Math.exp(-mean);
    double p = 1;
    long k = 0;
    do {
      k++;
      p *= random.nextDouble();
    } while (p > l);
    return k - 1;
  }

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }

  private String id() {
    return runId + "-" + (++ids);
  }

  private void emit(List<Envelope> batch) {
    if (batch.isEmpty()) return;
    sent += batch.size();
    out.accept(batch);
  }
}
