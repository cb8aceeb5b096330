package atrium.load.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IngestMetricsTest {
  static String scrape(long applied, long points, long recorded, long written, long dropped) {
    return """
        # HELP atrium_ingest_messages_total Device messages handed to the twin, by how it answered
        # TYPE atrium_ingest_messages_total counter
        atrium_ingest_messages_total{outcome="applied"} %d.0
        atrium_ingest_messages_total{outcome="duplicate"} 3.0
        atrium_ingest_messages_total{outcome="failed"} 2.0
        # TYPE atrium_ingest_points_total counter
        atrium_ingest_points_total %d.0
        atrium_history_points_total{outcome="recorded"} %d.0
        atrium_history_points_total{outcome="written"} %d.0
        atrium_history_points_total{outcome="dropped"} %d.0
        atrium_history_points_total{outcome="failed"} 1.0
        jvm_memory_max_bytes{area="heap",id="G1 Eden Space"} -1.0
        jvm_memory_max_bytes{area="heap",id="G1 Old Gen"} 2.147483648E9
        jvm_memory_max_bytes{area="nonheap",id="Metaspace"} 5.0E8
        process_cpu_usage 0.5
        """.formatted(applied, points, recorded, written, dropped);
  }

  @Test
  void readsTheIngestAndHistoryCountersAndTheHeapMaximum() {
    IngestMetrics m = IngestMetrics.parse(scrape(1_234_567, 9_876_536, 9_000_000, 8_999_000, 500));
    assertEquals(1_234_567, m.applied());
    assertEquals(3, m.duplicates());
    assertEquals(2, m.failed());
    assertEquals(9_876_536, m.points());
    assertEquals(9_000_000, m.historyRecorded());
    assertEquals(8_999_000, m.historyWritten());
    assertEquals(500, m.historyDropped());
    assertEquals(1, m.historyFailed());
    assertEquals(999, m.historyPending());
    assertEquals(2.147483648E9, m.heapMaxBytes(), 1, "only heap areas with a maximum count");
  }

  @Test
  void aWindowIsTheDifferenceOfTwoReadings() {
    IngestMetrics before = IngestMetrics.parse(scrape(100, 800, 800, 700, 0));
    IngestMetrics after = IngestMetrics.parse(scrape(1100, 8800, 6800, 6000, 2000));
    IngestMetrics window = after.minus(before);
    assertEquals(1000, window.applied());
    assertEquals(8000, window.points());
    assertEquals(6000, window.historyRecorded());
    assertEquals(5300, window.historyWritten());
    assertEquals(2000, window.historyDropped());
    assertEquals(0, window.duplicates());
  }

  @Test
  void aNodeWithoutTheCountersReadsZero() {
    IngestMetrics m = IngestMetrics.parse("process_cpu_usage 0.5\n");
    assertEquals(0, m.applied());
    assertEquals(0, m.points());
    assertTrue(Double.isNaN(m.heapMaxBytes()));
  }
}
