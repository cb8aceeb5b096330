package atrium.api.mqtt;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which device connections are up, by MQTT client id: when each connected, when a packet was last
 * seen, and since when and why it is offline. Wall-clock time (connections live in real time, whatever
 * the twin's clock does). Thread-safe; a connection updates only its own entry (a newer connection
 * with the same client id supersedes it, and the older one's close then changes nothing).
 */
public final class DevicePresence {
  /** One device connection as last known. */
  public record Device(String clientId, String username, String site, String remoteAddress, boolean online,
      Instant connectedAt, Instant lastSeen, Instant offlineSince, String offlineReason) {}

  private record Entry(long session, Device device) {}

  private final Clock clock;
  private final ConcurrentHashMap<String, Entry> byClientId = new ConcurrentHashMap<>();
  private final AtomicLong sessions = new AtomicLong();

  public DevicePresence(Clock clock) {
    this.clock = clock;
  }

  public DevicePresence() {
    this(Clock.systemUTC());
  }

  /** Records a connection; returns the session number to pass to {@link #seen} and {@link #offline}. */
  public long connected(String clientId, String username, String site, String remoteAddress) {
    long session = sessions.incrementAndGet();
    Instant now = clock.instant();
    byClientId.put(clientId, new Entry(session, new Device(clientId, username, site, remoteAddress, true, now, now, null, null)));
    return session;
  }

  public void seen(String clientId, long session) {
    Instant now = clock.instant();
    byClientId.computeIfPresent(clientId, (id, e) -> e.session() != session ? e : new Entry(session, with(e.device(), now)));
  }

  public void offline(String clientId, long session, String reason) {
    Instant now = clock.instant();
    byClientId.computeIfPresent(clientId, (id, e) -> {
      if (e.session() != session || !e.device().online()) return e;
      Device d = e.device();
      return new Entry(session, new Device(d.clientId(), d.username(), d.site(), d.remoteAddress(), false, d.connectedAt(),
          d.lastSeen(), now, reason));
    });
  }

  public Optional<Device> device(String clientId) {
    return Optional.ofNullable(byClientId.get(clientId)).map(Entry::device);
  }

  /** Every device seen since start, by client id. */
  public List<Device> devices() {
    return byClientId.values().stream().map(Entry::device).sorted(Comparator.comparing(Device::clientId)).toList();
  }

  public long onlineCount() {
    return byClientId.values().stream().filter(e -> e.device().online()).count();
  }

  private static Device with(Device d, Instant lastSeen) {
    return new Device(d.clientId(), d.username(), d.site(), d.remoteAddress(), d.online(), d.connectedAt(), lastSeen,
        d.offlineSince(), d.offlineReason());
  }
}
