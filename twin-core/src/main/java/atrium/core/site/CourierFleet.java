package atrium.core.site;

import java.util.Locale;

/**
 * The instant-delivery couriers working from the site, not listed one by one: {@code count} couriers
 * with ids {@code <idPrefix>-0001} to {@code <idPrefix>-<count>} (four digits), based at {@code hubZone}.
 */
public record CourierFleet(String idPrefix, int count, String hubZone) {
  public static final int MAX_COUNT = 9_999;

  /** The id of the n-th courier, counting from 1. */
  public String courierId(int n) {
    return String.format(Locale.ROOT, "%s-%04d", idPrefix, n);
  }
}
