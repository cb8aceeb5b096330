package atrium.load.drive;

import java.util.function.Consumer;

/**
 * One sample line of Prometheus' text exposition format, as the node's {@code GET /metrics} writes
 * it: the metric's name, its label set as written ({@code {area="heap",id="G1 Eden"}}, or empty),
 * and the value. Comment lines, blank lines and lines whose value is not a number are skipped.
 */
public record PrometheusSample(String name, String labels, double value) {

  /** Hands every sample of {@code text} to {@code action}, in order. */
  public static void forEach(String text, Consumer<PrometheusSample> action) {
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.charAt(0) == '#') continue;
      int space = line.lastIndexOf(' ');
      if (space < 0) continue;
      double v;
      try {
        v = Double.parseDouble(line.substring(space + 1).trim());
      } catch (NumberFormatException e) {
        continue;
      }
      int brace = line.indexOf('{');
      String name = brace < 0 ? line.substring(0, space).trim() : line.substring(0, brace);
      String labels = brace < 0 ? "" : line.substring(brace, line.lastIndexOf('}') + 1);
      action.accept(new PrometheusSample(name, labels, v));
    }
  }

  /** Whether the sample carries {@code key="value"}. */
  public boolean has(String key, String value) {
    return labels.contains(key + "=\"" + value + "\"");
  }
}
