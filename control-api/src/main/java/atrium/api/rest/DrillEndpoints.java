package atrium.api.rest;

import atrium.api.drill.Drill;
import atrium.api.http.ApiException;
import atrium.api.http.Call;
import atrium.api.http.Endpoint;
import atrium.api.http.Problem;
import atrium.api.http.Reply;
import atrium.api.security.Access;
import atrium.core.clock.TwinClock;
import atrium.core.json.Json;
import atrium.core.site.SiteLoader;
import atrium.sim.scenario.ClockTime;
import atrium.sim.scenario.LoadedScenario;
import atrium.sim.scenario.ScenarioEvent;
import atrium.sim.scenario.ScenarioLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Drills: an operator runs one of the bundled scenarios ({@code scenarios/evacuation-drill.json},
 * {@code scenarios/holiday-surge.json}, beside the site file's folder) through the simulator, paced by
 * the twin's clock, and everyone on the site watches its progress — people inside, out by each exit,
 * the evacuation curve, the bottlenecks, the time to evacuate. The drill's crowd runs beside the twin:
 * it changes no twin state. One drill per site at a time; the last one stays readable once it ended.
 */
public final class DrillEndpoints {
  public static final List<String> BUNDLED = List.of("evacuation-drill", "holiday-surge");
  public static final double MIN_SPEED = 1;
  public static final double MAX_SPEED = 600;
  public static final double DEFAULT_SPEED = 60;

  private final TwinClock clock;
  /** Per site, the bundled scenarios found for it: id → file. */
  private final Map<String, Map<String, Path>> scenarios = new LinkedHashMap<>();
  private final Map<String, Drill> drills = new ConcurrentHashMap<>();
  private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "atrium-drill");
    t.setDaemon(true);
    return t;
  });

  public DrillEndpoints(TwinClock clock, List<Path> siteFiles) {
    this.clock = clock;
    for (Path f : siteFiles) {
      Path site = f.toAbsolutePath().normalize();
      try {
        String id = SiteLoader.load(f).id();
        Map<String, Path> found = new LinkedHashMap<>();
        for (String name : BUNDLED) {
          Path sc = site.getParent().resolveSibling("scenarios").resolve(name + ".json");
          if (Files.isRegularFile(sc) && ScenarioLoader.load(sc).siteFile().toAbsolutePath().normalize().equals(site)) found.put(name, sc);
        }
        scenarios.put(id, found);
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException("cannot read the site file " + f + " or its bundled scenarios", e);
      }
    }
  }

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.of("listDrillScenarios", HttpMethod.GET, "/api/v1/sites/{site}/drill/scenarios", Access.VIEW,
            "The bundled scenarios a drill can run: description, window, fire alarm", this::list),
        Endpoint.of("startDrill", HttpMethod.POST, "/api/v1/sites/{site}/drill", Access.OPERATE,
            "Starts a drill of a bundled scenario beside the twin, paced by the twin's clock (409 while one runs)", this::start),
        Endpoint.of("getDrill", HttpMethod.GET, "/api/v1/sites/{site}/drill", Access.VIEW,
            "The site's drill, running or the last one: sim time, people inside, out by exit, evacuation curve, bottlenecks",
            this::get),
        Endpoint.of("stopDrill", HttpMethod.POST, "/api/v1/sites/{site}/drill/stop", Access.OPERATE,
            "Stops the site's running drill where it is", this::stop));
  }

  private Map<String, Path> scenariosOf(Call call) {
    String site = Assets.validSite(call.param("site"));
    Map<String, Path> found = scenarios.get(site);
    if (found == null) throw new ApiException(Problem.unknownSite(site));
    return found;
  }

  private CompletionStage<Reply> list(Call call) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (var e : scenariosOf(call).entrySet()) {
      LoadedScenario sc = load(e.getValue());
      ObjectNode o = out.addObject().put("id", e.getKey()).put("description", sc.scenario().description())
          .put("start", local(sc, sc.start())).put("end", local(sc, sc.end()));
      alarm(sc).ifPresent(at -> o.put("alarmAt", local(sc, at)));
    }
    return Replies.done(Reply.json(Map.of("scenarios", out, "minSpeed", MIN_SPEED, "maxSpeed", MAX_SPEED, "defaultSpeed", DEFAULT_SPEED)));
  }

  private CompletionStage<Reply> start(Call call) {
    Map<String, Path> found = scenariosOf(call);
    String site = call.param("site");
    JsonNode body = call.body().length == 0 ? Json.MAPPER.createObjectNode() : call.jsonBody();
    Bodies.only(body, Set.of("scenario", "speed", "from"));
    String name = Bodies.text(body, "scenario");
    Path file = found.get(name);
    if (file == null) throw Bodies.invalid("$.scenario", "'" + name + "' is not a bundled scenario of " + site + "; expected one of " + found.keySet());
    double speed = body.hasNonNull("speed") ? Bodies.number(body, "speed") : DEFAULT_SPEED;
    if (speed < MIN_SPEED || speed > MAX_SPEED) {
      throw Bodies.invalid("$.speed", "must be from " + (int) MIN_SPEED + " to " + (int) MAX_SPEED + " (scenario seconds per real second)");
    }
    LoadedScenario sc = load(file);
    Instant from = Bodies.optionalText(body, "from").map(f -> from(sc, f)).orElse(sc.start());
    List<String> closed = new ArrayList<>();
    for (LoadedScenario.TimedEvent e : sc.events()) {
      if (e.event() instanceof ScenarioEvent.ExitClosed c) closed.add(c.exit());
    }
    Drill drill = new Drill(UUID.randomUUID().toString(), name, sc, from, speed, call.principal().subject(), clock, workers, closed);
    Drill before = drills.compute(site, (k, old) -> old == null || old.state().phase().ended() ? drill : old);
    if (before != drill) {
      throw new ApiException(Problem.conflict("drill-running", "A drill is running",
          "the drill of '" + before.state().scenario() + "' started by " + before.state().startedBy() + " is running on " + site
              + "; stop it first (one drill per site)"));
    }
    drill.start();
    return Replies.done(Reply.json(HttpResponseStatus.CREATED, drill.state()).withHeader("Location", "/api/v1/sites/" + site + "/drill"));
  }

  private CompletionStage<Reply> get(Call call) {
    return Replies.done(Reply.json(current(call).state()));
  }

  private CompletionStage<Reply> stop(Call call) {
    Drill drill = current(call);
    if (!drill.stop()) {
      throw new ApiException(Problem.conflict("drill-ended", "The drill has ended",
          "the drill of '" + drill.state().scenario() + "' has already ended (" + drill.state().phase().wire() + ")"));
    }
    return Replies.done(Reply.json(drill.state()));
  }

  private Drill current(Call call) {
    scenariosOf(call);
    Drill drill = drills.get(call.param("site"));
    if (drill == null) throw new ApiException(Problem.notFound("no-drill", "No drill", "no drill has run on " + call.param("site") + " since this node started"));
    return drill;
  }

  /** {@code HH:mm} on the scenario's first day, within its window. */
  private static Instant from(LoadedScenario sc, String text) {
    ClockTime t;
    try {
      t = ClockTime.parse(text);
    } catch (RuntimeException e) {
      throw Bodies.invalid("$.from", "'" + text + "' is not a time of day HH:mm");
    }
    Instant at = sc.start().atZone(sc.zone()).toLocalDate().atStartOfDay(sc.zone()).plusSeconds(t.secondOfDay()).toInstant();
    if (at.isBefore(sc.start()) || !at.isBefore(sc.end())) {
      throw Bodies.invalid("$.from", "must be within the scenario's window " + local(sc, sc.start()) + " – " + local(sc, sc.end()));
    }
    return at;
  }

  private static Optional<Instant> alarm(LoadedScenario sc) {
    return sc.events().stream().filter(e -> e.event() instanceof ScenarioEvent.FireAlarm).map(LoadedScenario.TimedEvent::at).findFirst();
  }

  private static LoadedScenario load(Path file) {
    try {
      return ScenarioLoader.load(file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  private static String local(LoadedScenario sc, Instant at) {
    return java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(at.atZone(sc.zone()));
  }
}
