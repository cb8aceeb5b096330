package atrium.load.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process has used so far (user + system), read from Linux's {@code /proc/<pid>/stat}:
 * the same measure for the broker and the Atrium node, whatever language they are written in.
 */
final class ProcCpu {
  /** USER_HZ: the clock ticks /proc counts in; 100 on every Linux this runs on. */
  static final double TICKS_PER_SECOND = 100;

  private ProcCpu() {}

  /** Seconds of CPU, or NaN when the process is gone or this is not Linux. */
  static double seconds(long pid) {
    try {
      return parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** utime + stime (fields 14 and 15) of a {@code /proc/<pid>/stat} line, in seconds. */
  static double parse(String stat) {
    // the command name (field 2) is in parentheses and may hold spaces: count fields after its ')'
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    // f[0] is field 3 (state): utime is field 14 → f[11], stime field 15 → f[12]
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
  }
}
