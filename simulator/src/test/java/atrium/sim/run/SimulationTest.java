package atrium.sim.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.json.Json;
import atrium.core.protocol.Envelope;
import atrium.core.testkit.TestTwins;
import atrium.sim.report.RunReport;
import atrium.sim.scenario.LoadedScenario;
import atrium.sim.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The models stepped together on a scenario: repeatable, their devices reporting what they do, the twin's commands obeyed. */
class SimulationTest {
  @TempDir
  Path dir;

  private LoadedScenario scenario(String extra) throws Exception {
    String json = "{\"site\":\"" + TestTwins.demoMallFile().toAbsolutePath().toString().replace("\\", "/") + "\","
        + "\"start\":\"2026-12-24T13:00\",\"duration\":\"PT40M\",\"seed\":42,"
        + "\"visitors\":{\"arrivals\":[{\"from\":\"12:00\",\"to\":\"15:00\",\"perHour\":3000}]},"
        + "\"cars\":{\"arrivals\":[{\"from\":\"12:00\",\"to\":\"15:00\",\"perHour\":600}]},"
        + "\"devices\":{\"cameras\":{\"countNoise\":0}},"
        + "\"results\":{\"every\":\"PT1M\"}" + extra + "}";
    Path file = dir.resolve("s" + json.hashCode() + ".json");
    Files.writeString(file, json);
    return ScenarioLoader.load(file);
  }

  private static RunReport run(LoadedScenario sc, List<Envelope> sent) {
    Simulation sim = new Simulation(sc, sent == null ? null : sent::addAll);
    while (!sim.finished()) sim.step();
    return sim.report("test", 1);
  }

  @Test
  void theSameScenarioAndSeedGiveTheSameRun() throws Exception {
    RunReport a = run(scenario(""), null);
    RunReport b = run(scenario(""), null);
    assertEquals(a.summary(), b.summary());
    assertEquals(a.series().size(), b.series().size());
    for (int i = 0; i < a.series().size(); i++) {
      assertArrayEquals(a.series().get(i).times(), b.series().get(i).times());
      for (String line : a.series().get(i).lines().keySet()) {
        assertArrayEquals(a.series().get(i).lines().get(line), b.series().get(i).lines().get(line), a.series().get(i).id() + "." + line);
      }
    }
    assertTrue(((Number) a.summary().get("visitors who came in")).longValue() > 1500, a.summary().toString());
  }

  @Test
  void theDevicesReportWhatTheModelsDo() throws Exception {
    List<Envelope> sent = new ArrayList<>();
    RunReport r = run(scenario(""), sent);
    long bayOccupied = sent.stream().filter(e -> e.asset().kind() == AssetKind.PARKING_BAY && e instanceof Envelope.Telemetry t
        && t.data().path("occupied").asBoolean()).count();
    long plateReads = sent.stream().filter(e -> e instanceof Envelope.Event v && v.name().equals("plate-read")).count();
    assertTrue(bayOccupied > 100, "cars parked and their bays' sensors said so: " + bayOccupied);
    assertTrue(plateReads >= bayOccupied, "every parked car passed an entry gate: " + plateReads + " reads, " + bayOccupied + " cars");
    long hvac = sent.stream().filter(e -> e.asset().kind() == AssetKind.HVAC_ZONE).count();
    assertEquals(120 * 9, hvac, "120 HVAC zones report at the start and every 5 minutes to the end of 40 minutes");
    long counted = sent.stream().filter(e -> e.asset().kind() == AssetKind.CAMERA && e instanceof Envelope.Telemetry t && t.data().has("in"))
        .mapToLong(e -> ((Envelope.Telemetry) e).data().get("in").asLong()).sum();
    assertTrue(counted > 0, "the line cameras counted people crossing");
    assertEquals(((Number) r.summary().get("device messages")).longValue(), sent.size());
  }

  @Test
  void aSetpointCommandFromTheTwinIsObeyedAndAcknowledged() throws Exception {
    List<Envelope> sent = new ArrayList<>();
    Simulation sim = new Simulation(scenario(""), sent::addAll);
    sim.advanceTo(60);
    AssetId ahu = AssetId.of("demo-mall", AssetKind.HVAC_ZONE, "AHU-L1-01");
    var data = Json.MAPPER.createObjectNode().put("heating", 26.0).put("cooling", 28.0);
    sim.command(new Envelope.Command("set-setpoints-9", ahu, Instant.parse("2026-12-24T05:01:00Z"), "set-setpoints", data));
    sim.advanceTo(40 * 60);
    assertTrue(sent.stream().anyMatch(e -> e instanceof Envelope.Ack a && a.ref().equals("set-setpoints-9") && a.asset().equals(ahu)),
        "the command is acknowledged");
    List<Envelope.Telemetry> reports = sent.stream().filter(e -> e.asset().equals(ahu) && e instanceof Envelope.Telemetry)
        .map(e -> (Envelope.Telemetry) e).toList();
    double before = reports.get(0).data().get("temperature").asDouble();
    Envelope.Telemetry last = reports.get(reports.size() - 1);
    assertTrue(last.data().get("heatingOutput").asDouble() > 0, "the plant heats towards the new 26 °C: " + last.data());
    assertTrue(last.data().get("temperature").asDouble() > before + 0.5, "the zone warms: " + before + " -> " + last.data());
  }

  @Test
  void aFireAlarmEmptiesTheMallAndTheReportSaysHowLongItTookAndWhereItJammed() throws Exception {
    RunReport r = run(scenario(",\"events\":[{\"type\":\"fire-alarm\",\"zone\":\"ATR-L1\",\"at\":\"13:20\"}]"), null);
    Map<String, Object> s = r.summary();
    assertTrue(s.containsKey("total evacuation time (s)"), "everyone got out within 20 minutes: " + s);
    assertEquals(0, ((Number) s.get("people inside at the end")).intValue());
    assertTrue(r.tables().stream().anyMatch(t -> t.id().equals("bottlenecks")));
    assertTrue(r.series().stream().anyMatch(x -> x.id().equals("evacuation")));
  }
}
