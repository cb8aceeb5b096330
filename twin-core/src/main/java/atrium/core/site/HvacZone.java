package atrium.core.site;

import java.util.List;

/**
 * An air-handling zone on one floor, serving the zones in {@code serves}. A large zone may be served
 * by several HVAC zones. {@code floorArea} is the conditioned area it covers, in square metres.
 */
public record HvacZone(String id, String floor, List<String> serves, double floorArea) {

  public HvacZone {
    serves = Lists.frozen(serves);
  }
}
