package atrium.load.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class LoadProfileTest {
  static Path loadProfiles() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path f = p.resolve("scenarios").resolve("load");
      if (Files.isDirectory(f)) return f;
    }
    throw new IllegalStateException("scenarios/load not found above " + Path.of("").toAbsolutePath());
  }

  @Test
  void everyBundledProfileLoads() throws IOException {
    try (Stream<Path> files = Files.list(loadProfiles())) {
      var all = files.filter(f -> f.toString().endsWith(".json")).toList();
      assertTrue(all.size() >= 3);
      for (Path f : all) {
        LoadProfile p = LoadProfile.load(f);
        assertEquals(f.getFileName().toString().replace(".json", ""), p.name());
        assertTrue(new ArrivalPlan(p.stages()).planned() > 0);
      }
    }
  }

  @Test
  void holidaySurgeRampsHoldsAndSpikes() {
    LoadProfile p = LoadProfile.load(loadProfiles().resolve("holiday-surge.json"));

    assertEquals("ramp", p.stages().get(0).type());
    assertEquals("spike", p.stages().get(2).type());
    assertEquals(2000, p.stages().get(2).from());
    assertEquals(1, p.mqttQos());
  }

  @Test
  void anUnknownFieldIsRefusedWithItsPath() {
    var e = assertThrows(IllegalArgumentException.class, () -> LoadProfile.parse("x",
        "{\"stages\":[{\"type\":\"hold\",\"rate\":5,\"duration\":\"PT1S\",\"ramp\":2}],\"mix\":[{\"op\":\"rest-get-asset\"}]}"));
    assertTrue(e.getMessage().startsWith("$.stages[0].ramp: unknown field"), e.getMessage());
  }

  @Test
  void wrongValuesAreRefusedWithTheirPath() {
    assertEquals("$.stages[0]: unknown stage type 'surge'; expected ramp, hold or spike", assertThrows(IllegalArgumentException.class,
        () -> LoadProfile.parse("x", "{\"stages\":[{\"type\":\"surge\"}],\"mix\":[{\"op\":\"rest-get-asset\"}]}")).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LoadProfile.parse("x",
        "{\"stages\":[{\"type\":\"hold\",\"rate\":5,\"duration\":\"5s\"}],\"mix\":[{\"op\":\"rest-get-asset\"}]}")).getMessage()
        .startsWith("$.stages[0].duration: '5s' is not an ISO-8601 duration"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LoadProfile.parse("x",
        "{\"stages\":[{\"type\":\"hold\",\"rate\":5,\"duration\":\"PT5S\"}],\"mix\":[{\"op\":\"coffee\"}]}")).getMessage()
        .startsWith("$.mix[0]: unknown op 'coffee'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LoadProfile.parse("x",
        "{\"stages\":[{\"type\":\"hold\",\"rate\":5,\"duration\":\"PT5S\"}],\"mix\":[{\"op\":\"mqtt-telemetry\"}],\"mqtt\":{\"qos\":2}}"))
        .getMessage().startsWith("$.mqtt: qos must be 0 or 1"));
  }
}
