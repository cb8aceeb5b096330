package atrium.devices.camera;

import atrium.core.site.Camera;
import atrium.core.site.Exit;
import atrium.core.site.Link;
import atrium.core.site.Site;
import atrium.core.site.Zone;

/**
 * What a camera entity needs of the site model, worked out once when it starts: the site's camera
 * record (a reference, not a copy), the clear width of border it watches (a line camera: the link's
 * width shared equally among the line cameras on the same border, whose counts add up), and for a
 * headcount camera its zone's area and the total width of the zone's links and exits.
 */
record CameraModel(Camera camera, double borderWidth, double zoneArea, double zoneWays) {

  static CameraModel of(Site site, String cameraId) {
    Camera camera = site.camera(cameraId)
        .orElseThrow(() -> new IllegalArgumentException("no camera " + cameraId + " in site " + site.id()));
    if (camera.mode() == Camera.Mode.PLATE_GATE) {
      throw new IllegalArgumentException("camera " + cameraId + " reads plates at a car-park gate; it is not a people counter");
    }
    if (camera.mode() == Camera.Mode.LINE) {
      double width = site.links().stream().filter(l -> l.joins(camera.from(), camera.to()))
          .mapToDouble(Link::width).findFirst().orElse(0);
      long sharing = site.devices().cameras().stream()
          .filter(c -> c.mode() == Camera.Mode.LINE && sameBorder(c, camera)).count();
      return new CameraModel(camera, width / Math.max(1, sharing), 0, 0);
    }
    double area = site.zone(camera.zone()).map(Zone::area).orElse(0.0);
    double ways = site.links().stream().filter(l -> l.from().equals(camera.zone()) || l.to().equals(camera.zone()))
        .mapToDouble(Link::width).sum()
        + site.exits().stream().filter(e -> e.zone().equals(camera.zone())).mapToDouble(Exit::width).sum();
    return new CameraModel(camera, 0, area, ways);
  }

  private static boolean sameBorder(Camera a, Camera b) {
    return (a.from().equals(b.from()) && a.to().equals(b.to())) || (a.from().equals(b.to()) && a.to().equals(b.from()));
  }

  boolean line() {
    return camera.mode() == Camera.Mode.LINE;
  }

  /** How the camera is shown: {@code line C-L1-N → S-L1-01} or {@code headcount in ATR-L1}. */
  String describe() {
    return line() ? "line " + camera.from() + " → " + camera.to() : "headcount in " + camera.zone();
  }
}
