package atrium.devices.zone;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** Zones' settings, read once from {@code atrium.zone} (see {@code atrium-zone.conf}). */
public record ZoneSettings(Map<atrium.core.site.Zone.Kind, Thresholds> crowding, double clearRatio,
    Duration publishEvery, Duration checkpointEvery, Duration flowWindow, int flowBuckets, int maxNeighbours,
    int underflowTolerance, Duration headcountFreshFor, double maxDensity) {

  /** Crowding thresholds of one zone kind, in persons per m². */
  public record Thresholds(double warning, double critical) {
    public Thresholds {
      if (!(warning > 0) || !(critical > warning)) {
        throw new IllegalArgumentException("need 0 < warning < critical, got " + warning + ", " + critical);
      }
    }
  }

  public ZoneSettings {
    for (var kind : atrium.core.site.Zone.Kind.values()) {
      if (!crowding.containsKey(kind)) throw new IllegalArgumentException("atrium.zone.crowding." + kind + ": required");
    }
    crowding = Collections.unmodifiableMap(new EnumMap<>(crowding));
    if (!(clearRatio > 0 && clearRatio < 1)) {
      throw new IllegalArgumentException("atrium.zone.crowding.clear-ratio: must be between 0 and 1, was " + clearRatio);
    }
    requirePositive("publish-every", publishEvery);
    requirePositive("checkpoint-every", checkpointEvery);
    requirePositive("flow-window", flowWindow);
    if (flowBuckets < 1 || flowBuckets > 1000) {
      throw new IllegalArgumentException("atrium.zone.flow-buckets: must be 1 to 1000, was " + flowBuckets);
    }
    if (flowWindow.toMillis() / flowBuckets < 1000) {
      throw new IllegalArgumentException("atrium.zone: a flow bucket (flow-window / flow-buckets) must be at least 1s");
    }
    if (maxNeighbours < 1) throw new IllegalArgumentException("atrium.zone.max-neighbours: must be at least 1");
    if (underflowTolerance < 0) throw new IllegalArgumentException("atrium.zone.underflow-tolerance: must be >= 0");
    requirePositive("headcount-fresh-for", headcountFreshFor);
    if (!(maxDensity > 0)) throw new IllegalArgumentException("atrium.zone.max-density: must be > 0");
  }

  public static ZoneSettings create(Config config) {
    Config c = config.getConfig("atrium.zone");
    Map<atrium.core.site.Zone.Kind, Thresholds> crowding = new EnumMap<>(atrium.core.site.Zone.Kind.class);
    for (var kind : atrium.core.site.Zone.Kind.values()) {
      Config k = c.getConfig("crowding." + kind);
      crowding.put(kind, new Thresholds(k.getDouble("warning"), k.getDouble("critical")));
    }
    return new ZoneSettings(crowding, c.getDouble("crowding.clear-ratio"), c.getDuration("publish-every"),
        c.getDuration("checkpoint-every"), c.getDuration("flow-window"), c.getInt("flow-buckets"),
        c.getInt("max-neighbours"), c.getInt("underflow-tolerance"), c.getDuration("headcount-fresh-for"),
        c.getDouble("max-density"));
  }

  public Thresholds thresholds(atrium.core.site.Zone.Kind kind) {
    return crowding.get(kind);
  }

  private static void requirePositive(String key, Duration d) {
    if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("atrium.zone." + key + ": must be positive, was " + d);
  }
}
