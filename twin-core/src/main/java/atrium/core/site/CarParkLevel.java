package atrium.core.site;

import java.util.List;

/** The part of a car park on one floor: its car-park-level zone and its bays. */
public record CarParkLevel(String id, String floor, String zone, List<Bay> bays) {

  public CarParkLevel {
    bays = Lists.frozen(bays);
  }
}
