package atrium.devices.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.site.Zone.Kind;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZoneSettingsTest {

  @Test
  void theShippedFileGivesEveryZoneKindItsThresholds() {
    var settings = ZoneSettings.create(ConfigFactory.parseResources("atrium-zone.conf").resolve());
    assertEquals(new ZoneSettings.Thresholds(1.5, 2.5), settings.thresholds(Kind.CORRIDOR));
    assertEquals(new ZoneSettings.Thresholds(0.8, 1.5), settings.thresholds(Kind.SHOP));
    assertEquals(new ZoneSettings.Thresholds(2.0, 3.0), settings.thresholds(Kind.LIFT_LOBBY));
    assertEquals(0.8, settings.clearRatio());
    assertEquals(Duration.ofSeconds(5), settings.publishEvery());
    assertEquals(Duration.ofMinutes(1), settings.checkpointEvery());
    assertEquals(ZoneTest.SETTINGS, settings);
  }

  @Test
  void aCriticalThresholdBelowTheWarningIsRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> new ZoneSettings.Thresholds(2.0, 1.0));
    assertTrue(e.getMessage().contains("warning < critical"));
  }

  @Test
  void aMissingZoneKindIsRefused() {
    Map<Kind, ZoneSettings.Thresholds> t = new EnumMap<>(Kind.class);
    t.put(Kind.SHOP, new ZoneSettings.Thresholds(1, 2));
    var e = assertThrows(IllegalArgumentException.class, () -> new ZoneSettings(t, 0.8, Duration.ofSeconds(5),
        Duration.ofMinutes(1), Duration.ofHours(1), 12, 32, 5, Duration.ofMinutes(5), 5.4));
    assertTrue(e.getMessage().startsWith("atrium.zone.crowding."), e.getMessage());
  }

  @Test
  void aClearRatioOutsideZeroToOneIsRefused() {
    Map<Kind, ZoneSettings.Thresholds> t = new EnumMap<>(ZoneTest.SETTINGS.crowding());
    assertThrows(IllegalArgumentException.class, () -> new ZoneSettings(t, 1.2, Duration.ofSeconds(5),
        Duration.ofMinutes(1), Duration.ofHours(1), 12, 32, 5, Duration.ofMinutes(5), 5.4));
  }
}
