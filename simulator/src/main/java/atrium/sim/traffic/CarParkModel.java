package atrium.sim.traffic;

import atrium.core.site.Bay;
import atrium.core.site.Camera;
import atrium.core.site.CarPark;
import atrium.core.site.CarParkLevel;
import atrium.core.site.Routes;
import atrium.core.site.Site;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The car traffic of a site's car parks, event by event on a simulated clock (seconds since the
 * model's start).
 *
 * <p>Cars arrive at each car park's entrance as a non-homogeneous Poisson process of its
 * {@link ArrivalProfile} (exact inversion of the cumulative rate). Each car gets a pseudonymous plate
 * and a preference (bay near the entrance or near a lift) and asks the {@link BayChooser}:
 * <ul>
 *   <li>a free bay here: the car passes the entry gate (plate read), takes the bay, stays for a
 *       {@link TrafficParams#dwell() dwell}, then vacates it and passes the exit gate (plate read);
 *   <li>a free bay in another car park (the twin's overflow guidance): the car drives there;
 *   <li>nothing (full): the car queues at the entrance if the queue has room, for up to its
 *       {@link TrafficParams#patience() patience}; a bay freed here goes to the head of the queue.
 *       A car that gives up (or finds the queue full, or has zero patience) drives to the nearest
 *       car park it has not tried (walking distance between entrance zones), up to
 *       {@link TrafficParams#maxRedirects()} times, and otherwise leaves: a refusal.
 * </ul>
 * Entry and exit reads are emitted only for car parks that have plate-gate cameras of that
 * direction; a car that never gets a bay passes no gate. No driving time inside the car park: the bay
 * is occupied at the entry read.
 *
 * <p>Deterministic: one {@link SplittableRandom} per entrance for arrivals and one for the cars
 * (plate, preference, dwell, patience), all split from the seed; events at the same time are taken
 * departures first, then in the order they were scheduled. The runner drives it with
 * {@link #advanceTo(double)} or {@link #step(double)} and receives {@link TrafficEvent}s through the
 * sink; {@link #stats()} gives the per-car-park counters (sample them for fill and refusals over time).
 * Not thread-safe: one thread drives a model.
 */
public final class CarParkModel implements BayChooser.ParkingState {

  private static final int PATIENCE = 0, DEPARTURE = 1, REDIRECT = 2;

  private final TrafficParams params;
  private final BayChooser chooser;
  private final Consumer<TrafficEvent> sink;
  private final SplittableRandom carRandom;

  // Car parks.
  private final String[] cpIds;
  private final Map<String, Integer> cpIndex = new HashMap<>();
  private final int[] capacity, occupied, queued;
  private final boolean[] closed;
  private final String[] entryCamera, exitCamera;
  private final ArrivalProfile[] profiles;
  private final SplittableRandom[] arrivalRandom;
  private final double[] nextArrival;
  private final int[][] redirectOrder;
  private final List<ArrayDeque<Car>> queues = new ArrayList<>();
  private final long[] arrivals, entries, departures, refusals, redirectedOut, redirectedIn;
  private final double[] occupiedSeconds, lastChange;

  // Bays, by index; per car park, bays ranked by distance to the entrance and to a lift.
  private final String[] bayIds;
  private final int[] bayCp;
  private final Car[] occupant;
  private final Map<String, Integer> bayIndex = new HashMap<>();
  private final int[][] byEntrance, byLift;
  private final int[] entranceRank, liftRank;
  private final BitSet[] freeByEntrance, freeByLift;

  private final PriorityQueue<Pending> pending = new PriorityQueue<>(
      Comparator.comparingDouble(Pending::time).thenComparingInt(Pending::kindOrder).thenComparingLong(Pending::seq));
  private long seq;
  private double now;

  /**
   * @param sink receives every event as it happens (may be null for a run that only wants stats)
   */
  public CarParkModel(Site site, TrafficParams params, long seed, BayChooser chooser, Consumer<TrafficEvent> sink) {
    this.params = params;
    this.chooser = chooser;
    this.sink = sink;
    List<CarPark> carParks = site.carParksById();
    for (String id : params.arrivals().keySet()) {
      if (site.carPark(id).isEmpty()) throw new IllegalArgumentException("arrival profile for unknown car park " + id);
    }
    int n = carParks.size();
    cpIds = new String[n];
    capacity = new int[n];
    occupied = new int[n];
    queued = new int[n];
    closed = new boolean[n];
    entryCamera = new String[n];
    exitCamera = new String[n];
    profiles = new ArrivalProfile[n];
    arrivalRandom = new SplittableRandom[n];
    nextArrival = new double[n];
    arrivals = new long[n];
    entries = new long[n];
    departures = new long[n];
    refusals = new long[n];
    redirectedOut = new long[n];
    redirectedIn = new long[n];
    occupiedSeconds = new double[n];
    lastChange = new double[n];
    byEntrance = new int[n][];
    byLift = new int[n][];
    freeByEntrance = new BitSet[n];
    freeByLift = new BitSet[n];

    SplittableRandom master = new SplittableRandom(seed);
    carRandom = master.split();
    int bays = site.totalBays();
    bayIds = new String[bays];
    bayCp = new int[bays];
    occupant = new Car[bays];
    entranceRank = new int[bays];
    liftRank = new int[bays];
    double[] toEntrance = new double[bays], toLift = new double[bays];
    int b = 0;
    for (int k = 0; k < n; k++) {
      CarPark cp = carParks.get(k);
      cpIds[k] = cp.id();
      cpIndex.put(cp.id(), k);
      queues.add(new ArrayDeque<>());
      int first = b;
      for (CarParkLevel level : cp.levels()) {
        for (Bay bay : level.bays()) {
          bayIds[b] = bay.id();
          bayCp[b] = k;
          toEntrance[b] = bay.toEntrance();
          toLift[b] = bay.toLift();
          bayIndex.put(bay.id(), b);
          b++;
        }
      }
      capacity[k] = b - first;
      byEntrance[k] = ranked(first, b, toEntrance, entranceRank);
      byLift[k] = ranked(first, b, toLift, liftRank);
      freeByEntrance[k] = new BitSet(capacity[k]);
      freeByEntrance[k].set(0, capacity[k]);
      freeByLift[k] = (BitSet) freeByEntrance[k].clone();
      profiles[k] = params.arrivals().get(cp.id());
      // One stream per car park, split in id order whether or not it has arrivals: adding a profile
      // elsewhere does not change this entrance's arrivals.
      arrivalRandom[k] = master.split();
      nextArrival[k] = profiles[k] == null ? Double.POSITIVE_INFINITY : profiles[k].nextArrival(0, arrivalRandom[k]);
    }
    for (Camera c : site.devices() == null ? List.<Camera>of() : site.devices().cameras()) {
      if (c.mode() != Camera.Mode.PLATE_GATE || c.carPark() == null || !cpIndex.containsKey(c.carPark())) continue;
      int k = cpIndex.get(c.carPark());
      if (c.direction() == Camera.Direction.ENTRY && entryCamera[k] == null) entryCamera[k] = c.id();
      if (c.direction() == Camera.Direction.EXIT && exitCamera[k] == null) exitCamera[k] = c.id();
    }
    redirectOrder = new int[n][];
    for (int k = 0; k < n; k++) redirectOrder[k] = redirectOrder(site, carParks, k);
  }

  /** Stand-alone: the local rule, nearest free bay. */
  public CarParkModel(Site site, TrafficParams params, long seed, Consumer<TrafficEvent> sink) {
    this(site, params, seed, BayChooser.nearestFree(), sink);
  }

  /** Bays [from, to) ordered by distance (ties by their order in the site file); fills rank. */
  private static int[] ranked(int from, int to, double[] distance, int[] rank) {
    Integer[] order = new Integer[to - from];
    for (int i = 0; i < order.length; i++) order[i] = from + i;
    Arrays.sort(order, Comparator.comparingDouble(i -> distance[i]));
    int[] result = new int[order.length];
    for (int r = 0; r < order.length; r++) {
      result[r] = order[r];
      rank[order[r]] = r;
    }
    return result;
  }

  /** The other car parks, nearest entrance first (walking route between entrance zones), then by id. */
  private static int[] redirectOrder(Site site, List<CarPark> carParks, int k) {
    String from = carParks.get(k).entranceZone();
    double[] distance = new double[carParks.size()];
    List<Integer> others = new ArrayList<>();
    for (int j = 0; j < carParks.size(); j++) {
      if (j == k) continue;
      others.add(j);
      distance[j] = from == null ? Double.POSITIVE_INFINITY
          : Routes.shortest(site, from, carParks.get(j).entranceZone()).map(Routes.Route::metres).orElse(Double.POSITIVE_INFINITY);
    }
    others.sort(Comparator.<Integer>comparingDouble(j -> distance[j]).thenComparingInt(j -> j));
    return others.stream().mapToInt(Integer::intValue).toArray();
  }

  // ---- driving the model ----

  /** Simulated seconds since the model's start. */
  public double now() {
    return now;
  }

  public void step(double dtSeconds) {
    advanceTo(now + dtSeconds);
  }

  /** Processes every event up to and including {@code simTimeSeconds}, then sets the clock there. */
  public void advanceTo(double simTimeSeconds) {
    if (simTimeSeconds < now) throw new IllegalArgumentException("time runs forward: " + simTimeSeconds + " < " + now);
    while (true) {
      int k = earliestArrival();
      double tArrival = k < 0 ? Double.POSITIVE_INFINITY : nextArrival[k];
      Pending p = pending.peek();
      double tPending = p == null ? Double.POSITIVE_INFINITY : p.time();
      if (Math.min(tArrival, tPending) > simTimeSeconds) break;
      if (tPending <= tArrival) {
        pending.poll();
        now = p.time();
        if (p.version() == p.car().version) fire(p);
      } else {
        now = tArrival;
        nextArrival[k] = profiles[k].nextArrival(tArrival, arrivalRandom[k]);
        arrivals[k]++;
        arriveAt(newCar(k), k);
      }
    }
    now = simTimeSeconds;
  }

  /** A car parked now, and when it will leave (seconds since the start). */
  public record ParkedCar(String bayId, String plate, double departAt) {}

  /** The cars parked now: what a demo saves to carry on after a restart. */
  public List<ParkedCar> parked() {
    Map<Car, Double> departures = new java.util.IdentityHashMap<>();
    for (Pending p : pending) {
      if (p.kind() == DEPARTURE && p.version() == p.car().version) departures.put(p.car(), p.time());
    }
    List<ParkedCar> out = new ArrayList<>();
    for (int bay = 0; bay < occupant.length; bay++) {
      Car car = occupant[bay];
      if (car != null) out.add(new ParkedCar(bayIds[bay], car.plate, departures.getOrDefault(car, now)));
    }
    return out;
  }

  /** Places a car already parked when the run starts (e.g. from the live twin's state). */
  public void placeCar(String bayId, String plate, double departAtSeconds) {
    int bay = bayIndex(bayId);
    if (bay < 0) throw new IllegalArgumentException("unknown bay " + bayId);
    if (occupant[bay] != null) throw new IllegalArgumentException("bay " + bayId + " is already occupied");
    Car car = new Car(plate, BayChooser.Preference.ENTRANCE, bayCp[bay]);
    occupy(car, bay);
    schedule(car, Math.max(departAtSeconds, now), DEPARTURE);
  }

  private int earliestArrival() {
    int best = -1;
    for (int k = 0; k < nextArrival.length; k++) {
      if (nextArrival[k] != Double.POSITIVE_INFINITY && (best < 0 || nextArrival[k] < nextArrival[best])) best = k;
    }
    return best;
  }

  private Car newCar(int k) {
    BayChooser.Preference pref = carRandom.nextDouble() < params.liftShare() ? BayChooser.Preference.LIFT : BayChooser.Preference.ENTRANCE;
    return new Car(Plates.random(carRandom), pref, k);
  }

  private void fire(Pending p) {
    Car car = p.car();
    switch (p.kind()) {
      case DEPARTURE -> depart(car);
      case PATIENCE -> {
        int k = car.carPark;
        car.version++;
        car.queued = false;
        queued[k]--;
        giveUp(car, k);
      }
      case REDIRECT -> {
        redirectedIn[car.carPark]++;
        arriveAt(car, car.carPark);
      }
      default -> throw new IllegalStateException("unknown event kind " + p.kind());
    }
  }

  /**
   * Closes or reopens a car park (a scenario's car-park-closed event): a closed car park takes no car
   * — one arriving or redirected there goes on to the next car park, or is refused — and the cars
   * queued at its gate give up at once. Cars parked inside leave as planned.
   */
  public void setOpen(String carParkId, boolean open) {
    int k = carParkIndex(carParkId);
    if (k < 0) throw new IllegalArgumentException("unknown car park " + carParkId);
    if (closed[k] == !open) return;
    closed[k] = !open;
    if (open) return;
    ArrayDeque<Car> waiting = queues.get(k);
    while (!waiting.isEmpty()) {
      Car car = waiting.pollFirst();
      car.version++;
      car.queued = false;
      queued[k]--;
      giveUp(car, k);
    }
  }

  public boolean isOpen(String carParkId) {
    return !closed[carParkIndex(carParkId)];
  }

  private void arriveAt(Car car, int k) {
    car.carPark = k;
    car.tried |= 1L << Math.min(k, 63);
    if (closed[k]) {
      giveUp(car, k);
      return;
    }
    int bay = chooser.choose(this, k, car.preference, car.plate, now);
    if (bay >= 0 && occupant[bay] == null) {
      if (bayCp[bay] == k) {
        park(car, bay);
        return;
      }
      if (car.redirects < cpIds.length) {
        redirect(car, k, bayCp[bay]);
        return;
      }
    }
    double patience = params.maxQueue() > queued[k] ? params.patience().sample(carRandom) : 0;
    if (patience > 0) {
      queues.get(k).addLast(car);
      queued[k]++;
      car.queued = true;
      emit(new TrafficEvent.CarQueued(now, cpIds[k], car.plate));
      schedule(car, now + patience, PATIENCE);
    } else {
      giveUp(car, k);
    }
  }

  private void giveUp(Car car, int k) {
    if (car.redirects < params.maxRedirects()) {
      for (int j : redirectOrder[car.origin]) {
        if (j != k && (car.tried & (1L << Math.min(j, 63))) == 0) {
          redirect(car, k, j);
          return;
        }
      }
    }
    refusals[k]++;
    emit(new TrafficEvent.CarRefused(now, cpIds[k], car.plate));
  }

  private void redirect(Car car, int from, int to) {
    redirectedOut[from]++;
    car.redirects++;
    car.carPark = to;
    emit(new TrafficEvent.CarRedirected(now, cpIds[from], cpIds[to], car.plate));
    schedule(car, now + params.redirectDriveSeconds(), REDIRECT);
  }

  private void park(Car car, int bay) {
    int k = bayCp[bay];
    entries[k]++;
    if (entryCamera[k] != null) emit(new TrafficEvent.GateRead(now, cpIds[k], entryCamera[k], Camera.Direction.ENTRY, car.plate));
    occupy(car, bay);
    schedule(car, now + params.dwell().sample(carRandom), DEPARTURE);
  }

  private void occupy(Car car, int bay) {
    int k = bayCp[bay];
    touch(k);
    occupant[bay] = car;
    car.bay = bay;
    car.carPark = k;
    occupied[k]++;
    freeByEntrance[k].clear(entranceRank[bay]);
    freeByLift[k].clear(liftRank[bay]);
    emit(new TrafficEvent.BayOccupied(now, cpIds[k], bayIds[bay], car.plate));
  }

  private void depart(Car car) {
    int bay = car.bay, k = bayCp[bay];
    touch(k);
    occupant[bay] = null;
    occupied[k]--;
    departures[k]++;
    freeByEntrance[k].set(entranceRank[bay]);
    freeByLift[k].set(liftRank[bay]);
    emit(new TrafficEvent.BayVacated(now, cpIds[k], bayIds[bay], car.plate));
    if (exitCamera[k] != null) emit(new TrafficEvent.GateRead(now, cpIds[k], exitCamera[k], Camera.Direction.EXIT, car.plate));
    admitQueued(k);
  }

  /** A bay freed: the head of the queue (if any) asks for a bay. */
  private void admitQueued(int k) {
    ArrayDeque<Car> queue = queues.get(k);
    while (!queue.isEmpty()) {
      Car head = queue.peekFirst();
      if (!head.queued) {
        queue.pollFirst();
        continue;
      }
      int bay = chooser.choose(this, k, head.preference, head.plate, now);
      if (bay < 0 || occupant[bay] != null) return;
      queue.pollFirst();
      head.queued = false;
      head.version++;
      queued[k]--;
      if (bayCp[bay] == k) park(head, bay);
      else redirect(head, k, bayCp[bay]);
      return;
    }
  }

  private void schedule(Car car, double time, int kind) {
    pending.add(new Pending(time, seq++, car, kind, car.version));
  }

  private void touch(int k) {
    occupiedSeconds[k] += occupied[k] * (now - lastChange[k]);
    lastChange[k] = now;
  }

  private void emit(TrafficEvent e) {
    if (sink != null) sink.accept(e);
  }

  // ---- observations ----

  /** Per car park counters since the start, in car-park id order. */
  public List<CarParkStats> stats() {
    List<CarParkStats> list = new ArrayList<>(cpIds.length);
    for (int k = 0; k < cpIds.length; k++) list.add(stats(k));
    return list;
  }

  public CarParkStats stats(String carParkId) {
    Integer k = cpIndex.get(carParkId);
    if (k == null) throw new IllegalArgumentException("unknown car park " + carParkId);
    return stats(k);
  }

  private CarParkStats stats(int k) {
    double integral = occupiedSeconds[k] + occupied[k] * (now - lastChange[k]);
    return new CarParkStats(cpIds[k], now, capacity[k], occupied[k], queued[k], arrivals[k], entries[k], departures[k],
        refusals[k], redirectedOut[k], redirectedIn[k], integral);
  }

  /**
   * A car park's counters at {@code time}: cars that arrived at its entrance from the road
   * ({@code arrivals}), entered (took a bay), left, were refused here, were redirected away or
   * arrived redirected from elsewhere; {@code occupiedBaySeconds} is ∫ occupied dt since the start.
   */
  public record CarParkStats(String carParkId, double time, int capacity, int occupied, int queued, long arrivals,
      long entries, long departures, long refusals, long redirectedOut, long redirectedIn, double occupiedBaySeconds) {

    public double fill() {
      return capacity == 0 ? 0 : (double) occupied / capacity;
    }

    /** Mean occupied bays between an earlier snapshot and this one. */
    public double meanOccupiedSince(CarParkStats earlier) {
      return (occupiedBaySeconds - earlier.occupiedBaySeconds) / (time - earlier.time);
    }
  }

  // ---- ParkingState ----

  @Override
  public int carParkCount() {
    return cpIds.length;
  }

  @Override
  public int carParkIndex(String carParkId) {
    Integer k = cpIndex.get(carParkId);
    return k == null ? -1 : k;
  }

  @Override
  public String carParkId(int carPark) {
    return cpIds[carPark];
  }

  @Override
  public int bayIndex(String bayId) {
    Integer b = bayIndex.get(bayId);
    return b == null ? -1 : b;
  }

  @Override
  public String bayId(int bay) {
    return bayIds[bay];
  }

  @Override
  public int carParkOf(int bay) {
    return bayCp[bay];
  }

  @Override
  public boolean isFree(int bay) {
    return occupant[bay] == null;
  }

  @Override
  public int nearestFree(int carPark, BayChooser.Preference preference) {
    boolean lift = preference == BayChooser.Preference.LIFT;
    int rank = (lift ? freeByLift : freeByEntrance)[carPark].nextSetBit(0);
    if (rank < 0 || rank >= capacity[carPark]) return -1;
    return (lift ? byLift : byEntrance)[carPark][rank];
  }

  /** The plate of the car in a bay, or null when it is free. */
  public String plateIn(String bayId) {
    int b = bayIndex(bayId);
    if (b < 0) throw new IllegalArgumentException("unknown bay " + bayId);
    return occupant[b] == null ? null : occupant[b].plate;
  }

  private static final class Car {
    final String plate;
    final BayChooser.Preference preference;
    final int origin;
    int carPark, bay = -1, redirects, version;
    long tried;
    boolean queued;

    Car(String plate, BayChooser.Preference preference, int origin) {
      this.plate = plate;
      this.preference = preference;
      this.origin = origin;
      this.carPark = origin;
    }
  }

  private record Pending(double time, long seq, Car car, int kind, int version) {
    /** Departures first at equal times: a bay freed at t serves a car arriving at t. */
    int kindOrder() {
      return kind == DEPARTURE ? 0 : 1;
    }
  }
}
