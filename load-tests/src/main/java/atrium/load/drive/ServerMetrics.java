package atrium.load.drive;

/**
 * What the node says about itself on {@code GET /metrics} (Prometheus text, Micrometer's JVM and
 * process binders): process and system CPU (0–1 of all cores), heap used and its maximum, the GC's
 * pause time and count so far, and the doors' calls in flight. Values it does not export are NaN.
 */
public record ServerMetrics(double processCpu, double systemCpu, double heapUsedBytes, double heapMaxBytes,
    double gcPauseSeconds, double gcPauses, double doorInFlight) {

  public static final ServerMetrics NONE = new ServerMetrics(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  public static ServerMetrics parse(String text) {
    double cpu = Double.NaN, sys = Double.NaN, heap = Double.NaN, heapMax = Double.NaN, gcSum = Double.NaN, gcCount = Double.NaN,
        inFlight = Double.NaN;
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
      switch (name) {
        case "process_cpu_usage" -> cpu = v;
        case "system_cpu_usage" -> sys = v;
        case "jvm_memory_used_bytes" -> {
          if (labels.contains("area=\"heap\"")) heap = add(heap, v);
        }
        case "jvm_memory_max_bytes" -> {
          if (labels.contains("area=\"heap\"") && v > 0) heapMax = add(heapMax, v);
        }
        case "jvm_gc_pause_seconds_sum" -> gcSum = add(gcSum, v);
        case "jvm_gc_pause_seconds_count" -> gcCount = add(gcCount, v);
        case "atrium_door_in_flight" -> inFlight = v;
        default -> { }
      }
    }
    return new ServerMetrics(cpu, sys, heap, heapMax, gcSum, gcCount, inFlight);
  }

  private static double add(double sum, double v) {
    return Double.isNaN(sum) ? v : sum + v;
  }
}
