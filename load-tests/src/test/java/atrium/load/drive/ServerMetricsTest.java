package atrium.load.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerMetricsTest {
  @Test
  void theNodesCpuHeapAndGcAreReadFromThePrometheusText() {
    String text = """
        # HELP process_cpu_usage The "recent cpu usage" for the Java Virtual Machine process
        # TYPE process_cpu_usage gauge
        process_cpu_usage 0.42
        system_cpu_usage 0.8
        jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.0E8
        jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 5.0E7
        jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9.0E7
        jvm_memory_max_bytes{area="heap",id="G1 Eden Space"} -1.0
        jvm_memory_max_bytes{area="heap",id="G1 Old Gen"} 2.0E9
        jvm_gc_pause_seconds_count{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation"} 7
        jvm_gc_pause_seconds_sum{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation"} 0.07
        jvm_gc_pause_seconds_sum{action="end of major GC",cause="System.gc()",gc="G1 Old Generation"} 0.03
        atrium_door_in_flight 12.0
        """;

    ServerMetrics m = ServerMetrics.parse(text);

    assertEquals(new ServerMetrics(0.42, 0.8, 1.5e8, 2e9, 0.1, 7, 12), new ServerMetrics(m.processCpu(), m.systemCpu(),
        m.heapUsedBytes(), m.heapMaxBytes(), Math.round(m.gcPauseSeconds() * 1000) / 1000.0, m.gcPauses(), m.doorInFlight()));
  }

  @Test
  void whatTheNodeDoesNotExportIsNotANumber() {
    assertTrue(Double.isNaN(ServerMetrics.parse("something_else 1\n").processCpu()));
  }

  @Test
  void theFirstSignalInTimeIsWhatSaturatedFirst() {
    ServerMetrics calm = new ServerMetrics(0.3, 0.4, 1, 2, 0, 0, 0);
    ServerMetrics busy = new ServerMetrics(0.93, 0.97, 1, 2, 0, 0, 0);
    LoadRecorder.Second fine = new LoadRecorder.Second(1, 100, 100, 100, 0, 0, 0, 3, 0, Map.of(), 1, 2, 3, 4, 5);
    LoadRecorder.Second full = new LoadRecorder.Second(2, 100, 90, 90, 10, 0, 10, 50, 12, Map.of(Outcome.DROPPED, 10L), 1, 2, 3, 4, 5);
    LoadRecorder.Second hot = new LoadRecorder.Second(3, 100, 100, 100, 0, 0, 0, 50, 0, Map.of(), 1, 2, 3, 4, 5);

    Saturation s = Saturation.of(List.of(new LoadReport.Row(fine, 0.1, calm, 0), new LoadReport.Row(full, 0.1, calm, 0),
        new LoadReport.Row(hot, 0.1, busy, 0)));

    assertEquals("in-flight bound (answers slower than requests arrive)", s.first());
    assertEquals(2, s.atSecond());
    assertTrue(s.signals().contains("server CPU (from 3 s)"), s.signals().toString());
    assertEquals(Saturation.NOTHING, Saturation.of(List.of(new LoadReport.Row(fine, 0.1, calm, 0))).first());
  }
}
