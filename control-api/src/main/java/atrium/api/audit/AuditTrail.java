package atrium.api.audit;

import atrium.api.http.Auditor;
import atrium.api.http.Call;
import atrium.api.http.Json;
import atrium.core.asset.AssetKind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The HTTP door's commands in the audit log: who (the token's subject and role), what (the
 * operation id and its parameters), target (the asset, or the site), when (wall-clock time), the
 * outcome and its reason, and the request id that ties the entry to the logs. Each entry is also
 * logged, with the request and asset ids in the log's context.
 */
public final class AuditTrail implements Auditor {
  private static final Logger log = LoggerFactory.getLogger("atrium.audit");
  /** Bodies larger than this are summarised in the audit, not copied. */
  static final int MAX_DETAILS = 4_000;

  private final AuditLog audit;
  private final Clock clock;

  public AuditTrail(AuditLog audit, Clock clock) {
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Void> admit(Call call) {
    AuditEntry e = entry(call, AuditEntry.ACCEPTED, null);
    logged(e);
    return audit.append(e).thenApply(done -> null);
  }

  @Override
  public void outcome(Call call, boolean admitted, int status, String reason) {
    String outcome;
    if (!admitted && (status == 403 || status == 404)) outcome = AuditEntry.DENIED;
    else if (status >= 400 && status < 500) outcome = AuditEntry.REJECTED;
    else outcome = AuditEntry.FAILED;
    AuditEntry e = entry(call, outcome, status + (reason == null ? "" : ": " + reason));
    logged(e);
    audit.append(e).whenComplete((done, failure) -> {
      if (failure != null) {
        log.error("the audit log could not record the {} outcome of {} [{}]: {}", outcome, e.action(), e.requestId(), failure.getMessage());
      }
    });
  }

  private AuditEntry entry(Call call, String outcome, String reason) {
    Map<String, String> p = call.params();
    String site = p.get("site");
    String target = site;
    if (site != null && p.containsKey("id")) {
      String kind = p.getOrDefault("kind", kindFromPath(call.endpoint().path()));
      target = site + "/" + kind + "/" + p.get("id");
    } else if (site != null && p.containsKey("campaign")) {
      target = site + "/price-campaign/" + p.get("campaign");
    }
    return AuditEntry.of(call.principal(), clock.instant(), call.endpoint().id(), site, target, outcome, reason, call.requestId(),
        details(call));
  }

  /** The kind named literally in a path such as {@code /api/v1/sites/{site}/assets/hvac-zone/{id}/setpoints}. */
  private static String kindFromPath(String path) {
    List<String> segments = List.of(path.split("/"));
    int assets = segments.indexOf("assets");
    if (assets >= 0 && assets + 1 < segments.size()) {
      String k = segments.get(assets + 1);
      if (AssetKind.fromWireName(k).isPresent()) return k;
    }
    return "asset";
  }

  private static String details(Call call) {
    ObjectNode d = Json.mapper().createObjectNode();
    if (!call.queryParameters().isEmpty()) d.set("query", Json.mapper().valueToTree(call.queryParameters()));
    byte[] body = call.body();
    if (body.length > 0) {
      if (body.length > MAX_DETAILS) {
        d.put("bodyBytes", body.length);
      } else {
        try {
          JsonNode n = Json.mapper().readTree(body);
          if (n != null) d.set("body", n);
        } catch (IOException e) {
          d.put("bodyBytes", body.length);
        }
      }
    }
    return d.isEmpty() ? null : d.toString();
  }

  private static void logged(AuditEntry e) {
    MDC.put("requestId", e.requestId());
    if (e.target() != null) MDC.put("asset", e.target());
    try {
      log.info("command {} on {} by {} ({}): {}{}", e.action(), e.target(), e.actor(), e.role(), e.outcome(),
          e.reason() == null ? "" : " — " + e.reason());
    } finally {
      MDC.remove("requestId");
      MDC.remove("asset");
    }
  }
}
