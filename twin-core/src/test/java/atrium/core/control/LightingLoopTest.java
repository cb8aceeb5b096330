package atrium.core.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LightingLoopTest {

  private static LightingLoop started(double level) {
    var loop = new LightingLoop(LightingLoop.Settings.defaults());
    loop.resume(level);
    return loop;
  }

  @Test
  void occupiedDuringOpeningHoursIsFullLevel() {
    var loop = new LightingLoop(LightingLoop.Settings.defaults());
    loop.update(60, true, true);
    assertEquals(100, loop.level(), "the first step starts at the target");
  }

  @Test
  void anEmptyZoneIsDimmedOnlyAfterTheHoldTimeAndThenRampsDown() {
    var loop = started(100);
    for (int i = 0; i < 9; i++) loop.update(60, false, true);
    assertEquals(100, loop.level(), "9 min empty: still full");
    assertFalse(loop.dimmed(true));
    loop.update(60, false, true);
    assertTrue(loop.dimmed(true), "10 min empty: dimmed");
    assertEquals(70, loop.level(), 1e-9, "ramping down at 0.5 %/s: 30 % in a minute, not at once");
    loop.update(60, false, true);
    assertEquals(60, loop.level(), 1e-9, "the dimmed level reached and held");
    loop.update(60, false, true);
    assertEquals(60, loop.level(), 1e-9);
  }

  @Test
  void aPersonSeenRaisesTheLevelAtTheUpRateAndRestartsTheHold() {
    var loop = started(100);
    for (int i = 0; i < 11; i++) loop.update(60, false, true);
    assertEquals(60, loop.level(), 1e-9);
    loop.update(10, true, true);
    assertEquals(80, loop.level(), 1e-9, "2 %/s for 10 s");
    loop.update(10, true, true);
    assertEquals(100, loop.level(), 1e-9);
    loop.update(300, false, true);
    assertEquals(100, loop.level(), 1e-9, "the hold counts again from the last person seen");
  }

  @Test
  void outsideOpeningHoursTheNightLevelAppliesWhoeverIsIn() {
    var loop = started(100);
    loop.update(60, true, false);
    assertEquals(70, loop.level(), 1e-9, "ramped, never switched");
    for (int i = 0; i < 5; i++) loop.update(60, true, false);
    assertEquals(10, loop.level(), 1e-9);
    assertEquals(10, loop.target(false));
  }

  @Test
  void settingsOutOfRangeAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new LightingLoop.Settings(100, 120, 10, 600, 2, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new LightingLoop.Settings(50, 60, 10, 600, 2, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new LightingLoop.Settings(100, 60, 10, 600, 0, 0.5));
  }

  @Test
  void aStepOfNoTimeChangesNothing() {
    var loop = started(40);
    loop.update(0, true, true);
    assertEquals(40, loop.level());
  }
}
