package atrium.devices.zone;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * People counted into and out of a zone over a sliding window of the twin's clock, in fixed buckets:
 * in total and per neighbouring zone. Bounded: {@code buckets × (2 + 2 × neighbours)} ints, with at
 * most {@code maxNeighbours} neighbours by name (the rest are summed under {@link #OTHERS}). Lives in
 * the entity's memory only; a restarted zone counts afresh.
 */
final class FlowWindow {
  static final String OTHERS = "*";

  private final long bucketMillis;
  private final int buckets;
  private final int maxNeighbours;
  private final int[] entries;
  private final int[] exits;
  /** Per neighbour: [0] people in from it, [1] people out to it, one slot per bucket. */
  private final Map<String, int[][]> neighbours = new HashMap<>();
  private long head = Long.MIN_VALUE;
  private Instant countingSince;

  FlowWindow(Duration window, int buckets, int maxNeighbours) {
    this.bucketMillis = window.toMillis() / buckets;
    this.buckets = buckets;
    this.maxNeighbours = maxNeighbours;
    this.entries = new int[buckets];
    this.exits = new int[buckets];
  }

  void add(Instant now, String neighbour, int in, int out) {
    roll(now);
    if (countingSince == null) countingSince = now;
    int slot = (int) Math.floorMod(head, (long) buckets);
    entries[slot] += in;
    exits[slot] += out;
    String key = neighbours.containsKey(neighbour) || neighbours.size() < maxNeighbours ? neighbour : OTHERS;
    int[][] counts = neighbours.computeIfAbsent(key, k -> new int[2][buckets]);
    counts[0][slot] += in;
    counts[1][slot] += out;
  }

  /** How much of the window has been counted: from the first count (or a bucket) up to the window. */
  Duration covered(Instant now) {
    if (countingSince == null) return Duration.ZERO;
    long millis = Math.max(bucketMillis, Duration.between(countingSince, now).toMillis());
    return Duration.ofMillis(Math.min(millis, bucketMillis * buckets));
  }

  int entries(Instant now) {
    roll(now);
    return sum(entries);
  }

  int exits(Instant now) {
    roll(now);
    return sum(exits);
  }

  /** The flows with each neighbour over the window, by neighbour id; neighbours with none are left out. */
  List<Zone.Flow> flows(Instant now) {
    roll(now);
    List<Zone.Flow> out = new ArrayList<>();
    neighbours.forEach((zone, c) -> {
      int in = sum(c[0]);
      int leaving = sum(c[1]);
      if (in > 0 || leaving > 0) out.add(new Zone.Flow(zone, in, leaving));
    });
    out.sort((a, b) -> a.zone().compareTo(b.zone()));
    return out;
  }

  private void roll(Instant now) {
    long index = Math.floorDiv(now.toEpochMilli(), bucketMillis);
    if (head == Long.MIN_VALUE) {
      head = index;
      return;
    }
    if (index <= head) return; // the clock never goes back; a late count goes in the newest bucket
    long steps = Math.min(index - head, buckets);
    for (long s = 1; s <= steps; s++) {
      int slot = (int) Math.floorMod(head + s, (long) buckets);
      entries[slot] = 0;
      exits[slot] = 0;
      for (int[][] c : neighbours.values()) {
        c[0][slot] = 0;
        c[1][slot] = 0;
      }
    }
    head = index;
    neighbours.values().removeIf(c -> sum(c[0]) == 0 && sum(c[1]) == 0);
  }

  private static int sum(int[] a) {
    int s = 0;
    for (int v : a) s += v;
    return s;
  }
}
