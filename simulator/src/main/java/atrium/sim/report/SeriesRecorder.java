package atrium.sim.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects samples of a run at a fixed interval into the report's time series and heat maps. A
 * sample is one instant with a value per line; lines appearing later are padded with NaN before.
 */
public final class SeriesRecorder {
  private final Map<String, Builder> series = new LinkedHashMap<>();

  private static final class Builder {
    final String title;
    final String unit;
    double[] times = new double[64];
    int n;
    final Map<String, double[]> lines = new LinkedHashMap<>();

    Builder(String title, String unit) {
      this.title = title;
      this.unit = unit;
    }
  }

  /** Adds one sample of chart {@code id} at {@code t} seconds: a value per line. */
  public void sample(String id, String title, String unit, double t, Map<String, Double> values) {
    Builder b = series.computeIfAbsent(id, k -> new Builder(title, unit));
    if (b.n > 0 && t <= b.times[b.n - 1]) throw new IllegalArgumentException(id + ": sample at " + t + " s is not after " + b.times[b.n - 1]);
    if (b.n == b.times.length) {
      b.times = Arrays.copyOf(b.times, b.n * 2);
      for (var e : b.lines.entrySet()) e.setValue(Arrays.copyOf(e.getValue(), b.n * 2));
    }
    b.times[b.n] = t;
    for (var v : values.entrySet()) {
      double[] line = b.lines.computeIfAbsent(v.getKey(), k -> {
        double[] fresh = new double[b.times.length];
        Arrays.fill(fresh, Double.NaN);
        return fresh;
      });
      line[b.n] = v.getValue();
    }
    for (var e : b.lines.entrySet()) {
      if (!values.containsKey(e.getKey())) e.getValue()[b.n] = Double.NaN;
    }
    b.n++;
  }

  public List<RunReport.TimeSeries> series() {
    List<RunReport.TimeSeries> out = new ArrayList<>();
    for (var e : series.entrySet()) {
      Builder b = e.getValue();
      Map<String, double[]> lines = new LinkedHashMap<>();
      b.lines.forEach((k, v) -> lines.put(k, Arrays.copyOf(v, b.n)));
      out.add(new RunReport.TimeSeries(e.getKey(), b.title, b.unit, Arrays.copyOf(b.times, b.n), lines));
    }
    return out;
  }

  /** A recorded chart turned into a heat map: its lines become the rows. */
  public RunReport.HeatMap heatMap(String seriesId, String id, String title) {
    Builder b = series.get(seriesId);
    if (b == null) throw new IllegalArgumentException("no series " + seriesId);
    List<String> rows = new ArrayList<>(b.lines.keySet());
    double[][] values = new double[rows.size()][];
    for (int i = 0; i < rows.size(); i++) values[i] = Arrays.copyOf(b.lines.get(rows.get(i)), b.n);
    return new RunReport.HeatMap(id, title, b.unit, rows, Arrays.copyOf(b.times, b.n), values);
  }
}
