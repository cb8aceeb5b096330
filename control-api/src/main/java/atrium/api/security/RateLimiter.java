package atrium.api.security;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per client (bucket4j): {@code burst} requests at once, refilled at {@code per-second}.
 * Memory is bounded: a client idle long enough for its bucket to be full again is forgotten (nothing
 * is lost: a new bucket is full too), and beyond {@code max-clients} the least recently seen client
 * is forgotten. Thread-safe; a call is a map lookup and a bucket update under one short lock, no I/O.
 */
public final class RateLimiter {
  /** Idle clients examined for eviction per call: bounded work, and enough to keep up with new ones. */
  private static final int EVICTIONS_PER_CALL = 8;

  /**
   * The answer for one request.
   *
   * @param retryAfterSeconds when refused, whole seconds until a request will be allowed (for {@code Retry-After}); 0 when allowed
   */
  public record Decision(boolean allowed, long retryAfterSeconds) {
    static final Decision ALLOWED = new Decision(true, 0);
  }

  private record Client(Bucket bucket, long lastSeenNanos) {}

  private final RateLimitSettings settings;
  private final Clock clock;
  private final TimeMeter time;
  /** How long an idle bucket takes to be full again. */
  private final long fullAfterNanos;
  private final LinkedHashMap<String, Client> clients;

  public RateLimiter(RateLimitSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.time = new TimeMeter() {
      @Override
      public long currentTimeNanos() {
        return nanos(clock.instant());
      }

      @Override
      public boolean isWallClockBased() {
        return true;
      }
    };
    this.fullAfterNanos = Duration.ofSeconds(1).toNanos() * settings.burst() / settings.perSecond() + 1;
    this.clients = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Client> eldest) {
        return size() > settings.maxClients();
      }
    };
  }

  /** Takes one request from {@code clientKey}'s bucket (see {@link #clientKey}). */
  public Decision tryAcquire(String clientKey) {
    long now = nanos(clock.instant());
    ConsumptionProbe probe;
    synchronized (clients) {
      evictIdle(now);
      Client c = clients.get(clientKey);
      Bucket bucket = c == null ? newBucket() : c.bucket();
      clients.put(clientKey, new Client(bucket, now));
      probe = bucket.tryConsumeAndReturnRemaining(1);
    }
    if (probe.isConsumed()) return Decision.ALLOWED;
    long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    return new Decision(false, seconds);
  }

  /** Clients currently remembered. */
  public int clients() {
    synchronized (clients) {
      return clients.size();
    }
  }

  /**
   * The key a request is limited under: the caller's subject when authenticated (people and devices
   * apart), otherwise its remote address.
   */
  public static String clientKey(Principal caller, InetSocketAddress remote) {
    if (caller != null) return (caller.device() ? "device:" : "person:") + caller.subject();
    if (remote == null) return "address:unknown";
    return "address:" + (remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString());
  }

  private Bucket newBucket() {
    return Bucket.builder()
        .addLimit(limit -> limit.capacity(settings.burst()).refillGreedy(settings.perSecond(), Duration.ofSeconds(1)))
        .withCustomTimePrecision(time)
        .build();
  }

  /** Forgets the least recently seen clients whose buckets are full again. Holds the lock. */
  private void evictIdle(long now) {
    Iterator<Client> it = clients.values().iterator();
    for (int i = 0; i < EVICTIONS_PER_CALL && it.hasNext(); i++) {
      if (now - it.next().lastSeenNanos() < fullAfterNanos) return;
      it.remove();
    }
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
