package atrium.sim.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.site.Camera;
import atrium.core.site.Site;
import atrium.core.testkit.TestTwins;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CarParkModelTest {
  private static final double HOUR = 3600;
  /** The demo driver's holiday profile, cars per hour for each hour of the day. */
  private static final double[] DAY = {
      0, 0, 0, 0, 0, 0, 0, 10, 60, 220, 380, 480, 560, 600, 620, 560, 480, 420, 400, 360, 240, 120, 30, 0};

  private final Site demo = TestTwins.demoSites().site("demo-mall").orElseThrow();

  private static TrafficParams noQueue(Map<String, ArrivalProfile> arrivals, double dwellSeconds) {
    return new TrafficParams(arrivals, new TimeDistribution.Fixed(dwellSeconds), new TimeDistribution.Fixed(0), 0, 0, 0, 0);
  }

  @Test
  void arrivalCountsFollowTheProfileHourByHour() {
    Map<String, ArrivalProfile> arrivals = Map.of("P-north", ArrivalProfile.daily(DAY, 0), "P-south", ArrivalProfile.daily(DAY, 0).scaled(0.5));
    var model = new CarParkModel(demo, TrafficParams.defaults(arrivals), 5, null);
    long[] before = {0, 0};
    for (int h = 0; h < 24; h++) {
      model.advanceTo((h + 1) * HOUR);
      var north = model.stats("P-north");
      long count = north.arrivals() - before[0];
      before[0] = north.arrivals();
      if (DAY[h] == 0) assertEquals(0, count, "no arrivals in closed hour " + h);
      else assertTrue(Math.abs(count - DAY[h]) < 5 * Math.sqrt(DAY[h]), "hour " + h + ": " + count + " vs " + DAY[h]);
    }
    double expected = ArrivalProfile.daily(DAY, 0).expectedArrivals(0, 24 * HOUR) * 0.5;
    long south = model.stats("P-south").arrivals();
    assertTrue(Math.abs(south - expected) < 5 * Math.sqrt(expected), south + " vs " + expected);
  }

  @Test
  void aClosedCarParkTakesNoCarAndItsArrivalsGoToTheOtherOneUntilItReopens() {
    Map<String, ArrivalProfile> arrivals = Map.of("P-north", ArrivalProfile.constant(300), "P-south", ArrivalProfile.constant(300));
    List<TrafficEvent> events = new ArrayList<>();
    var model = new CarParkModel(demo, TrafficParams.defaults(arrivals), 9, events::add);
    model.advanceTo(HOUR);
    long northEntries = model.stats("P-north").entries();
    assertTrue(northEntries > 200, "P-north fills while open: " + northEntries);
    model.setOpen("P-north", false);
    assertFalse(model.isOpen("P-north"));
    long southBefore = model.stats("P-south").entries();
    events.clear();
    model.advanceTo(2 * HOUR);
    assertEquals(northEntries, model.stats("P-north").entries(), "no car enters a closed car park");
    assertTrue(events.stream().noneMatch(e -> e instanceof TrafficEvent.BayOccupied o && o.carParkId().equals("P-north")));
    assertTrue(model.stats("P-north").redirectedOut() > 200, "its arrivals are sent on: " + model.stats("P-north"));
    assertTrue(model.stats("P-south").entries() - southBefore > 450, "and take bays in P-south: " + model.stats("P-south"));
    model.setOpen("P-north", true);
    model.advanceTo(3 * HOUR);
    assertTrue(model.stats("P-north").entries() > northEntries, "reopened, it takes cars again");
  }

  @Test
  void theProfilePhaseShiftsTheDay() {
    // A run that starts at 14:00 sees 14:00's rate at time 0.
    var p = ArrivalProfile.daily(DAY, 14 * HOUR);
    assertEquals(620 / HOUR, p.ratePerSecond(0), 1e-12);
    assertEquals(0, p.ratePerSecond(10 * HOUR), 1e-12, "00:00 the next day");
    assertEquals(DAY[23] / 2 + DAY[0] / 2, p.expectedArrivals(9.5 * HOUR, 10.5 * HOUR), 1e-9);
  }

  @Test
  void theFirstCarTakesTheBayNearestTheEntranceOrTheLift() {
    Site site = TestSites.carParks(10);
    var chooser = BayChooser.nearestFree();
    var model = new CarParkModel(site, noQueue(Map.of(), 100), 1, null);
    assertEquals("P-a-0001", model.bayId(chooser.choose(model, 0, BayChooser.Preference.ENTRANCE, "x", 0)));
    assertEquals("P-a-0010", model.bayId(chooser.choose(model, 0, BayChooser.Preference.LIFT, "x", 0)));
    model.placeCar("P-a-0001", "A", 50);
    assertEquals("P-a-0002", model.bayId(model.nearestFree(0, BayChooser.Preference.ENTRANCE)));
    model.advanceTo(60);
    assertTrue(model.isFree(model.bayIndex("P-a-0001")), "the placed car left at its time");
  }

  @Test
  void everyCarIsReadAtTheEntryGateTakesABayAndLeavesThroughTheExitGateWithTheSamePlate() {
    List<TrafficEvent> events = new ArrayList<>();
    // One day of arrivals, then a day without (the log-normal's tail: a few stay long past closing).
    double[] once = java.util.Arrays.copyOf(DAY, 48);
    var arrivals = Map.of("P-north", new ArrivalProfile(HOUR, once, 0), "P-south", new ArrivalProfile(HOUR, once, 0));
    var model = new CarParkModel(demo, TrafficParams.defaults(arrivals), 9, events::add);
    model.advanceTo(48 * HOUR);

    Map<String, String> gates = new HashMap<>();
    for (Camera c : demo.devices().cameras()) {
      if (c.mode() == Camera.Mode.PLATE_GATE) gates.put(c.carPark() + "/" + c.direction(), c.id());
    }
    Map<String, String> parkedIn = new HashMap<>(); // plate → bay
    Set<String> readIn = new HashSet<>();
    double last = 0;
    for (TrafficEvent e : events) {
      assertTrue(e.time() >= last, "events in time order");
      last = e.time();
      if (e instanceof TrafficEvent.GateRead g) {
        assertEquals(gates.get(g.carParkId() + "/" + g.direction()), g.cameraId());
        if (g.direction() == Camera.Direction.ENTRY) assertTrue(readIn.add(g.plate()), "read in once: " + g.plate());
        else assertTrue(readIn.remove(g.plate()) && !parkedIn.containsKey(g.plate()), "read out after leaving its bay");
      } else if (e instanceof TrafficEvent.BayOccupied o) {
        assertTrue(readIn.contains(o.plate()), "entry read before the bay");
        assertTrue(demo.bay(o.bayId()).orElseThrow().carParkId().equals(o.carParkId()));
        assertEquals(null, parkedIn.put(o.plate(), o.bayId()));
      } else if (e instanceof TrafficEvent.BayVacated v) {
        assertEquals(v.bayId(), parkedIn.remove(v.plate()));
      }
    }
    assertTrue(parkedIn.isEmpty() && readIn.isEmpty(), "everyone left: " + parkedIn + " " + readIn + " " + model.stats());
    long entries = model.stats().stream().mapToLong(ArrayTotals::entries).sum();
    assertTrue(entries > 9000, "a holiday's worth of cars: " + entries);
  }

  @Test
  void aCarFindingTheQueueFullGivesUpAtOnce() {
    Site site = TestSites.carParks(1);
    var params = new TrafficParams(Map.of("P-a", ArrivalProfile.constant(60)), new TimeDistribution.Fixed(10 * HOUR),
        new TimeDistribution.Fixed(10 * HOUR), 2, 0, 0, 0);
    List<TrafficEvent> events = new ArrayList<>();
    var model = new CarParkModel(site, params, 3, events::add);
    model.advanceTo(HOUR);
    var s = model.stats("P-a");
    assertEquals(1, s.entries());
    assertEquals(2, s.queued());
    assertEquals(s.arrivals() - 3, s.refusals());
    Set<String> queued = new HashSet<>();
    for (TrafficEvent e : events) {
      if (e instanceof TrafficEvent.CarQueued q) queued.add(q.plate());
      if (e instanceof TrafficEvent.CarRefused r) assertTrue(!queued.contains(r.plate()), "refused without queueing");
    }
  }

  @Test
  void carsThatLoseTheirPatienceGoToTheNearestOtherCarParkAndAreRefusedWhenThatIsFullToo() {
    // Two car parks of 5 bays, arrivals only at the first, far more cars than bays, long stays.
    Site site = TestSites.carParks(5, 5);
    var params = new TrafficParams(Map.of("P-a", ArrivalProfile.constant(120)), new TimeDistribution.Fixed(10 * HOUR),
        new TimeDistribution.Fixed(120), 3, 1, 60, 0);
    List<TrafficEvent> events = new ArrayList<>();
    var model = new CarParkModel(site, params, 17, events::add);
    model.advanceTo(2 * HOUR);
    var a = model.stats("P-a");
    var b = model.stats("P-b");
    assertEquals(5, a.occupied());
    assertEquals(5, b.occupied(), "the overflow filled the other car park");
    assertTrue(a.redirectedOut() >= 5 && b.redirectedIn() == a.redirectedOut() - inFlight(events, model.now(), 60));
    assertTrue(b.refusals() > 100, "once both are full, redirected cars are refused at the second: " + b.refusals());
    assertTrue(a.queued() <= 3);
    // Every arrival is accounted for: parked, queued, refused, or still driving between car parks.
    long refused = a.refusals() + b.refusals();
    assertEquals(a.arrivals(), a.entries() + b.entries() + refused + a.queued() + b.queued() + inFlight(events, model.now(), 60));
    // A queued car waited its full patience before giving up.
    Map<String, Double> queuedAt = new HashMap<>();
    for (TrafficEvent e : events) {
      if (e instanceof TrafficEvent.CarQueued q) queuedAt.put(q.plate(), q.time());
      if (e instanceof TrafficEvent.CarRedirected r && queuedAt.containsKey(r.plate())) {
        assertEquals(120, r.time() - queuedAt.get(r.plate()), 1e-6);
      }
    }
  }

  private static long inFlight(List<TrafficEvent> events, double now, double drive) {
    return events.stream().filter(e -> e instanceof TrafficEvent.CarRedirected && e.time() > now - drive).count();
  }

  @Test
  void aFreedBayGoesToTheCarAtTheHeadOfTheQueue() {
    Site site = TestSites.carParks(2);
    var params = new TrafficParams(Map.of("P-a", ArrivalProfile.constant(60)), new TimeDistribution.Fixed(HOUR / 2),
        new TimeDistribution.Fixed(HOUR), 100, 0, 0, 0);
    List<TrafficEvent> events = new ArrayList<>();
    var model = new CarParkModel(site, params, 23, events::add);
    model.advanceTo(3 * HOUR);
    List<String> queueOrder = new ArrayList<>(), parkOrder = new ArrayList<>();
    for (TrafficEvent e : events) {
      if (e instanceof TrafficEvent.CarQueued q) queueOrder.add(q.plate());
      if (e instanceof TrafficEvent.BayOccupied o && queueOrder.contains(o.plate())) parkOrder.add(o.plate());
    }
    assertTrue(parkOrder.size() >= 8, "queued cars were admitted: " + parkOrder.size());
    // Cars that lost patience dropped out; those admitted were admitted in the order they queued.
    List<String> admittedInQueueOrder = queueOrder.stream().filter(parkOrder::contains).toList();
    assertEquals(admittedInQueueOrder, parkOrder, "first come, first parked");
    assertTrue(model.stats("P-a").refusals() > 0, "60 cars an hour for 4 an hour of bays: most give up");
  }

  @Test
  void theTwinsGuidanceIsFollowedWhenItNamesAFreeBayAndTheLocalRuleOtherwise() {
    Site site = TestSites.carParks(10, 10);
    List<String> asked = new ArrayList<>();
    TwinGuidance twin = (carPark, plate, pref, t) -> {
      asked.add(carPark);
      return Optional.of(asked.size() == 1 ? "P-a-0007" : asked.size() == 2 ? "P-a-0007" : "P-b-0003");
    };
    var params = new TrafficParams(Map.of("P-a", ArrivalProfile.constant(3600)), new TimeDistribution.Fixed(HOUR),
        new TimeDistribution.Fixed(0), 0, 0, 30, 0);
    List<TrafficEvent> events = new ArrayList<>();
    var model = new CarParkModel(site, params, 8, BayChooser.guidedBy(twin, BayChooser.nearestFree()), events::add);
    // Three arrivals (one a second on average); stop before any redirected car reaches P-b.
    while (model.stats("P-a").arrivals() < 3) model.step(0.01);
    var occupiedBays = events.stream().filter(e -> e instanceof TrafficEvent.BayOccupied).map(e -> ((TrafficEvent.BayOccupied) e).bayId()).toList();
    assertEquals(List.of("P-a-0007", "P-a-0001"), occupiedBays, "the guided bay, then (taken) the nearest free one");
    assertTrue(events.get(events.size() - 1) instanceof TrafficEvent.CarRedirected r && r.toCarParkId().equals("P-b"),
        "guided to a bay of another car park: redirected there");
  }

  @Test
  void theSameSeedGivesTheSameDayAndAnotherSeedAnotherDay() {
    assertEquals(day(11), day(11));
    assertNotEquals(day(11), day(12));
  }

  @Test
  void platesArePseudonymousAndRepeatable() {
    var a = new java.util.SplittableRandom(4);
    var b = new java.util.SplittableRandom(4);
    Set<String> plates = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String p = Plates.random(a);
      assertEquals(p, Plates.random(b));
      assertTrue(p.matches("[\u6caa\u82cf\u6d59\u7696\u4eac\u7ca4][A-HJ-NP-Z][0-9A-HJ-NP-Z]{5}"), p);
      plates.add(p);
    }
    assertTrue(plates.size() > 9_990, "practically unique");
  }

  private List<String> day(long seed) {
    List<String> log = new ArrayList<>();
    var arrivals = Map.of("P-north", ArrivalProfile.daily(DAY, 0).scaled(3), "P-south", ArrivalProfile.daily(DAY, 0));
    var model = new CarParkModel(demo, TrafficParams.defaults(arrivals), seed, e -> log.add(e.toString()));
    model.advanceTo(24 * HOUR);
    model.stats().forEach(s -> log.add(s.toString()));
    return log;
  }

  /** Method reference helper for summing. */
  private interface ArrayTotals {
    static long entries(CarParkModel.CarParkStats s) {
      return s.entries();
    }
  }
}
