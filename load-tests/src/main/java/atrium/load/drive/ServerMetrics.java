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
    double[] m = {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
    PrometheusSample.forEach(text, x -> {
      double v = x.value();
      switch (x.name()) {
        case "process_cpu_usage" -> m[0] = v;
        case "system_cpu_usage" -> m[1] = v;
        case "jvm_memory_used_bytes" -> {
          if (x.has("area", "heap")) m[2] = add(m[2], v);
        }
        case "jvm_memory_max_bytes" -> {
          if (x.has("area", "heap") && v > 0) m[3] = add(m[3], v);
        }
        case "jvm_gc_pause_seconds_sum" -> m[4] = add(m[4], v);
        case "jvm_gc_pause_seconds_count" -> m[5] = add(m[5], v);
        case "atrium_door_in_flight" -> m[6] = v;
        default -> { }
      }
    });
    return new ServerMetrics(m[0], m[1], m[2], m[3], m[4], m[5], m[6]);
  }

  private static double add(double sum, double v) {
    return Double.isNaN(sum) ? v : sum + v;
  }
}
