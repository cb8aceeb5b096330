package atrium.sim.run;

import atrium.core.protocol.Envelope;
import atrium.core.site.Site;
import atrium.core.site.Zone;
import atrium.sim.crowd.CrowdModel;
import atrium.sim.crowd.CrowdNetwork;
import atrium.sim.crowd.QueueStats;
import atrium.sim.crowd.VisitorMix;
import atrium.sim.control.PlantController;
import atrium.sim.control.PlantView;
import atrium.sim.devices.VirtualDevices;
import atrium.sim.kpi.KpiReport;
import atrium.sim.kpi.KpiSettings;
import atrium.sim.kpi.Kpis;
import atrium.sim.report.RunReport;
import atrium.sim.report.SeriesRecorder;
import atrium.sim.scenario.LoadedScenario;
import atrium.sim.scenario.Scenario;
import atrium.sim.scenario.ScenarioEvent;
import atrium.sim.thermal.Plant;
import atrium.sim.thermal.Sun;
import atrium.sim.thermal.ThermalZone;
import atrium.sim.thermal.Weather;
import atrium.sim.traffic.ArrivalProfile;
import atrium.sim.traffic.BayChooser;
import atrium.sim.traffic.TwinGuidance;
import atrium.sim.traffic.CarParkModel;
import atrium.sim.traffic.TimeDistribution;
import atrium.sim.traffic.TrafficEvent;
import atrium.sim.traffic.TrafficParams;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * One run of a scenario: the crowd, the car parks, the thermal plant and the devices, stepped
 * together on the scenario's own clock (a fixed step, seconds since the start), the scenario's
 * events applied when they fall due. Deterministic: the same scenario and seed give the same run,
 * however fast it is driven — stand-alone as fast as the machine allows ({@link StandaloneRun}), or
 * in the loop with a twin ({@link #advanceTo}) whose commands come back through {@link #command}.
 */
public final class Simulation {
  /** The crowd's step; the car parks advance to each step's end; the plant and sampling run each minute. */
  public static final double STEP = 1.0;
  static final double PLANT_EVERY = 60;
  /** The share of a visit spent inside shops; the rest is walking between them. An assumption. */
  static final double VISIT_SPENT_IN_SHOPS = 5.0 / 6.0;

  private final LoadedScenario sc;
  private final Site site;
  private final CrowdNetwork net;
  private final CrowdModel crowd;
  private final CarParkModel traffic;
  private final Plant plant;
  private final VirtualDevices devices;
  private final SplittableRandom random;
  private final double duration;
  private final long startEpoch;
  private final double startHourOfDay;
  private final SeriesRecorder recorder = new SeriesRecorder();
  private final double sampleEvery;
  private final Set<Scenario.Series> wanted;
  private final List<Zone> zones;
  private final int[] zoneNodes;
  private final String[] entrances;
  private final double[] entranceCumulative;
  private final Set<String> closedExits = new HashSet<>();
  private final ConcurrentLinkedQueue<Envelope.Command> commands = new ConcurrentLinkedQueue<>();
  private final List<String> notes = new ArrayList<>();
  private final Map<String, Long> refusals = new LinkedHashMap<>();
  private double t;
  private double nextVisitorEpoch;
  private int nextEvent;
  private double nextPlant;
  private double nextSample;
  private long visitors;
  private double alarmAt = -1;
  private final PlantController controller;
  private final PlantView plantView;
  private final Kpis kpis;
  private final List<double[]> campaigns = new ArrayList<>();

  /**
   * @param deviceOut where the devices' envelopes go (a {@code DeviceLink}, a recording), or null to
   *     run the models alone, without devices (the fastest stand-alone run)
   */
  public Simulation(LoadedScenario scenario, Consumer<List<Envelope>> deviceOut) {
    this(scenario, deviceOut, null, null, KpiSettings.DEFAULTS);
  }

  /**
   * @param guidance the twin's parking guidance, when the run is in the loop with a twin that gives
   *     it: the scenario's {@code guidedShare} of drivers follow it, the others (and everyone when it
   *     offers nothing) take the nearest free bay
   */
  public Simulation(LoadedScenario scenario, Consumer<List<Envelope>> deviceOut, TwinGuidance guidance) {
    this(scenario, deviceOut, guidance, null, KpiSettings.DEFAULTS);
  }

  /**
   * @param controller drives the plant each plant step (a baseline, Atrium's), or null for the plant's
   *     built-in behaviour: comfort at its default setpoints, changed only by the twin's commands
   * @param kpiSettings what the KPIs are measured against
   */
  public Simulation(LoadedScenario scenario, Consumer<List<Envelope>> deviceOut, PlantController controller, KpiSettings kpiSettings) {
    this(scenario, deviceOut, null, controller, kpiSettings);
  }

  /** Every part given: devices, the twin's guidance, a plant controller, the KPI settings; each but the last may be null. */
  public Simulation(LoadedScenario scenario, Consumer<List<Envelope>> deviceOut, TwinGuidance guidance, PlantController controller,
      KpiSettings kpiSettings) {
    this.sc = scenario;
    this.site = scenario.site();
    this.random = new SplittableRandom(scenario.seed());
    this.duration = Duration.between(scenario.start(), scenario.end()).toMillis() / 1000.0;
    this.startEpoch = scenario.start().getEpochSecond();
    ZonedDateTime local = scenario.start().atZone(scenario.zone());
    this.startHourOfDay = local.getHour() + local.getMinute() / 60.0 + local.getSecond() / 3600.0;
    this.net = CrowdNetwork.fromSite(site);
    this.crowd = new CrowdModel(net, visitorMix(scenario), random.nextLong());
    this.traffic = new CarParkModel(site, trafficParams(scenario), random.nextLong(), chooser(scenario, guidance), this::onTraffic);
    int month = local.getMonthValue();
    this.plant = Plant.forSite(site, month >= 5 && month <= 9 ? Sun.SHANGHAI_SUMMER : Sun.SHANGHAI_WINTER);
    this.controller = controller;
    this.plantView = controller == null ? null : new PlantView(plant);
    List<String> hvacIds = new ArrayList<>();
    double[] areas = new double[plant.zones().size()];
    for (int i = 0; i < areas.length; i++) {
      hvacIds.add(plant.zones().get(i).id());
      areas[i] = plant.zones().get(i).params().floorArea();
    }
    this.kpis = new Kpis(hvacIds, areas, kpiSettings, startHourOfDay);
    this.devices = deviceOut == null ? null
        : new VirtualDevices(site, net, scenario.scenario().devices(), random.nextLong(), deviceOut);
    this.sampleEvery = scenario.scenario().results().every().toMillis() / 1000.0;
    this.wanted = Set.copyOf(scenario.scenario().results().series());
    this.zones = site.zones();
    this.zoneNodes = new int[zones.size()];
    for (int i = 0; i < zones.size(); i++) zoneNodes[i] = net.node(zones.get(i).id());
    this.entrances = scenario.entranceShares().keySet().toArray(new String[0]);
    this.entranceCumulative = new double[entrances.length];
    double sum = 0;
    for (int i = 0; i < entrances.length; i++) {
      sum += scenario.entranceShares().get(entrances[i]);
      entranceCumulative[i] = sum;
    }
    this.nextVisitorEpoch = scenario.visitorRate().nextArrival(startEpoch, exponential());
  }

  private double exponential() {
    return -Math.log(1 - random.nextDouble());
  }

  /** Drivers who follow the twin's guidance are chosen by their plate, so a run repeats with the same seed. */
  static BayChooser chooser(LoadedScenario sc, TwinGuidance guidance) {
    BayChooser local = BayChooser.nearestFree();
    if (guidance == null) return local;
    double share = sc.scenario().cars() == null ? Scenario.Cars.DEFAULT_GUIDED_SHARE : sc.scenario().cars().guidedShare();
    BayChooser guided = BayChooser.guidedBy(guidance, local);
    return (state, carPark, preference, plate, time) -> (Math.floorMod(plate.hashCode(), 1000) < share * 1000 ? guided : local)
        .choose(state, carPark, preference, plate, time);
  }

  static VisitorMix visitorMix(LoadedScenario sc) {
    Scenario.Visitors v = sc.scenario().visitors();
    Scenario.LogNormal reaction = ScenarioEvent.FireAlarm.DEFAULT_REACTION;
    for (LoadedScenario.TimedEvent e : sc.events()) {
      if (e.event() instanceof ScenarioEvent.FireAlarm f) reaction = f.reaction();
    }
    if (v == null) {
      VisitorMix d = VisitorMix.DEFAULT;
      return new VisitorMix(d.under30Share(), d.from30To50Share(), d.over50Share(), d.reducedMobilityShare(), d.meanShopsPerVisit(),
          d.dwellMedianMinutes(), d.dwellSigma(), reaction.median().toMillis() / 1000.0, reaction.sigma(), d.otherFloorWeight(),
          d.categoryWeights());
    }
    Scenario.AgeGroups a = v.ageGroups();
    double shops = Math.max(1, v.shopsPerVisit());
    // The scenario gives the whole visit; the crowd model dwells per shop: the visit is shared among
    // the shops, with about a sixth of it left for walking between them.
    double perShopMinutes = v.dwell().median().toMillis() / 60_000.0 * VISIT_SPENT_IN_SHOPS / shops;
    return new VisitorMix(a.under30(), a.from30To50(), a.over50(), a.reducedMobility(), shops,
        perShopMinutes, v.dwell().sigma(), reaction.median().toMillis() / 1000.0, reaction.sigma(),
        VisitorMix.DEFAULT.otherFloorWeight(), Map.of());
  }

  /** The scenario's car profile as each car park's per-minute rates over the local day, repeating daily. */
  static TrafficParams trafficParams(LoadedScenario sc) {
    ZonedDateTime local = sc.start().atZone(sc.zone());
    long midnight = local.toLocalDate().atStartOfDay(sc.zone()).toEpochSecond();
    double phase = sc.start().getEpochSecond() - midnight;
    double[] perMinute = new double[1440];
    for (int m = 0; m < perMinute.length; m++) perMinute[m] = sc.carRate().perHourAt(midnight + m * 60.0 + 30);
    Map<String, ArrivalProfile> arrivals = new LinkedHashMap<>();
    sc.carParkShares().forEach((carPark, share) -> arrivals.put(carPark, new ArrivalProfile(60, perMinute, phase).scaled(share)));
    TrafficParams d = TrafficParams.defaults(arrivals);
    Scenario.Cars cars = sc.scenario().cars();
    if (cars == null) return d;
    return new TrafficParams(arrivals, TimeDistribution.LogNormal.ofMedian(cars.dwell().median().toMillis() / 1000.0, cars.dwell().sigma()),
        new TimeDistribution.Exponential(cars.patience().toMillis() / 1000.0), d.maxQueue(), d.maxRedirects(), d.redirectDriveSeconds(),
        d.liftShare());
  }

  public LoadedScenario scenario() {
    return sc;
  }

  /** Seconds of the scenario run so far. */
  public double time() {
    return t;
  }

  public Instant now() {
    return sc.start().plusMillis(Math.round(t * 1000));
  }

  public boolean finished() {
    return t >= duration;
  }

  public double duration() {
    return duration;
  }

  /**
   * People already inside when the run starts (a run from the twin's present state): each zone's
   * count of visitors drawn from the mix, placed at random in the zone. Returns how many were placed.
   */
  public int populate(Map<String, Integer> peoplePerZone) {
    int placed = 0;
    for (var e : peoplePerZone.entrySet()) {
      for (int i = 0; i < e.getValue(); i++) {
        crowd.spawnVisitorIn(e.getKey());
        placed++;
      }
    }
    return placed;
  }

  /** People inside now. */
  public int inside() {
    return crowd.inside();
  }

  /** When the fire alarm went off, seconds since the start; negative while none has. */
  public double alarmAt() {
    return alarmAt;
  }

  /** Everyone who has gone out by this exit since the start. */
  public int exitedVia(String exitId) {
    return crowd.exitedVia(exitId);
  }

  /** Everyone who has gone out since the alarm (the evacuation curve's "out"). */
  public long exitedSinceAlarm() {
    return crowd.exitedSinceAlarm();
  }

  /** The {@code top} doors and passages where queues were longest so far. */
  public List<QueueStats> bottlenecks(int top) {
    return crowd.bottlenecks(top);
  }

  /** People who found no open way out. */
  public int trapped() {
    return crowd.trapped();
  }

  /** Seconds from the alarm to the last person out, once the alarm has gone off and nobody is inside; else negative. */
  public double evacuationSeconds() {
    return alarmAt >= 0 && crowd.inside() == 0 ? crowd.lastExitTime() - crowd.evacuationStart() : -1;
  }

  /** A car already parked when the run starts (a demo resuming, a run from the twin's present state). */
  public void placeCar(String bayId, String plate, Instant leavesAt) {
    traffic.placeCar(bayId, plate, Duration.between(sc.start(), leavesAt).toMillis() / 1000.0);
  }

  /** The cars parked now, with the instants they will leave. */
  public Map<String, Instant> parkedCars() {
    Map<String, Instant> out = new LinkedHashMap<>();
    for (CarParkModel.ParkedCar c : traffic.parked()) out.put(c.bayId(), sc.start().plusMillis(Math.round(c.departAt() * 1000)));
    return out;
  }

  /** A command from the twin, from any thread: applied at the start of the next step. */
  public void command(Envelope.Command c) {
    commands.add(c);
  }

  /** Runs whole steps until {@code seconds} since the start (or the end of the scenario). */
  public void advanceTo(double seconds) {
    double target = Math.min(seconds, duration);
    while (t + STEP <= target + 1e-9) step();
  }

  /** One step of {@link #STEP} seconds. */
  public void step() {
    for (Envelope.Command c = commands.poll(); c != null; c = commands.poll()) {
      if (devices != null) devices.command(c, t, plant);
    }
    applyEvents();
    double end = t + STEP;
    arrive(end);
    traffic.advanceTo(end);
    crowd.step(STEP);
    t = end;
    // Each plant step covers the minute ahead; none starts at the scenario's end (the plant, and the
    // KPIs, cover the scenario's period and no more).
    if (t >= nextPlant && t < duration) {
      nextPlant += PLANT_EVERY;
      stepPlant();
    }
    if (devices != null) devices.tick(t, now(), crowd, plant);
    if (t >= nextSample) {
      nextSample += sampleEvery;
      sample();
    }
  }

  private void arrive(double end) {
    double endEpoch = startEpoch + end;
    while (nextVisitorEpoch < endEpoch) {
      double u = random.nextDouble() * entranceCumulative[entranceCumulative.length - 1];
      int i = 0;
      while (i < entrances.length - 1 && u > entranceCumulative[i]) i++;
      if (!closedExits.contains(entrances[i]) && crowd.spawnVisitor(entrances[i]) >= 0) visitors++;
      nextVisitorEpoch = sc.visitorRate().nextArrival(nextVisitorEpoch, exponential());
    }
  }

  private void applyEvents() {
    List<LoadedScenario.TimedEvent> events = sc.events();
    Instant now = now();
    while (nextEvent < events.size() && !events.get(nextEvent).at().isAfter(now)) {
      apply(events.get(nextEvent++), now);
    }
    for (double[] c : campaigns) advanceCampaign(c);
  }

  private void apply(LoadedScenario.TimedEvent te, Instant now) {
    ScenarioEvent e = te.event();
    if (e instanceof ScenarioEvent.ExitClosed x) {
      closedExits.add(x.exit());
      if (crowd.evacuating()) crowd.startEvacuation(Set.copyOf(closedExits));
    } else if (e instanceof ScenarioEvent.ExitOpened x) {
      closedExits.remove(x.exit());
    } else if (e instanceof ScenarioEvent.FireAlarm f) {
      // Exits closed at the same instant are closed first, whatever their order in the file.
      for (int i = nextEvent; i < sc.events().size() && !sc.events().get(i).at().isAfter(now); i++) {
        if (sc.events().get(i).event() instanceof ScenarioEvent.ExitClosed x) closedExits.add(x.exit());
      }
      alarmAt = t;
      crowd.startEvacuation(Set.copyOf(closedExits), Set.of(f.zone()));
      if (f.scope() != ScenarioEvent.Scope.BUILDING) notes.add("fire alarm scope " + f.scope() + " is run as a whole-building evacuation");
    } else if (e instanceof ScenarioEvent.HvacFailure h) {
      for (String z : h.hvacZones()) plant.zone(z).setAvailable(false);
      double back = Duration.between(sc.start(), te.until()).toMillis() / 1000.0;
      failures.put(back, h.hvacZones());
    } else if (e instanceof ScenarioEvent.PriceCampaign p) {
      int labels = labelsOf(p);
      var b = sc.scenario().devices().shelfLabels();
      int stations = Math.max(1, (labels + b.labelsPerBaseStation() - 1) / b.labelsPerBaseStation());
      campaigns.add(new double[] {t, labels, 0, 0, stations * b.updatesPerMinute() / 60.0, b.ackLoss()});
    } else if (e instanceof ScenarioEvent.KioskFault k) {
      if (devices != null) devices.kioskFault(k.kiosks(), true, t, now);
      double back = Duration.between(sc.start(), te.until()).toMillis() / 1000.0;
      kioskRecoveries.put(back, k.kiosks());
    } else if (e instanceof ScenarioEvent.CarParkClosed c) {
      traffic.setOpen(c.carPark(), false);
    } else if (e instanceof ScenarioEvent.CarParkOpened c) {
      traffic.setOpen(c.carPark(), true);
    } else if (e instanceof ScenarioEvent.CameraFault c) {
      if (devices != null) devices.cameraFault(c.cameras(), c.mode() == ScenarioEvent.CameraFaultMode.OFFLINE, true);
    } else {
      notes.add(e.getClass().getSimpleName() + " at " + te.at() + " is not modelled yet");
    }
  }

  private final Map<Double, List<String>> failures = new LinkedHashMap<>();
  private final Map<Double, List<String>> kioskRecoveries = new LinkedHashMap<>();

  private int labelsOf(ScenarioEvent.PriceCampaign p) {
    int n = 0;
    for (var g : site.devices().shelfLabelGroups()) {
      boolean byZone = p.zones() != null && p.zones().contains(g.zone());
      boolean byPrefix = p.labelPrefixes() != null && p.labelPrefixes().stream().anyMatch(x -> g.idPrefix().startsWith(x));
      if (byZone || byPrefix) n += g.count();
    }
    return n;
  }

  /** A campaign: {start, labels, updated, acknowledged, updates per second, ack loss}; a failure entry has start −1. */
  private void advanceCampaign(double[] c) {
    if (c[0] < 0) return;
    double done = Math.min(c[1], Math.floor((t - c[0]) * c[4]));
    c[3] += (done - c[2]) * (1 - c[5]);
    c[2] = done;
  }

  private void stepPlant() {
    for (var it = failures.entrySet().iterator(); it.hasNext(); ) {
      var f = it.next();
      if (t >= f.getKey()) {
        for (String z : f.getValue()) plant.zone(z).setAvailable(true);
        it.remove();
      }
    }
    for (var it = kioskRecoveries.entrySet().iterator(); it.hasNext(); ) {
      var k = it.next();
      if (t >= k.getKey()) {
        if (devices != null) devices.kioskFault(k.getValue(), false, t, now());
        it.remove();
      }
    }
    for (int i = 0; i < zones.size(); i++) plant.setSiteZoneOccupancy(zones.get(i).id(), crowd.people(zoneNodes[i]));
    double hour = (startHourOfDay + t / 3600.0) % 24;
    plant.setInternalLoadFraction(crowd.inside() > 0 ? 1.0 : 0.3);
    Instant now = now();
    Weather weather = new Weather(sc.weather().temperatureAt(now), sc.weather().humidityAt(now), 0.3, Weather.OUTDOOR_CO2);
    double compute = 0;
    if (controller != null) {
      long started = System.nanoTime();
      controller.control(new PlantController.Step(now, hour, PLANT_EVERY, weather), plantView);
      compute = (System.nanoTime() - started) / 1e9;
    }
    plant.step(PLANT_EVERY, weather, hour);
    // The KPIs' band is the settings' (fixed by the test), not the setpoints a controller chose.
    double lower = kpis.lowerNow(), upper = kpis.upperNow();
    List<ThermalZone> hz = plant.zones();
    for (int i = 0; i < hz.size(); i++) {
      ThermalZone z = hz.get(i);
      kpis.zone(i, z.temperature(), lower, upper, z.co2(), z.powerKw());
    }
    kpis.endStep(PLANT_EVERY, compute);
  }

  /**
   * A warm-up, as BOPTEST runs one before each test: before the run starts, the thermal plant alone
   * runs for {@code period} under the run's own controller (or the plant's built-in behaviour if it
   * has none), on the scenario's weather (a time-of-day profile, so the days before repeat the
   * scenario's day), with nobody inside and the internal loads the run itself uses for an empty mall
   * (30 %; full from 10:00 to 22:00, the opening hours the KPIs assume). The run then starts from the
   * state its own control left the building in the day before, not from 20 °C everywhere — which on a
   * July morning is a store of cold no real building has. (BOPTEST warms up under its baseline; here
   * each controller warms up under itself, because a scenario may start inside a controller's
   * pre-start window — {@code weekday} starts at 08:00 — and a controller should meet its own
   * yesterday, not the baseline's.) The KPIs, the series and the devices see nothing of it; the plant's
   * energy meters keep counting, like real meters. Call before the first {@link #step()}.
   */
  public void warmUp(Duration period) {
    if (t > 0) throw new IllegalStateException("warm up before the first step");
    if (period.isNegative() || period.isZero()) return;
    long steps = (long) Math.ceil(period.toMillis() / 1000.0 / PLANT_EVERY);
    for (long k = steps; k > 0; k--) {
      Instant at = sc.start().minusSeconds((long) (k * PLANT_EVERY));
      double hour = ((startHourOfDay - k * PLANT_EVERY / 3600.0) % 24 + 24) % 24;
      plant.setInternalLoadFraction(hour >= 10 && hour < 22 ? 1.0 : 0.3);
      Weather weather = new Weather(sc.weather().temperatureAt(at), sc.weather().humidityAt(at), 0.3, Weather.OUTDOOR_CO2);
      if (controller != null) controller.control(new PlantController.Step(at, hour, PLANT_EVERY, weather), plantView);
      plant.step(PLANT_EVERY, weather, hour);
    }
  }

  /** BOPTEST's KPIs of the plant so far (each plant step of 60 s, from the run's start). */
  public KpiReport kpis() {
    return kpis.report();
  }

  /** The thermal plant (for tests in this package). */
  Plant plant() {
    return plant;
  }

  /** The controller driving the plant, or null for the plant's built-in behaviour. */
  public PlantController controller() {
    return controller;
  }

  private void onTraffic(TrafficEvent e) {
    if (e instanceof TrafficEvent.CarRefused r) refusals.merge(r.carParkId(), 1L, Long::sum);
    if (devices != null) devices.traffic(e, sc.start().plusMillis(Math.round(e.time() * 1000)));
  }

  private void sample() {
    if (wanted.contains(Scenario.Series.OCCUPANCY) || wanted.contains(Scenario.Series.DENSITY_HEAT_MAP)) {
      Map<String, Double> people = new LinkedHashMap<>();
      Map<String, Double> density = new LinkedHashMap<>();
      for (int i = 0; i < zones.size(); i++) {
        people.put(zones.get(i).id(), (double) crowd.people(zoneNodes[i]));
        density.put(zones.get(i).id(), crowd.density(zoneNodes[i]));
      }
      recorder.sample("inside", "People inside", "persons", t, Map.of("inside", (double) crowd.inside()));
      recorder.sample("occupancy", "People per zone", "persons", t, people);
      recorder.sample("density", "Density per zone", "persons/m²", t, density);
    }
    if (wanted.contains(Scenario.Series.CAR_PARK_FILL)) {
      Map<String, Double> fill = new LinkedHashMap<>();
      Map<String, Double> queued = new LinkedHashMap<>();
      for (CarParkModel.CarParkStats s : traffic.stats()) {
        fill.put(s.carParkId(), (double) s.occupied());
        queued.put(s.carParkId(), (double) s.queued());
      }
      recorder.sample("car-park-fill", "Occupied bays per car park", "bays", t, fill);
      recorder.sample("car-park-queue", "Cars queued at each car park", "cars", t, queued);
    }
    if (wanted.contains(Scenario.Series.EVACUATION) && alarmAt >= 0) {
      recorder.sample("evacuation", "Evacuation: people out and still inside since the alarm", "persons", t,
          Map.of("out", (double) crowd.exitedSinceAlarm(), "inside", (double) crowd.inside()));
    }
    if (wanted.contains(Scenario.Series.ENERGY_COMFORT)) {
      double sumT = 0;
      double maxCo2 = 0;
      for (ThermalZone z : plant.zones()) {
        sumT += z.temperature();
        maxCo2 = Math.max(maxCo2, z.co2());
      }
      recorder.sample("power", "HVAC electric power", "kW", t, Map.of("power", plant.totalPowerKw()));
      recorder.sample("temperature", "Mean zone temperature and outdoor temperature", "°C", t,
          Map.of("zones (mean)", sumT / Math.max(1, plant.zones().size()), "outdoor", sc.weather().temperatureAt(now())));
      recorder.sample("co2", "Highest zone CO2", "ppm", t, Map.of("max", maxCo2));
    }
    if (wanted.contains(Scenario.Series.LABEL_CAMPAIGN)) {
      Map<String, Double> progress = new LinkedHashMap<>();
      int n = 0;
      for (double[] c : campaigns) {
        if (c[0] < 0) continue;
        n++;
        progress.put("campaign " + n + " updated", c[2]);
        progress.put("campaign " + n + " acknowledged", Math.floor(c[3]));
      }
      if (!progress.isEmpty()) recorder.sample("labels", "Price campaign: labels updated and acknowledged", "labels", t, progress);
    }
  }

  /** The report of the run so far, named {@code name} (the scenario file's). */
  public RunReport report(String name, double wallSeconds) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("simulated", Duration.ofSeconds(Math.round(t)).toString());
    summary.put("speed (× real time)", wallSeconds > 0 ? Math.round(t / wallSeconds) : 0);
    summary.put("visitors who came in", visitors);
    summary.put("people inside at the end", crowd.inside());
    long arrivals = 0;
    long refused = 0;
    for (CarParkModel.CarParkStats s : traffic.stats()) {
      arrivals += s.arrivals();
      refused += s.refusals();
    }
    summary.put("cars arriving", arrivals);
    summary.put("cars refused (every car park full)", refused);
    summary.put("HVAC control", controller == null ? "the plant's own (setpoints as commanded)" : controller.name());
    summary.putAll(kpis.report().summary());
    List<RunReport.Table> tables = new ArrayList<>();
    if (alarmAt >= 0) {
      summary.put("alarm at", sc.start().plusMillis(Math.round(alarmAt * 1000)).atZone(sc.zone()).toLocalTime().toString());
      summary.put("people out since the alarm", crowd.exitedSinceAlarm());
      if (crowd.inside() == 0) {
        summary.put("total evacuation time (s)", Math.round(crowd.lastExitTime() - crowd.evacuationStart()));
      } else {
        summary.put("still inside (evacuation not finished)", crowd.inside());
      }
      summary.put("trapped (no way out)", crowd.trapped());
      List<List<Object>> rows = new ArrayList<>();
      for (QueueStats q : crowd.bottlenecks(10)) {
        rows.add(List.of(q.link(), q.maxLength(), Math.round(q.secondsWithQueue()), Math.round(q.personSeconds())));
      }
      tables.add(new RunReport.Table("bottlenecks", "Bottlenecks: where queues formed",
          List.of("door or passage", "longest queue (persons)", "seconds with a queue", "person-seconds waited"), rows));
    }
    if (devices != null) summary.put("device messages", devices.sent());
    for (String n : notes) summary.put("note", n);
    List<RunReport.HeatMap> heat = new ArrayList<>();
    List<RunReport.TimeSeries> series = recorder.series();
    if (wanted.contains(Scenario.Series.DENSITY_HEAT_MAP) && series.stream().anyMatch(s -> s.id().equals("density"))) {
      heat.add(recorder.heatMap("density", "density-heat-map", "Density per zone over time (persons/m²)"));
    }
    return new RunReport(name, site.id(), sc.seed(), sc.start().atZone(sc.zone()).toString(), now().atZone(sc.zone()).toString(),
        wallSeconds, summary, series, heat, tables);
  }
}
