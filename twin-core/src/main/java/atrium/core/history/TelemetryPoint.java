package atrium.core.history;

import atrium.core.CborSerializable;
import atrium.core.asset.AssetId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * One measurement of one asset at one instant: {@code name} says what was measured
 * ({@code temperature}, {@code co2}, {@code occupied}...). Booleans are kept as 0 and 1 (see
 * {@link #of(AssetId, Instant, String, boolean)}). The history keeps millisecond resolution, so
 * {@code ts} is truncated to the millisecond here and a point reads back equal to what was recorded.
 */
public record TelemetryPoint(AssetId asset, Instant ts, String name, double value) implements CborSerializable {
  /** Measurement names: a letter, then letters, digits, '.', '_' or '-'; at most 64 characters. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,63}");

  public TelemetryPoint {
    if (asset == null) throw new IllegalArgumentException("asset: required");
    if (ts == null) throw new IllegalArgumentException("ts: required");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("name: '" + name + "' must match " + NAME.pattern());
    }
    if (!Double.isFinite(value)) throw new IllegalArgumentException("value of " + name + " must be finite, was " + value);
    ts = ts.truncatedTo(ChronoUnit.MILLIS);
  }

  public static TelemetryPoint of(AssetId asset, Instant ts, String name, double value) {
    return new TelemetryPoint(asset, ts, name, value);
  }

  /** A boolean measurement ({@code occupied}, {@code door-open}), kept as 1 for true and 0 for false. */
  public static TelemetryPoint of(AssetId asset, Instant ts, String name, boolean value) {
    return new TelemetryPoint(asset, ts, name, value ? 1.0 : 0.0);
  }
}
