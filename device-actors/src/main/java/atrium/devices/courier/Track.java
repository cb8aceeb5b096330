package atrium.devices.courier;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A courier's recent positions, oldest first, in memory only (personal data, never journalled): a
 * ring buffer of at most {@code max} points in parallel primitive arrays, grown as needed and
 * released when emptied, so that a courier without a recent track holds nothing.
 */
final class Track {
  private static final int INITIAL_CAPACITY = 16;
  private final int max;
  private long[] atMillis;
  private double[] xs;
  private double[] ys;
  private String[] floors;
  private int head;
  private int size;

  Track(int max) {
    this.max = max;
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The time of the oldest point; the track must not be empty. */
  Instant oldest() {
    return Instant.ofEpochMilli(atMillis[head]);
  }

  /** Appends a point no older than the newest; when full, the oldest point goes. */
  void add(Instant at, double x, double y, String floor) {
    if (atMillis == null) allocate(Math.min(INITIAL_CAPACITY, max));
    if (size == atMillis.length) {
      if (atMillis.length < max) {
        grow(Math.min(max, atMillis.length * 2));
      } else {
        head = (head + 1) % atMillis.length;
        size--;
      }
    }
    int i = (head + size) % atMillis.length;
    atMillis[i] = at.toEpochMilli();
    xs[i] = x;
    ys[i] = y;
    floors[i] = floor;
    size++;
  }

  /** Drops every point older than {@code cutoff}; returns how many went. */
  int pruneBefore(Instant cutoff) {
    long c = cutoff.toEpochMilli();
    int removed = 0;
    while (size > 0 && atMillis[head] < c) {
      floors[head] = null;
      head = (head + 1) % atMillis.length;
      size--;
      removed++;
    }
    if (size == 0) clear();
    return removed;
  }

  void clear() {
    atMillis = null;
    xs = null;
    ys = null;
    floors = null;
    head = 0;
    size = 0;
  }

  List<Courier.TrackPoint> points() {
    List<Courier.TrackPoint> out = new ArrayList<>(size);
    for (int k = 0; k < size; k++) {
      int i = (head + k) % atMillis.length;
      out.add(new Courier.TrackPoint(Instant.ofEpochMilli(atMillis[i]), xs[i], ys[i], floors[i]));
    }
    return out;
  }

  private void allocate(int capacity) {
    atMillis = new long[capacity];
    xs = new double[capacity];
    ys = new double[capacity];
    floors = new String[capacity];
    head = 0;
    size = 0;
  }

  private void grow(int capacity) {
    long[] a = new long[capacity];
    double[] x = new double[capacity];
    double[] y = new double[capacity];
    String[] f = new String[capacity];
    for (int k = 0; k < size; k++) {
      int i = (head + k) % atMillis.length;
      a[k] = atMillis[i];
      x[k] = xs[i];
      y[k] = ys[i];
      f[k] = floors[i];
    }
    atMillis = a;
    xs = x;
    ys = y;
    floors = f;
    head = 0;
  }
}
