package atrium.load.ingest;

import atrium.core.json.Json;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code bin/atrium bench-ingest} measured: each phase's window, and Atrium's figures beside
 * the machine's limit (Mosquitto on the same cores, in the same run) with the ratio and the goal.
 *
 * @param settings the options as run
 * @param phases every phase, Mosquitto's first
 * @param comparisons Atrium's figures against the limits and the goals
 * @param notes what the reader must know (a phase with errors, a history still writing, ...)
 */
public record IngestReport(String started, Machine machine, Map<String, Object> settings, List<Phase> phases,
    List<Comparison> comparisons, HistoryAfter historyAfter, List<String> notes) {

  /** The cores, the JVMs and the broker the figures belong to. */
  public record Machine(int cores, String os, String java, String benchmarkJvm, String serverJvm, double serverHeapMaxMiB,
      String mosquitto) {}

  /**
   * One phase's measured window.
   *
   * @param target {@code mosquitto} or {@code atrium}
   * @param assets how many assets the envelopes went to, in turn
   * @param sent publishes the client sent in the window; {@code acked} of them answered (QoS 1: PUBACKed;
   *     QoS 0: written to the socket); {@code errors} failed (by type in {@code errorTypes})
   * @param received messages that arrived at the receiving end in the window: what the subscriber
   *     on {@code #} got (Mosquitto), or what the twin applied (Atrium's {@code atrium_ingest_messages_total{outcome="applied"}})
   * @param points data points that arrived: received × points per message (Mosquitto); the points
   *     of the telemetry the twin applied (Atrium)
   * @param historyRecorded points the telemetry history accepted in the window (Atrium; 0 for Mosquitto)
   * @param historyWritten points it wrote to its store in the window
   * @param historyDropped points it dropped (buffer full) in the window
   * @param twinFailed messages the twin refused or could not take; {@code duplicates} it had already applied
   * @param serverCpu the broker's or node's CPU over the window, as a share of the whole machine (0–1)
   * @param clientCpu the benchmark process's (publisher, subscriber) CPU, likewise
   * @param ackP50Millis QoS 1: PUBACK latency from the time the publish was sent (NaN for QoS 0). Not
   *     from its due time: the plan offers far more than is sustained, so the time since a publish was
   *     due only says how far behind the plan the loop is
   * @param connectionsOpenAtEnd the publisher's connections still open when the window closed (the
   *     node closes one whose message the twin could not take, so that the device redelivers)
   * @param complete whether the window ran its full length with a connection open: an incomplete
   *     phase's rates are shown but not compared with the goals
   */
  public record Phase(String name, String target, int qos, int assets, int pointsPerMessage, double seconds, long sent, long acked,
      long errors, Map<String, Long> errorTypes, long received, long points, long historyRecorded, long historyWritten,
      long historyDropped, long twinFailed, long duplicates, double serverCpu, double clientCpu, double ackP50Millis,
      double ackP99Millis, int connections, int connectionsOpenAtEnd, boolean complete) {

    @JsonProperty(access = JsonProperty.Access.READ_ONLY)
    public double messagesPerSecond() {
      return seconds > 0 ? received / seconds : Double.NaN;
    }

    @JsonProperty(access = JsonProperty.Access.READ_ONLY)
    public double pointsPerSecond() {
      return seconds > 0 ? points / seconds : Double.NaN;
    }

    @JsonProperty(access = JsonProperty.Access.READ_ONLY)
    public double ackedPerSecond() {
      return seconds > 0 ? acked / seconds : Double.NaN;
    }

    @JsonProperty(access = JsonProperty.Access.READ_ONLY)
    public double historyWrittenPerSecond() {
      return seconds > 0 ? historyWritten / seconds : Double.NaN;
    }
  }

  /**
   * One of Atrium's figures beside a limit and a goal. {@code ratio} = value ÷ limit (NaN without a
   * limit); {@code goalMet} compares the ratio with {@code goalRatio}, or the value with
   * {@code goalValue} when the goal is absolute; null when there is nothing to compare with.
   */
  public record Comparison(String figure, String unit, double value, String limitName, double limit, double ratio, Double goalRatio,
      Double goalValue, Boolean goalMet) {}

  /** The history after the run, once it had written what it held (or the wait ran out). */
  public record HistoryAfter(long recorded, long written, long dropped, long failed, long pending, double waitedSeconds) {}

  public static final String MOSQUITTO_QOS0 = "mosquitto-qos0";
  public static final String MOSQUITTO_QOS1 = "mosquitto-qos1";
  public static final String ATRIUM_QOS0 = "atrium-qos0";
  public static final String ATRIUM_QOS1_TELEMETRY = "atrium-qos1-telemetry";
  public static final String ATRIUM_QOS1_EVENTS = "atrium-qos1-events";
  public static final String ATRIUM_HOT_TWIN = "atrium-hot-twin-qos0";

  /**
   * Atrium's figures against the limits (phases that did not run or did not complete are left out): QoS 0 messages against Mosquitto's QoS 0 relay (goal ≥ ½)
   * and data points against 200,000/s; QoS 1 PUBACKs against Mosquitto's QoS 1 PUBACKs (context) and,
   * when given ({@code barePersistRate} > 0), against the bare entity's persist rate (goal ≥ 70 %);
   * the hot twin's updates against 50,000/s and against Mosquitto's QoS 0 relay. A phase that did not
   * run is left out.
   */
  public static List<Comparison> compare(List<Phase> phases, double barePersistRate) {
    List<Comparison> out = new ArrayList<>();
    Phase m0 = find(phases, MOSQUITTO_QOS0), m1 = find(phases, MOSQUITTO_QOS1);
    Phase a0 = find(phases, ATRIUM_QOS0), a1t = find(phases, ATRIUM_QOS1_TELEMETRY), a1e = find(phases, ATRIUM_QOS1_EVENTS),
        hot = find(phases, ATRIUM_HOT_TWIN);
    double relay0 = m0 == null ? Double.NaN : m0.messagesPerSecond();
    double relayPoints0 = m0 == null ? Double.NaN : m0.pointsPerSecond();
    double acks1 = m1 == null ? Double.NaN : m1.ackedPerSecond();
    if (a0 != null) {
      out.add(ratio("QoS 0 telemetry messages into twin state", "messages/s", a0.messagesPerSecond(), "Mosquitto QoS 0 relayed messages/s",
          relay0, 0.5));
      out.add(absolute("QoS 0 data points into twin state", "points/s", a0.pointsPerSecond(), "Mosquitto QoS 0 relayed points/s",
          relayPoints0, 200_000));
      out.add(absolute("QoS 0 data points written to the telemetry history", "points/s", a0.historyWrittenPerSecond(),
          "Mosquitto QoS 0 relayed points/s", relayPoints0, 200_000));
    }
    if (a1t != null) {
      out.add(ratio("QoS 1 telemetry PUBACKed (folded into state)", "messages/s", a1t.ackedPerSecond(), "Mosquitto QoS 1 PUBACKs/s", acks1,
          null));
    }
    if (a1e != null) {
      out.add(ratio("QoS 1 events PUBACKed after persisting", "events/s", a1e.ackedPerSecond(), "Mosquitto QoS 1 PUBACKs/s", acks1, null));
      if (barePersistRate > 0) {
        out.add(ratio("QoS 1 events PUBACKed after persisting", "events/s", a1e.ackedPerSecond(),
            "bare entity persist rate (given with --bare-persist-rate)", barePersistRate, 0.7));
      }
    }
    if (hot != null) {
      out.add(absolute("hot twin: telemetry updates into one twin's state", "updates/s", hot.messagesPerSecond(),
          "Mosquitto QoS 0 relayed messages/s", relay0, 50_000));
    }
    return out;
  }

  /** The phase of that name if it ran its whole window; else null (left out of the comparisons). */
  /**
   * What the reader must know about the phases: failed publishes, messages the twin did not take,
   * history drops, connections the receiver closed, a phase where nothing arrived, a broker phase
   * whose publishing client used more CPU than the broker (then the relay figure is probably the
   * client's limit, and the ratios to it overstate Atrium), and points the history never wrote.
   */
  public static List<String> notes(List<Phase> phases, HistoryAfter after) {
    List<String> notes = new ArrayList<>();
    for (Phase p : phases) {
      if (p.errors() > 0) notes.add(p.name() + ": " + p.errors() + " publishes failed " + p.errorTypes());
      if (p.twinFailed() > 0) notes.add(p.name() + ": the twin refused or could not take " + p.twinFailed() + " messages (see the node's log)");
      if (p.historyDropped() > 0) notes.add(p.name() + ": the telemetry history dropped " + p.historyDropped() + " points (its buffer was full)");
      if (p.connectionsOpenAtEnd() < p.connections()) {
        notes.add(p.name() + ": the receiver closed " + (p.connections() - p.connectionsOpenAtEnd()) + " of " + p.connections()
            + " connections during the window (the client does not reconnect within a window)");
      }
      if (p.received() == 0) notes.add(p.name() + ": nothing arrived at the receiving end");
      if (p.target().equals("mosquitto") && p.clientCpu() > p.serverCpu()) {
        notes.add(String.format(Locale.ROOT, "%s: the publishing client used more CPU than the broker (%.0f %% against %.0f %% of the machine): "
            + "the relay figure is probably the client's limit, and Atrium's ratios to it overstate Atrium", p.name(), 100 * p.clientCpu(),
            100 * p.serverCpu()));
      }
    }
    if (after != null && after.pending() > 0) notes.add("the history still had " + after.pending() + " points to write when the node was stopped");
    return notes;
  }

  private static Phase find(List<Phase> phases, String name) {
    return phases.stream().filter(p -> p.name().equals(name) && p.complete()).findFirst().orElse(null);
  }

  static Comparison ratio(String figure, String unit, double value, String limitName, double limit, Double goalRatio) {
    double r = limit > 0 ? value / limit : Double.NaN;
    Boolean met = goalRatio == null || Double.isNaN(r) ? null : r >= goalRatio;
    return new Comparison(figure, unit, value, limitName, limit, r, goalRatio, null, met);
  }

  static Comparison absolute(String figure, String unit, double value, String limitName, double limit, double goalValue) {
    double r = limit > 0 ? value / limit : Double.NaN;
    return new Comparison(figure, unit, value, limitName, limit, r, null, goalValue, Double.isNaN(value) ? null : value >= goalValue);
  }

  public void write(Path file) {
    try {
      if (file.getParent() != null) Files.createDirectories(file.getParent());
      Files.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report " + file, e);
    }
  }

  public static IngestReport read(Path file) throws IOException {
    return Json.MAPPER.readValue(file.toFile(), IngestReport.class);
  }

  /** One screen: each phase's rates, then each comparison with its ratio and goal. */
  public String summary() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "Ingest over MQTT beside Mosquitto (%d cores, %s; node heap max %.0f MiB; %s)%n", machine.cores(),
        machine.java(), machine.serverHeapMaxMiB(), machine.mosquitto()));
    b.append(String.format(Locale.ROOT, "  %-22s %4s %7s %12s %12s %12s %13s %7s %7s %9s%n", "phase", "QoS", "assets", "sent/s", "acked/s",
        "arrived/s", "points/s", "server", "client", "ack p99"));
    for (Phase p : phases) {
      b.append(String.format(Locale.ROOT, "  %-22s %4d %7d %12s %12s %12s %13s %6.0f%% %6.0f%% %9s%n", p.name(), p.qos(), p.assets(),
          n(p.seconds() > 0 ? p.sent() / p.seconds() : Double.NaN), n(p.ackedPerSecond()), n(p.messagesPerSecond()), n(p.pointsPerSecond()),
          100 * p.serverCpu(), 100 * p.clientCpu(), Double.isNaN(p.ackP99Millis()) || p.acked() == 0 ? "-" : String.format(Locale.ROOT, "%.1f ms", p.ackP99Millis())));
      if (!p.complete()) b.append(String.format(Locale.ROOT, "  %-22s INCOMPLETE: measured %.1f s with %d of %d connections open%n", "",
          p.seconds(), p.connectionsOpenAtEnd(), p.connections()));
      if (p.errors() > 0 || p.twinFailed() > 0 || p.historyDropped() > 0) {
        b.append(String.format(Locale.ROOT, "  %-22s errors %d %s, twin failed %d, history dropped %d%n", "", p.errors(), p.errorTypes(),
            p.twinFailed(), p.historyDropped()));
      }
    }
    for (Comparison c : comparisons) {
      String goal = c.goalRatio() != null ? String.format(Locale.ROOT, "goal ratio ≥ %.2f", c.goalRatio())
          : c.goalValue() != null ? "goal ≥ " + n(c.goalValue()) + " " + c.unit() : "no goal";
      String met = c.goalMet() == null ? "" : c.goalMet() ? " — met" : " — NOT met";
      b.append(String.format(Locale.ROOT, "%s: %s %s; %s %s; ratio %s (%s%s)%n", c.figure(), n(c.value()), c.unit(), c.limitName(), n(c.limit()),
          Double.isNaN(c.ratio()) ? "-" : String.format(Locale.ROOT, "%.2f", c.ratio()), goal, met));
    }
    if (historyAfter != null) {
      b.append(String.format(Locale.ROOT, "history after the run: recorded %d, written %d, dropped %d, failed %d, pending %d (waited %.1f s)%n",
          historyAfter.recorded(), historyAfter.written(), historyAfter.dropped(), historyAfter.failed(), historyAfter.pending(),
          historyAfter.waitedSeconds()));
    }
    for (String note : notes) b.append("note: ").append(note).append('\n');
    return b.toString().stripTrailing();
  }

  static String n(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,.0f", v);
  }
}
