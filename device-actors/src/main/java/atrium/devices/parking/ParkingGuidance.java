package atrium.devices.parking;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Bay;
import atrium.core.site.Routes;
import atrium.core.site.Site;
import atrium.devices.parking.CarPark.Guidance;
import atrium.devices.parking.CarPark.Preference;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Site-wide parking guidance with overflow (M §7.4.8): a car arriving at a car park past its
 * overflow fill level is sent to the nearest car park of the site that has room (by the walking
 * distance between their entrances); when none has, it takes what is left where it is.
 */
public final class ParkingGuidance {
  private ParkingGuidance() {}

  public static CompletionStage<Guidance> guide(TwinServices services, Site site, String carParkId, Preference preference,
      Bay.Kind kind) {
    var entrance = site.carPark(carParkId).orElseThrow(() -> new IllegalArgumentException("no car park " + carParkId))
        .entranceZone();
    List<String> others = site.carParks().stream()
        .filter(cp -> !cp.id().equals(carParkId))
        .sorted(Comparator.comparingDouble(cp -> Routes.shortest(site, entrance, cp.entranceZone())
            .map(Routes.Route::metres).orElse(Double.MAX_VALUE)))
        .map(atrium.core.site.CarPark::id)
        .toList();
    return ask(services, site, carParkId, preference, kind, false).thenCompose(g -> {
      if (g.bayId() != null) return CompletableFuture.completedFuture(g);
      return tryOthers(services, site, others, 0, carParkId, preference, kind);
    });
  }

  private static CompletionStage<Guidance> tryOthers(TwinServices services, Site site, List<String> others, int i,
      String arrivedAt, Preference preference, Bay.Kind kind) {
    if (i == others.size()) return ask(services, site, arrivedAt, preference, kind, true);
    return ask(services, site, others.get(i), preference, kind, false).thenCompose(g -> g.bayId() != null
        ? CompletableFuture.completedFuture(g.redirectedFrom(arrivedAt))
        : tryOthers(services, site, others, i + 1, arrivedAt, preference, kind));
  }

  private static CompletionStage<Guidance> ask(TwinServices services, Site site, String carPark, Preference preference,
      Bay.Kind kind, boolean evenIfOverflowing) {
    return services.entityRef(CarPark.ENTITY_KEY, AssetId.of(site.id(), AssetKind.CAR_PARK, carPark))
        .ask(r -> new CarPark.Guide(preference, kind, evenIfOverflowing, r), services.askTimeout());
  }
}
