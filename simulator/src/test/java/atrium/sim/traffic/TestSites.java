package atrium.sim.traffic;

import atrium.core.site.Bay;
import atrium.core.site.Camera;
import atrium.core.site.CarPark;
import atrium.core.site.CarParkLevel;
import atrium.core.site.Devices;
import atrium.core.site.LocalizedName;
import atrium.core.site.Site;
import java.util.ArrayList;
import java.util.List;

/** Small hand-made sites for the traffic checks: car parks of n bays on one level each. */
final class TestSites {
  private TestSites() {}

  /** Car parks "P-a", "P-b", … with the given bay counts; bay i is 5·(i+1) m from the entrance, the lift at the far end. */
  static Site carParks(int... bays) {
    List<CarPark> parks = new ArrayList<>();
    List<Camera> cameras = new ArrayList<>();
    for (int p = 0; p < bays.length; p++) {
      String id = "P-" + (char) ('a' + p);
      List<Bay> list = new ArrayList<>();
      for (int i = 0; i < bays[p]; i++) {
        list.add(new Bay(id + "-" + String.format("%04d", i + 1), Bay.Kind.STANDARD, false, 5.0 * (i + 1), 5.0 * (bays[p] - i)));
      }
      parks.add(new CarPark(id, new LocalizedName(id, id), null, 1.0, List.of(new CarParkLevel(id + "-L1", "B1", null, list))));
      cameras.add(Camera.plateGate("CAM-" + id + "-in", null, id, Camera.Direction.ENTRY));
      cameras.add(Camera.plateGate("CAM-" + id + "-out", null, id, Camera.Direction.EXIT));
    }
    return new Site("test", new LocalizedName("test", "test"), "Asia/Shanghai", List.of(), List.of(), List.of(), List.of(),
        parks, new Devices(cameras, List.of(), List.of(), List.of(), null));
  }

  /** Erlang-B by the stable recursion B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)). */
  static double erlangB(int c, double a) {
    double b = 1;
    for (int k = 1; k <= c; k++) b = a * b / (k + a * b);
    return b;
  }
}
