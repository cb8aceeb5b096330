package atrium.api.rest;

import atrium.api.http.ApiException;
import atrium.api.http.Call;
import atrium.api.http.Endpoint;
import atrium.api.http.Problem;
import atrium.api.http.Reply;
import atrium.api.interop.Dtdl;
import atrium.api.interop.PointCatalog;
import atrium.api.report.ReportKind;
import atrium.api.report.Reports;
import atrium.api.security.Access;
import atrium.core.asset.AssetKind;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Site;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What building engineers' tools read: the point catalog with Brick classes and Haystack tags,
 * the asset kinds as DTDL v3 interfaces, and the control room's CSV reports (S §4(4)2).
 */
public final class InteropEndpoints {
  private final TwinServices services;
  private final Reports reports;

  public InteropEndpoints(TwinServices services) {
    this.services = services;
    this.reports = new Reports(services.history());
  }

  /** An asset's state with its points' Brick classes and Haystack tags added as {@code points}. */
  public static JsonNode describe(AssetKind kind, JsonNode state) {
    if (!(state instanceof ObjectNode o)) return state;
    ObjectNode out = o.deepCopy();
    out.set("points", PointCatalog.describe(kind, state).get("points"));
    return out;
  }

  public List<Endpoint> endpoints() {
    return List.of(
        new Endpoint("listPoints", HttpMethod.GET, "/api/v1/points", Access.VIEW,
            "The measured and commanded points of each asset kind, with units, Brick classes and Haystack tags", true, this::points),
        new Endpoint("getDtdl", HttpMethod.GET, "/api/v1/dtdl", Access.VIEW,
            "The asset kinds as DTDL v3 interfaces (for Azure Digital Twins and similar platforms)", true,
            call -> Replies.done(Reply.json(Dtdl.interfaces()))),
        Endpoint.of("getReport", HttpMethod.GET, "/api/v1/sites/{site}/reports/{report}", Access.VIEW,
            "A CSV report by zone, merchant category, car park or HVAC zone and time slot", this::report));
  }

  private CompletionStage<Reply> points(Call call) {
    JsonNode all = PointCatalog.toJson();
    List<String> kinds = call.queryAll("kind");
    if (kinds.isEmpty()) return Replies.done(Reply.json(all));
    for (String k : kinds) {
      if (AssetKind.fromWireName(k).isEmpty()) throw Call.badParameter("kind", "'" + k + "' is not an asset kind; kinds: " + AssetKind.wireNames());
    }
    ObjectNode out = all.deepCopy();
    ArrayNode filtered = out.putArray("kinds");
    for (JsonNode k : all.get("kinds")) {
      if (kinds.contains(k.path("kind").asText())) filtered.add(k);
    }
    return Replies.done(Reply.json(out));
  }

  private CompletionStage<Reply> report(Call call) {
    String siteId = Assets.validSite(call.param("site"));
    Site site = services.sites().site(siteId).orElseThrow(() -> new ApiException(Problem.unknownSite(siteId)));
    String name = call.param("report");
    ReportKind kind = ReportKind.fromWireName(name).orElseThrow(() -> new ApiException(Problem.notFound("unknown-report",
        "Unknown report", "no report '" + name + "'; reports: " + ReportKind.wireNames())));
    Duration slot = call.queryDuration("slot").orElse(Duration.ofHours(1));
    Instant to = call.queryInstant("to").orElse(services.clock().now());
    Instant from = call.queryInstant("from").orElse(AssetQueries.aligned(to.minus(Duration.ofDays(1)), java.util.Optional.of(slot)));
    ZoneId tz;
    try {
      tz = ZoneId.of(call.query("tz").orElse(site.timezone()));
    } catch (DateTimeException e) {
      throw Call.badParameter("tz", "is not a time zone id such as Asia/Shanghai");
    }
    boolean bom = call.query("bom").map(b -> {
      if (!b.equals("true") && !b.equals("false")) throw Call.badParameter("bom", "must be true or false");
      return b.equals("true");
    }).orElse(false);
    CompletionStage<String> csv;
    try {
      csv = reports.csv(kind, site, from, to, slot, tz);
    } catch (IllegalArgumentException e) {
      String message = e.getMessage() == null ? "invalid" : e.getMessage();
      int colon = message.indexOf(':');
      String parameter = colon > 0 ? message.substring(0, colon) : "report";
      throw new ApiException(new Problem(HttpResponseStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter", message, parameter));
    }
    String filename = site.id() + "-" + kind.wireName() + ".csv";
    return csv.thenApply(text -> Reply.text(Reply.CSV, bom ? Reports.withExcelBom(text) : text)
        .withHeader("Content-Disposition", "attachment; filename=\"" + filename + "\""));
  }
}
