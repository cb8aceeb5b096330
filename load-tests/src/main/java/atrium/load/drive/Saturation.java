package atrium.load.drive;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which part saturated first, read off the per-second series by one rule: the first second in which
 * any of these holds, checked in this order within a second —
 * server process CPU ≥ 90 % of the machine; the machine's CPU ≥ 90 % (server and load generator
 * share it); the load generator's CPU ≥ 90 %; the in-flight bound full when a request was due;
 * requests sent late (over 1 % of those due); errors over 1 % of the requests due.
 * None of them in any second: nothing saturated at the rates offered.
 */
public record Saturation(String first, double atSecond, List<String> signals) {
  public static final String RULE = "first second in which: server CPU ≥ 90 %; machine CPU ≥ 90 %; load-generator CPU ≥ 90 %; "
      + "the in-flight bound was full; > 1 % of due requests sent late; > 1 % of due requests failed";
  public static final String NOTHING = "nothing: no signal in any second";

  public static Saturation of(List<LoadReport.Row> rows) {
    List<String> signals = new ArrayList<>();
    String first = null;
    double at = Double.NaN;
    for (LoadReport.Row r : rows) {
      List<String> now = signals(r);
      for (String s : now) {
        String tagged = String.format(Locale.ROOT, "%s (from %.0f s)", s, r.load().t());
        if (signals.stream().noneMatch(x -> x.startsWith(s))) signals.add(tagged);
      }
      if (first == null && !now.isEmpty()) {
        first = now.get(0);
        at = r.load().t();
      }
    }
    return first == null ? new Saturation(NOTHING, Double.NaN, List.of()) : new Saturation(first, at, signals);
  }

  static List<String> signals(LoadReport.Row r) {
    List<String> s = new ArrayList<>();
    LoadRecorder.Second l = r.load();
    if (r.server().processCpu() >= 0.9) s.add("server CPU");
    if (r.server().systemCpu() >= 0.9) s.add("machine CPU (server and load generator share it)");
    if (r.clientCpu() >= 0.9) s.add("load-generator CPU");
    if (l.boundHits() > 0) s.add("in-flight bound (answers slower than requests arrive)");
    if (l.offered() > 0 && l.late() > 0.01 * l.offered()) s.add("load-generator pacing (requests sent late)");
    if (l.offered() > 0 && l.failed() > 0.01 * l.offered()) {
      String top = l.errors().entrySet().stream().max(java.util.Map.Entry.comparingByValue()).map(java.util.Map.Entry::getKey).orElse("?");
      s.add("errors (mostly " + top + ")");
    }
    return s;
  }
}
