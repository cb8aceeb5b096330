package atrium.api.rest;

import atrium.api.audit.AuditLog;
import atrium.api.audit.AuditQuery;
import atrium.api.http.ApiException;
import atrium.api.http.Call;
import atrium.api.http.Endpoint;
import atrium.api.http.Problem;
import atrium.api.http.Reply;
import atrium.api.mqtt.DevicePresence;
import atrium.api.security.Access;
import atrium.api.security.Principal;
import io.netty.handler.codec.http.HttpMethod;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** The audit log for administrators, and which devices are connected over MQTT for everyone. */
public final class AdminEndpoints {
  private final AuditLog audit;
  private final DevicePresence presence;

  public AdminEndpoints(AuditLog audit, DevicePresence presence) {
    this.audit = audit;
    this.presence = presence;
  }

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.of("queryAudit", HttpMethod.GET, "/api/v1/audit", Access.ADMIN,
            "Every command, newest first, by site, time, actor, target, action and outcome", this::query),
        new Endpoint("listDeviceConnections", HttpMethod.GET, "/api/v1/sites/{site}/devices/connections", Access.VIEW,
            "The site's devices connected over MQTT, and those gone offline", true, this::connections));
  }

  private CompletionStage<Reply> query(Call call) {
    Principal admin = call.principal();
    String site = call.query("site").orElse(null);
    if (site == null && !admin.mayAccessSite(Principal.ALL_SITES)) {
      throw Call.badParameter("site", "is required: your token grants " + String.join(", ", admin.sites()) + ", not every site");
    }
    if (site != null && !admin.mayAccessSite(site)) throw new ApiException(Problem.unknownSite(site));
    AuditQuery q;
    try {
      q = new AuditQuery(site, call.queryInstant("from").orElse(null), call.queryInstant("to").orElse(null),
          call.query("actor").orElse(null), call.query("target").orElse(null), call.query("action").orElse(null),
          call.query("outcome").orElse(null), call.queryInt("limit", AuditQuery.DEFAULT_LIMIT, 1, AuditQuery.MAX_LIMIT),
          call.query("cursor").orElse(null));
    } catch (IllegalArgumentException e) {
      String message = e.getMessage() == null ? "invalid" : e.getMessage();
      String parameter = message.startsWith("from") ? "from" : message.startsWith("outcome") ? "outcome"
          : message.contains("cursor") ? "cursor" : "query";
      throw Call.badParameter(parameter, "is not valid: " + message);
    }
    return audit.query(q).thenApply(Reply::json);
  }

  private CompletionStage<Reply> connections(Call call) {
    String site = Assets.validSite(call.param("site"));
    List<DevicePresence.Device> devices = presence.devices().stream().filter(d -> site.equals(d.site())).toList();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("site", site);
    body.put("online", devices.stream().filter(DevicePresence.Device::online).count());
    body.put("devices", devices);
    return Replies.done(Reply.json(body));
  }
}
