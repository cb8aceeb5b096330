package atrium.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CassandraSettingsTest {

  private static Config profile(Map<String, Object> overrides) {
    Map<String, Object> all = new java.util.HashMap<>(overrides);
    all.put("atrium.persistence.profile", "cassandra");
    return AtriumConfig.load(ConfigFactory.parseMap(all));
  }

  @Test
  void theDefaultsAreOneLocalNodeWithOneReplica() {
    CassandraSettings s = CassandraSettings.create(profile(Map.of()));
    assertEquals(List.of("127.0.0.1:9042"), s.contactPoints());
    assertEquals("datacenter1", s.localDatacenter());
    assertEquals("atrium", s.keyspace());
    assertEquals("{'class': 'SimpleStrategy', 'replication_factor': 1}", s.replication());
    assertTrue(s.createSchema());
  }

  @Test
  void theCassandraProfileSelectsTheCassandraJournalSnapshotsAndDriverSettings() {
    Config c = profile(Map.of("atrium.cassandra.keyspace", "mall_7", "atrium.cassandra.contact-points", "10.0.0.1:9042, 10.0.0.2:9042"));
    assertEquals("pekko.persistence.cassandra.journal", c.getString("pekko.persistence.journal.plugin"));
    assertEquals("pekko.persistence.cassandra.snapshot", c.getString("pekko.persistence.snapshot-store.plugin"));
    assertEquals("mall_7", c.getString("pekko.persistence.cassandra.journal.keyspace"));
    assertEquals("mall_7", c.getString("pekko.persistence.cassandra.snapshot.keyspace"));
    assertFalse(c.getBoolean("pekko.persistence.cassandra.journal.tables-autocreate"));
    assertEquals(List.of("10.0.0.1:9042", "10.0.0.2:9042"), c.getStringList("datastax-java-driver.basic.contact-points"),
        "a comma-separated string (the environment variable) becomes the driver's list");
    assertEquals("LOCAL_ONE", c.getString("datastax-java-driver.profiles.atrium-history-write.basic.request.consistency"));
    assertEquals("LOCAL_QUORUM", c.getString("datastax-java-driver.profiles.atrium-audit-write.basic.request.consistency"));
    assertEquals("QUORUM", c.getString("datastax-java-driver.profiles.pekko-persistence-cassandra-profile.basic.request.consistency"));
    assertFalse(c.hasPath("datastax-java-driver.advanced.auth-provider.class"), "no credentials, no authentication");
  }

  @Test
  void credentialsTurnOnThePlainTextAuthProvider() {
    Config c = profile(Map.of("atrium.cassandra.username", "atrium_app", "atrium.cassandra.password", "s3cret"));
    assertEquals("PlainTextAuthProvider", c.getString("datastax-java-driver.advanced.auth-provider.class"));
    assertEquals("atrium_app", c.getString("datastax-java-driver.advanced.auth-provider.username"));
    assertFalse(CassandraSettings.create(c).toString().contains("s3cret"), "the password is never logged");
  }

  @Test
  void theEmbeddedProfileStaysTheDefault() {
    Config c = AtriumConfig.load();
    assertEquals("embedded", c.getString("atrium.persistence.profile"));
    assertEquals("jdbc-journal", c.getString("pekko.persistence.journal.plugin"));
  }

  @Test
  void badSettingsAreRefusedWithTheKeyThatIsWrong() {
    var keyspace = assertThrows(IllegalArgumentException.class,
        () -> CassandraSettings.create(profile(Map.of("atrium.cassandra.keyspace", "atrium; DROP KEYSPACE x"))));
    assertTrue(keyspace.getMessage().startsWith("atrium.cassandra.keyspace"), keyspace.getMessage());
    var replication = assertThrows(IllegalArgumentException.class,
        () -> CassandraSettings.create(profile(Map.of("atrium.cassandra.replication", "three please"))));
    assertTrue(replication.getMessage().startsWith("atrium.cassandra.replication"), replication.getMessage());
    var contact = assertThrows(IllegalArgumentException.class,
        () -> profile(Map.of("atrium.cassandra.contact-points", "cassandra.local")));
    assertTrue(contact.getMessage().contains("is not host:port"), contact.getMessage());
    assertEquals("{'class': 'NetworkTopologyStrategy', 'dc1': 3, 'dc2': 3}", CassandraSettings.create(profile(Map.of(
        "atrium.cassandra.replication", "{'class': 'NetworkTopologyStrategy', 'dc1': 3, 'dc2': 3}"))).replication());
  }
}
