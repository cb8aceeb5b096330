package atrium.api.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.security.Principal;
import atrium.api.security.Role;
import atrium.core.clock.SimulatedClock;
import atrium.core.runtime.EmbeddedDatabase;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final Instant T0 = Instant.parse("2026-12-24T01:00:00Z");

  @TempDir
  Path dataDir;

  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : opened) c.close();
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** The node's embedded database: the journal's H2 file under the data directory. */
  private String url() {
    return EmbeddedDatabase.journalUrl(dataDir);
  }

  private AuditLog open(AuditSettings settings, SimulatedClock clock) {
    AuditLog log = AuditLog.embedded(testKit.system(), url(), settings, clock);
    opened.add(log);
    return log;
  }

  private AuditLog open() {
    return open(AuditSettings.defaults(), new SimulatedClock(T0));
  }

  private static AuditEntry entry(Instant at, String actor, String site, String target, String action, String outcome) {
    return new AuditEntry(at, actor, AuditEntry.PERSON, "operator", action, site, target, outcome,
        outcome.equals(AuditEntry.ACCEPTED) ? null : "because", "req-" + at.toEpochMilli(), "{\"setpoint\":21.5}");
  }

  private static AuditEntry at(Instant at) {
    return entry(at, "alice", "demo-mall", "AHU-L1-01", "hvac-zone.set-setpoints", AuditEntry.ACCEPTED);
  }

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static Throwable failureOf(CompletionStage<?> stage) {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    return e.getCause();
  }

  private static List<AuditEntry> all(AuditLog log, AuditQuery q) {
    return await(log.query(q)).entries();
  }

  @Test
  void appendedEntriesComeBackNewestFirstWithEveryField() {
    AuditLog log = open();
    AuditEntry person = AuditEntry.of(Principal.person("alice", Role.OPERATOR, Set.of("demo-mall")), T0.plusNanos(1_234_567),
        "hvac-zone.set-setpoints", "demo-mall", "AHU-L1-01", AuditEntry.ACCEPTED, null, "req-1", "{\"cooling\":24.0}");
    AuditEntry loop = new AuditEntry(T0.plusSeconds(5), "demand-ventilation", AuditEntry.LOOP, null, "hvac-zone.set-mode",
        "demo-mall", "AHU-L1-02", AuditEntry.REJECTED, "zone in maintenance", null, null);
    AuditEntry device = new AuditEntry(T0.plusSeconds(1), "gate-P-north", AuditEntry.DEVICE, null, "car-park.open-barrier",
        "demo-mall", "P-north", AuditEntry.DENIED, "not allowed for devices", "req-3", "{}");
    await(log.append(person));
    await(log.append(loop));
    await(log.append(device));

    AuditLog.Page page = await(log.query(AuditQuery.newest(10)));
    assertEquals(List.of(loop, device, person), page.entries());
    assertNull(page.nextCursor());
    assertEquals(T0.plusNanos(1_234_000), page.entries().get(2).at()); // kept to the microsecond
    assertEquals("operator", page.entries().get(2).role());
  }

  @Test
  void writtenEntriesSurviveAReopenOfTheDatabase() {
    AuditLog first = open();
    await(first.append(at(T0)));
    first.close();
    assertEquals(List.of(at(T0)), all(open(), AuditQuery.newest(10)));
  }

  @Test
  void queriesFilterBySiteActorTargetActionOutcomeAndTimeRange() {
    AuditLog log = open();
    AuditEntry a = entry(T0, "alice", "demo-mall", "AHU-L1-01", "hvac-zone.set-setpoints", AuditEntry.ACCEPTED);
    AuditEntry b = entry(T0.plusSeconds(1), "bob", "demo-mall", "AHU-L1-01", "hvac-zone.set-mode", AuditEntry.REJECTED);
    AuditEntry c = entry(T0.plusSeconds(2), "alice", "east-mall", "KIOSK-01", "kiosk.set-mode", AuditEntry.ACCEPTED);
    AuditEntry d = entry(T0.plusSeconds(3), "alice", "demo-mall", "P-north", "car-park.set-price", AuditEntry.DENIED);
    for (AuditEntry e : List.of(a, b, c, d)) await(log.append(e));

    AuditQuery q = AuditQuery.newest(100);
    assertEquals(List.of(d, b, a), all(log, q.withSite("demo-mall")));
    assertEquals(List.of(d, c, a), all(log, q.withActor("alice")));
    assertEquals(List.of(b, a), all(log, q.withTarget("AHU-L1-01")));
    assertEquals(List.of(b), all(log, q.withAction("hvac-zone.set-mode")));
    assertEquals(List.of(d), all(log, q.withOutcome(AuditEntry.DENIED)));
    assertEquals(List.of(c, b), all(log, q.between(T0.plusSeconds(1), T0.plusSeconds(3))));
    assertEquals(List.of(a), all(log, q.withSite("demo-mall").withActor("alice").withOutcome(AuditEntry.ACCEPTED)));
    assertEquals(List.of(), all(log, q.withSite("west-mall")));
  }

  @Test
  void pagingWithTheCursorVisitsEveryEntryOnceNewestFirst() {
    AuditLog log = open();
    List<AuditEntry> appended = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      AuditEntry e = entry(T0.plusSeconds(i / 3), "alice", "demo-mall", "AHU-" + i, "hvac-zone.set-setpoints", AuditEntry.ACCEPTED);
      appended.add(e); // three entries share each instant: ties are ordered by the order of writing
      await(log.append(e));
    }
    List<AuditEntry> seen = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    AuditQuery q = AuditQuery.newest(10).withSite("demo-mall");
    while (true) {
      AuditLog.Page page = await(log.query(q));
      seen.addAll(page.entries());
      sizes.add(page.entries().size());
      if (page.nextCursor() == null) break;
      q = q.after(page);
    }
    assertEquals(List.of(10, 10, 5), sizes);
    List<AuditEntry> newestFirst = new ArrayList<>(appended);
    java.util.Collections.reverse(newestFirst);
    assertEquals(newestFirst, seen);
  }

  @Test
  void aForgedCursorOrAnOversizedPageIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> AuditQuery.newest(10).after(new AuditLog.Page(List.of(), "not-a-cursor")));
    assertThrows(IllegalArgumentException.class, () -> AuditQuery.newest(1001));
    assertThrows(IllegalArgumentException.class, () -> AuditQuery.newest(0));
    assertThrows(IllegalArgumentException.class, () -> AuditQuery.newest(10).withOutcome("maybe"));
  }

  @Test
  void theDailyPurgeOnTheTwinClockDeletesOnlyEntriesOlderThanTheRetention() {
    SimulatedClock clock = new SimulatedClock(T0);
    AuditLog log = open(AuditSettings.defaults(), clock); // 400 days, purged daily
    AuditEntry ancient = at(T0.minus(Duration.ofDays(500)));
    AuditEntry old = at(T0.minus(Duration.ofDays(399)));
    AuditEntry recent = at(T0.minus(Duration.ofDays(1)));
    for (AuditEntry e : List.of(ancient, old, recent)) await(log.append(e));
    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(TIMEOUT, () -> {
      assertEquals(1, clock.pending()); // the next purge is scheduled once the start-up purge is done
      return null;
    });

    clock.advance(Duration.ofDays(1)); // cutoff T0 - 399d: older than it only
    probe.awaitAssert(TIMEOUT, () -> {
      assertEquals(List.of(recent, old), all(log, AuditQuery.newest(10)));
      return null;
    });
    probe.awaitAssert(TIMEOUT, () -> {
      assertEquals(1, clock.pending());
      return null;
    });
    clock.advance(Duration.ofDays(1)); // cutoff T0 - 398d
    probe.awaitAssert(TIMEOUT, () -> {
      assertEquals(List.of(recent), all(log, AuditQuery.newest(10)));
      return null;
    });
  }

  @Test
  void aRetentionUnder180DaysIsRefusedNamingTheKeyAndTheLaw() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AuditSettings.create(
        ConfigFactory.parseMap(Map.of("atrium.audit.retention", "90d"))
            .withFallback(ConfigFactory.parseResources("atrium-security.conf")).resolve()));
    assertTrue(e.getMessage().contains("atrium.audit.retention"), e.getMessage());
    assertTrue(e.getMessage().contains("Cybersecurity Law"), e.getMessage());
    AuditSettings shipped = AuditSettings.create(ConfigFactory.parseResources("atrium-security.conf").resolve());
    assertEquals(Duration.ofDays(400), shipped.retention());
    assertEquals(Duration.ofDays(1), shipped.purgeInterval());
  }

  @Test
  void theTableRefusesUpdateDeleteAndTruncateFromAnyOtherCode() throws Exception {
    AuditLog log = open();
    await(log.append(at(T0.minus(Duration.ofDays(1)))));
    try (Connection c = DriverManager.getConnection(url(), "sa", ""); Statement s = c.createStatement()) {
      assertThrows(SQLException.class, () -> s.executeUpdate("UPDATE audit_log SET outcome = 'accepted', reason = NULL"));
      assertThrows(SQLException.class, () -> s.executeUpdate("DELETE FROM audit_log"));
      assertThrows(SQLException.class, () -> s.executeUpdate("TRUNCATE TABLE audit_log"));
      // even a purge cutoff declared by hand cannot reach entries younger than the legal 180 days
      s.execute("SET @AUDIT_PURGE_BEFORE = " + Long.MAX_VALUE);
      assertThrows(SQLException.class, () -> s.executeUpdate("DELETE FROM audit_log"));
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM audit_log")) {
        rs.next();
        assertEquals(1, rs.getLong(1));
      }
    }
    assertEquals(List.of(at(T0.minus(Duration.ofDays(1)))), all(log, AuditQuery.newest(10)));
  }

  @Test
  void aFullBufferFailsTheAppendAndEntriesAcceptedBeforeAreWritten() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    H2AuditStore h2 = new H2AuditStore(url(), false);
    AuditStore held = new AuditStore() { // the real store, held back until the test releases it
      @Override
      public void append(List<AuditEntry> entries) throws Exception {
        release.await();
        h2.append(entries);
      }

      @Override
      public AuditLog.Page query(AuditQuery query) throws Exception {
        return h2.query(query);
      }

      @Override
      public long deleteOlderThan(Instant cutoff) throws Exception {
        return h2.deleteOlderThan(cutoff);
      }

      @Override
      public void close() {
        h2.close();
      }
    };
    AuditSettings tiny = new AuditSettings(Duration.ofDays(400), 1, 1, Duration.ofMillis(1), Duration.ofDays(1), false);
    AuditLog log = new AuditLog(testKit.system(), held, tiny, new SimulatedClock(T0));
    opened.add(log);

    List<CompletableFuture<Done>> accepted = new ArrayList<>();
    CompletionStage<Done> refused = null;
    for (int i = 0; i < 50 && refused == null; i++) {
      CompletableFuture<Done> f = log.append(at(T0.plusSeconds(i))).toCompletableFuture();
      if (f.isCompletedExceptionally()) refused = f;
      else accepted.add(f);
    }
    assertTrue(refused != null, "a writer held back must fill a buffer of one within 50 appends");
    assertInstanceOf(AuditUnavailableException.class, failureOf(refused));
    release.countDown();
    for (CompletableFuture<Done> f : accepted) await(f);
    assertEquals(accepted.size(), all(log, AuditQuery.newest(1000)).size());
  }

  @Test
  void aStorageFailureFailsTheAppendsItCouldNotWrite() throws Exception {
    AuditLog log = open();
    try (Connection c = DriverManager.getConnection(url(), "sa", ""); Statement s = c.createStatement()) {
      s.execute("DROP TABLE audit_log_guard");
      s.execute("DROP TABLE audit_log");
    }
    assertInstanceOf(AuditUnavailableException.class, failureOf(log.append(at(T0))));
  }

  @Test
  void anAppendAfterCloseFails() {
    AuditLog log = open();
    log.close();
    assertInstanceOf(AuditUnavailableException.class, failureOf(log.append(at(T0))));
  }

  @Test
  void entriesRefuseUnknownKindsOutcomesAndDetailsThatAreNotJson() {
    assertThrows(IllegalArgumentException.class, () -> new AuditEntry(T0, "alice", "robot", null, "a.b", null, null,
        AuditEntry.ACCEPTED, null, null, null));
    assertThrows(IllegalArgumentException.class, () -> new AuditEntry(T0, "alice", AuditEntry.PERSON, null, "a.b", null, null,
        "ok", null, null, null));
    assertThrows(IllegalArgumentException.class, () -> new AuditEntry(T0, "alice", AuditEntry.PERSON, null, "a.b", null, null,
        AuditEntry.ACCEPTED, null, null, "{not json"));
    assertThrows(IllegalArgumentException.class, () -> new AuditEntry(T0, " ", AuditEntry.PERSON, null, "a.b", null, null,
        AuditEntry.ACCEPTED, null, null, null));
    AuditEntry longReason = new AuditEntry(T0, "alice", AuditEntry.PERSON, null, "a.b", null, null, AuditEntry.FAILED,
        "x".repeat(5000), null, null);
    assertEquals(AuditEntry.MAX_REASON, longReason.reason().length());
    AuditEntry device = AuditEntry.of(Principal.device("gate-1", "demo-mall", Set.of("*")), T0, "car-park.open-barrier",
        "demo-mall", "P-north", AuditEntry.DENIED, "devices may not", null, null);
    assertEquals(AuditEntry.DEVICE, device.actorKind());
    assertNull(device.role());
  }
}
