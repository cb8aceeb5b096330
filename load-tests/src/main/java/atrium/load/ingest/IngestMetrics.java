package atrium.load.ingest;

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
    long applied = 0, duplicates = 0, failed = 0, points = 0, recorded = 0, written = 0, dropped = 0, hFailed = 0;
    double heapMax = Double.NaN;
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.charAt(0) == '#') continue;
      int space = line.lastIndexOf(' ');
      if (space < 0) continue;
      double v;
      try {
        v = Double.parseDouble(line.substring(space + 1).trim());
      } catch (NumberFormatException e) {
        continue;
      }
      int brace = line.indexOf('{');
      String name = brace < 0 ? line.substring(0, space).trim() : line.substring(0, brace);
      String labels = brace < 0 ? "" : line.substring(brace, line.lastIndexOf('}') + 1);
      long n = (long) v;
      switch (name) {
        case "atrium_ingest_messages_total" -> {
          if (labels.contains("outcome=\"applied\"")) applied = n;
          else if (labels.contains("outcome=\"duplicate\"")) duplicates = n;
          else if (labels.contains("outcome=\"failed\"")) failed = n;
        }
        case "atrium_ingest_points_total" -> points = n;
        case "atrium_history_points_total" -> {
          if (labels.contains("outcome=\"recorded\"")) recorded = n;
          else if (labels.contains("outcome=\"written\"")) written = n;
          else if (labels.contains("outcome=\"dropped\"")) dropped = n;
          else if (labels.contains("outcome=\"failed\"")) hFailed = n;
        }
        case "jvm_memory_max_bytes" -> {
          if (labels.contains("area=\"heap\"") && v > 0) heapMax = Double.isNaN(heapMax) ? v : heapMax + v;
        }
        default -> { }
      }
    }
    return new IngestMetrics(applied, duplicates, failed, points, recorded, written, dropped, hFailed, heapMax);
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
