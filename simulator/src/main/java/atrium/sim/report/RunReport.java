package atrium.sim.report;

import java.util.List;
import java.util.Map;

/**
 * What a simulation run reports: its identity, summary figures, time series (occupancy per zone,
 * car-park fill, evacuation curve, energy and comfort, campaign progress), heat maps (density per
 * zone over time) and tables (bottlenecks). Written as JSON and as a self-contained HTML page
 * ({@link HtmlReport}).
 *
 * @param summary headline figures, in the order they are shown (e.g. total evacuation time)
 */
public record RunReport(String scenario, String site, long seed, String start, String end, double wallSeconds,
    Map<String, Object> summary, List<TimeSeries> series, List<HeatMap> heatMaps, List<Table> tables) {

  public RunReport {
    summary = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(summary));
    series = List.copyOf(series);
    heatMaps = List.copyOf(heatMaps);
    tables = List.copyOf(tables);
  }

  /**
   * Lines sharing one time axis and one unit, drawn as one chart.
   *
   * @param times seconds since the run's start, ascending
   * @param lines each line's values, one per time
   */
  public record TimeSeries(String id, String title, String unit, double[] times, Map<String, double[]> lines) {
    public TimeSeries {
      lines = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(lines));
      for (var e : lines.entrySet()) {
        if (e.getValue().length != times.length) {
          throw new IllegalArgumentException(id + "." + e.getKey() + ": " + e.getValue().length + " values for " + times.length + " times");
        }
      }
    }
  }

  /** Values per row (a zone) and time, drawn as a grid of colours. {@code values[row][time]}. */
  public record HeatMap(String id, String title, String unit, List<String> rows, double[] times, double[][] values) {
    public HeatMap {
      rows = List.copyOf(rows);
      if (values.length != rows.size()) throw new IllegalArgumentException(id + ": " + values.length + " rows of values for " + rows.size() + " rows");
      for (double[] r : values) {
        if (r.length != times.length) throw new IllegalArgumentException(id + ": a row has " + r.length + " values for " + times.length + " times");
      }
    }
  }

  /** A table such as the bottlenecks: where queues formed, how long, how many waited. */
  public record Table(String id, String title, List<String> columns, List<List<Object>> rows) {
    public Table {
      columns = List.copyOf(columns);
      rows = rows.stream().map(r -> java.util.Collections.unmodifiableList(new java.util.ArrayList<>(r))).toList();
    }
  }
}
