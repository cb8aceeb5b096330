package atrium.api.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.runtime.AtriumRuntime;
import atrium.core.runtime.CassandraStore;
import atrium.core.testkit.CassandraTestNode;
import com.datastax.oss.driver.api.core.cql.Row;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log on the real Cassandra ({@code scripts/cassandra.sh start}), through a node of the
 * Cassandra profile (its session and schema). No Cassandra: these tests fail. A keyspace per run;
 * each test writes to sites of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CassandraAuditStoreIT {
  private static final Instant T0 = Instant.parse("2026-12-24T01:00:00Z");
  private static final long TIMEOUT_S = 30;

  private final String keyspace = CassandraTestNode.uniqueKeyspace();
  @TempDir static Path dataDir;
  private AtriumRuntime node;
  private AuditLog audit;

  @BeforeAll
  void startNode() {
    CassandraTestNode.requireCassandra();
    node = AtriumRuntime.start(CassandraTestNode.overrides(keyspace, dataDir));
    CassandraStore cassandra = node.cassandra().orElseThrow();
    audit = new AuditLog(node.system(), new CassandraAuditStore(cassandra.session(), cassandra.keyspace(), AuditSettings.defaults().retention()),
        AuditSettings.defaults(), node.clock());
  }

  @AfterAll
  void stopNode() {
    if (audit != null) audit.close();
    if (node != null) node.close();
    CassandraTestNode.dropKeyspace(keyspace);
  }

  private static AuditEntry entry(Instant at, String actor, String site, String target, String action, String outcome) {
    return new AuditEntry(at, actor, AuditEntry.PERSON, "operator", action, site, target, outcome,
        outcome.equals(AuditEntry.ACCEPTED) ? null : "because", "req-" + at.toEpochMilli(), "{\"setpoint\":21.5}");
  }

  private void append(List<AuditEntry> entries) throws Exception {
    CompletableFuture.allOf(entries.stream().map(e -> audit.append(e).toCompletableFuture()).toArray(CompletableFuture[]::new))
        .get(TIMEOUT_S, TimeUnit.SECONDS);
  }

  private AuditLog.Page query(AuditQuery q) throws Exception {
    return audit.query(q).toCompletableFuture().get(TIMEOUT_S, TimeUnit.SECONDS);
  }

  @Test
  void appendedEntriesAreReadBackNewestFirstForTheirSiteAndAcrossSites() throws Exception {
    // 100 days before the other tests' entries, so that the query across sites sees only these
    Instant t = T0.minus(Duration.ofDays(100));
    AuditEntry first = entry(t, "alice", "mall-a", "AHU-1", "hvac-zone.set-setpoints", AuditEntry.ACCEPTED);
    AuditEntry second = entry(t.plus(Duration.ofMinutes(1)), "bob", "mall-b", "BAY-7", "parking-bay.reserve", AuditEntry.REJECTED);
    AuditEntry third = entry(t.plus(Duration.ofDays(1)).plusNanos(123_000), "alice", "mall-a", "AHU-2", "hvac-zone.set-mode",
        AuditEntry.DENIED);
    AuditEntry siteless = new AuditEntry(t.plus(Duration.ofMinutes(2)), "ops-bot", AuditEntry.SYSTEM, null, "tokens.rotate", null, null,
        AuditEntry.ACCEPTED, null, null, null);
    append(List.of(first, second, third, siteless));

    assertEquals(List.of(third, first), query(AuditQuery.newest(100).withSite("mall-a")).entries());
    assertEquals(List.of(second), query(AuditQuery.newest(100).withSite("mall-b")).entries());
    List<AuditEntry> all = query(AuditQuery.newest(100).between(t, t.plus(Duration.ofDays(2)))).entries();
    assertEquals(List.of(third, siteless, second, first), all, "every site and the site-less entry, newest first");
  }

  @Test
  void queriesFilterByActorTargetActionOutcomeAndTimeRange() throws Exception {
    String site = "mall-filters";
    List<AuditEntry> entries = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      entries.add(entry(T0.plus(Duration.ofHours(5L * i)), i % 2 == 0 ? "alice" : "bob", site, "AHU-" + (i % 3),
          i % 4 == 0 ? "hvac-zone.set-mode" : "hvac-zone.set-setpoints", i % 3 == 0 ? AuditEntry.REJECTED : AuditEntry.ACCEPTED));
    }
    append(entries);
    AuditQuery base = AuditQuery.newest(100).withSite(site);

    assertEquals(expected(entries, e -> e.actor().equals("bob")), query(base.withActor("bob")).entries());
    assertEquals(expected(entries, e -> e.target().equals("AHU-1")), query(base.withTarget("AHU-1")).entries());
    assertEquals(expected(entries, e -> e.action().equals("hvac-zone.set-mode")), query(base.withAction("hvac-zone.set-mode")).entries());
    assertEquals(expected(entries, e -> e.outcome().equals(AuditEntry.REJECTED)), query(base.withOutcome(AuditEntry.REJECTED)).entries());
    Instant from = T0.plus(Duration.ofHours(10));
    Instant to = T0.plus(Duration.ofHours(35));
    List<AuditEntry> range = query(base.between(from, to)).entries();
    assertEquals(expected(entries, e -> !e.at().isBefore(from) && e.at().isBefore(to)), range, "from inclusive, to exclusive");
    assertEquals(5, range.size());
    assertEquals(List.of(), query(base.withActor("nobody")).entries());
  }

  private static List<AuditEntry> expected(List<AuditEntry> entries, java.util.function.Predicate<AuditEntry> p) {
    List<AuditEntry> out = new ArrayList<>(entries.stream().filter(p).toList());
    java.util.Collections.reverse(out);
    return out;
  }

  @Test
  void pagesFollowEachOtherWithoutGapsOrRepeatsAcrossDaysAndWithinOneMicrosecond() throws Exception {
    String site = "mall-pages";
    List<AuditEntry> entries = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      // five entries share each instant; the instants span three days
      Instant at = T0.plus(Duration.ofHours(13L * (i / 5)));
      entries.add(entry(at, "user-" + i, site, "AHU-" + i, "hvac-zone.set-setpoints", AuditEntry.ACCEPTED));
    }
    append(entries);

    Set<String> seen = new HashSet<>();
    List<AuditEntry> read = new ArrayList<>();
    AuditQuery q = AuditQuery.newest(4).withSite(site);
    AuditLog.Page page = query(q);
    int pages = 1;
    read.addAll(page.entries());
    while (page.nextCursor() != null) {
      page = query(q.after(page));
      pages++;
      read.addAll(page.entries());
      assertTrue(pages < 20, "pagination does not end");
    }
    for (AuditEntry e : read) assertTrue(seen.add(e.actor()), () -> "seen twice: " + e.actor());
    assertEquals(25, read.size());
    assertEquals(7, pages);
    for (int i = 1; i < read.size(); i++) assertTrue(!read.get(i).at().isAfter(read.get(i - 1).at()), "newest first");
    assertNull(page.nextCursor());
  }

  @Test
  void entriesExpireByTheRetentionTtlAndThePurgeDeletesNothing() throws Exception {
    String site = "mall-ttl";
    append(List.of(entry(T0, "alice", site, "AHU-1", "hvac-zone.set-setpoints", AuditEntry.ACCEPTED)));
    Row ttl = CassandraTestNode.session().execute("SELECT TTL(actor) FROM " + keyspace + ".audit_log WHERE scope = ? AND day = ?",
        site, java.time.LocalDate.of(2026, 12, 24)).one();
    long retention = AuditSettings.defaults().retention().toSeconds();
    assertTrue(ttl != null && ttl.getInt(0) > retention - 3600 && ttl.getInt(0) <= retention,
        () -> "TTL " + (ttl == null ? null : ttl.getInt(0)) + " s, retention " + retention + " s");

    long purged = audit.purgeExpired().toCompletableFuture().get(TIMEOUT_S, TimeUnit.SECONDS);
    assertEquals(0, purged);
    assertEquals(1, query(AuditQuery.newest(10).withSite(site)).entries().size());
  }
}
