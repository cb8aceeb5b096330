package atrium.api.audit;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How the audit log buffers, writes and forgets; read once from {@code atrium.audit} (defaults and
 * environment variables in {@code atrium-security.conf}).
 *
 * @param retention how long entries are kept, in twin-clock time; at least {@link #MIN_RETENTION}
 * @param bufferSize entries waiting to be written; beyond it {@link AuditLog#append} fails
 * @param batchSize most entries written in one transaction
 * @param batchWindow longest an entry waits for its batch to fill; 0: written as soon as the store is free, with whatever arrived meanwhile
 * @param purgeInterval how often (twin-clock time) expired entries are deleted
 * @param syncWrites force each batch to disk before its appends complete
 */
public record AuditSettings(
    Duration retention, int bufferSize, int batchSize, Duration batchWindow, Duration purgeInterval, boolean syncWrites) {

  public static final String CONFIG_PATH = "atrium.audit";
  /** Six months and then some: the Cybersecurity Law of the PRC, art. 21, asks network logs be kept no less than six months. */
  public static final Duration MIN_RETENTION = Duration.ofDays(180);

  public AuditSettings {
    if (retention == null || retention.compareTo(MIN_RETENTION) < 0) {
      throw new IllegalArgumentException(CONFIG_PATH + ".retention (ATRIUM_AUDIT_RETENTION) is " + describe(retention)
          + ", but audit logs must be kept at least 180 days: the Cybersecurity Law of the PRC (art. 21) requires network"
          + " logs to be kept no less than six months");
    }
    if (bufferSize < 1) throw new IllegalArgumentException(CONFIG_PATH + ".buffer-size must be at least 1, was " + bufferSize);
    if (batchSize < 1) throw new IllegalArgumentException(CONFIG_PATH + ".batch-size must be at least 1, was " + batchSize);
    if (batchWindow == null || batchWindow.isNegative()) {
      throw new IllegalArgumentException(CONFIG_PATH + ".batch-window must be 0 (write as soon as the store is free) or positive, was " + batchWindow);
    }
    requirePositive("purge-interval", purgeInterval);
  }

  public static AuditSettings defaults() {
    return new AuditSettings(Duration.ofDays(400), 10_000, 200, Duration.ZERO, Duration.ofDays(1), true);
  }

  public static AuditSettings create(Config config) {
    Config c = config.getConfig(CONFIG_PATH);
    return new AuditSettings(
        c.getDuration("retention"),
        c.getInt("buffer-size"),
        c.getInt("batch-size"),
        c.getDuration("batch-window"),
        c.getDuration("purge-interval"),
        c.getBoolean("sync-writes"));
  }

  private static String describe(Duration d) {
    return d == null ? "missing" : d.toDays() + " days (" + d + ")";
  }

  private static void requirePositive(String key, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) throw new IllegalArgumentException(CONFIG_PATH + "." + key + " must be positive, was " + d);
  }
}
