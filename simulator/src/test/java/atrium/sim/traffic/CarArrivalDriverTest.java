package atrium.sim.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.asset.AssetKind;
import atrium.core.clock.SimulatedClock;
import atrium.core.protocol.DeviceProtocol;
import atrium.core.protocol.Envelope;
import atrium.core.site.Site;
import atrium.core.testkit.TestTwins;
import atrium.sim.link.DeviceLink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class CarArrivalDriverTest {
  /** Midnight in Shanghai, the demo mall's time zone. */
  private static final Instant MIDNIGHT = Instant.parse("2026-12-23T16:00:00Z");
  private final Site site = TestTwins.demoSites().site("demo-mall").orElseThrow();

  /** Records what the virtual sensors send, as the twin's door would receive it. */
  static final class Recorder implements DeviceLink {
    final List<Envelope> sent = new ArrayList<>();

    @Override
    public synchronized CompletionStage<Void> send(List<Envelope> envelopes) {
      // Through the protocol's own writer and parser: the driver must emit valid envelopes.
      sent.addAll(DeviceProtocol.parseBatch(DeviceProtocol.writeBatch(envelopes)));
      return CompletableFuture.completedFuture(null);
    }
  }

  private static boolean occupied(Envelope e) {
    return ((Envelope.Telemetry) e).data().get("occupied").booleanValue();
  }

  @Test
  void aSimulatedDayOfArrivalsFollowsTheProfileAndEveryCarHasLeftByMorning() {
    var clock = new SimulatedClock(MIDNIGHT);
    var link = new Recorder();
    var driver = new CarArrivalDriver(site, clock, link, 42, 1.0, Map.of());
    driver.start();
    // To 06:00 the next day: the car park is shut from 23:00 to 07:00, so every car of the day has left.
    clock.advance(Duration.ofHours(30));

    double expected = 0;
    for (int h = 0; h < 24; h++) expected += driver.rateAt(MIDNIGHT.plus(Duration.ofHours(h)));
    long arrivals = link.sent.stream().filter(CarArrivalDriverTest::occupied).count();
    long departures = link.sent.size() - arrivals;
    // A Poisson count: within five standard deviations of the profile's integral.
    assertTrue(Math.abs(arrivals - expected) < 5 * Math.sqrt(expected), arrivals + " arrivals, expected about " + expected);
    assertEquals(arrivals, departures, "every car that came has left");
    assertEquals(0, driver.stats().parked());
    assertTrue(link.sent.stream().allMatch(e -> e.asset().kind() == AssetKind.PARKING_BAY && e.asset().site().equals("demo-mall")));
    assertEquals(link.sent.size(), new HashSet<>(link.sent.stream().map(Envelope::id).toList()).size(), "message ids are unique");
  }

  @Test
  void noBayIsReportedOccupiedTwiceWithoutBeingFreedBetween() {
    var clock = new SimulatedClock(MIDNIGHT);
    var link = new Recorder();
    var driver = new CarArrivalDriver(site, clock, link, 7, 3.0, Map.of());
    driver.start();
    clock.advance(Duration.ofDays(1));
    Map<String, Boolean> bay = new HashMap<>();
    for (Envelope e : link.sent) {
      Boolean before = bay.put(e.asset().localId(), occupied(e));
      assertTrue(before == null ? occupied(e) : before != occupied(e), "bay " + e.asset().localId() + " reported twice the same");
    }
  }

  @Test
  void theSameSeedGivesTheSameDay() {
    List<String> first = day(11), second = day(11), other = day(12);
    assertEquals(first, second);
    assertTrue(!first.equals(other));
  }

  @Test
  void restoredCarsLeaveAtTheirPlannedTimes() {
    var clock = new SimulatedClock(MIDNIGHT.plus(Duration.ofHours(2)));
    var link = new Recorder();
    String bay = site.carParks().get(0).levels().get(0).bays().get(0).id();
    var driver = new CarArrivalDriver(site, clock, link, 1, 1.0, Map.of(bay, MIDNIGHT.plus(Duration.ofHours(3))));
    driver.start();
    clock.advance(Duration.ofMinutes(59));
    assertTrue(link.sent.isEmpty(), "the mall is shut at night: nothing moves before the restored car leaves");
    clock.advance(Duration.ofMinutes(2));
    assertEquals(1, link.sent.size());
    assertEquals(bay, link.sent.get(0).asset().localId());
    assertTrue(!occupied(link.sent.get(0)));
  }

  private List<String> day(long seed) {
    var clock = new SimulatedClock(MIDNIGHT);
    var link = new Recorder();
    new CarArrivalDriver(site, clock, link, seed, 1.0, Map.of()).start();
    clock.advance(Duration.ofDays(1));
    return link.sent.stream().map(e -> e.ts() + " " + e.asset().localId() + " " + occupied(e)).toList();
  }
}
