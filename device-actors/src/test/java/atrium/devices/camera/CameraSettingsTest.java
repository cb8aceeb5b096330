package atrium.devices.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CameraSettingsTest {

  @Test
  void theShippedFileGivesTheDefaults() {
    assertEquals(CameraTest.SETTINGS, CameraSettings.create(ConfigFactory.parseResources("atrium-camera.conf").resolve()));
  }

  @Test
  void aZeroDeadlineIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new CameraSettings(Duration.ZERO, Duration.ofSeconds(5), 3.3, 5.4,
        10, Duration.ofMinutes(10), 3, 16));
  }
}
