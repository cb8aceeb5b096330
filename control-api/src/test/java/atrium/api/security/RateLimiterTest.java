package atrium.api.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  /** Time that moves only when the test says so. */
  private static final class TestClock extends Clock {
    private Instant now = Instant.parse("2026-12-24T09:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private final TestClock clock = new TestClock();

  private int allowedInARow(RateLimiter limiter, String client, int max) {
    int n = 0;
    while (n < max && limiter.tryAcquire(client).allowed()) n++;
    return n;
  }

  @Test
  void aClientMayBurstThenIsToldHowManySecondsToWait() {
    RateLimiter limiter = new RateLimiter(new RateLimitSettings(50, 100, 1000), clock);
    assertEquals(100, allowedInARow(limiter, "person:alice", 1000));
    RateLimiter.Decision refused = limiter.tryAcquire("person:alice");
    assertFalse(refused.allowed());
    assertEquals(1, refused.retryAfterSeconds());
  }

  @Test
  void theBucketRefillsAtTheConfiguredRateUpToTheBurst() {
    RateLimiter limiter = new RateLimiter(new RateLimitSettings(50, 100, 1000), clock);
    assertEquals(100, allowedInARow(limiter, "person:alice", 1000));
    clock.advance(Duration.ofMillis(100));
    assertEquals(5, allowedInARow(limiter, "person:alice", 1000));
    clock.advance(Duration.ofSeconds(1));
    assertEquals(50, allowedInARow(limiter, "person:alice", 1000));
    clock.advance(Duration.ofMinutes(10));
    assertEquals(100, allowedInARow(limiter, "person:alice", 1000));
  }

  @Test
  void theWaitIsRoundedUpToWholeSecondsAndShrinksAsTimePasses() {
    RateLimiter limiter = new RateLimiter(new RateLimitSettings(1, 2, 10), clock);
    assertEquals(2, allowedInARow(limiter, "address:10.0.0.7", 10));
    assertEquals(1, limiter.tryAcquire("address:10.0.0.7").retryAfterSeconds());
    clock.advance(Duration.ofMillis(999));
    assertFalse(limiter.tryAcquire("address:10.0.0.7").allowed());
    clock.advance(Duration.ofMillis(1));
    assertTrue(limiter.tryAcquire("address:10.0.0.7").allowed());
  }

  @Test
  void clientsAreLimitedApart() {
    RateLimiter limiter = new RateLimiter(new RateLimitSettings(1, 3, 10), clock);
    assertEquals(3, allowedInARow(limiter, "person:alice", 10));
    assertFalse(limiter.tryAcquire("person:alice").allowed());
    assertEquals(3, allowedInARow(limiter, "person:bob", 10));
  }

  @Test
  void idleClientsAreForgottenOnceTheirBucketIsFullAgain() {
    RateLimiter limiter = new RateLimiter(new RateLimitSettings(50, 100, 1000), clock);
    limiter.tryAcquire("person:alice");
    limiter.tryAcquire("person:bob");
    clock.advance(Duration.ofSeconds(1)); // alice's and bob's buckets are not full yet (2 s at 50/s)
    limiter.tryAcquire("person:carol");
    assertEquals(3, limiter.clients());
    clock.advance(Duration.ofMillis(1500)); // now they are; carol's is not
    limiter.tryAcquire("person:dave");
    assertEquals(2, limiter.clients());
  }

  @Test
  void memoryIsBoundedByMaxClientsForgettingTheLeastRecentlySeen() {
    RateLimiter limiter = new RateLimiter(new RateLimitSettings(1, 1, 3), clock);
    for (int i = 0; i < 10; i++) limiter.tryAcquire("address:10.0.0." + i);
    assertEquals(3, limiter.clients());
    assertFalse(limiter.tryAcquire("address:10.0.0.9").allowed()); // the most recent are remembered
  }

  @Test
  void peopleDevicesAndAnonymousCallersHaveDistinctKeys() {
    InetSocketAddress remote = new InetSocketAddress("192.0.2.10", 51234);
    assertEquals("person:alice", RateLimiter.clientKey(Principal.person("alice", Role.VIEWER, Set.of("*")), remote));
    assertEquals("device:alice", RateLimiter.clientKey(Principal.device("alice", "demo-mall", Set.of("*")), remote));
    assertEquals("address:192.0.2.10", RateLimiter.clientKey(null, remote));
    assertEquals("address:192.0.2.10", RateLimiter.clientKey(null, new InetSocketAddress("192.0.2.10", 40000)));
  }

  @Test
  void theShippedDefaultsAre50PerSecondWithBurstsOf100() {
    RateLimitSettings s = RateLimitSettings.create(ConfigFactory.parseResources("atrium-security.conf").resolve());
    assertEquals(new RateLimitSettings(50, 100, 100_000), s);
    assertThrows(IllegalArgumentException.class, () -> new RateLimitSettings(0, 100, 10));
  }
}
