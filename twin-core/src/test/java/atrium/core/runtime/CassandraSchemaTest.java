package atrium.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The schema the Cassandra profile applies at start-up is the one shipped to operators, and every statement is idempotent. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CassandraSchemaTest {
  private ActorTestKit testKit;

  @BeforeAll
  void start() {
    // the Cassandra profile's configuration; nothing connects until a journal is used
    testKit = ActorTestKit.create("schema", AtriumConfig.load(ConfigFactory.parseMap(Map.of("atrium.persistence.profile", "cassandra"))));
  }

  @AfterAll
  void stop() {
    testKit.shutdownTestKit();
  }

  private List<String> statements() {
    return CassandraSchema.statements(testKit.system(), CassandraSettings.create(testKit.system().settings().config()));
  }

  @Test
  void theShippedCqlFileIsWhatANodeCreatesForTheDefaultKeyspace() throws Exception {
    Path shipped = repositoryFile("deploy/cassandra/atrium-schema.cql");
    String header = "-- Atrium's Cassandra schema for keyspace 'atrium' (atrium.cassandra.keyspace) with one replica for\n"
        + "-- development. Production: edit the replication first (docs/operations.md), then\n"
        + "--   cqlsh -f deploy/cassandra/atrium-schema.cql\n"
        + "-- and start Atrium with ATRIUM_CASSANDRA_CREATE_SCHEMA=off. Generated from CassandraSchema\n"
        + "-- (CassandraSchemaTest fails when the two differ).\n\n";
    String expected = header + CassandraSchema.asCqlFile(statements());
    String actual = Files.readString(shipped);
    if (!expected.equals(actual)) {
      Path wanted = Path.of("target", "atrium-schema.cql");
      Files.writeString(wanted, expected);
      assertEquals(expected, actual, "deploy/cassandra/atrium-schema.cql differs from CassandraSchema; the expected file is in " + wanted.toAbsolutePath());
    }
  }

  @Test
  void everyStatementCreatesOnlyWhatIsMissing() {
    List<String> statements = statements();
    assertTrue(statements.get(0).startsWith("CREATE KEYSPACE IF NOT EXISTS atrium WITH replication = {'class': 'SimpleStrategy'"),
        statements.get(0));
    for (String s : statements) {
      assertTrue(s.strip().matches("(?s)CREATE (KEYSPACE|TABLE|MATERIALIZED VIEW|INDEX|TYPE) IF NOT EXISTS .*"), () -> "not idempotent: " + s);
    }
    for (String table : List.of("messages", "snapshots", "telemetry", "telemetry_days", "audit_log", "audit_days")) {
      assertTrue(statements.stream().anyMatch(s -> s.contains("TABLE IF NOT EXISTS atrium." + table + " ")
          || s.contains("TABLE IF NOT EXISTS atrium." + table + "(") || s.contains("TABLE IF NOT EXISTS atrium." + table + "\n")), table);
    }
  }

  @Test
  void theAuditTablesAreWrittenByInsertOnly() throws Exception {
    String source = Files.readString(repositoryFile("control-api/src/main/java/atrium/api/audit/CassandraAuditStore.java"));
    for (String verb : List.of("UPDATE ", "DELETE ", "TRUNCATE ", "DROP ")) {
      assertTrue(!source.contains("\"" + verb) && !source.contains(" " + verb + "FROM") && !source.contains("\"" + verb.strip()),
          "CassandraAuditStore must not " + verb.strip());
    }
  }

  private static Path repositoryFile(String relative) {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve(relative)) || Files.isDirectory(p.resolve("deploy"))) return p.resolve(relative);
    }
    throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
  }
}
