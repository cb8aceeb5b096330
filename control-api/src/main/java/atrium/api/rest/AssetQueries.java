package atrium.api.rest;

import atrium.api.http.ApiException;
import atrium.api.http.Call;
import atrium.api.http.Endpoint;
import atrium.api.http.Problem;
import atrium.api.http.Reply;
import atrium.api.security.Access;
import atrium.api.security.Principal;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.history.TelemetryHistory;
import atrium.core.history.TelemetryPoint;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Site;
import atrium.core.site.SiteJson;
import atrium.devices.TwinGateway;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reads over many assets and over time: a site's model (floors, zones and their outlines, car
 * parks, devices), the asset listing by kind, floor, zone and state with paging, and one asset's
 * telemetry history, raw or downsampled.
 */
public final class AssetQueries {
  static final int MAX_LIMIT = 500;
  static final int DEFAULT_LIMIT = 100;
  /** States read at most per page when filtering by state, so one request's cost is bounded. */
  static final int SCAN_BUDGET = 2_000;
  /** States read concurrently by one request. */
  static final int READ_CHUNK = 64;
  static final Duration MAX_HISTORY_RANGE = Duration.ofDays(31);
  static final Duration DEFAULT_HISTORY_RANGE = Duration.ofHours(24);
  static final int MAX_POINTS = 10_000;
  static final int MAX_BUCKETS = 5_000;
  private static final Set<String> LIST_PARAMETERS = Set.of("kind", "floor", "zone", "limit", "cursor");

  private final TwinServices services;
  private final TwinGateway gateway;

  public AssetQueries(TwinServices services, TwinGateway gateway) {
    this.services = services;
    this.gateway = gateway;
  }

  public List<Endpoint> endpoints() {
    return List.of(
        new Endpoint("getSiteModel", HttpMethod.GET, "/api/v1/sites/{site}/model", Access.VIEW,
            "The site's model: floors, zones with outlines, links, exits, car parks, devices", true, this::model),
        Endpoint.of("listAssets", HttpMethod.GET, "/api/v1/sites/{site}/assets", Access.VIEW,
            "Assets by kind, floor, zone and state, a page at a time", this::list),
        Endpoint.of("getAssetHistory", HttpMethod.GET, TwinReads.ASSET + "/history", Access.VIEW,
            "An asset's telemetry over a time range, raw or downsampled", this::history));
  }

  private Site site(Call call) {
    String id = Assets.validSite(call.param("site"));
    return services.sites().site(id).orElseThrow(() -> new ApiException(Problem.unknownSite(id)));
  }

  private CompletionStage<Reply> model(Call call) {
    Site site = site(call);
    String json = SiteJson.write(site);
    String etag = ETags.of(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    if (ETags.noneMatchHits(call, etag)) return Replies.done(Reply.notModified(etag));
    return Replies.done(Reply.text(Reply.JSON, json).withHeader("ETag", etag));
  }

  private CompletionStage<Reply> list(Call call) {
    Site site = site(call);
    Map<String, String> stateFilter = new LinkedHashMap<>();
    for (var p : call.queryParameters().entrySet()) {
      String name = p.getKey();
      if (LIST_PARAMETERS.contains(name)) continue;
      if (!name.startsWith("state.") || name.length() == "state.".length()) {
        throw Call.badParameter(name, "is not known here; filter with kind, floor, zone, or state.<field>=<value>"
            + " (e.g. state.status=free), and page with limit and cursor");
      }
      stateFilter.put(name.substring("state.".length()), call.query(name).orElse(""));
    }
    List<AssetKind> kinds = new ArrayList<>();
    for (String k : call.queryAll("kind")) {
      AssetKind kind = AssetKind.fromWireName(k).orElseThrow(() -> Call.badParameter("kind",
          "'" + k + "' is not an asset kind; kinds: " + AssetKind.wireNames()));
      if (!AssetCatalog.LISTED.contains(kind)) throw Call.badParameter("kind", "'" + k + "' assets are not listed here");
      kinds.add(kind);
    }
    if (kinds.isEmpty()) kinds.addAll(AssetCatalog.LISTED);
    Optional<String> floor = call.query("floor");
    if (floor.isPresent() && site.floor(floor.get()).isEmpty()) throw Call.badParameter("floor", "'" + floor.get() + "' is not a floor of " + site.id());
    Optional<String> zone = call.query("zone");
    if (zone.isPresent() && site.zone(zone.get()).isEmpty()) throw Call.badParameter("zone", "'" + zone.get() + "' is not a zone of " + site.id());
    int limit = call.queryInt("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    int cursor = cursor(call);

    List<AssetCatalog.Entry> candidates = new ArrayList<>();
    for (AssetKind kind : kinds) {
      for (AssetCatalog.Entry e : AssetCatalog.of(site, kind)) {
        if (floor.isPresent() && !floor.get().equals(e.floor())) continue;
        if (zone.isPresent() && !zone.get().equals(e.zone())) continue;
        candidates.add(e);
      }
    }
    int budget = stateFilter.isEmpty() ? limit : SCAN_BUDGET;
    List<Map<String, Object>> items = new ArrayList<>();
    return scan(site.id(), candidates, cursor, budget, limit, stateFilter, call.principal(), items).thenApply(next -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("site", site.id());
      body.put("items", items);
      body.put("next", next < candidates.size() ? Integer.toString(next) : null);
      body.put("total", stateFilter.isEmpty() ? candidates.size() : null);
      return Reply.json(body);
    });
  }

  private static int cursor(Call call) {
    Optional<String> c = call.query("cursor");
    if (c.isEmpty()) return 0;
    try {
      int n = Integer.parseInt(c.get());
      if (n < 0) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw Call.badParameter("cursor", "is not a cursor this server gave out ('" + c.get() + "'); use the 'next' of a page");
    }
  }

  /** Reads states from {@code from} on, a chunk at a time, until the page is full or the budget spent; completes with the next cursor. */
  private CompletionStage<Integer> scan(String site, List<AssetCatalog.Entry> candidates, int from, int budget, int limit,
      Map<String, String> filter, Principal caller, List<Map<String, Object>> items) {
    if (from >= candidates.size() || budget <= 0 || items.size() >= limit) return CompletableFuture.completedFuture(from);
    int n = Math.min(Math.min(READ_CHUNK, budget), candidates.size() - from);
    if (filter.isEmpty()) n = Math.min(n, limit - items.size());
    List<AssetCatalog.Entry> chunk = candidates.subList(from, from + n);
    List<CompletableFuture<Optional<JsonNode>>> reads = new ArrayList<>();
    for (AssetCatalog.Entry e : chunk) {
      reads.add(gateway.state(AssetId.of(site, e.kind(), e.id())).toCompletableFuture());
    }
    int count = n;
    return CompletableFuture.allOf(reads.toArray(new CompletableFuture<?>[0])).thenCompose(v -> {
      int next = from;
      for (int i = 0; i < count && items.size() < limit; i++) {
        next = from + i + 1;
        AssetCatalog.Entry e = chunk.get(i);
        JsonNode state = PersonalFields.forCaller(reads.get(i).join().orElse(null), caller);
        if (!matches(state, filter)) continue;
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("kind", e.kind().wireName());
        item.put("id", e.id());
        item.put("floor", e.floor());
        item.put("zone", e.zone());
        item.put("state", state);
        items.add(item);
      }
      return scan(site, candidates, next, budget - count, limit, filter, caller, items);
    });
  }

  private static boolean matches(JsonNode state, Map<String, String> filter) {
    if (filter.isEmpty()) return true;
    if (state == null) return false;
    for (var f : filter.entrySet()) {
      JsonNode v = state.get(f.getKey());
      if (v == null || v.isNull() || v.isContainerNode() || !v.asText().equals(f.getValue())) return false;
    }
    return true;
  }

  /** A default start on a whole step (a 15-minute step starts at :00, :15...), so buckets fall on round times. */
  static Instant aligned(Instant t, Optional<Duration> step) {
    if (step.isEmpty() || step.get().compareTo(Duration.ofSeconds(1)) < 0) return t;
    long s = step.get().toMillis();
    return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), s) * s);
  }

  private CompletionStage<Reply> history(Call call) {
    AssetId asset = Assets.parse(call);
    Optional<Duration> step = call.queryDuration("step");
    Instant to = call.queryInstant("to").orElse(services.clock().now());
    Instant from = call.queryInstant("from").orElse(aligned(to.minus(DEFAULT_HISTORY_RANGE), step));
    if (!from.isBefore(to)) throw Call.badParameter("from", "must be before 'to' (" + to + ")");
    if (Duration.between(from, to).compareTo(MAX_HISTORY_RANGE) > 0) {
      throw Call.badParameter("from", "is more than 31 days before 'to'; ask for at most 31 days at a time");
    }
    Optional<String> field = call.query("field");
    if (field.isPresent() && !TelemetryPoint.NAME.matcher(field.get()).matches()) {
      throw Call.badParameter("field", "'" + field.get() + "' is not a measurement name");
    }
    int limit = call.queryInt("limit", 1_000, 1, MAX_POINTS);
    TelemetryHistory history = services.history();
    return TwinReads.stateOf(gateway, asset).thenCompose(state -> {
      if (step.isPresent()) {
        Duration s = step.get();
        if (field.isEmpty()) throw Call.badParameter("field", "is needed with 'step': downsampling summarises one measurement");
        if (s.compareTo(Duration.ofSeconds(1)) < 0) throw Call.badParameter("step", "must be at least PT1S");
        if (Duration.between(from, to).dividedBy(s) > MAX_BUCKETS) {
          throw Call.badParameter("step", "gives more than " + MAX_BUCKETS + " buckets over the range; take a longer step");
        }
        return history.downsample(asset, field.get(), from, to, s).thenApply(buckets -> {
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("asset", asset.toString());
          body.put("field", field.get());
          body.put("from", from);
          body.put("to", to);
          body.put("step", s.toString());
          body.put("buckets", buckets);
          return Reply.json(body);
        });
      }
      return history.query(asset, field, from, to, limit + 1).thenApply(points -> {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("asset", asset.toString());
        body.put("from", from);
        body.put("to", to);
        List<Map<String, Object>> out = new ArrayList<>();
        for (TelemetryPoint p : points.subList(0, Math.min(limit, points.size()))) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("ts", p.ts());
          m.put("field", p.name());
          m.put("value", p.value());
          out.add(m);
        }
        body.put("points", out);
        body.put("truncated", points.size() > limit);
        return Reply.json(body);
      });
    });
  }
}
