package atrium.core.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Cassandra profile's connection and schema settings, read once from {@code atrium.cassandra}
 * (defaults and environment variables in {@code reference.conf}; see docs/operations.md).
 *
 * @param contactPoints {@code host:port} of one or more nodes
 * @param localDatacenter the data centre whose replicas LOCAL_* consistency levels count
 * @param keyspace journal, snapshots, telemetry history and audit log all live here
 * @param replication the keyspace's replication as a CQL map, used when the keyspace is created
 * @param createSchema create keyspace and tables at start-up if they are missing
 * @param username PasswordAuthenticator user, empty for none
 * @param password its password
 */
public record CassandraSettings(
    List<String> contactPoints,
    String localDatacenter,
    String keyspace,
    String replication,
    boolean createSchema,
    String username,
    String password) {

  public static final String CONFIG_PATH = "atrium.cassandra";
  /** A CQL identifier Cassandra accepts unquoted: a letter, then letters, digits and '_', at most 48. */
  private static final Pattern KEYSPACE = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,47}");
  private static final Pattern CONTACT_POINT = Pattern.compile("[^\\s:]+:\\d{1,5}");
  private static final Pattern REPLICATION = Pattern.compile("\\{\\s*'class'\\s*:\\s*'[A-Za-z.]+'\\s*(,\\s*'[A-Za-z0-9_-]+'\\s*:\\s*'?\\d+'?\\s*)+}");

  public CassandraSettings {
    contactPoints = List.copyOf(contactPoints);
    if (contactPoints.isEmpty()) throw new IllegalArgumentException(CONFIG_PATH + ".contact-points: at least one host:port is needed");
    for (String p : contactPoints) {
      if (!CONTACT_POINT.matcher(p).matches()) {
        throw new IllegalArgumentException(CONFIG_PATH + ".contact-points: '" + p + "' is not host:port");
      }
    }
    if (localDatacenter == null || localDatacenter.isBlank()) {
      throw new IllegalArgumentException(CONFIG_PATH + ".local-datacenter must not be empty");
    }
    if (keyspace == null || !KEYSPACE.matcher(keyspace).matches()) {
      throw new IllegalArgumentException(CONFIG_PATH + ".keyspace: '" + keyspace + "' must match " + KEYSPACE.pattern());
    }
    if (replication == null || !REPLICATION.matcher(replication.trim()).matches()) {
      throw new IllegalArgumentException(CONFIG_PATH + ".replication: '" + replication
          + "' is not a CQL replication map such as {'class': 'NetworkTopologyStrategy', 'dc1': 3}");
    }
    replication = replication.trim();
  }

  public static CassandraSettings create(Config config) {
    Config c = config.getConfig(CONFIG_PATH);
    return new CassandraSettings(
        list(c, "contact-points"),
        c.getString("local-datacenter"),
        c.getString("keyspace"),
        c.getString("replication"),
        c.getBoolean("create-schema"),
        c.getString("username"),
        c.getString("password"));
  }

  /** A list in files; a comma-separated string from the environment variable. */
  private static List<String> list(Config c, String key) {
    List<String> names = switch (c.getValue(key).valueType()) {
      case LIST -> c.getStringList(key);
      default -> List.of(c.getString(key).split(","));
    };
    return names.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** The driver's keys that follow from these settings (contact points, credentials). */
  Config driverConfig() {
    Config driver = ConfigFactory.empty()
        .withValue("datastax-java-driver.basic.contact-points", ConfigValueFactory.fromIterable(contactPoints));
    if (!username.isEmpty()) {
      driver = driver.withValue("datastax-java-driver.advanced.auth-provider", ConfigValueFactory.fromMap(Map.of(
          "class", "PlainTextAuthProvider", "username", username, "password", password)));
    }
    return driver;
  }

  @Override
  public String toString() {
    return "CassandraSettings[contactPoints=" + contactPoints + ", localDatacenter=" + localDatacenter + ", keyspace=" + keyspace
        + ", replication=" + replication + ", createSchema=" + createSchema + ", username=" + username + "]";
  }
}
