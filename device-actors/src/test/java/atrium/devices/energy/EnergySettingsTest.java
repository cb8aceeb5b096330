package atrium.devices.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnergySettingsTest {
  private static final EnergySettings DEFAULTS = EnergySettings.create(ConfigFactory.load());

  @Test
  void theShippedDefaults() {
    assertTrue(DEFAULTS.enabled());
    assertEquals(Duration.ofMinutes(5), DEFAULTS.tick());
    assertEquals(21, DEFAULTS.coolingMin());
    assertEquals(25, DEFAULTS.coolingMax());
    assertEquals(1.0, DEFAULTS.deadBand());
    assertEquals(0, DEFAULTS.demandLimitKw());
    assertEquals(5, DEFAULTS.tariff().size());
    assertEquals(1.25, DEFAULTS.period(LocalTime.of(15, 0)).price());
    assertTrue(DEFAULTS.period(LocalTime.of(14, 0)).peak());
    assertEquals(0.35, DEFAULTS.period(LocalTime.of(23, 59)).price());
    assertEquals(490, DEFAULTS.carbon(LocalTime.of(13, 30)));
    assertEquals(200, DEFAULTS.maxDecisions());
  }

  @Test
  void aTariffThatDoesNotCoverTheDayIsRefused() {
    var gap = List.of(new EnergySettings.TariffPeriod(LocalTime.MIDNIGHT, LocalTime.of(8, 0), 0.3, false),
        new EnergySettings.TariffPeriod(LocalTime.of(9, 0), LocalTime.MIDNIGHT, 0.7, false));
    var e = assertThrows(IllegalArgumentException.class, () -> DEFAULTS.withTariff(gap));
    assertEquals("atrium.energy.tariff: period 1 begins at 09:00, expected 08:00", e.getMessage());
    var shortDay = List.of(new EnergySettings.TariffPeriod(LocalTime.MIDNIGHT, LocalTime.of(22, 0), 0.3, false));
    assertThrows(IllegalArgumentException.class, () -> DEFAULTS.withTariff(shortDay));
  }

  @Test
  void aBandOutsideTheHvacLimitsAndAShortCarbonProfileAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> EnergySettings.create(ConfigFactory.parseString(
        "atrium.energy.comfort.cooling-max = 31").withFallback(ConfigFactory.load())));
    assertThrows(IllegalArgumentException.class, () -> DEFAULTS.withCarbon(List.of(500.0, 500.0), 0.5));
    assertThrows(IllegalArgumentException.class, () -> DEFAULTS.withCarbon(DEFAULTS.carbonIntensity(), 1.5));
  }
}
