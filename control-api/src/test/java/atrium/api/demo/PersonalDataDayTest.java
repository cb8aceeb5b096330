package atrium.api.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.AtriumMain;
import atrium.api.TestNode;
import atrium.api.security.Role;
import atrium.core.clock.SimulatedClock;
import atrium.core.protocol.Envelope;
import atrium.core.testkit.TestTwins;
import atrium.sim.link.DeviceLink;
import atrium.sim.link.HttpDeviceLink;
import atrium.sim.run.InTheLoopRun;
import atrium.sim.scenario.ScenarioLoader;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A whole simulated day with the simulator in the loop (its cars report their plates at the gate
 * cameras and bay sensors, through the node's device door), while three people command the twin every
 * simulated hour. Every log line the node writes meanwhile at INFO and above (the production level)
 * is scanned; afterwards no plate the simulator sent may be in any of them (GB/T 35273, M
 * §7.6.3), and every command is in the audit log with its actor (issue 10 part 5).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PersonalDataDayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ZONE = "AHU-L1-01";

  @TempDir
  static Path dir;

  private AtriumMain.Node node;
  /** The province characters the simulator's plates begin with (atrium.sim.traffic.Plates). */
  private static final String PROVINCES = "\u6caa\u82cf\u6d59\u7696\u4eac\u7ca4";
  private final java.util.concurrent.atomic.AtomicLong lineCount = new java.util.concurrent.atomic.AtomicLong();
  private final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
  private final Set<String> plates = ConcurrentHashMap.newKeySet();
  private final Map<String, String> commandActors = new LinkedHashMap<>();
  private final HttpClient client = HttpClient.newHttpClient();
  private Level rootLevel;
  private Level atriumLevel;
  private AppenderBase<ILoggingEvent> capture;
  private ch.qos.logback.core.Appender<ILoggingEvent> stdout;

  @BeforeAll
  void start() {
    LoggerContext logs = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = logs.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger atrium = logs.getLogger("atrium");
    rootLevel = root.getLevel();
    atriumLevel = atrium.getLevel();
    capture = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent e) {
        StringBuilder b = new StringBuilder(e.getLoggerName()).append(' ').append(e.getFormattedMessage()).append(' ').append(e.getMDCPropertyMap());
        for (var t = e.getThrowableProxy(); t != null; t = t.getCause()) b.append(' ').append(t.getMessage());
        lineCount.incrementAndGet();
        // Every plate (raw or normalised) holds one of the simulator's province characters: keep only those lines.
        String line = b.toString();
        if (PROVINCES.chars().anyMatch(c -> line.indexOf(c) >= 0)) lines.add(line);
      }
    };
    capture.setContext(logs);
    capture.start();
    root.addAppender(capture);
    // INFO for every logger is loud: captured for the scan, kept off the console so a passing test stays quiet.
    stdout = root.getAppender("STDOUT");
    if (stdout != null) root.detachAppender(stdout);
    root.setLevel(Level.INFO);
    atrium.setLevel(Level.INFO);
    node = AtriumMain.Node.start(TestNode.config(dir));
  }

  @AfterAll
  void stop() {
    if (node != null) node.close();
    LoggerContext logs = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = logs.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAppender(capture);
    if (stdout != null) root.addAppender(stdout);
    root.setLevel(rootLevel);
    logs.getLogger("atrium").setLevel(atriumLevel);
  }

  @Test
  void aSimulatedDayLogsNoPlateAndAuditsEveryCommandWithItsActor() throws Exception {
    SimulatedClock clock = (SimulatedClock) node.runtime().clock();
    Path scenario = dir.resolve("day.json");
    Files.writeString(scenario, "{\"site\":\"" + TestTwins.demoMallFile().toAbsolutePath().toString().replace("\\", "/") + "\","
        + "\"start\":\"2026-12-24T00:00\",\"duration\":\"PT24H\",\"seed\":11,"
        + "\"visitors\":{\"arrivals\":[{\"from\":\"00:00\",\"to\":\"24:00\",\"perHour\":600}]},"
        + "\"cars\":{\"arrivals\":[{\"from\":\"00:00\",\"to\":\"24:00\",\"perHour\":120}]}}");
    Map<String, String> people = Map.of("alice-operator", token("alice-operator", Role.OPERATOR),
        "bob-engineer", token("bob-engineer", Role.ENGINEER), "carol-admin", token("carol-admin", Role.ADMIN));
    List<String> actors = List.of("alice-operator", "bob-engineer", "carol-admin");
    var loaded = ScenarioLoader.load(scenario).startingAt(clock.now());
    try (HttpDeviceLink http = new HttpDeviceLink(node.baseUri(), TestNode.GATEWAY, TestNode.GATEWAY_PASSWORD);
        InTheLoopRun run = new InTheLoopRun(loaded, new PlateRecorder(http, plates), clock::now,
            DemoTraffic.guidance(node.runtime().services(), node.runtime().services().sites().site("demo-mall").orElseThrow()))) {
      run.start();
      int step = 5;
      for (int minute = 0; minute < 24 * 60; minute += step) {
        clock.advance(Duration.ofMinutes(step));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (run.simulation().time() < (minute + step) * 60 - 1 && System.nanoTime() < deadline) Thread.onSpinWait();
        if (minute % 60 == 0) {
          String actor = actors.get((minute / 60) % actors.size());
          command(actor, people.get(actor), 18.0 + (minute / 60) % 4 * 0.5);
        }
      }
      // Refusals under overload (503, retryable) do not matter here: the plates of refused messages were sent too.
      assertTrue(run.sent() > 1000, "device messages the twin took: " + run.sent() + " (refused " + run.failed() + ")");
    }
    assertTrue(plates.size() > 100, "the simulator sent only " + plates.size() + " plates in a day");
    assertTrue(lineCount.get() > 10, "the log capture saw " + lineCount.get() + " lines");

    List<String> leaks = new ArrayList<>();
    synchronized (lines) {
      for (String line : lines) {
        for (String plate : plates) {
          if (line.contains(plate) || line.contains(atrium.core.privacy.Pseudonymiser.normalisePlate(plate))) leaks.add(plate + " in: " + line);
        }
      }
    }
    assertTrue(leaks.isEmpty(), leaks.size() + " log lines hold a raw plate, e.g. " + leaks.subList(0, Math.min(5, leaks.size())));

    Map<String, JsonNode> audited = new LinkedHashMap<>();
    String admin = token("audit-reader", Role.ADMIN);
    String cursor = null;
    do {
      HttpResponse<String> r = get("/api/v1/audit?site=demo-mall&limit=1000" + (cursor == null ? "" : "&cursor=" + cursor), admin);
      assertEquals(200, r.statusCode(), r.body());
      JsonNode page = JSON.readTree(r.body());
      for (JsonNode e : page.get("entries")) audited.putIfAbsent(e.path("requestId").asText() + "/" + e.path("outcome").asText(), e);
      cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
    } while (cursor != null);
    assertEquals(24, commandActors.size());
    for (var c : commandActors.entrySet()) {
      JsonNode e = audited.get(c.getKey() + "/accepted");
      assertTrue(e != null, "command " + c.getKey() + " of " + c.getValue() + " is not in the audit log as accepted");
      assertEquals(c.getValue(), e.path("actor").asText(), e.toString());
      assertEquals("person", e.path("actorKind").asText(), e.toString());
      assertEquals("hvac-zone.set-setpoints", e.path("action").asText(), e.toString());
      assertEquals(ZONE, e.path("target").asText(), e.toString());
    }
    for (String plate : plates) {
      for (JsonNode e : audited.values()) assertFalse(e.toString().contains(plate), "the audit log holds a plate: " + e);
    }
  }

  private void command(String actor, String token, double heating) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(node.baseUri() + "/api/v1/sites/demo-mall/assets/hvac-zone/" + ZONE + "/setpoints"))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"heating\":" + heating + ",\"cooling\":26.0}")).build();
    HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
    // A twin still waking on a busy machine answers 503 (retryable, and audited as failed): retry as a client would.
    for (int attempt = 0; attempt < 5 && r.statusCode() == 503; attempt++) r = client.send(req, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), actor + ": " + r.body());
    commandActors.put(r.headers().firstValue("X-Request-Id").orElseThrow(), actor);
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(node.baseUri() + path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
  }

  private String token(String subject, Role role) {
    return TestNode.token(node, subject, role, "demo-mall");
  }

  /** The simulator's link to the node, noting every plate its devices send. */
  private record PlateRecorder(DeviceLink link, Set<String> plates) implements DeviceLink {
    @Override
    public CompletionStage<Void> send(List<Envelope> envelopes) {
      for (Envelope e : envelopes) {
        ObjectNode data = e instanceof Envelope.Telemetry t ? t.data() : e instanceof Envelope.Event v ? v.data() : null;
        if (data != null && data.hasNonNull("plate")) plates.add(data.get("plate").asText());
      }
      return link.send(envelopes);
    }

    @Override
    public void close() {
      try {
        link.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
