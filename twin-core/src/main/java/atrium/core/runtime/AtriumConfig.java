package atrium.core.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;

/**
 * Loads the configuration: overrides, then {@code application.conf}, then the persistence profile
 * chosen by {@code atrium.persistence.profile}, then {@code atrium-pekko.conf}, then every
 * {@code reference.conf}. Overrides go in
 * before resolution so that {@code ${...}} substitutions see them.
 */
public final class AtriumConfig {
  /** Atrium's settings of Pekko's keys; above every reference.conf, whatever the classpath order. */
  private static final Config PEKKO = ConfigFactory.parseResourcesAnySyntax("atrium-pekko");

  private AtriumConfig() {}

  public static Config load() {
    return load(ConfigFactory.empty());
  }

  public static Config load(Config overrides) {
    Config app = overrides.withFallback(ConfigFactory.parseResourcesAnySyntax("application"));
    Config first = ConfigFactory.load(app.withFallback(PEKKO));
    String profile = first.getString("atrium.persistence.profile");
    Config profileConfig = ConfigFactory.parseResourcesAnySyntax("atrium-persistence-" + profile);
    if (profileConfig.isEmpty()) {
      throw new IllegalArgumentException("atrium.persistence.profile: unknown profile '" + profile + "' (no atrium-persistence-" + profile + ".conf)");
    }
    Config computed = computed(profile, first);
    return ConfigFactory.load(app.withFallback(computed).withFallback(profileConfig).withFallback(PEKKO));
  }

  private static Config computed(String profile, Config first) {
    if (profile.equals("cassandra")) return CassandraSettings.create(first).driverConfig();
    if (!profile.equals("embedded")) return ConfigFactory.empty();
    Path dataDir = AtriumSettings.create(first).dataDir();
    return ConfigFactory.empty().withValue(
        "pekko-persistence-jdbc.shared-databases.slick.db.url",
        ConfigValueFactory.fromAnyRef(EmbeddedDatabase.journalUrl(dataDir)));
  }
}
