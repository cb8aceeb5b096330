package atrium.core.runtime;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.cassandra.KeyspaceAndTableStatements;
import org.apache.pekko.persistence.cassandra.PluginSettings;

/**
 * The Cassandra profile's schema: the keyspace, pekko-persistence-cassandra's journal and snapshot
 * tables (as the plugin itself words them), and Atrium's telemetry history and audit log tables.
 * Every statement is {@code CREATE ... IF NOT EXISTS}, so applying it again changes nothing.
 * {@code deploy/cassandra/atrium-schema.cql} is the same text for keyspace {@code atrium}, for
 * operators who create the schema themselves (CassandraSchemaTest keeps the two equal).
 */
public final class CassandraSchema {
  /** The execution profile (consistency, timeout) of schema statements, in atrium-persistence-cassandra.conf. */
  public static final String PROFILE = "atrium-schema";

  private CassandraSchema() {}

  /** Every statement, in order: keyspace, journal, snapshots, Atrium's tables. */
  public static List<String> statements(ActorSystem<?> system, CassandraSettings settings) {
    List<String> out = new ArrayList<>();
    out.add("CREATE KEYSPACE IF NOT EXISTS " + settings.keyspace() + " WITH replication = " + settings.replication());
    KeyspaceAndTableStatements plugin =
        new KeyspaceAndTableStatements(system, "pekko.persistence.cassandra", PluginSettings.apply(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system)));
    out.addAll(plugin.getCreateJournalTablesStatements());
    out.addAll(plugin.getCreateSnapshotTablesStatements());
    out.addAll(atriumTables(settings.keyspace()));
    return out;
  }

  /** Atrium's own tables: telemetry history and audit log (docs/operations.md explains their keys). */
  public static List<String> atriumTables(String keyspace) {
    return List.of(
        // One partition per asset and UTC day, newest first. Rows expire by TTL (the retention).
        "CREATE TABLE IF NOT EXISTS " + keyspace + ".telemetry (\n"
            + "  site text,\n  kind text,\n  asset text,\n  day date,\n  ts timestamp,\n  name text,\n  val double,\n"
            + "  PRIMARY KEY ((site, kind, asset, day), ts, name))\n"
            + "  WITH CLUSTERING ORDER BY (ts DESC, name DESC)\n"
            + "  AND compaction = {'class': 'TimeWindowCompactionStrategy', 'compaction_window_unit': 'DAYS', 'compaction_window_size': 1}",
        // The days on which each asset has telemetry: what queries and the retention purge walk.
        "CREATE TABLE IF NOT EXISTS " + keyspace + ".telemetry_days (\n"
            + "  site text,\n  kind text,\n  asset text,\n  day date,\n"
            + "  PRIMARY KEY ((site, kind, asset), day))",
        // The audit log, twice per entry: under its site and under '*' (all sites). One partition per
        // scope and UTC day; entries newest first by a time-based UUID made from the entry's time.
        "CREATE TABLE IF NOT EXISTS " + keyspace + ".audit_log (\n"
            + "  scope text,\n  day date,\n  id timeuuid,\n  actor text,\n  actor_kind text,\n  role text,\n  action text,\n"
            + "  site text,\n  target text,\n  outcome text,\n  reason text,\n  request_id text,\n  details text,\n"
            + "  PRIMARY KEY ((scope, day), id))\n"
            + "  WITH CLUSTERING ORDER BY (id DESC)",
        // The days of each scope that have entries, newest first: what a query walks.
        "CREATE TABLE IF NOT EXISTS " + keyspace + ".audit_days (\n"
            + "  scope text,\n  day date,\n"
            + "  PRIMARY KEY ((scope), day))\n"
            + "  WITH CLUSTERING ORDER BY (day DESC)",
        // Read-model projections (the parking projection): pekko-projection-cassandra's offset store
        // and management tables, as its CassandraOffsetStore creates them.
        "CREATE TABLE IF NOT EXISTS " + keyspace + ".offset_store (\n"
            + "  projection_name text,\n  partition int,\n  projection_key text,\n  offset text,\n  manifest text,\n"
            + "  last_updated timestamp,\n  PRIMARY KEY ((projection_name, partition), projection_key))",
        "CREATE TABLE IF NOT EXISTS " + keyspace + ".projection_management (\n"
            + "  projection_name text,\n  partition int,\n  projection_key text,\n  paused boolean,\n"
            + "  last_updated timestamp,\n  PRIMARY KEY ((projection_name, partition), projection_key))");
  }

  /** Applies the statements one by one (each waits for schema agreement). */
  public static void apply(CqlSession session, List<String> statements) {
    for (String cql : statements) {
      session.execute(SimpleStatement.newInstance(cql).setExecutionProfileName(PROFILE));
    }
  }

  /** The statements as a CQL file: each ends with ';' and a blank line. */
  public static String asCqlFile(List<String> statements) {
    StringBuilder out = new StringBuilder();
    for (String s : statements) out.append(s.strip()).append(";\n\n");
    return out.toString();
  }
}
