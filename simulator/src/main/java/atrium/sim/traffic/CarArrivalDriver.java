package atrium.sim.traffic;

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
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The minimal car-arrival driver for the demo: cars arrive at the site's car parks as a
 * non-homogeneous Poisson process over the day (by thinning), each takes one of the free bays
 * nearest the entrance, stays for a log-normal dwell, and leaves. Every arrival and departure is a
 * bay sensor's telemetry sent through a {@link DeviceLink}. Time is the given clock's.
 *
 * <p>The simulator issue replaces this with the full traffic model.
 */
public final class CarArrivalDriver implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CarArrivalDriver.class);
  /** Arrivals per hour for each hour of the local day: shut at night, a peak early afternoon. */
  private static final double[] ARRIVALS_PER_HOUR = {
      0, 0, 0, 0, 0, 0, 0, 10, 60, 220, 380, 480, 560, 600, 620, 560, 480, 420, 400, 360, 240, 120, 30, 0};
  private static final double PEAK = 620;
  /** Log-normal dwell: median 100 min, σ = 0.5 (mean ≈ 113 min). */
  private static final double DWELL_MU = Math.log(100), DWELL_SIGMA = 0.5;

  private final Site site;
  private final TwinClock clock;
  private final DeviceLink link;
  private final SplittableRandom random;
  private final ZoneId zone;
  private final double rateScale;
  private final Map<String, Instant> parked = new HashMap<>();
  private final List<String> baysByDistance;
  private final AtomicLong messageIds = new AtomicLong();
  private final String runId;
  private volatile boolean closed;
  private long arrivals, departures, turnedAway, sendFailures;

  /**
   * @param rateScale multiplies the arrival profile (1 = the demo's holiday-eve day)
   * @param restored cars already parked (bay → departure time), e.g. from {@link #snapshot()}
   */
  public CarArrivalDriver(Site site, TwinClock clock, DeviceLink link, long seed, double rateScale,
      Map<String, Instant> restored) {
    this.site = site;
    this.clock = clock;
    this.link = link;
    this.random = new SplittableRandom(seed);
    this.zone = ZoneId.of(site.timezone());
    this.rateScale = rateScale;
    this.runId = Long.toString(seed, 36) + "-" + Long.toString(clock.now().toEpochMilli(), 36);
    this.baysByDistance = site.carParks().stream()
        .flatMap(cp -> cp.levels().stream().flatMap(l -> l.bays().stream()))
        .sorted(Comparator.comparingDouble(b -> b.toEntrance()))
        .map(b -> b.id())
        .toList();
    this.parked.putAll(restored);
  }

  /** Starts the arrivals and re-arms the departures of restored cars. */
  public synchronized void start() {
    for (var e : parked.entrySet()) scheduleDeparture(e.getKey(), e.getValue());
    scheduleNextArrival();
  }

  /** Cars parked now: bay id → planned departure. */
  public synchronized Map<String, Instant> snapshot() {
    return Map.copyOf(parked);
  }

  public synchronized Stats stats() {
    return new Stats(arrivals, departures, turnedAway, sendFailures, parked.size());
  }

  public record Stats(long arrivals, long departures, long turnedAway, long sendFailures, int parked) {}

  /** The arrival rate (cars per hour) at an instant of the site's local day, scaled. */
  public double rateAt(Instant t) {
    return ARRIVALS_PER_HOUR[t.atZone(zone).getHour()] * rateScale;
  }

  private void scheduleNextArrival() {
    if (closed) return;
    double peakPerSecond = PEAK * rateScale / 3600.0;
    double gapSeconds = -Math.log(1 - random.nextDouble()) / peakPerSecond;
    clock.schedule(Duration.ofMillis((long) (gapSeconds * 1000)), this::candidateArrival);
  }

  private synchronized void candidateArrival() {
    if (closed) return;
    // Thinning: keep a candidate with probability λ(t) / λmax.
    if (random.nextDouble() * PEAK * rateScale < rateAt(clock.now())) arrive();
    scheduleNextArrival();
  }

  private void arrive() {
    String bay = pickBay();
    if (bay == null) {
      turnedAway++;
      return;
    }
    arrivals++;
    double dwellMinutes = Math.exp(DWELL_MU + DWELL_SIGMA * gaussian());
    Instant departAt = clock.now().plus(Duration.ofSeconds((long) (dwellMinutes * 60)));
    parked.put(bay, departAt);
    report(bay, true);
    scheduleDeparture(bay, departAt);
  }

  /** Drivers take a free bay among the nearest few to the entrance, not always the very nearest. */
  private String pickBay() {
    List<String> nearest = new ArrayList<>(8);
    for (String b : baysByDistance) {
      if (!parked.containsKey(b)) {
        nearest.add(b);
        if (nearest.size() == 8) break;
      }
    }
    return nearest.isEmpty() ? null : nearest.get(random.nextInt(nearest.size()));
  }

  private void scheduleDeparture(String bay, Instant at) {
    clock.schedule(Duration.between(clock.now(), at), () -> depart(bay, at));
  }

  private synchronized void depart(String bay, Instant plannedAt) {
    if (closed || !plannedAt.equals(parked.get(bay))) return;
    parked.remove(bay);
    departures++;
    report(bay, false);
  }

  private void report(String bay, boolean occupied) {
    ObjectNode data = DeviceProtocol.mapper().createObjectNode().put("occupied", occupied);
    Envelope e = new Envelope.Telemetry("car-" + runId + "-" + messageIds.incrementAndGet(),
        AssetId.of(site.id(), AssetKind.PARKING_BAY, bay), clock.now(), data);
    link.send(List.of(e)).whenComplete((v, err) -> {
      if (err != null) {
        synchronized (this) {
          sendFailures++;
        }
        log.warn("bay {} sensor report failed: {}", bay, err.getMessage());
      }
    });
  }

  private double gaussian() {
    // Box–Muller on the seeded generator, so runs are repeatable.
    double u1 = 1 - random.nextDouble(), u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  @Override
  public void close() {
    closed = true;
  }
}
