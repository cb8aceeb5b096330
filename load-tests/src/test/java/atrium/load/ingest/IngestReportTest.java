package atrium.load.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import atrium.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestReportTest {
  /** A phase of {@code seconds} whose receiving end got {@code received} messages of {@code points} points each, all acknowledged. */
  static IngestReport.Phase phase(String name, int qos, double seconds, long received, int points, boolean complete) {
    String target = name.startsWith("mosquitto") ? "mosquitto" : "atrium";
    return new IngestReport.Phase(name, target, qos, 120, points, seconds, received, received, 0, Map.of(), received, received * points,
        received * points, received * points, 0, 0, 0, 0.5, 0.3, qos == 1 ? 2.0 : Double.NaN, qos == 1 ? 9.0 : Double.NaN, 16,
        complete ? 16 : 0, complete);
  }

  static List<IngestReport.Phase> phases() {
    return List.of(
        phase(IngestReport.MOSQUITTO_QOS0, 0, 10, 1_000_000, 8, true),          // 100,000 messages/s, 800,000 points/s
        phase(IngestReport.MOSQUITTO_QOS1, 1, 10, 400_000, 8, true),            // 40,000 PUBACKs/s
        phase(IngestReport.ATRIUM_QOS0, 0, 10, 300_000, 8, true),               // 30,000/s: 0.3 of the relay; 240,000 points/s
        phase(IngestReport.ATRIUM_QOS1_EVENTS, 1, 10, 80_000, 1, true),         // 8,000 events/s
        phase(IngestReport.ATRIUM_HOT_TWIN, 0, 10, 600_000, 8, true));          // 60,000 updates/s
  }

  static IngestReport.Comparison find(List<IngestReport.Comparison> list, String figure, String limit) {
    return list.stream().filter(c -> c.figure().equals(figure) && c.limitName().startsWith(limit)).findFirst().orElseThrow();
  }

  @Test
  void atriumsRatesAreDividedByMosquittosAndJudgedAgainstTheGoals() {
    List<IngestReport.Comparison> c = IngestReport.compare(phases(), 0);

    IngestReport.Comparison messages = find(c, "QoS 0 telemetry messages into twin state", "Mosquitto QoS 0");
    assertEquals(30_000, messages.value(), 1e-9);
    assertEquals(100_000, messages.limit(), 1e-9);
    assertEquals(0.3, messages.ratio(), 1e-9);
    assertEquals(Boolean.FALSE, messages.goalMet(), "0.3 of the relay is under the goal of one half");

    IngestReport.Comparison points = find(c, "QoS 0 data points into twin state", "Mosquitto QoS 0");
    assertEquals(240_000, points.value(), 1e-9);
    assertEquals(Boolean.TRUE, points.goalMet(), "240,000 points/s meets the 200,000 goal");

    IngestReport.Comparison hot = find(c, "hot twin: telemetry updates into one twin's state", "Mosquitto QoS 0");
    assertEquals(60_000, hot.value(), 1e-9);
    assertEquals(0.6, hot.ratio(), 1e-9);
    assertEquals(Boolean.TRUE, hot.goalMet());

    IngestReport.Comparison events = find(c, "QoS 1 events PUBACKed after persisting", "Mosquitto QoS 1");
    assertEquals(0.2, events.ratio(), 1e-9);
    assertNull(events.goalMet(), "against the broker the events have no goal");
  }

  @Test
  void theBareEntityComparisonAppearsOnlyWhenItsRateIsGiven() {
    assertTrue(IngestReport.compare(phases(), 0).stream().noneMatch(c -> c.limitName().startsWith("bare entity")));

    IngestReport.Comparison bare = find(IngestReport.compare(phases(), 10_000), "QoS 1 events PUBACKed after persisting", "bare entity");
    assertEquals(0.8, bare.ratio(), 1e-9);
    assertEquals(0.7, bare.goalRatio());
    assertEquals(Boolean.TRUE, bare.goalMet());
  }

  @Test
  void anIncompletePhaseIsLeftOutOfTheComparisons() {
    List<IngestReport.Phase> list = List.of(phase(IngestReport.MOSQUITTO_QOS0, 0, 10, 1_000_000, 8, true),
        phase(IngestReport.ATRIUM_QOS0, 0, 0.01, 2, 8, false));
    assertTrue(IngestReport.compare(list, 0).isEmpty());
  }

  @Test
  void withoutTheBrokersPhaseTheRatioIsUnknownButTheAbsoluteGoalIsStillJudged() {
    List<IngestReport.Comparison> c = IngestReport.compare(List.of(phase(IngestReport.ATRIUM_HOT_TWIN, 0, 10, 400_000, 8, true)), 0);
    assertEquals(1, c.size());
    assertTrue(Double.isNaN(c.get(0).ratio()));
    assertEquals(Boolean.FALSE, c.get(0).goalMet(), "40,000 updates/s is under 50,000");
  }

  @Test
  void theReportIsWrittenAsJsonWithEachPhasesRatesAndReadsBack(@TempDir Path dir) throws Exception {
    IngestReport report = new IngestReport("2026-11-23T07:00:00Z", new IngestReport.Machine(2, "Linux amd64", "Java 17", "heap max 1024 MiB",
        "-Xmx2g", 2048, "mosquitto version 2.0.11"), Map.of("windowSeconds", 10.0), phases(), IngestReport.compare(phases(), 0),
        new IngestReport.HistoryAfter(10, 10, 0, 0, 0, 0.5), List.of("a note"));
    Path file = dir.resolve("sub/ingest.json");
    report.write(file);

    JsonNode json = Json.MAPPER.readTree(Files.readAllBytes(file));
    assertEquals(5, json.get("phases").size());
    assertEquals(IngestReport.ATRIUM_QOS0, json.get("phases").get(2).get("name").asText());
    assertEquals(30_000, json.get("phases").get(2).get("messagesPerSecond").asDouble(), 1e-9);
    assertEquals(240_000, json.get("phases").get(2).get("pointsPerSecond").asDouble(), 1e-9);
    assertEquals(2, json.get("machine").get("cores").asInt());

    IngestReport back = IngestReport.read(file);
    assertEquals(report.phases(), back.phases());
    assertEquals(report.comparisons().size(), back.comparisons().size());
    assertEquals(0.3, back.comparisons().get(0).ratio(), 1e-9);
  }

  @Test
  void theSummaryShowsEveryPhaseAndEveryComparisonWithItsVerdict() {
    List<IngestReport.Phase> list = List.of(phases().get(0), phases().get(2), phase(IngestReport.ATRIUM_QOS1_EVENTS, 1, 0.2, 3, 1, false));
    IngestReport report = new IngestReport("t", new IngestReport.Machine(2, "Linux", "Java 17", "", "-Xmx2g", 2048, "mosquitto 2"),
        Map.of(), list, IngestReport.compare(list, 0), null, List.of("the receiver closed 16 of 16 connections"));
    String s = report.summary();
    assertTrue(s.contains(IngestReport.MOSQUITTO_QOS0) && s.contains(IngestReport.ATRIUM_QOS0), s);
    assertTrue(s.contains("100,000"), s);
    assertTrue(s.contains("ratio 0.30 (goal ratio ≥ 0.50 — NOT met)"), s);
    assertTrue(s.contains("INCOMPLETE"), s);
    assertFalse(s.contains("QoS 1 events PUBACKed"), "an incomplete phase is not compared: " + s);
    assertTrue(s.contains("note: the receiver closed"), s);
  }

  @Test
  void aBrokerPhaseWhoseClientOutworkedTheBrokerIsFlaggedAsTheClientsLimit() {
    // the fixture's phases: client 30 %, server 50 % → no flag
    assertTrue(IngestReport.notes(phases(), null).stream().noneMatch(n -> n.contains("client's limit")));
    IngestReport.Phase p = phases().get(0);
    IngestReport.Phase clientBound = new IngestReport.Phase(p.name(), p.target(), p.qos(), p.assets(), p.pointsPerMessage(), p.seconds(), p.sent(),
        p.acked(), 0, Map.of(), p.received(), p.points(), 0, 0, 0, 0, 0, 0.12, 0.70, Double.NaN, Double.NaN, 16, 16, true);
    List<String> notes = IngestReport.notes(List.of(clientBound), null);
    assertEquals(1, notes.size(), notes.toString());
    assertTrue(notes.get(0).startsWith("mosquitto-qos0: the publishing client used more CPU than the broker (70 % against 12 %"), notes.get(0));
  }

  @Test
  void historyDropsClosedConnectionsAndUnwrittenPointsAreNoted() {
    IngestReport.Phase p = phases().get(2);
    IngestReport.Phase troubled = new IngestReport.Phase(p.name(), p.target(), p.qos(), p.assets(), p.pointsPerMessage(), p.seconds(), p.sent(),
        p.acked(), 5, Map.of("mqtt-closed", 5L), p.received(), p.points(), 0, 0, 1234, 7, 0, 0.5, 0.2, Double.NaN, Double.NaN, 16, 12, true);
    List<String> notes = IngestReport.notes(List.of(troubled), new IngestReport.HistoryAfter(10, 4, 0, 0, 6, 60));
    assertEquals(List.of("atrium-qos0: 5 publishes failed {mqtt-closed=5}",
        "atrium-qos0: the twin refused or could not take 7 messages (see the node's log)",
        "atrium-qos0: the telemetry history dropped 1234 points (its buffer was full)",
        "atrium-qos0: the receiver closed 4 of 16 connections during the window (the client does not reconnect within a window)",
        "the history still had 6 points to write when the node was stopped"), notes);
  }
}
