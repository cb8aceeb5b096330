package atrium.api.device;

import atrium.api.security.HttpAuthenticator;
import atrium.api.security.Principal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Device logins for the HTTP door, where every request carries the credentials: a password hash
 * is deliberately slow (PBKDF2), so a login is verified once and its outcome remembered for a while,
 * keyed by a SHA-256 of user name and password (the password itself is never kept). Failed logins
 * are remembered too, briefly, so a device retrying with a wrong password costs one slow check.
 */
public final class CachedDeviceLogins implements HttpAuthenticator.Devices {
  static final int CAPACITY = 10_000;
  /** A good login is taken again without the slow check for this long after its last use... */
  static final Duration GOOD_FOR = Duration.ofMinutes(10);
  /** ...but checked anew at least this often, so a changed password file is noticed. */
  static final Duration GOOD_AT_MOST = Duration.ofHours(1);
  static final Duration BAD_FOR = Duration.ofSeconds(30);

  private record Outcome(Optional<Principal> principal, Instant until, Instant checkedAt) {}

  private final DeviceCredentials credentials;
  private final Clock clock;
  private final Map<String, Outcome> cache = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Outcome> eldest) {
      return size() > CAPACITY;
    }
  };

  public CachedDeviceLogins(DeviceCredentials credentials, Clock clock) {
    this.credentials = credentials;
    this.clock = clock;
  }

  @Override
  public Optional<Principal> login(String username, String password) {
    String key = digest(username + "\u0000" + password);
    Instant now = clock.instant();
    synchronized (cache) {
      Outcome o = cache.get(key);
      if (o != null && now.isBefore(o.until())) {
        if (o.principal().isPresent() && now.isBefore(o.checkedAt().plus(GOOD_AT_MOST))) {
          cache.put(key, new Outcome(o.principal(), now.plus(GOOD_FOR), o.checkedAt()));
        }
        return o.principal();
      }
    }
    Optional<Principal> p = credentials.verify(username, password).map(CachedDeviceLogins::principal);
    synchronized (cache) {
      cache.put(key, new Outcome(p, now.plus(p.isPresent() ? GOOD_FOR : BAD_FOR), now));
    }
    return p;
  }

  /** A device's grant as the door's principal: its site, and its assets or the whole site. */
  public static Principal principal(DeviceGrant grant) {
    return Principal.device(grant.username(), grant.site(), grant.gateway() ? Set.of(Principal.ALL_ASSETS) : grant.assets());
  }

  private static String digest(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
