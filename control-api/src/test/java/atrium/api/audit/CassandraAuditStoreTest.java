package atrium.api.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The time UUIDs that order the Cassandra audit log and make its page cursors (no Cassandra needed). */
class CassandraAuditStoreTest {
  private static final long MIN_LSB = 0x8080808080808080L;
  private static final long MAX_LSB = 0x7F7F7F7F7F7F7F7FL;

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
  }

  @Test
  void aTimeUuidIsVersionOneAndGivesBackTheMicrosecondItWasMadeFrom() {
    long at = micros(Instant.parse("2026-12-24T01:02:03.456789Z"));
    UUID id = CassandraAuditStore.timeUuid(at, 0x9234_5678_9abc_def0L);
    assertEquals(1, id.version());
    assertEquals(2, id.variant());
    assertEquals(at, CassandraAuditStore.micros(id));
    assertEquals(0x9234_5678_9abc_def0L, id.getLeastSignificantBits(), "the random bits are kept for the cursor");
  }

  @Test
  void timeUuidsSortByTimeFirstThenByTheirRandomBitsAsCassandraDoes() {
    long t = micros(Instant.parse("2026-12-24T01:00:00Z"));
    UUID earlier = CassandraAuditStore.timeUuid(t, MAX_LSB);
    UUID later = CassandraAuditStore.timeUuid(t + 1, MIN_LSB);
    assertTrue(CassandraAuditStore.before(earlier, later), "a microsecond later sorts after, whatever the random bits");
    assertFalse(CassandraAuditStore.before(later, earlier));
    UUID lowest = CassandraAuditStore.timeUuid(t, MIN_LSB);
    UUID some = CassandraAuditStore.timeUuid(t, 0x8000_0000_0000_0001L);
    UUID highest = CassandraAuditStore.timeUuid(t, MAX_LSB);
    assertTrue(CassandraAuditStore.before(lowest, some) && CassandraAuditStore.before(some, highest),
        "within one microsecond the bounds used in queries enclose every entry");
    assertFalse(CassandraAuditStore.before(some, some));
  }

  @Test
  void theTimeFieldsSurviveYearsApart() {
    for (String s : new String[] {"1970-01-01T00:00:00Z", "2026-12-24T23:59:59.999999Z", "2100-06-30T12:00:00.000001Z"}) {
      long at = micros(Instant.parse(s));
      assertEquals(at, CassandraAuditStore.micros(CassandraAuditStore.timeUuid(at, MIN_LSB)), s);
    }
  }
}
