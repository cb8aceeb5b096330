package atrium.api.rest;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.site.Site;
import atrium.devices.TwinGateway;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The people the twin counts in each zone of a site now: where a simulation from the present starts. */
public final class TwinOccupancy {
  private TwinOccupancy() {}

  /** Zones with at least one person, in the site model's order. */
  public static CompletionStage<Map<String, Integer>> of(TwinGateway gateway, Site site) {
    Map<String, CompletableFuture<Integer>> reads = new LinkedHashMap<>();
    for (var z : site.zones()) {
      reads.put(z.id(), gateway.state(AssetId.of(site.id(), AssetKind.ZONE, z.id())).toCompletableFuture()
          .thenApply(s -> s.map(n -> n.path("occupancy").asInt(0)).orElse(0)));
    }
    return CompletableFuture.allOf(reads.values().toArray(new CompletableFuture<?>[0])).thenApply(v -> {
      Map<String, Integer> people = new LinkedHashMap<>();
      reads.forEach((z, f) -> {
        int n = f.join();
        if (n > 0) people.put(z, n);
      });
      return people;
    });
  }
}
