package atrium.load.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadMainTest {
  private static String refusal(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> LoadMain.parse(args)).getMessage();
  }

  @Test
  void helpAsksForTheUsageAndMistakesAreNamed() {
    assertEquals("", refusal("--help"));
    assertEquals("--scenario is required", refusal("--target", "http://127.0.0.1:8080"));
    assertEquals("unknown option --turbo", refusal("--scenario", "smoke", "--turbo", "1"));
    assertEquals("--qos must be 0 or 1", refusal("--scenario", "smoke", "--qos", "2"));
    assertEquals("--rate-scale: 'fast' is not a number", refusal("--scenario", "smoke", "--rate-scale", "fast"));
    assertTrue(refusal("--scenario", "smoke", "--target", "ftp://x").startsWith("--target: 'ftp://x' is not an http(s) URL"));
    assertEquals("--mqtt: 'nohost' is not HOST:PORT", refusal("--scenario", "smoke", "--mqtt", "nohost"));
  }

  @Test
  void scalesAndOverridesApplyToTheProfile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("p.json");
    Files.writeString(file, """
        {"stages": [{"type": "ramp", "from": 10, "to": 30, "duration": "PT10S"}], "mix": [{"op": "mqtt-telemetry"}],
         "mqtt": {"qos": 1, "connections": 3}, "capacity": {"startRate": 100, "trial": "PT20S"}}
        """);

    LoadProfile p = LoadMain.profile(LoadMain.parse(new String[] {"--scenario", file.toString(), "--rate-scale", "2",
        "--time-scale", "0.5", "--qos", "0", "--slo-p99-ms", "50"}));

    assertEquals(Stage.ramp(20, 60, java.time.Duration.ofSeconds(5)), p.stages().get(0));
    assertEquals(0, p.mqttQos());
    assertEquals(3, p.mqttConnections());
    assertEquals(50, p.slo().p99Millis());
    assertEquals(200, p.capacity().startRate());
    assertEquals(java.time.Duration.ofSeconds(10), p.capacity().trial());
  }

  @Test
  void anUnknownProfileNameIsRefused() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> LoadMain.profile(LoadMain.parse(new String[] {"--scenario", "no-such-profile"})));
    assertEquals("no load profile 'no-such-profile': neither a file nor scenarios/load/no-such-profile.json", e.getMessage());
  }
}
