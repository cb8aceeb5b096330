package atrium.api.stream;

import atrium.core.asset.AssetKind;
import java.util.Set;

/**
 * What a client subscribed to on a site: an empty set means "every" (kinds, floors, zones). An asset
 * the model places on no floor (or in no zone) does not pass a floor (or zone) filter.
 */
record Filter(Set<AssetKind> kinds, Set<String> floors, Set<String> zones) {
  Filter {
    kinds = Set.copyOf(kinds);
    floors = Set.copyOf(floors);
    zones = Set.copyOf(zones);
  }

  boolean matches(StreamDelta d) {
    return (kinds.isEmpty() || kinds.contains(d.asset().kind()))
        && passes(floors, d.placement().floor())
        && passes(zones, d.placement().zone());
  }

  private static boolean passes(Set<String> allowed, String value) {
    return allowed.isEmpty() || (value != null && allowed.contains(value));
  }
}
