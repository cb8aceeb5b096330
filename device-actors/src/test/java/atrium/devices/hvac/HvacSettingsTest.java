package atrium.devices.hvac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HvacSettingsTest {

  @Test
  void theShippedDefaultsAreTheDocumentedOnes() {
    var settings = HvacSettings.create(ConfigFactory.parseResources("atrium-hvac.conf").resolve());
    assertEquals(HvacZoneTest.SETTINGS, settings);
  }

  @Test
  void anEnvironmentVariableOverridesItsKey() {
    var config = ConfigFactory.parseString("ATRIUM_HVAC_MISSING_AFTER = 3m")
        .withFallback(ConfigFactory.parseResources("atrium-hvac.conf")).resolve();
    assertEquals(Duration.ofMinutes(3), HvacSettings.create(config).faults().missingAfter());
  }

  @Test
  void setpointLimitsThatCannotHoldTheDeadBandAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new HvacSettings.SetpointLimits(16, 30, 1.0, 23.5, 24));
    assertThrows(IllegalArgumentException.class, () -> new HvacSettings.SetpointLimits(30, 16, 1.0, 20, 24));
    assertThrows(IllegalArgumentException.class, () -> new HvacSettings.Range(50, -10));
  }
}
