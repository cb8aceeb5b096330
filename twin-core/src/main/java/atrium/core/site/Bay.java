package atrium.core.site;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * One parking bay. {@code shared} bays may be offered to the public when their holder is away;
 * {@code toEntrance} and {@code toLift} are walking/driving distances in metres to the car park's
 * entrance and to the nearest lift lobby.
 */
public record Bay(String id, Kind kind, boolean shared, double toEntrance, double toLift) {

  public enum Kind {
    STANDARD, ACCESSIBLE, EV, FAMILY;

    @JsonValue
    @Override
    public String toString() {
      return SiteJson.wireName(this);
    }
  }
}
