package atrium.load.drive;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * A load report as one self-contained HTML page: the summary, "which part saturated first", line
 * charts as inline SVG (offered vs achieved rate, latency percentiles, errors by type, in flight, CPU,
 * heap, GC) on an axis of seconds, and the tables. No scripts, styles or fonts from elsewhere.
 */
public final class LoadHtml {
  static final int WIDTH = 860;
  static final int HEIGHT = 240;
  static final int LEFT = 60;
  static final int RIGHT = 190;
  static final int TOP = 20;
  static final int BOTTOM = 32;
  /** Okabe–Ito: colour-blind-safe. */
  static final String[] COLOURS = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"};

  private LoadHtml() {}

  public static String render(LoadReport r) {
    StringBuilder b = new StringBuilder(64 * 1024);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(esc("Atrium load test — " + r.profile())).append("</title>\n<style>")
        .append("body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1050px}")
        .append("h1{font-size:22px}h2{font-size:17px;margin-top:28px}table{border-collapse:collapse;margin:8px 0}")
        .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;font-size:13px}")
        .append("svg text{font-size:11px;fill:#333}.note{color:#666;font-size:12px}.sat{font-size:16px}</style></head><body>\n");
    b.append("<h1>Load test — ").append(esc(r.profile())).append("</h1>\n<p>").append(esc(r.description())).append("</p>\n");
    b.append("<p>Target <b>").append(esc(r.target())).append("</b>, started ").append(esc(r.started()))
        .append(String.format(Locale.ROOT, ", %.1f s. Machine: %s.</p>%n", r.seconds(), esc(r.machine())));
    b.append("<h2>Which part saturated first</h2>\n<p class=\"sat\"><b>").append(esc(r.saturation().first())).append("</b>");
    if (!Double.isNaN(r.saturation().atSecond())) b.append(String.format(Locale.ROOT, " at %.0f s", r.saturation().atSecond()));
    b.append("</p>\n");
    if (!r.saturation().signals().isEmpty()) b.append("<p>Every signal seen: ").append(esc(String.join("; ", r.saturation().signals()))).append("</p>\n");
    b.append("<p class=\"note\">Rule: ").append(esc(Saturation.RULE)).append(".</p>\n");

    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("offered (mean)", number(r.offeredPerSecond()) + " requests/s");
    summary.put("achieved (mean, answered OK)", number(r.achievedPerSecond()) + " requests/s");
    summary.put("errors", String.format(Locale.ROOT, "%.3f %%", r.errorRate() * 100));
    LoadRecorder.Percentiles p = r.overall();
    summary.put("latency, corrected (ms)", String.format(Locale.ROOT, "p50 %s · p90 %s · p99 %s · p99.9 %s · max %s (%d answers)",
        number(p.p50()), number(p.p90()), number(p.p99()), number(p.p999()), number(p.max()), p.count()));
    summary.put("load-generator CPU (mean / max of machine)", pct(mean(r.series(), LoadReport.Row::clientCpu)) + " / "
        + pct(max(r.series(), LoadReport.Row::clientCpu)));
    summary.put("server CPU (mean / max of machine)", pct(mean(r.series(), x -> x.server().processCpu())) + " / "
        + pct(max(r.series(), x -> x.server().processCpu())));
    if (r.capacity() != null) {
      summary.put("capacity: highest rate that held", number(r.capacity().highestHeld()) + " requests/s ("
          + r.capacity().slo().describe() + ")");
    }
    r.settings().forEach((k, v) -> summary.put(k, v));
    b.append("<h2>Summary</h2>\n<table id=\"summary\">");
    summary.forEach((k, v) -> b.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(String.valueOf(v))).append("</td></tr>"));
    b.append("</table>\n");
    for (String n : r.notes()) b.append("<p class=\"note\">").append(esc(n)).append("</p>\n");

    List<LoadReport.Row> rows = r.series();
    double[] t = rows.stream().mapToDouble(x -> x.load().t()).toArray();
    chart(b, "rate", "Offered vs achieved rate", "requests/s", t, new Lines(rows)
        .add("offered", x -> x.load().offered()).add("sent", x -> x.load().sent()).add("answered OK", x -> x.load().ok())
        .add("failed", x -> x.load().failed()).map());
    chart(b, "latency", "Latency, corrected (from the due time), of the requests answered in each second", "ms", t, new Lines(rows)
        .add("p50", x -> x.load().p50()).add("p90", x -> x.load().p90()).add("p99", x -> x.load().p99())
        .add("p99.9", x -> x.load().p999()).add("max", x -> x.load().max()).map());
    Map<String, double[]> errors = new LinkedHashMap<>();
    TreeSet<String> types = new TreeSet<>();
    rows.forEach(x -> types.addAll(x.load().errors().keySet()));
    for (String type : types) errors.put(type, rows.stream().mapToDouble(x -> x.load().errors().getOrDefault(type, 0L)).toArray());
    if (errors.isEmpty()) errors.put("none", new double[t.length]);
    chart(b, "errors", "Errors by type", "per second", t, errors);
    chart(b, "in-flight", "In flight", "requests", t, new Lines(rows).add("load generator (peak in the second)", x -> x.load().inFlight())
        .add("server doors", x -> x.server().doorInFlight()).map());
    chart(b, "cpu", "CPU (share of the whole machine)", "%", t, new Lines(rows).add("server process", x -> 100 * x.server().processCpu())
        .add("machine", x -> 100 * x.server().systemCpu()).add("load generator", x -> 100 * x.clientCpu()).map());
    chart(b, "heap", "Server heap", "MiB", t, new Lines(rows).add("used", x -> x.server().heapUsedBytes() / 1048576)
        .add("max", x -> x.server().heapMaxBytes() / 1048576).map());
    chart(b, "gc", "Server GC pauses", "ms per second", t, new Lines(rows).add("pause time", LoadReport.Row::gcMillis).map());

    List<List<Object>> opRows = new ArrayList<>();
    for (LoadRecorder.Totals o : r.ops()) {
      opRows.add(List.of(o.op(), o.offered(), o.ok(), o.failed(), o.late(), number(o.corrected().p50()), number(o.corrected().p90()),
          number(o.corrected().p99()), number(o.corrected().p999()), number(o.corrected().max()), number(o.naive().p99()),
          o.errors().toString()));
    }
    table(b, "ops", "Per operation (latency in ms; corrected unless said)", List.of("operation", "offered", "OK", "failed", "late",
        "p50", "p90", "p99", "p99.9", "max", "naive p99", "errors"), opRows);
    List<List<Object>> stageRows = new ArrayList<>();
    for (Stage s : r.stages()) stageRows.add(List.of(s.type(), number(s.from()), number(s.to()), number(s.seconds()), s.planned()));
    table(b, "stages", "Stages", List.of("type", "from /s", "to /s", "seconds", "requests planned"), stageRows);
    if (r.capacity() != null) {
      List<List<Object>> trials = new ArrayList<>();
      for (CapacitySearch.Trial x : r.capacity().trials()) {
        trials.add(List.of(number(x.rate()), number(x.achieved()), number(x.p99Millis()),
            String.format(Locale.ROOT, "%.3f %%", 100 * x.errorRate()), x.held() ? "held" : "broke", x.saturated()));
      }
      table(b, "capacity", "Capacity search (" + r.capacity().slo().describe() + ")",
          List.of("rate /s", "achieved /s", "p99 ms", "errors", "objective", "saturated first"), trials);
    }
    b.append("</body></html>\n");
    return b.toString();
  }

  /** Named lines of values read off the rows. */
  private record Lines(List<LoadReport.Row> rows, Map<String, double[]> map) {
    Lines(List<LoadReport.Row> rows) {
      this(rows, new LinkedHashMap<>());
    }

    Lines add(String name, ToDoubleFunction<LoadReport.Row> f) {
      map.put(name, rows.stream().mapToDouble(f).toArray());
      return this;
    }
  }

  static void chart(StringBuilder b, String id, String title, String unit, double[] t, Map<String, double[]> lines) {
    b.append("<h2>").append(esc(title)).append("</h2>\n");
    if (t.length == 0) {
      b.append("<p class=\"note\">no samples</p>\n");
      return;
    }
    double t0 = 0;
    double t1 = Math.max(t[t.length - 1], 1);
    double max = 0;
    for (double[] v : lines.values()) for (double x : v) if (Double.isFinite(x)) max = Math.max(max, x);
    if (max == 0) max = 1;
    int w = WIDTH - LEFT - RIGHT;
    int h = HEIGHT - TOP - BOTTOM;
    b.append("<svg id=\"").append(esc(id)).append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
        .append("\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\">");
    b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>", LEFT, TOP, w, h));
    for (int i = 0; i <= 4; i++) {
      double y = TOP + h - h * i / 4.0;
      b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>", LEFT, LEFT + w, y, y));
      b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", LEFT - 4, y + 4, number(max * i / 4)));
    }
    for (int i = 0; i <= 6; i++) {
      double x = LEFT + w * i / 6.0;
      b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s s</text>", x, TOP + h + 14,
          number(Math.round(t0 + (t1 - t0) * i / 6))));
    }
    b.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\">%s</text>", TOP - 6, esc(unit)));
    int k = 0;
    for (Map.Entry<String, double[]> line : lines.entrySet()) {
      String colour = COLOURS[k % COLOURS.length];
      StringBuilder pts = new StringBuilder();
      double[] v = line.getValue();
      for (int i = 0; i < v.length; i++) {
        if (!Double.isFinite(v[i])) continue;
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + w * (t[i] - t0) / (t1 - t0), TOP + h - h * v[i] / max));
      }
      b.append("<polyline data-line=\"").append(esc(line.getKey())).append("\" fill=\"none\" stroke=\"").append(colour)
          .append("\" stroke-width=\"1.5\" points=\"").append(pts.toString().trim()).append("\"/>");
      b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>", LEFT + w + 10, TOP + 4 + 16 * k, colour));
      b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>", LEFT + w + 24, TOP + 13 + 16 * k, esc(line.getKey())));
      k++;
    }
    b.append("</svg>\n");
  }

  static void table(StringBuilder b, String id, String title, List<String> columns, List<List<Object>> rows) {
    b.append("<h2>").append(esc(title)).append("</h2>\n<table id=\"").append(esc(id)).append("\"><tr>");
    for (String c : columns) b.append("<th>").append(esc(c)).append("</th>");
    b.append("</tr>");
    for (List<Object> row : rows) {
      b.append("<tr>");
      for (Object v : row) b.append("<td>").append(esc(String.valueOf(v))).append("</td>");
      b.append("</tr>");
    }
    b.append("</table>\n");
  }

  static double mean(List<LoadReport.Row> rows, ToDoubleFunction<LoadReport.Row> f) {
    return rows.stream().mapToDouble(f).filter(Double::isFinite).average().orElse(Double.NaN);
  }

  static double max(List<LoadReport.Row> rows, ToDoubleFunction<LoadReport.Row> f) {
    return rows.stream().mapToDouble(f).filter(Double::isFinite).max().orElse(Double.NaN);
  }

  static String pct(double f) {
    return Double.isNaN(f) ? "n/a" : String.format(Locale.ROOT, "%.0f %%", 100 * f);
  }

  static String number(double v) {
    if (Double.isNaN(v)) return "n/a";
    if (v == Math.rint(v)) return String.format(Locale.ROOT, "%.0f", v);
    return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.2f", v);
  }

  static String esc(String s) {
    if (s == null) return "";
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
