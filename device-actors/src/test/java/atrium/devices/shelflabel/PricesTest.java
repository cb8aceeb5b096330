package atrium.devices.shelflabel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PricesTest {
  @Test
  void aPriceWithTwoDecimalsOrTrailingZerosBecomesCents() {
    assertEquals(1290, Prices.toCents(new BigDecimal("12.90")));
    assertEquals(1290, Prices.toCents(new BigDecimal("12.9000")));
    assertEquals(Prices.MAX_CENTS, Prices.toCents(new BigDecimal("999999.99")));
  }

  @Test
  void aHugePriceIsRefusedByMagnitudeWithoutBeingWrittenOut() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Prices.toCents(new BigDecimal("1e999999999")));
    assertTrue(e.getMessage().contains("above the highest"), e.getMessage());
    assertTrue(e.getMessage().length() < 200, "the message names the price in scientific form");
  }

  @Test
  void aTinyOrNegativeHugePriceIsRefusedWithoutBeingWrittenOut() {
    IllegalArgumentException tiny = assertThrows(IllegalArgumentException.class, () -> Prices.toCents(new BigDecimal("1e-999999999")));
    assertTrue(tiny.getMessage().contains("more than two decimals"), tiny.getMessage());
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> Prices.toCents(new BigDecimal("-1e999999999")));
    assertTrue(negative.getMessage().contains("must be positive") && negative.getMessage().length() < 200, negative.getMessage());
  }

  @Test
  void aPriceAboveTheLabelsHighestIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Prices.toCents(new BigDecimal("1000000.00")));
    assertThrows(IllegalArgumentException.class, () -> Prices.toCents(new BigDecimal("12.345")));
  }
}
