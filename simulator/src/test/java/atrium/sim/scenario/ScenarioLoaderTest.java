package atrium.sim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.site.FieldError;
import atrium.core.testkit.TestTwins;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScenarioLoaderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SITES = TestTwins.demoMallFile().getParent();

  /** A small valid scenario of the demo mall, to break one field at a time. */
  private static final String VALID = """
      {
        "site": "demo-mall.json",
        "start": "2026-12-24T08:00",
        "duration": "PT12H",
        "seed": 42,
        "visitors": {
          "arrivals": [
            {"from": "09:00", "to": "10:00", "perHour": 1200},
            {"from": "10:00", "to": "12:00", "perHour": 1200, "rampTo": 3000}
          ],
          "ageGroups": {"under30": 0.4, "from30To50": 0.3, "over50": 0.25, "reducedMobility": 0.05}
        },
        "cars": {"arrivals": [{"from": "09:00", "to": "18:00", "perHour": 200}]},
        "events": [
          {"type": "fire-alarm", "zone": "ATR-L1", "at": "14:05"},
          {"type": "exit-closed", "exit": "EXIT-01", "at": "14:05"}
        ]
      }
      """;

  static Path scenariosFolder() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path f = p.resolve("scenarios");
      if (Files.isDirectory(f) && Files.isRegularFile(p.resolve("sites/demo-mall.json"))) return f;
    }
    throw new IllegalStateException("scenarios/ not found above " + Path.of("").toAbsolutePath());
  }

  static List<Path> bundled() {
    try (Stream<Path> files = Files.list(scenariosFolder())) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static LoadedScenario parse(String json) {
    return ScenarioLoader.parse(json.getBytes(StandardCharsets.UTF_8), "test scenario", SITES);
  }

  private static List<FieldError> errorsOf(String json) {
    return assertThrows(ScenarioValidationException.class, () -> parse(json)).errors();
  }

  @Test
  void theSixBundledScenariosAreThere() {
    List<String> names = bundled().stream().map(p -> p.getFileName().toString()).toList();
    assertTrue(names.containsAll(List.of("weekday.json", "holiday-surge.json", "evacuation-drill.json", "heatwave.json",
        "price-campaign.json", "plant-failure.json")), names::toString);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bundled")
  void everyBundledScenarioLoadsAgainstTheDemoMall(Path file) throws IOException {
    LoadedScenario s = ScenarioLoader.load(file);
    assertEquals("demo-mall", s.site().id());
    assertTrue(s.end().isAfter(s.start()));
    assertTrue(s.visitorRate().total() > 0, "nobody arrives");
  }

  @Test
  void theValidExampleLoads() {
    LoadedScenario s = parse(VALID);
    assertEquals(Instant.parse("2026-12-24T00:00:00Z"), s.start(), "08:00 in Shanghai");
    assertEquals(Instant.parse("2026-12-24T12:00:00Z"), s.end());
    assertEquals(42, s.seed());
  }

  @Test
  void holidaySurgeBringsOneHundredThousandVisitorsAndTenThousandCars() throws IOException {
    LoadedScenario s = ScenarioLoader.load(scenariosFolder().resolve("holiday-surge.json"));
    assertEquals(100_000, s.visitorRate().total(), 1_000);
    assertEquals(10_000, s.carRate().total(), 100);
    // and the peak is early in the afternoon
    Instant peak = Instant.parse("2026-12-24T06:00:00Z"); // 14:00 in Shanghai
    assertEquals(13_000, s.visitorRate().perHourAt(peak), 1e-6);
    assertEquals(s.visitorRate().peakPerHour(), s.visitorRate().perHourAt(peak), 1e-6);
  }

  @Test
  void theEvacuationDrillsAlarmAndClosedExitFallAtFourteenOFiveLocal() throws IOException {
    LoadedScenario s = ScenarioLoader.load(scenariosFolder().resolve("evacuation-drill.json"));
    assertEquals(2, s.events().size());
    for (LoadedScenario.TimedEvent e : s.events()) assertEquals(Instant.parse("2026-11-21T06:05:00Z"), e.at());
    assertTrue(s.events().get(0).event() instanceof ScenarioEvent.FireAlarm);
  }

  @Test
  void thePlantFailureLastsTwoHours() throws IOException {
    LoadedScenario s = ScenarioLoader.load(scenariosFolder().resolve("plant-failure.json"));
    LoadedScenario.TimedEvent e = s.events().get(0);
    assertEquals(java.time.Duration.ofHours(2), java.time.Duration.between(e.at(), e.until()));
    assertEquals(5, ((ScenarioEvent.HvacFailure) e.event()).hvacZones().size());
  }

  @Test
  void arrivalsAreSpreadOverExitsByWidthAndCarParksByBaysUnlessGiven() {
    LoadedScenario s = parse(VALID);
    assertEquals(1.0, s.entranceShares().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
    double totalWidth = s.site().exits().stream().mapToDouble(e -> e.width()).sum();
    assertEquals(6.0 / totalWidth, s.entranceShares().get("EXIT-01"), 1e-9);
    assertEquals(0.5, s.carParkShares().get("P-north"), 1e-9);
    assertEquals(0.5, s.carParkShares().get("P-south"), 1e-9);
  }

  @Test
  void leftOutFieldsGetTheDocumentedDefaults() {
    Scenario s = parse(VALID).scenario();
    assertEquals(Scenario.Visitors.DEFAULT_DWELL, s.visitors().dwell());
    assertEquals(new Scenario.SpeedRange(0.58, 1.61), s.visitors().walkingSpeeds().under30());
    assertEquals(new Scenario.SpeedRange(0.46, 0.76), s.visitors().walkingSpeeds().reducedMobility());
    assertEquals(0.7, s.cars().guidedShare());
    assertEquals(Scenario.Weather.DEFAULT, s.weather());
    assertEquals(List.of(Scenario.Series.values()), s.results().series());
    assertEquals(0.05, s.devices().cameras().countNoise());
    assertEquals(ScenarioEvent.FireAlarm.DEFAULT_REACTION, ((ScenarioEvent.FireAlarm) s.events().get(0)).reaction());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bundled")
  void aBundledScenarioWrittenOutReadsBackEqual(Path file) throws IOException {
    LoadedScenario first = ScenarioLoader.load(file);
    String written = ScenarioJson.write(first.scenario());
    LoadedScenario again = ScenarioLoader.parse(written.getBytes(StandardCharsets.UTF_8), "written", file.getParent());
    assertEquals(first.scenario(), again.scenario());
    assertEquals(written, ScenarioJson.write(again.scenario()));
  }

  // --- bad inputs: each refused at its path, with a reason

  private static Arguments bad(String name, Consumer<ObjectNode> change, String path, String reason) {
    return Arguments.of(Named.of(name, change), path, reason);
  }

  private static ObjectNode event(ObjectNode s, int i) {
    return (ObjectNode) s.withArray("events").get(i);
  }

  private static ObjectNode stage(ObjectNode s, int i) {
    return (ObjectNode) s.with("visitors").withArray("arrivals").get(i);
  }

  static Stream<Arguments> badInputs() {
    return Stream.of(
        bad("unknown top-level field", s -> s.put("sede", 7), "$.sede", "unknown field; expected site, description, start"),
        bad("unknown field in a period", s -> stage(s, 0).put("rate", 5), "$.visitors.arrivals[0].rate",
            "unknown field; expected from, to, perHour, rampTo"),
        bad("missing seed", s -> s.remove("seed"), "$.seed", "required"),
        bad("seed as a string", s -> s.put("seed", "42"), "$.seed", "expected an integer, found a string"),
        bad("seed with a fraction", s -> s.put("seed", 4.2), "$.seed", "expected an integer, found 4.2"),
        bad("rate as a string", s -> stage(s, 1).put("perHour", "many"), "$.visitors.arrivals[1].perHour",
            "expected a number, found a string"),
        bad("duration not ISO-8601", s -> s.put("duration", "two hours"), "$.duration",
            "expected an ISO-8601 duration like \"PT1H30M\", found \"two hours\""),
        bad("duration as a number", s -> s.put("duration", 3600), "$.duration",
            "expected an ISO-8601 duration like \"PT1H30M\", found 3600"),
        bad("negative duration", s -> s.put("duration", "-PT1H"), "$.duration", "must be positive, was PT-1H"),
        bad("zero duration", s -> s.put("duration", "PT0S"), "$.duration", "must be positive, was PT0S"),
        bad("start as a bare time of day", s -> s.put("start", "08:00"), "$.start", "expected a date and time"),
        bad("start not a time", s -> s.put("start", "tomorrow"), "$.start", "expected a time like \"14:05\""),
        bad("time of day past 24:00", s -> stage(s, 0).put("to", "25:00"), "$.visitors.arrivals[0].to",
            "expected a time of day like \"09:30\" (00:00 to 24:00), found \"25:00\""),
        bad("age shares not summing to 1", s -> s.with("visitors").with("ageGroups").put("over50", 0.2),
            "$.visitors.ageGroups", "the shares must sum to 1, they sum to 0.95"),
        bad("a share above 1", s -> s.with("visitors").with("ageGroups").put("under30", 1.5),
            "$.visitors.ageGroups.under30", "a share must be between 0 and 1, was 1.5"),
        bad("a period ending before it starts", s -> stage(s, 0).put("to", "08:00"), "$.visitors.arrivals[0].to",
            "must be after from (09:00), was 08:00"),
        bad("overlapping periods", s -> stage(s, 1).put("from", "09:30"), "$.visitors.arrivals[1].from",
            "overlaps the period above it (09:00–10:00): starts at 09:30, before 10:00"),
        bad("periods out of order", s -> stage(s, 1).put("from", "07:00").put("to", "08:00").remove("rampTo"),
            "$.visitors.arrivals[1].from", "periods must be in order of time: 07:00–08:00 starts before"),
        bad("a negative rate", s -> stage(s, 1).put("rampTo", -5), "$.visitors.arrivals[1].rampTo",
            "arrivals per hour must be a finite number ≥ 0, was -5"),
        bad("an event naming a zone the site lacks", s -> event(s, 0).put("zone", "ATR-L9"), "$.events[0].zone",
            "the site has no zone 'ATR-L9'"),
        bad("an event naming an exit the site lacks", s -> event(s, 1).put("exit", "EXIT-99"), "$.events[1].exit",
            "the site has no exit 'EXIT-99'; expected one of EXIT-01, EXIT-02"),
        bad("an unknown event type", s -> event(s, 1).put("type", "flood"), "$.events[1].type",
            "unknown type 'flood'; expected one of fire-alarm, exit-closed"),
        bad("an event without a type", s -> event(s, 1).remove("type"), "$.events[1].type", "required; one of fire-alarm"),
        bad("an event after the run", s -> event(s, 0).put("at", "2026-12-24T21:00"), "$.events[0].at",
            "is 2026-12-24T21:00, not before the run ends (2026-12-24T20:00)"),
        bad("an event time of day that falls after the run", s -> event(s, 0).put("at", "07:00"), "$.events[0].at",
            "is \"07:00\" (the first 07:00 after the run's start, 2026-12-25T07:00), not before the run ends"),
        bad("an exit opened that was never closed", s -> event(s, 1).put("type", "exit-opened"), "$.events[1].exit",
            "exit 'EXIT-01' is not closed at that time"),
        bad("entrance share for an unknown exit",
            s -> s.with("visitors").putObject("entrances").put("EXIT-01", 0.5).put("EXIT-99", 0.5),
            "$.visitors.entrances['EXIT-99']", "the site has no exit 'EXIT-99'"),
        bad("entrance shares not summing to 1", s -> s.with("visitors").putObject("entrances").put("EXIT-01", 0.5),
            "$.visitors.entrances", "the shares must sum to 1, they sum to 0.5"),
        bad("an unknown result series", s -> s.putObject("results").putArray("series").add("heatmap"),
            "$.results.series[0]", "unknown value 'heatmap'; expected one of occupancy, density-heat-map"),
        bad("noise given for an offline camera", s -> s.withArray("events").addObject().put("type", "camera-fault")
            .put("at", "10:00").put("mode", "offline").put("noise", 0.2).putArray("cameras").add("CAM-0001"),
            "$.events[2].noise", "only with mode noise"),
        bad("a camera the site lacks", s -> s.withArray("events").addObject().put("type", "camera-fault")
            .put("at", "10:00").put("mode", "offline").putArray("cameras").add("CAM-9999"),
            "$.events[2].cameras[0]", "the site has no camera 'CAM-9999'"),
        bad("a plant failure ending before it starts", s -> s.withArray("events").addObject().put("type", "hvac-failure")
            .put("at", "12:00").put("until", "2026-12-24T11:00").putArray("hvacZones").add("AHU-L1-01"),
            "$.events[2].until", "must be after the event's at (2026-12-24T12:00), was 2026-12-24T11:00"),
        bad("a price campaign on a shop without labels", s -> s.withArray("events").addObject()
            .put("type", "price-campaign").put("at", "10:00").put("priceChange", -0.1).putArray("zones").add("C-L1-N"),
            "$.events[2].zones[0]", "zone 'C-L1-N' has no shelf labels"),
        bad("a car park the site lacks", s -> s.withArray("events").addObject().put("type", "car-park-closed")
            .put("at", "10:00").put("carPark", "P-east"),
            "$.events[2].carPark", "the site has no car park 'P-east'; expected one of P-north, P-south"),
        bad("a site file that is not there", s -> s.put("site", "no-such-mall.json"), "$.site", "no site file at"),
        bad("weather points out of order", s -> s.putObject("weather").putArray("points")
            .add(JSON.createObjectNode().put("at", "14:00").put("temperature", 20).put("humidity", 50))
            .add(JSON.createObjectNode().put("at", "06:00").put("temperature", 10).put("humidity", 80)),
            "$.weather.points[1].at", "points must be in order of time of day"),
        bad("an ack-loss probability of 1", s -> s.putObject("devices").putObject("shelfLabels").put("ackLoss", 1.0),
            "$.devices.shelfLabels.ackLoss", "a probability at least 0 and below 1, was 1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void aBadInputIsRefusedAtItsPathWithAReason(Consumer<ObjectNode> change, String path, String reason) throws IOException {
    ObjectNode s = (ObjectNode) JSON.readTree(VALID);
    change.accept(s);
    List<FieldError> errors = errorsOf(JSON.writeValueAsString(s));
    assertEquals(1, errors.size(), () -> "expected one error, got " + errors);
    assertEquals(path, errors.get(0).path(), errors::toString);
    assertTrue(errors.get(0).message().startsWith(reason), () -> "'" + errors.get(0).message() + "' does not start with '" + reason + "'");
  }

  @Test
  void severalShapeErrorsAreReportedTogether() throws IOException {
    ObjectNode s = (ObjectNode) JSON.readTree(VALID);
    s.remove("seed");
    s.put("duration", 12);
    stage(s, 0).put("perHour", "lots");
    event(s, 0).remove("zone");
    event(s, 0).put("zoen", "ATR-L1");
    ScenarioValidationException e = assertThrows(ScenarioValidationException.class,
        () -> parse(JSON.writeValueAsString(s)));
    List<String> paths = e.errors().stream().map(FieldError::path).sorted().toList();
    assertEquals(List.of("$.duration", "$.events[0].zoen", "$.events[0].zone", "$.seed", "$.visitors.arrivals[0].perHour"),
        paths, e::getMessage);
    assertTrue(e.getMessage().startsWith("test scenario is not a valid scenario: 5 errors"), e::getMessage);
  }

  @Test
  void severalMeaningErrorsAreReportedTogetherWithUnknownFields() throws IOException {
    ObjectNode s = (ObjectNode) JSON.readTree(VALID);
    s.put("colour", "blue");
    s.put("duration", "-PT2H");
    s.with("visitors").with("ageGroups").put("over50", 0.5);
    event(s, 0).put("zone", "NOWHERE");
    stage(s, 1).put("from", "09:30");
    List<String> errors = errorsOf(JSON.writeValueAsString(s)).stream().map(FieldError::toString).toList();
    assertEquals(5, errors.size(), errors::toString);
    assertTrue(errors.contains("$.duration: must be positive, was PT-2H"), errors::toString);
    assertTrue(errors.contains("$.visitors.ageGroups: the shares must sum to 1, they sum to 1.25"), errors::toString);
    assertTrue(errors.contains("$.events[0].zone: the site has no zone 'NOWHERE'"), errors::toString);
    assertTrue(errors.stream().anyMatch(m -> m.startsWith("$.colour: unknown field")), errors::toString);
    assertTrue(errors.stream().anyMatch(m -> m.startsWith("$.visitors.arrivals[1].from: overlaps")), errors::toString);
  }

  @Test
  void invalidJsonIsRefusedWithItsLine() {
    List<FieldError> errors = errorsOf("{\n  \"site\": \"demo-mall.json\",\n  \"seed\": 4 2\n}");
    assertEquals(1, errors.size(), errors::toString);
    assertTrue(errors.get(0).message().startsWith("not valid JSON at line 3"), errors::toString);
  }

  @Test
  void anInvalidSiteIsReportedAtTheSiteField(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("broken.json"), "{\"id\": \"x\"}");
    ObjectNode s = (ObjectNode) JSON.readTree(VALID);
    s.put("site", "broken.json");
    List<FieldError> errors = assertThrows(ScenarioValidationException.class,
        () -> ScenarioLoader.parse(JSON.writeValueAsBytes(s), "t", dir)).errors();
    assertEquals(1, errors.size(), errors::toString);
    assertEquals("$.site", errors.get(0).path());
    assertTrue(errors.get(0).message().contains("is not a valid site"), errors::toString);
  }

  @Test
  void theSitePathIsReadFromTheScenarioFilesFolderNotTheWorkingDirectory(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    Path nested = Files.createDirectories(dir.resolve("a/b"));
    Files.copy(TestTwins.demoMallFile(), dir.resolve("a/mall.json"));
    JsonNode s = ((ObjectNode) JSON.readTree(VALID)).put("site", "../mall.json");
    Path file = nested.resolve("s.json");
    Files.write(file, JSON.writeValueAsBytes(s));
    assertEquals(dir.resolve("a/mall.json").toAbsolutePath().normalize(), ScenarioLoader.load(file).siteFile());
    assertFalse(Files.exists(Path.of("../mall.json")));
  }

  @Test
  void eventsComeInOrderOfTimeWhateverTheFileOrder() throws IOException {
    ObjectNode s = (ObjectNode) JSON.readTree(VALID);
    ArrayNode events = s.withArray("events");
    events.addObject().put("type", "kiosk-fault").put("at", "09:15").putArray("kiosks").add("KIOSK-01");
    List<LoadedScenario.TimedEvent> timed = parse(JSON.writeValueAsString(s)).events();
    assertTrue(timed.get(0).event() instanceof ScenarioEvent.KioskFault);
    assertEquals(parse(VALID).end(), timed.get(0).until(), "a fault without until lasts to the end of the run");
    assertEquals(timed.get(1).at(), timed.get(1).until(), "an alarm is a moment");
    assertEquals(List.of("fire-alarm", "exit-closed"),
        timed.stream().skip(1).map(t -> ScenarioEvent.typeName(t.event())).collect(Collectors.toList()));
  }
}
