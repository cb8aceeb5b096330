package atrium.load.ingest;

import atrium.load.drive.PrometheusSample;

/**
 * The node's own counts of what it took in, from {@code GET /metrics}: device messages the doors
 * handed the twin by outcome ({@code atrium_ingest_messages_total}), the data points of the telemetry
 * it applied ({@code atrium_ingest_points_total}), and the telemetry history's points
 * ({@code atrium_history_points_total}: recorded into its buffer, written to the store, dropped with
 * the buffer full, failed writes). Absent counters read 0; the heap's maximum is NaN when absent.
 */
public record IngestMetrics(long applied, long duplicates, long failed, long points, long historyRecorded, long historyWritten,
    long historyDropped, long historyFailed, double heapMaxBytes) {

  public static IngestMetrics parse(String text) {
    long[] n = new long[8]; // applied, duplicates, failed, points, history recorded, written, dropped, failed
    double[] heapMax = {Double.NaN};
    PrometheusSample.forEach(text, x -> {
      long v = (long) x.value();
      switch (x.name()) {
        case "atrium_ingest_messages_total" -> {
          if (x.has("outcome", "applied")) n[0] = v;
          else if (x.has("outcome", "duplicate")) n[1] = v;
          else if (x.has("outcome", "failed")) n[2] = v;
        }
        case "atrium_ingest_points_total" -> n[3] = v;
        case "atrium_history_points_total" -> {
          if (x.has("outcome", "recorded")) n[4] = v;
          else if (x.has("outcome", "written")) n[5] = v;
          else if (x.has("outcome", "dropped")) n[6] = v;
          else if (x.has("outcome", "failed")) n[7] = v;
        }
        case "jvm_memory_max_bytes" -> {
          if (x.has("area", "heap") && x.value() > 0) heapMax[0] = Double.isNaN(heapMax[0]) ? x.value() : heapMax[0] + x.value();
        }
        default -> { }
      }
    });
    return new IngestMetrics(n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], heapMax[0]);
  }

  /** What happened between {@code earlier} and this reading (the heap's maximum is this reading's). */
  public IngestMetrics minus(IngestMetrics earlier) {
    return new IngestMetrics(applied - earlier.applied, duplicates - earlier.duplicates, failed - earlier.failed, points - earlier.points,
        historyRecorded - earlier.historyRecorded, historyWritten - earlier.historyWritten, historyDropped - earlier.historyDropped,
        historyFailed - earlier.historyFailed, heapMaxBytes);
  }

  /** Points the history accepted but has neither written nor failed yet. */
  public long historyPending() {
    return historyRecorded - historyWritten - historyFailed;
  }
}
