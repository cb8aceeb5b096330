package atrium.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.alarm.Alarm;
import atrium.core.alarm.Severity;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.history.CassandraTelemetryHistory;
import atrium.core.history.TelemetryHistory;
import atrium.core.history.TelemetryPoint;
import atrium.core.testkit.CassandraTestNode;
import com.datastax.oss.driver.api.core.cql.Row;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node of the Cassandra profile against the real Cassandra that {@code scripts/cassandra.sh start}
 * runs (127.0.0.1:9042, or ATRIUM_CASSANDRA_CONTACT_POINTS). No Cassandra: these tests fail.
 * Each run writes to a keyspace of its own, dropped at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CassandraProfileIT {
  private static final AssetId CAMERA = AssetId.of("demo-mall", AssetKind.CAMERA, "CAM-0001");
  private static final AssetId ZONE = AssetId.of("demo-mall", AssetKind.ZONE, "L1-Z01");
  private static final AssetId OTHER_ZONE = AssetId.of("demo-mall", AssetKind.ZONE, "L1-Z02");
  private static final Instant T0 = Instant.parse("2026-12-24T01:00:00Z");

  private final String keyspace = CassandraTestNode.uniqueKeyspace();
  @TempDir Path dataDir;

  @BeforeAll
  void cassandraAnswers() {
    CassandraTestNode.requireCassandra();
  }

  @AfterAll
  void dropKeyspace() {
    CassandraTestNode.dropKeyspace(keyspace);
  }

  private AtriumRuntime start() {
    return AtriumRuntime.start(CassandraTestNode.overrides(keyspace, dataDir));
  }

  @Test
  void aNodeOfTheCassandraProfileUsesTheCassandraJournalAndHistory() {
    try (AtriumRuntime node = start()) {
      var config = node.system().settings().config();
      assertEquals("pekko.persistence.cassandra.journal", config.getString("pekko.persistence.journal.plugin"));
      assertEquals("pekko.persistence.cassandra.snapshot", config.getString("pekko.persistence.snapshot-store.plugin"));
      assertEquals(keyspace, config.getString("pekko.persistence.cassandra.journal.keyspace"));
      assertInstanceOf(CassandraTelemetryHistory.class, node.services().history());
      assertTrue(node.cassandra().isPresent());
      assertTrue(node.database().isEmpty(), "no H2 journal under the cassandra profile");
    }
  }

  @Test
  void anEntityPersistedOnOneNodeIsRecoveredByTheNextFromCassandra() throws Exception {
    AssetId alarmId = Alarm.idFor(CAMERA, "offline");
    try (AtriumRuntime node = start()) {
      var alarm = node.services().entityRef(Alarm.ENTITY_KEY, alarmId);
      alarm.tell(new Alarm.Raise(CAMERA, "offline", Severity.HIGH, "no report for 5 min", T0));
      StatusReply<Alarm.View> acked = alarm.<StatusReply<Alarm.View>>ask(
          replyTo -> new Alarm.Acknowledge("operator-1", replyTo), Duration.ofSeconds(20)).toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertTrue(acked.isSuccess(), () -> "acknowledge failed: " + acked);
      assertEquals(Alarm.AlarmState.ACKNOWLEDGED, acked.getValue().state());
    }
    try (AtriumRuntime restarted = start()) {
      var alarm = restarted.services().entityRef(Alarm.ENTITY_KEY, alarmId);
      Alarm.View view = alarm.<Alarm.View>ask(Alarm.GetState::new, Duration.ofSeconds(20)).toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals(Alarm.AlarmState.ACKNOWLEDGED, view.state());
      assertEquals("no report for 5 min", view.message());
      assertEquals("operator-1", view.lastBy());
      assertEquals(Severity.HIGH, view.severity());
    }
    List<Row> events = CassandraTestNode.session().execute(
        "SELECT sequence_nr FROM " + keyspace + ".messages WHERE persistence_id = ? AND partition_nr = 0",
        "Alarm|" + alarmId.entityId()).all();
    assertEquals(2, events.size(), "raised and acknowledged, in the journal's messages table");
  }

  @Test
  void snapshotsGoToTheCassandraSnapshotStoreAndRecoveryGivesTheSameState() throws Exception {
    AssetId source = AssetId.of("demo-mall", AssetKind.CAMERA, "CAM-0002");
    AssetId alarmId = Alarm.idFor(source, "offline");
    Alarm.View before;
    try (AtriumRuntime node = start()) {
      var alarm = node.services().entityRef(Alarm.ENTITY_KEY, alarmId);
      // 60 events: past the alarm's snapshot every 50
      for (int i = 0; i < 30; i++) {
        alarm.tell(new Alarm.Raise(source, "offline", Severity.MEDIUM, "silent #" + i, T0.plus(Duration.ofMinutes(i))));
        alarm.tell(new Alarm.Return(T0.plus(Duration.ofMinutes(i)).plusSeconds(30)));
      }
      before = alarm.<Alarm.View>ask(Alarm.GetState::new, Duration.ofSeconds(20)).toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals("silent #29", before.message());
      assertTrue(!before.active());
    }
    List<Long> snapshots = CassandraTestNode.session().execute(
        "SELECT sequence_nr FROM " + keyspace + ".snapshots WHERE persistence_id = ?", "Alarm|" + alarmId.entityId())
        .all().stream().map(r -> r.getLong(0)).toList();
    assertEquals(List.of(50L), snapshots);
    try (AtriumRuntime restarted = start()) {
      Alarm.View after = restarted.services().entityRef(Alarm.ENTITY_KEY, alarmId)
          .<Alarm.View>ask(Alarm.GetState::new, Duration.ofSeconds(20)).toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals(before, after);
    }
  }

  @Test
  void telemetryIsWrittenToCassandraAndReadBackRawAndByTimeRange() throws Exception {
    try (AtriumRuntime node = start()) {
      TelemetryHistory history = node.services().history();
      // two UTC days, two measurements, and another zone that must not show up
      for (int i = 0; i < 48; i++) {
        Instant t = T0.plus(Duration.ofHours(i));
        assertTrue(history.record(TelemetryPoint.of(ZONE, t, "temperature", 20.0 + i / 10.0)));
        assertTrue(history.record(TelemetryPoint.of(ZONE, t, "co2", 400 + i)));
        assertTrue(history.record(TelemetryPoint.of(OTHER_ZONE, t, "temperature", 99)));
      }
      history.flush().toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals(144, history.stats().written());
      assertEquals(0, history.stats().failed());

      List<TelemetryPoint> all = history.query(ZONE, Optional.empty(), T0, T0.plus(Duration.ofDays(3)), 1000)
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals(96, all.size());
      assertEquals(TelemetryPoint.of(ZONE, T0, "co2", 400), all.get(0), "earliest first, ties by name");
      assertEquals(TelemetryPoint.of(ZONE, T0, "temperature", 20.0), all.get(1));
      assertEquals(TelemetryPoint.of(ZONE, T0.plus(Duration.ofHours(47)), "temperature", 20.0 + 4.7), all.get(95));

      // a range across the day boundary (2026-12-25T00:00Z), one measurement, end exclusive
      Instant from = T0.plus(Duration.ofHours(20));
      Instant to = T0.plus(Duration.ofHours(26));
      List<TelemetryPoint> range = history.query(ZONE, Optional.of("temperature"), from, to, 1000)
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals(List.of(20, 21, 22, 23, 24, 25), range.stream().map(p -> (int) Duration.between(T0, p.ts()).toHours()).toList());
      assertTrue(range.stream().allMatch(p -> p.name().equals("temperature")));

      List<TelemetryPoint> limited = history.query(ZONE, Optional.of("co2"), T0, T0.plus(Duration.ofDays(3)), 5)
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals(List.of(400.0, 401.0, 402.0, 403.0, 404.0), limited.stream().map(TelemetryPoint::value).toList());

      List<TelemetryHistory.Bucket> daily = history.downsample(ZONE, "co2", T0, T0.plus(Duration.ofDays(2)), Duration.ofDays(1))
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals(2, daily.size());
      assertEquals(new TelemetryHistory.Bucket(T0, 24, 400, 423, 411.5), daily.get(0));
      assertEquals(new TelemetryHistory.Bucket(T0.plus(Duration.ofDays(1)), 24, 424, 447, 435.5), daily.get(1));
    }
  }

  @Test
  void writingAReadingAgainReplacesItAndRowsCarryTheRetentionAsTtl() throws Exception {
    AssetId zone = AssetId.of("demo-mall", AssetKind.ZONE, "L2-Z05");
    try (AtriumRuntime node = start()) {
      TelemetryHistory history = node.services().history();
      history.record(TelemetryPoint.of(zone, T0, "temperature", 21.0));
      history.record(TelemetryPoint.of(zone, T0, "temperature", 22.5));
      history.flush().toCompletableFuture().get(30, TimeUnit.SECONDS);
      List<TelemetryPoint> points = history.query(zone, Optional.empty(), T0, T0.plusSeconds(1), 10)
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals(List.of(TelemetryPoint.of(zone, T0, "temperature", 22.5)), points);
    }
    Row ttl = CassandraTestNode.session().execute("SELECT TTL(val) FROM " + keyspace
        + ".telemetry WHERE site = 'demo-mall' AND kind = 'zone' AND asset = 'L2-Z05' AND day = '2026-12-24'").one();
    long retentionSeconds = Duration.ofDays(90).toSeconds();
    assertTrue(ttl != null && ttl.getInt(0) > retentionSeconds - 3600 && ttl.getInt(0) <= retentionSeconds,
        () -> "TTL " + (ttl == null ? null : ttl.getInt(0)) + " s, retention " + retentionSeconds + " s");
  }

  @Test
  void theRetentionPurgeDeletesOnlyPointsOlderThanTheCutoff() throws Exception {
    AssetId zone = AssetId.of("demo-mall", AssetKind.ZONE, "L3-Z01");
    try (AtriumRuntime node = start()) {
      TelemetryHistory history = node.services().history();
      for (int day = 0; day < 3; day++) {
        history.record(TelemetryPoint.of(zone, T0.plus(Duration.ofDays(day)), "co2", 500 + day));
        history.record(TelemetryPoint.of(zone, T0.plus(Duration.ofDays(day)).plus(Duration.ofHours(12)), "co2", 600 + day));
      }
      history.flush().toCompletableFuture().get(30, TimeUnit.SECONDS);
      Instant cutoff = T0.plus(Duration.ofDays(1)).plus(Duration.ofHours(6));
      long deleted = history.purgeOlderThan(cutoff).toCompletableFuture().get(60, TimeUnit.SECONDS);
      assertTrue(deleted >= 3, "at least this test's three older points, was " + deleted);
      List<TelemetryPoint> left = history.query(zone, Optional.empty(), T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(5)), 100)
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals(List.of(601.0, 502.0, 602.0), left.stream().map(TelemetryPoint::value).toList());
    }
  }

  @Test
  void creatingTheSchemaAgainChangesNothingAndKeepsTheData() throws Exception {
    AssetId zone = AssetId.of("demo-mall", AssetKind.ZONE, "L3-Z02");
    try (AtriumRuntime node = start()) {
      node.services().history().record(TelemetryPoint.of(zone, T0, "humidity", 41));
      node.services().history().flush().toCompletableFuture().get(30, TimeUnit.SECONDS);
      CassandraStore store = node.cassandra().orElseThrow();
      List<String> statements = CassandraSchema.statements(node.system(), store.settings());
      CassandraSchema.apply(store.session(), statements);
      CassandraSchema.apply(store.session(), statements);
    }
    try (AtriumRuntime again = start()) {
      List<TelemetryPoint> points = again.services().history().query(zone, Optional.empty(), T0, T0.plusSeconds(1), 10)
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals(List.of(TelemetryPoint.of(zone, T0, "humidity", 41)), points);
    }
    List<String> tables = CassandraTestNode.session().execute(
        "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", keyspace).all().stream().map(r -> r.getString(0)).sorted().toList();
    assertTrue(tables.containsAll(List.of("messages", "snapshots", "telemetry", "telemetry_days", "audit_log", "audit_days")), tables::toString);
  }
}
