package atrium.core.site;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * A part of a floor that people (or cars) are in: a shop, a corridor, a car-park level. {@code area}
 * is in square metres, {@code centre} and {@code outline} in metres on the floor plan. Only shops have
 * a {@code category}; the outline is for drawing and may be left out.
 */
public record Zone(
    String id,
    String floor,
    Kind kind,
    double area,
    LocalizedName name,
    @OptionalField Category category,
    Point centre,
    @OptionalField List<Point> outline) {

  public Zone {
    outline = Lists.frozen(outline);
  }

  public enum Kind {
    SHOP, CORRIDOR, ATRIUM, FOOD_COURT, CAR_PARK_LEVEL, PLANT_ROOM, ENTRANCE, LIFT_LOBBY, STAIRS;

    @JsonValue
    @Override
    public String toString() {
      return SiteJson.wireName(this);
    }
  }

  /** What a shop sells, for reports by category. */
  public enum Category {
    FASHION, FOOD, ELECTRONICS, CINEMA, SUPERMARKET, SERVICES, BEAUTY, JEWELLERY, KIDS, HOMEWARE, BOOKS, SPORTS,
    ENTERTAINMENT;

    @JsonValue
    @Override
    public String toString() {
      return SiteJson.wireName(this);
    }
  }
}
