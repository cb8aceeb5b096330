package atrium.core.testkit;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The real Cassandra of the *IT tests: the node {@code scripts/cassandra.sh start} runs on
 * 127.0.0.1:9042 (or the first of ATRIUM_CASSANDRA_CONTACT_POINTS). Nothing here skips a test: when
 * no Cassandra answers, {@link #requireCassandra()} fails with what to run.
 */
public final class CassandraTestNode {
  private static CqlSession session;

  private CassandraTestNode() {}

  public static String contactPoint() {
    String env = System.getenv("ATRIUM_CASSANDRA_CONTACT_POINTS");
    return env == null || env.isBlank() ? "127.0.0.1:9042" : env.split(",")[0].trim();
  }

  /** A keyspace name of its own for each test class and run. */
  public static String uniqueKeyspace() {
    return "atrium_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
  }

  /** Fails (never skips) when no Cassandra answers CQL. */
  public static void requireCassandra() {
    try {
      session().execute("SELECT release_version FROM system.local");
    } catch (RuntimeException e) {
      throw new AssertionError("no Cassandra answers CQL at " + contactPoint()
          + ": start one with `scripts/cassandra.sh start` (bin/atrium test does it for you)", e);
    }
  }

  /** A session of the test's own, for assertions on the tables and clean-up. */
  public static synchronized CqlSession session() {
    if (session == null) {
      String[] hp = contactPoint().split(":");
      session = CqlSession.builder()
          .addContactPoint(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])))
          .withLocalDatacenter("datacenter1")
          .build();
    }
    return session;
  }

  /** The configuration of a node of the Cassandra profile writing to {@code keyspace}, on a manual clock. */
  public static Config overrides(String keyspace, Path dataDir) {
    return ConfigFactory.parseMap(Map.of(
        "atrium.persistence.profile", "cassandra",
        "atrium.cassandra.keyspace", keyspace,
        "atrium.cassandra.contact-points", List.of(contactPoint()),
        "atrium.data-dir", dataDir.toString(),
        "atrium.site-files", List.of(TestTwins.demoMallFile().toString()),
        "atrium.clock.mode", "manual"));
  }

  public static void dropKeyspace(String keyspace) {
    session().execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + keyspace).setTimeout(Duration.ofSeconds(60)));
  }
}
