package atrium.load.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngestBenchmarkOptionsTest {
  @Test
  void defaultsRunEveryPhaseForThirtySecondsAfterTenOfWarmUp() {
    IngestBenchmark.Options o = IngestBenchmark.Options.parse(new String[0]);
    assertEquals(10, o.warmUp());
    assertEquals(30, o.window());
    assertEquals(16, o.connections());
    assertEquals(IngestBenchmark.Options.ALL_PHASES, o.phases());
    assertEquals(Path.of("load-tests/target/ingest-report.json"), o.out());
  }

  @Test
  void optionsOverrideTheDefaults() {
    IngestBenchmark.Options o = IngestBenchmark.Options.parse(new String[] {"--warm-up", "2", "--window", "4", "--phases",
        "mosquitto-qos0,atrium-hot-twin-qos0", "--bare-persist-rate", "9500", "--out", "x.json"});
    assertEquals(2, o.warmUp());
    assertEquals(4, o.window());
    assertEquals(List.of("mosquitto-qos0", "atrium-hot-twin-qos0"), o.phases());
    assertEquals(9500, o.barePersistRate());
    assertTrue(o.runs("atrium-hot-twin-qos0"));
  }

  @Test
  void wrongOptionsAreRefusedByName() {
    assertEquals("--phases: unknown phase 'atrium-qos2'; known: " + IngestBenchmark.Options.ALL_PHASES,
        assertThrows(IllegalArgumentException.class, () -> IngestBenchmark.Options.parse(new String[] {"--phases", "atrium-qos2"})).getMessage());
    assertEquals("--window: 'ten' is not a number",
        assertThrows(IllegalArgumentException.class, () -> IngestBenchmark.Options.parse(new String[] {"--window", "ten"})).getMessage());
    assertEquals("--window must be ≥ 1",
        assertThrows(IllegalArgumentException.class, () -> IngestBenchmark.Options.parse(new String[] {"--window", "0"})).getMessage());
    assertEquals("unknown option --qos",
        assertThrows(IllegalArgumentException.class, () -> IngestBenchmark.Options.parse(new String[] {"--qos", "1"})).getMessage());
  }

  @Test
  void theBrokersConfigurationListensOnlyOnLoopbackAtTheGivenPortAndKeepsNothing() {
    String conf = MosquittoBroker.config(43210, Path.of("/tmp/x/mosquitto.log"));
    assertTrue(conf.contains("listener 43210 127.0.0.1\n"), conf);
    assertTrue(conf.contains("persistence false\n"), conf);
    assertTrue(conf.contains("log_dest file /tmp/x/mosquitto.log\n"), conf);
  }
}
