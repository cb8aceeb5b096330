package atrium.core.asset;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one registry of asset kinds. {@link #wireName()} is the spelling used in the device protocol,
 * MQTT topics and REST paths; it never changes once published.
 */
public enum AssetKind {
  PARKING_BAY("parking-bay"),
  CAR_PARK("car-park"),
  CAMERA("camera"),
  ZONE("zone"),
  HVAC_ZONE("hvac-zone"),
  SHELF_LABEL("shelf-label"),
  KIOSK("kiosk"),
  COURIER("courier"),
  ALARM("alarm");

  private static final Map<String, AssetKind> BY_WIRE_NAME =
      Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(AssetKind::wireName, Function.identity()));

  private final String wireName;

  AssetKind(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<AssetKind> fromWireName(String name) {
    return Optional.ofNullable(BY_WIRE_NAME.get(name));
  }

  /** The wire names, for error messages that list what is accepted. */
  public static String wireNames() {
    return Arrays.stream(values()).map(AssetKind::wireName).collect(Collectors.joining(", "));
  }
}
