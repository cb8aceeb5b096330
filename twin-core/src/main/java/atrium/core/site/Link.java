package atrium.core.site;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A way between two zones, usable in both directions. {@code width} (clear width) and {@code length}
 * are in metres; a door has length 0.
 */
public record Link(String from, String to, Kind kind, double width, double length) {

  public boolean joins(String zoneA, String zoneB) {
    return (from.equals(zoneA) && to.equals(zoneB)) || (from.equals(zoneB) && to.equals(zoneA));
  }

  public enum Kind {
    DOOR, CORRIDOR, STAIRS, ESCALATOR, LIFT, RAMP;

    @JsonValue
    @Override
    public String toString() {
      return SiteJson.wireName(this);
    }
  }
}
