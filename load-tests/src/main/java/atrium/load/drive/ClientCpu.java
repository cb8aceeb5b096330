package atrium.load.drive;

import java.lang.management.ManagementFactory;

/** This process's CPU use between two calls, as a fraction of all the machine's cores (0–1). */
public final class ClientCpu {
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final int cores = Runtime.getRuntime().availableProcessors();
  private long lastCpu = os.getProcessCpuTime();
  private long lastWall = System.nanoTime();

  /** CPU used since the last call (or since creation), over the wall time passed, over the cores. */
  public synchronized double sample() {
    long cpu = os.getProcessCpuTime();
    long wall = System.nanoTime();
    double f = wall == lastWall || cpu < 0 ? Double.NaN : (double) (cpu - lastCpu) / (wall - lastWall) / cores;
    lastCpu = cpu;
    lastWall = wall;
    return f;
  }
}
