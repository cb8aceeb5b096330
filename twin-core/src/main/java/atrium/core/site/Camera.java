package atrium.core.site;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A camera in {@code zone}. A {@code line} camera counts people crossing the border between the
 * zones {@code from} and {@code to}; a {@code headcount} camera counts the people in its zone; a
 * {@code plate-gate} camera reads plates at the {@code entry} or {@code exit} of {@code carPark}.
 * The fields a mode does not use are left out.
 */
public record Camera(
    String id,
    String zone,
    Mode mode,
    @OptionalField String from,
    @OptionalField String to,
    @OptionalField String carPark,
    @OptionalField Direction direction) {

  public static Camera line(String id, String zone, String from, String to) {
    return new Camera(id, zone, Mode.LINE, from, to, null, null);
  }

  public static Camera headcount(String id, String zone) {
    return new Camera(id, zone, Mode.HEADCOUNT, null, null, null, null);
  }

  public static Camera plateGate(String id, String zone, String carPark, Direction direction) {
    return new Camera(id, zone, Mode.PLATE_GATE, null, null, carPark, direction);
  }

  public enum Mode {
    LINE, HEADCOUNT, PLATE_GATE;

    @JsonValue
    @Override
    public String toString() {
      return SiteJson.wireName(this);
    }
  }

  public enum Direction {
    ENTRY, EXIT;

    @JsonValue
    @Override
    public String toString() {
      return SiteJson.wireName(this);
    }
  }
}
