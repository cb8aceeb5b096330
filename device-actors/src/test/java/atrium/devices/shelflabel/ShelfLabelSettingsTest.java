package atrium.devices.shelflabel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ShelfLabelSettingsTest {

  @Test
  void theDefaultsComeFromTheKindsConfFileWhenTheConfigurationLacksThem() {
    ShelfLabelSettings s = ShelfLabelSettings.create(ConfigFactory.parseString("atrium.shelf-label.price-change.deadline = 20m"));
    assertEquals(Duration.ofMinutes(20), s.deadline());
    assertEquals(Duration.ofSeconds(30), s.firstRetry());
    assertEquals("CNY", s.currency());
    assertEquals(100, s.campaignParallelism());
  }

  @Test
  void sendingsFollowTheBackOffScheduleUpToTheLongestInterval() {
    ShelfLabelSettings s = ShelfLabelSettings.defaults();
    assertEquals(Duration.ZERO, s.sendingOffset(0));
    assertEquals(Duration.ofSeconds(30), s.sendingOffset(1));
    assertEquals(Duration.ofSeconds(90), s.sendingOffset(2));
    assertEquals(Duration.ofSeconds(210), s.sendingOffset(3));
    assertEquals(Duration.ofSeconds(450), s.sendingOffset(4));
    assertEquals(Duration.ofSeconds(750), s.sendingOffset(5), "capped at 5 min");
  }

  @Test
  void inconsistentSettingsAreRefusedByKey() {
    var e = assertThrows(IllegalArgumentException.class, () -> ShelfLabelSettings.create(ConfigFactory.parseString(
        "atrium.shelf-label.battery { low-below = 30, clear-at = 20 }")));
    assertTrue(e.getMessage().startsWith("atrium.shelf-label.battery"), e.getMessage());
    var many = assertThrows(IllegalArgumentException.class, () -> ShelfLabelSettings.create(ConfigFactory.parseString(
        "atrium.shelf-label.price-change { first-retry = 1s, deadline = 2d }")));
    assertTrue(many.getMessage().contains("at most 1000"), many.getMessage());
  }
}
