package atrium.load.fanout;

import atrium.core.json.Json;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import atrium.load.drive.LoadRecorder;
import atrium.load.drive.StreamClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code bin/atrium bench-fanout}'s report: the same steady telemetry measured twice in one run,
 * first with one stream client (the baseline: what a delta's way costs without fan-out), then with
 * many (the fan-out), each phase with its delta lag from the send to each client's arrival, the
 * deltas delivered, the clients' closes and drops, the telemetry's own answers, and the load
 * generator's and the node's CPU. Written as {@code fanout-report.json}.
 *
 * @param goalP99Millis the goal for the fan-out phase's p99 lag
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FanoutReport(String started, String machine, Map<String, Object> settings, Map<String, Object> node, List<Phase> phases,
    double goalP99Millis, List<String> notes) {

  public FanoutReport {
    settings = new LinkedHashMap<>(settings);
    node = new LinkedHashMap<>(node);
    phases = List.copyOf(phases);
    notes = List.copyOf(notes);
  }

  /**
   * One phase: {@code clients} subscribed for {@code seconds} of measured telemetry.
   *
   * @param lag from the send of a message to the first delta of its asset at a client, one sample per client and message (ms)
   * @param lagAt from the delta's own {@code at} (the twin's wall-clock time of the change) to its arrival (ms)
   * @param deltas every delta the clients received in the measured time, together
   * @param expectedDeltas the telemetry answered OK times the clients (each message changes its bay: one delta per client)
   * @param errors the clients' closes ({@code ws-closed-<code>}), drops ({@code ws-dropped-too-slow}) and errors
   * @param clientCpu the load generator's CPU, fraction of the machine: mean and max of the seconds
   * @param serverCpu the node's process CPU ({@code /metrics}), fraction of the machine: mean and max
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Phase(String name, int clients, int openAtEnd, double seconds, Telemetry telemetry, LoadRecorder.Percentiles lag,
      LoadRecorder.Percentiles lagAt, long deltas, double deltasPerSecond, long expectedDeltas, Map<String, Long> errors,
      MeanMax clientCpu, MeanMax serverCpu, MeanMax machineCpu) {

    public Phase {
      errors = new TreeMap<>(errors);
    }

    /** The phase's figures from its recorder (after a last {@code sample}), the clients' delta counts and the CPU seconds. */
    public static Phase of(String name, int clients, int openAtEnd, double seconds, List<LoadRecorder.Totals> totals, long deltas,
        List<Double> clientCpu, List<Double> serverCpu, List<Double> machineCpu) {
      LoadRecorder.Totals lag = find(totals, StreamClients.LAG);
      LoadRecorder.Totals lagAt = find(totals, StreamClients.LAG_AT);
      LoadRecorder.Totals sent = find(totals, FanoutRun.TELEMETRY);
      Map<String, Long> errors = new TreeMap<>();
      if (lag != null) errors.putAll(lag.errors());
      Telemetry t = sent == null ? new Telemetry(0, 0, 0, 0, 0, Map.of())
          : new Telemetry(sent.offered(), sent.ok(), sent.failed(), sent.late(), sent.corrected().p99(), sent.errors());
      return new Phase(name, clients, openAtEnd, seconds, t, lag == null ? empty() : lag.corrected(), lagAt == null ? empty() : lagAt.corrected(),
          deltas, seconds > 0 ? deltas / seconds : 0, t.ok() * clients, errors, MeanMax.of(clientCpu), MeanMax.of(serverCpu),
          MeanMax.of(machineCpu));
    }

    /** Deltas delivered as a share of those expected (1 when every client saw every change; conflation and drops lower it). */
    @JsonProperty("delivered")
    public double delivered() {
      return expectedDeltas == 0 ? 0 : (double) deltas / expectedDeltas;
    }

    private static LoadRecorder.Totals find(List<LoadRecorder.Totals> totals, String op) {
      return totals.stream().filter(t -> t.op().equals(op)).findFirst().orElse(null);
    }

    private static LoadRecorder.Percentiles empty() {
      return new LoadRecorder.Percentiles(0, 0, 0, 0, 0, 0, 0);
    }
  }

  /** The telemetry that drove a phase: MQTT publishes due, answered (PUBACK), failed, sent late, p99 to the PUBACK (ms, corrected). */
  public record Telemetry(long offered, long ok, long failed, long late, double p99Millis, Map<String, Long> errors) {}

  /** Mean and max of per-second samples (NaN samples, a node too busy to answer its metrics, left out; NaN when none). */
  public record MeanMax(double mean, double max, int samples) {
    public static MeanMax of(List<Double> values) {
      double sum = 0, max = Double.NaN;
      int n = 0;
      for (Double v : values) {
        if (v == null || v.isNaN()) continue;
        sum += v;
        max = Double.isNaN(max) ? v : Math.max(max, v);
        n++;
      }
      return new MeanMax(n == 0 ? Double.NaN : sum / n, max, n);
    }
  }

  public Phase baseline() {
    return phases.get(0);
  }

  public Phase fanout() {
    return phases.get(phases.size() - 1);
  }

  /** What fan-out added to the p99 lag: the fan-out phase's p99 minus the one-client phase's (ms). */
  @JsonProperty("fanoutCostP99Millis")
  public double fanoutCostP99Millis() {
    return fanout().lag().p99() - baseline().lag().p99();
  }

  /** The goal holds when the fan-out phase timed deltas, its p99 lag is within the goal and no client was closed or dropped. */
  @JsonProperty("goalMet")
  public boolean goalMet() {
    Phase f = fanout();
    return f.lag().count() > 0 && f.lag().p99() <= goalP99Millis && f.errors().isEmpty() && f.openAtEnd() == f.clients();
  }

  public List<String> summary() {
    List<String> out = new ArrayList<>();
    out.add(String.format(Locale.ROOT, "fan-out: %s telemetry/s over %s, %s s measured per phase", settings.get("rate"), settings.get("transport"),
        settings.get("measureSeconds")));
    for (Phase p : phases) {
      out.add(String.format(Locale.ROOT,
          "  %-9s %5d clients (%d open at the end): lag ms p50 %.1f p99 %.1f p99.9 %.1f max %.1f (%d timed); deltas %d (%.0f/s, %.1f %% of %d expected); "
              + "closes/drops %s; telemetry ok %d/%d, p99 to PUBACK %.1f ms; CPU load generator %s, node %s, machine %s",
          p.name(), p.clients(), p.openAtEnd(), p.lag().p50(), p.lag().p99(), p.lag().p999(), p.lag().max(), p.lag().count(), p.deltas(),
          p.deltasPerSecond(), 100 * p.delivered(), p.expectedDeltas(), p.errors().isEmpty() ? "none" : p.errors(), p.telemetry().ok(),
          p.telemetry().offered(), p.telemetry().p99Millis(), percent(p.clientCpu()), percent(p.serverCpu()), percent(p.machineCpu())));
    }
    out.add(String.format(Locale.ROOT, "  fan-out cost: p99 %+.1f ms over one client; goal p99 ≤ %.0f ms with %d clients: %s", fanoutCostP99Millis(),
        goalP99Millis, fanout().clients(), goalMet() ? "met" : "NOT met"));
    notes.forEach(n -> out.add("  note: " + n));
    return out;
  }

  private static String percent(MeanMax m) {
    return Double.isNaN(m.mean()) ? "n/a" : String.format(Locale.ROOT, "%.0f %% (max %.0f %%)", 100 * m.mean(), 100 * m.max());
  }

  public Path write(Path folder) {
    try {
      Files.createDirectories(folder);
      Path json = folder.resolve("fanout-report.json");
      Files.write(json, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
      return json;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the fan-out report into " + folder, e);
    }
  }

  public static FanoutReport read(Path json) throws IOException {
    return Json.MAPPER.readValue(json.toFile(), FanoutReport.class);
  }
}
