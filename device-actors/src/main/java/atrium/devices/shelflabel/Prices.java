package atrium.devices.shelflabel;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Prices as the twin keeps them: a whole number of the currency's minor unit (fen for CNY), so that
 * 20,000 labels keep a {@code long} each, not a {@link BigDecimal}.
 */
public final class Prices {
  /** The highest price a label shows: 999,999.99. */
  public static final long MAX_CENTS = 99_999_999L;

  private Prices() {}

  /** The price in minor units, or a readable reason why it is not one a label can show. */
  public static long toCents(BigDecimal price) {
    if (price == null) throw new IllegalArgumentException("a price is required");
    if (price.signum() <= 0) throw new IllegalArgumentException("price " + price + " must be positive");
    // "1e999999999" rescaled or written out would take a billion digits: refuse by magnitude first
    if (price.precision() - price.scale() > 9) {
      throw new IllegalArgumentException("price " + price + " is above the highest a label shows, " + toDecimal(MAX_CENTS).toPlainString());
    }
    if (price.scale() > 2 && price.stripTrailingZeros().scale() > 2) {
      throw new IllegalArgumentException("price " + price + " has more than two decimals");
    }
    BigDecimal cents;
    try {
      cents = price.movePointRight(2).setScale(0, RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("price " + price.toPlainString() + " has more than two decimals");
    }
    if (cents.compareTo(BigDecimal.valueOf(MAX_CENTS)) > 0) {
      throw new IllegalArgumentException("price " + price.toPlainString() + " is above the highest a label shows, "
          + toDecimal(MAX_CENTS).toPlainString());
    }
    return cents.longValueExact();
  }

  public static BigDecimal toDecimal(long cents) {
    return BigDecimal.valueOf(cents, 2);
  }

  public static String format(long cents) {
    return toDecimal(cents).toPlainString();
  }
}
