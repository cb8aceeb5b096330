package atrium.api.rest;

import atrium.api.http.ApiException;
import atrium.api.http.Call;
import atrium.api.http.Endpoint;
import atrium.api.http.Problem;
import atrium.api.http.Reply;
import atrium.api.security.Access;
import atrium.core.json.Json;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Site;
import atrium.core.site.SiteLoader;
import atrium.devices.TwinGateway;
import atrium.sim.report.RunReport;
import atrium.sim.run.Simulation;
import atrium.sim.scenario.LoadedScenario;
import atrium.sim.scenario.ScenarioLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;

/**
 * "If we evacuate now, how long, and where will it jam?": a stand-alone run of the simulator from the
 * twin's present — the people the twin counts in each zone now — with a fire alarm at once in the
 * zone given ({@code {"zone": "ATR-L1", "closedExits": ["EXIT-01"]}}) and the exits given closed, run
 * to the last person out (at most three hours). It runs off the request's
 * thread, one at a time per node; the answer is the run's report (summary, evacuation curve,
 * bottlenecks), fetched when ready.
 */
public final class WhatIfEndpoints {
  static final int KEEP = 20;
  static final String MAX_DURATION = "PT3H";

  private final TwinServices services;
  private final TwinGateway gateway;
  private final Map<String, Path> siteFiles = new LinkedHashMap<>();
  private final Executor blocking;
  private final Semaphore oneAtATime = new Semaphore(1);
  private final Map<String, CompletableFuture<RunReport>> runs = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<RunReport>> eldest) {
      return size() > KEEP;
    }
  };

  public WhatIfEndpoints(TwinServices services, TwinGateway gateway, List<Path> siteFiles, Executor blocking) {
    this.services = services;
    this.gateway = gateway;
    this.blocking = blocking;
    for (Path f : siteFiles) {
      try {
        this.siteFiles.put(SiteLoader.load(f).id(), f.toAbsolutePath());
      } catch (Exception e) {
        throw new IllegalStateException("cannot read site file " + f, e);
      }
    }
  }

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.of("startEvacuationWhatIf", HttpMethod.POST, "/api/v1/sites/{site}/what-if/evacuation", Access.VIEW,
            "Simulates evacuating now, from the twin's present occupancy: how long, and where it jams (202, then GET)",
            this::start),
        new Endpoint("getEvacuationWhatIf", HttpMethod.GET, "/api/v1/sites/{site}/what-if/evacuation/{run}", Access.VIEW,
            "A what-if evacuation's report once it has run (202 while it runs)", true, this::result));
  }

  private CompletionStage<Reply> start(Call call) {
    String siteId = Assets.validSite(call.param("site"));
    Site site = services.sites().site(siteId).orElseThrow(() -> new ApiException(Problem.unknownSite(siteId)));
    JsonNode body = call.body().length == 0 ? Json.MAPPER.createObjectNode() : call.jsonBody();
    Bodies.only(body, Set.of("zone", "closedExits", "seed"));
    String zone = Bodies.text(body, "zone");
    if (site.zone(zone).isEmpty()) throw Bodies.invalid("$.zone", "'" + zone + "' is not a zone of " + siteId);
    List<String> closed = new ArrayList<>();
    JsonNode exits = body.get("closedExits");
    if (exits != null && !exits.isNull()) {
      if (!exits.isArray()) throw Bodies.invalid("$.closedExits", "must be an array of exit ids");
      for (int i = 0; i < exits.size(); i++) {
        String e = exits.get(i).asText();
        if (site.exits().stream().noneMatch(x -> x.id().equals(e))) {
          throw Bodies.invalid("$.closedExits[" + i + "]", "'" + e + "' is not an exit of " + siteId);
        }
        closed.add(e);
      }
    }
    if (closed.size() >= site.exits().size()) throw Bodies.invalid("$.closedExits", "at least one exit must stay open");
    long seed = body.path("seed").canConvertToLong() ? body.get("seed").asLong() : 1;
    if (!oneAtATime.tryAcquire()) {
      throw new ApiException(Problem.of(HttpResponseStatus.SERVICE_UNAVAILABLE, "busy", "A what-if is running",
          "this node runs one what-if at a time and one is running; retry shortly"));
    }
    String id = UUID.randomUUID().toString();
    Instant now = services.clock().now();
    CompletableFuture<RunReport> run = TwinOccupancy.of(gateway, site).thenApplyAsync(people -> simulate(site, now, zone, closed, seed, people), blocking)
        .toCompletableFuture();
    run.whenComplete((r, e) -> oneAtATime.release());
    synchronized (runs) {
      runs.put(id, run);
    }
    ObjectNode accepted = Json.MAPPER.createObjectNode().put("id", id).put("state", "running");
    return Replies.done(Reply.json(HttpResponseStatus.ACCEPTED, accepted)
        .withHeader("Location", "/api/v1/sites/" + siteId + "/what-if/evacuation/" + id));
  }

  private CompletionStage<Reply> result(Call call) {
    String siteId = Assets.validSite(call.param("site"));
    CompletableFuture<RunReport> run;
    synchronized (runs) {
      run = runs.get(call.param("run"));
    }
    if (run == null) {
      throw new ApiException(Problem.notFound("unknown-what-if", "Unknown what-if run",
          "no what-if run '" + call.param("run") + "' of " + siteId + " on this node (the last " + KEEP + " are kept)"));
    }
    if (!run.isDone()) return Replies.done(Reply.json(HttpResponseStatus.ACCEPTED, Map.of("id", call.param("run"), "state", "running")));
    if (run.isCompletedExceptionally()) {
      Throwable t = run.handle((r, e) -> e).join();
      throw new ApiException(Problem.of(HttpResponseStatus.INTERNAL_SERVER_ERROR, "what-if-failed", "The what-if run failed",
          "the simulation failed: " + Problem.unwrap(t).getMessage()));
    }
    return Replies.done(Reply.json(run.join()));
  }

  private RunReport simulate(Site site, Instant now, String zone, List<String> closed, long seed, Map<String, Integer> people) {
    ObjectNode s = Json.MAPPER.createObjectNode();
    s.put("site", siteFiles.get(site.id()).toString());
    s.put("description", "What if we evacuate now");
    s.put("start", now.toString());
    s.put("duration", MAX_DURATION);
    s.put("seed", seed);
    ArrayNode events = s.putArray("events");
    for (String e : closed) events.addObject().put("type", "exit-closed").put("exit", e).put("at", now.toString());
    events.addObject().put("type", "fire-alarm").put("zone", zone).put("at", now.toString());
    ObjectNode results = s.putObject("results");
    results.putArray("series").add("evacuation");
    results.put("every", "PT10S");
    LoadedScenario sc = ScenarioLoader.parse(s.toString().getBytes(StandardCharsets.UTF_8), "what-if", siteFiles.get(site.id()).getParent());
    long t0 = System.nanoTime();
    Simulation sim = new Simulation(sc, null);
    sim.populate(people);
    sim.step();
    while (!sim.finished() && sim.inside() > 0) sim.step();
    return sim.report("what-if evacuation of " + site.id() + " (alarm in " + zone + ")",
        (System.nanoTime() - t0) / 1e9);
  }
}
