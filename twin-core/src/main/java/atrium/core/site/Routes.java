package atrium.core.site;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Walking routes over the site's zones and links: the shortest path by length, where crossing a
 * link costs its length plus {@link #ZONE_CROSSING_M} for the zone entered (zones have area, not
 * length, so a nominal crossing distance stands in for walking through one).
 */
public final class Routes {
  public static final double ZONE_CROSSING_M = 10.0;

  public record Route(List<String> zones, double metres) {}

  private Routes() {}

  public static Optional<Route> shortest(Site site, String from, String to) {
    if (site.zone(from).isEmpty() || site.zone(to).isEmpty()) return Optional.empty();
    Map<String, List<Link>> adjacent = new HashMap<>();
    for (Link l : site.links()) {
      adjacent.computeIfAbsent(l.from(), k -> new ArrayList<>()).add(l);
      adjacent.computeIfAbsent(l.to(), k -> new ArrayList<>()).add(l);
    }
    Map<String, Double> dist = new HashMap<>();
    Map<String, String> previous = new HashMap<>();
    record Entry(String zone, double d) {}
    PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) -> Double.compare(a.d(), b.d()));
    dist.put(from, 0.0);
    queue.add(new Entry(from, 0.0));
    while (!queue.isEmpty()) {
      Entry e = queue.poll();
      if (e.d() > dist.getOrDefault(e.zone(), Double.MAX_VALUE)) continue;
      if (e.zone().equals(to)) break;
      for (Link l : adjacent.getOrDefault(e.zone(), List.of())) {
        String next = l.from().equals(e.zone()) ? l.to() : l.from();
        double d = e.d() + l.length() + ZONE_CROSSING_M;
        if (d < dist.getOrDefault(next, Double.MAX_VALUE)) {
          dist.put(next, d);
          previous.put(next, e.zone());
          queue.add(new Entry(next, d));
        }
      }
    }
    if (!dist.containsKey(to)) return Optional.empty();
    List<String> path = new ArrayList<>();
    for (String z = to; z != null; z = previous.get(z)) path.add(z);
    Collections.reverse(path);
    return Optional.of(new Route(List.copyOf(path), dist.get(to)));
  }
}
