package atrium.api.rest;

import atrium.api.http.ApiException;
import atrium.api.http.Call;
import atrium.api.http.Endpoint;
import atrium.api.http.Problem;
import atrium.api.http.Reply;
import atrium.api.security.Access;
import atrium.core.asset.AssetId;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Site;
import atrium.devices.energy.EnergyOptimisers;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The site energy optimiser (docs/energy-optimiser.md): everyone may read its status and decisions;
 * engineers suspend it, set the site's demand limit, and suspend or fix the setpoints of single zones;
 * operators declare and clear an evacuation, which puts every zone in smoke control.
 */
public final class EnergyEndpoints {
  private static final String BASE = "/api/v1/sites/{site}/energy";

  private final TwinServices services;
  private final EnergyOptimisers optimisers;

  public EnergyEndpoints(TwinServices services) {
    this.services = services;
    this.optimisers = new EnergyOptimisers(services);
  }

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.of("getEnergyOptimiser", HttpMethod.GET, BASE, Access.VIEW,
            "The site energy optimiser: mode, demand limit, tariff, pre-cooling plan, forecast, zones held, suspended or overridden",
            this::status),
        Endpoint.of("putEnergyOptimiser", HttpMethod.PUT, BASE, Access.ENGINEER,
            "Suspends or resumes the optimiser and/or sets the site's demand limit (kW, 0: none)", this::configure),
        Endpoint.of("listEnergyDecisions", HttpMethod.GET, BASE + "/decisions", Access.VIEW,
            "The optimiser's recent decisions, newest first, with their reasons and expected effect", this::decisions),
        Endpoint.of("putEnergyZoneControl", HttpMethod.PUT, BASE + "/zones/{zone}", Access.ENGINEER,
            "Suspends the optimiser for one HVAC zone and/or fixes the zone's setpoints", this::setZone),
        Endpoint.of("deleteEnergyZoneControl", HttpMethod.DELETE, BASE + "/zones/{zone}", Access.ENGINEER,
            "Hands an HVAC zone back to the optimiser", this::clearZone),
        Endpoint.of("declareEvacuation", HttpMethod.POST, BASE + "/evacuation", Access.OPERATE,
            "Declares an evacuation or smoke event: every HVAC zone to smoke control until cleared", this::declareEvacuation),
        Endpoint.of("clearEvacuation", HttpMethod.DELETE, BASE + "/evacuation", Access.OPERATE,
            "Ends the evacuation: the zones the optimiser put in smoke control resume", this::clearEvacuation));
  }

  private Site site(Call call) {
    String site = Assets.validSite(call.param("site"));
    return services.sites().site(site).orElseThrow(() -> new ApiException(Problem.unknownSite(site)));
  }

  private String zone(Site site, Call call) {
    String zone = call.param("zone");
    if (!AssetId.isValidName(zone)) {
      throw new ApiException(Problem.of(HttpResponseStatus.BAD_REQUEST, "invalid-asset-id", "Invalid asset id",
          "zone '" + zone + "' must match " + AssetId.NAME.pattern()));
    }
    if (site.hvacZone(zone).isEmpty()) {
      throw new ApiException(Problem.notFound("unknown-asset", "Unknown asset", "site " + site.id() + " has no HVAC zone '" + zone + "'"));
    }
    return zone;
  }

  private CompletionStage<Reply> status(Call call) {
    return answer(optimisers.status(site(call).id()), HttpResponseStatus.OK);
  }

  private CompletionStage<Reply> decisions(Call call) {
    Site site = site(call);
    for (String p : call.queryParameters().keySet()) {
      if (!p.equals("zone") && !p.equals("limit")) throw Call.badParameter(p, "is unknown; expected zone, limit");
    }
    Optional<String> zone = call.query("zone");
    if (zone.isPresent() && site.hvacZone(zone.get()).isEmpty()) {
      throw Call.badParameter("zone", "names no HVAC zone of site " + site.id() + ": '" + zone.get() + "'");
    }
    int limit = call.queryInt("limit", 50, 1, EnergyOptimisers.MAX_LISTED);
    return answer(optimisers.decisions(site.id(), zone.orElse(null), limit), HttpResponseStatus.OK);
  }

  private CompletionStage<Reply> configure(Call call) {
    String site = site(call).id();
    JsonNode body = call.jsonBody();
    Bodies.only(body, Set.of("suspended", "demandLimitKw"));
    Boolean suspended = optionalBoolean(body, "suspended");
    Double limit = null;
    if (body.has("demandLimitKw")) {
      limit = Bodies.number(body, "demandLimitKw");
      if (limit < 0 || limit > 1_000_000) throw Bodies.invalid("$.demandLimitKw", "must be 0 (no limit) to 1000000 kW");
    }
    if (suspended == null && limit == null) throw Bodies.invalid("$", "give suspended and/or demandLimitKw");
    return answer(optimisers.configure(site, suspended, limit, call.principal().subject()), HttpResponseStatus.OK);
  }

  private CompletionStage<Reply> setZone(Call call) {
    Site site = site(call);
    String zone = zone(site, call);
    JsonNode body = call.jsonBody();
    Bodies.only(body, Set.of("suspended", "override"));
    Boolean suspended = optionalBoolean(body, "suspended");
    Double heating = null, cooling = null;
    JsonNode override = body.get("override");
    if (override != null && !override.isNull()) {
      if (!override.isObject()) throw Bodies.invalid("$.override", "must be an object {heating, cooling} (°C)");
      for (var it = override.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!f.equals("heating") && !f.equals("cooling")) throw Bodies.invalid("$.override." + f, "unknown field; expected cooling, heating");
      }
      heating = number(override, "heating");
      cooling = number(override, "cooling");
    }
    if ((suspended == null || !suspended) && heating == null) {
      throw Bodies.invalid("$", "give suspended: true and/or override {heating, cooling}; to hand the zone back, DELETE it");
    }
    return answer(optimisers.setZone(site.id(), zone, suspended != null && suspended, heating, cooling,
        call.principal().subject()), HttpResponseStatus.OK);
  }

  private CompletionStage<Reply> clearZone(Call call) {
    Site site = site(call);
    return answer(optimisers.clearZone(site.id(), zone(site, call), call.principal().subject()), HttpResponseStatus.OK);
  }

  private CompletionStage<Reply> declareEvacuation(Call call) {
    String site = site(call).id();
    JsonNode body = call.jsonBody();
    Bodies.only(body, Set.of("reason"));
    String reason = Bodies.text(body, "reason");
    return answer(optimisers.declareEvacuation(site, reason, call.principal().subject()), HttpResponseStatus.OK);
  }

  private CompletionStage<Reply> clearEvacuation(Call call) {
    return answer(optimisers.clearEvacuation(site(call).id(), call.principal().subject()), HttpResponseStatus.OK);
  }

  private static Boolean optionalBoolean(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isBoolean()) throw Bodies.invalid("$." + field, "must be true or false");
    return v.asBoolean();
  }

  private static double number(JsonNode object, String field) {
    JsonNode v = object.get(field);
    if (v == null || v.isNull()) throw Bodies.invalid("$.override." + field, "required");
    if (!v.isNumber() || !Double.isFinite(v.asDouble())) throw Bodies.invalid("$.override." + field, "must be a number (°C)");
    return v.asDouble();
  }

  private static <T> CompletionStage<Reply> answer(CompletionStage<T> stage, HttpResponseStatus status) {
    return stage.handle((v, failure) -> {
      if (failure != null) throw AssetCommands.translate(failure);
      return Reply.json(status, v);
    });
  }
}
