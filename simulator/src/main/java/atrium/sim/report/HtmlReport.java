package atrium.sim.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run's report as one self-contained HTML page: the summary, a line chart per time series, a
 * heat map per grid and the tables, drawn as inline SVG. Nothing is loaded from elsewhere (no
 * scripts, styles or fonts), so the file can be mailed or opened offline.
 */
public final class HtmlReport {
  static final int WIDTH = 860;
  static final int HEIGHT = 260;
  static final int LEFT = 60;
  static final int RIGHT = 150;
  static final int TOP = 20;
  static final int BOTTOM = 36;
  /** Colour-blind-safe line colours (Okabe–Ito). */
  static final String[] COLOURS = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"};
  /** Lines drawn per chart at most; the rest are named in a note (a chart of 100 zones is a heat map's job). */
  static final int MAX_LINES = 8;

  private HtmlReport() {}

  public static String render(RunReport r) {
    StringBuilder b = new StringBuilder(64 * 1024);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(esc("Atrium simulation — " + r.scenario())).append("</title>\n<style>")
        .append("body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1000px}")
        .append("h1{font-size:22px}h2{font-size:17px;margin-top:28px}table{border-collapse:collapse;margin:8px 0}")
        .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;font-size:13px}")
        .append("svg text{font-size:11px;fill:#333}.note{color:#666;font-size:12px}</style></head><body>\n");
    b.append("<h1>").append(esc(r.scenario())).append("</h1>\n<p>Site <b>").append(esc(r.site())).append("</b>, seed ")
        .append(r.seed()).append(", ").append(esc(r.start())).append(" → ").append(esc(r.end()))
        .append(String.format(Locale.ROOT, ", simulated in %.1f s of wall-clock time.</p>%n", r.wallSeconds()));
    if (!r.summary().isEmpty()) {
      b.append("<h2>Summary</h2>\n<table>");
      for (Map.Entry<String, Object> e : r.summary().entrySet()) {
        b.append("<tr><th>").append(esc(e.getKey())).append("</th><td>").append(esc(format(e.getValue()))).append("</td></tr>");
      }
      b.append("</table>\n");
    }
    for (RunReport.TimeSeries s : r.series()) chart(b, s);
    for (RunReport.HeatMap h : r.heatMaps()) heatMap(b, h);
    for (RunReport.Table t : r.tables()) table(b, t);
    b.append("</body></html>\n");
    return b.toString();
  }

  private static void chart(StringBuilder b, RunReport.TimeSeries s) {
    b.append("<h2>").append(esc(s.title())).append("</h2>\n");
    if (s.times().length == 0) {
      b.append("<p class=\"note\">no samples</p>\n");
      return;
    }
    double t0 = s.times()[0];
    double t1 = Math.max(s.times()[s.times().length - 1], t0 + 1);
    double max = 0;
    double min = 0;
    for (double[] line : s.lines().values()) {
      for (double v : line) {
        if (Double.isFinite(v)) {
          max = Math.max(max, v);
          min = Math.min(min, v);
        }
      }
    }
    if (max == min) max = min + 1;
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    b.append("<svg id=\"").append(esc(s.id())).append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
        .append("\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\">");
    b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>",
        LEFT, TOP, plotW, plotH));
    for (int i = 0; i <= 4; i++) {
      double v = min + (max - min) * i / 4;
      double y = TOP + plotH - plotH * i / 4.0;
      b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>", LEFT, LEFT + plotW, y, y));
      b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", LEFT - 4, y + 4, esc(number(v))));
    }
    for (int i = 0; i <= 6; i++) {
      double t = t0 + (t1 - t0) * i / 6;
      double x = LEFT + plotW * i / 6.0;
      b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", x, TOP + plotH + 14, clock(t)));
    }
    b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>", 4, TOP - 6, esc(s.unit())));
    int k = 0;
    for (Map.Entry<String, double[]> line : s.lines().entrySet()) {
      if (k == MAX_LINES) break;
      String colour = COLOURS[k % COLOURS.length];
      StringBuilder points = new StringBuilder();
      double[] v = line.getValue();
      for (int i = 0; i < v.length; i++) {
        if (!Double.isFinite(v[i])) continue;
        double x = LEFT + plotW * (s.times()[i] - t0) / (t1 - t0);
        double y = TOP + plotH - plotH * (v[i] - min) / (max - min);
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      }
      b.append("<polyline data-line=\"").append(esc(line.getKey())).append("\" fill=\"none\" stroke=\"").append(colour)
          .append("\" stroke-width=\"1.5\" points=\"").append(points.toString().trim()).append("\"/>");
      b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>", LEFT + plotW + 10,
          TOP + 4 + 16 * k, colour));
      b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>", LEFT + plotW + 24, TOP + 13 + 16 * k,
          esc(line.getKey())));
      k++;
    }
    b.append("</svg>\n");
    if (s.lines().size() > MAX_LINES) {
      b.append("<p class=\"note\">").append(s.lines().size() - MAX_LINES).append(" more lines in the JSON report.</p>\n");
    }
  }

  private static void heatMap(StringBuilder b, RunReport.HeatMap h) {
    b.append("<h2>").append(esc(h.title())).append("</h2>\n");
    int rows = h.rows().size();
    int cols = h.times().length;
    if (rows == 0 || cols == 0) {
      b.append("<p class=\"note\">no samples</p>\n");
      return;
    }
    double max = 0;
    for (double[] r : h.values()) for (double v : r) if (Double.isFinite(v)) max = Math.max(max, v);
    if (max == 0) max = 1;
    int cell = Math.max(4, Math.min(14, 640 / cols));
    int rowH = 12;
    int labelW = 120;
    int w = labelW + cell * cols + 10;
    int hgt = rowH * rows + 30;
    b.append("<svg id=\"").append(esc(h.id())).append("\" width=\"").append(w).append("\" height=\"").append(hgt)
        .append("\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\">");
    for (int i = 0; i < rows; i++) {
      b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", labelW - 4, rowH * i + 10,
          esc(h.rows().get(i))));
      for (int j = 0; j < cols; j++) {
        double v = h.values()[i][j];
        if (!Double.isFinite(v) || v <= 0) continue;
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>%s %s</title></rect>",
            labelW + cell * j, rowH * i, cell, rowH - 1, colour(v / max), esc(h.rows().get(i)), esc(number(v) + " " + h.unit())));
      }
    }
    b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s … %s; darkest = %s %s</text>", labelW, rowH * rows + 20,
        clock(h.times()[0]), clock(h.times()[cols - 1]), esc(number(max)), esc(h.unit())));
    b.append("</svg>\n");
  }

  private static void table(StringBuilder b, RunReport.Table t) {
    b.append("<h2>").append(esc(t.title())).append("</h2>\n<table id=\"").append(esc(t.id())).append("\"><tr>");
    for (String c : t.columns()) b.append("<th>").append(esc(c)).append("</th>");
    b.append("</tr>");
    for (List<Object> row : t.rows()) {
      b.append("<tr>");
      for (Object v : row) b.append("<td>").append(esc(format(v))).append("</td>");
      b.append("</tr>");
    }
    b.append("</table>\n");
  }

  /** White (0) through orange to dark red (1). */
  static String colour(double f) {
    double x = Math.max(0, Math.min(1, f));
    int r = (int) Math.round(255 - 75 * x);
    int g = (int) Math.round(245 - 225 * x);
    int bl = (int) Math.round(235 - 215 * x);
    return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, bl);
  }

  static String clock(double seconds) {
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%d:%02d", s / 3600, (s % 3600) / 60);
  }

  static String number(double v) {
    if (v == Math.rint(v)) return String.format(Locale.ROOT, "%.0f", v);
    return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.2f", v);
  }

  private static String format(Object v) {
    if (v instanceof Double d) return number(d);
    if (v instanceof Float f) return number(f);
    return String.valueOf(v);
  }

  static String esc(String s) {
    if (s == null) return "";
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<': b.append("&lt;"); break;
        case '>': b.append("&gt;"); break;
        case '&': b.append("&amp;"); break;
        case '"': b.append("&quot;"); break;
        default: b.append(c);
      }
    }
    return b.toString();
  }
}
