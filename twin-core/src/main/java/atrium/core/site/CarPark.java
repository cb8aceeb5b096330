package atrium.core.site;

import java.util.List;

/**
 * A car park. When the fraction of occupied bays reaches {@code overflowFill} (default
 * {@value #DEFAULT_OVERFLOW_FILL}), arriving cars are guided to another car park.
 */
public record CarPark(
    String id, LocalizedName name, String entranceZone, @OptionalField Double overflowFill, List<CarParkLevel> levels) {

  public static final double DEFAULT_OVERFLOW_FILL = 0.95;

  public CarPark {
    if (overflowFill == null) overflowFill = DEFAULT_OVERFLOW_FILL;
    levels = Lists.frozen(levels);
  }

  public int bayCount() {
    return levels.stream().mapToInt(l -> l.bays().size()).sum();
  }
}
