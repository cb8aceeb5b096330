package atrium.api.ops;

import atrium.api.http.Endpoint;
import atrium.api.http.Reply;
import atrium.api.security.Access;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@code /ready} for load balancers and orchestrators, {@code /metrics} for Prometheus. */
public final class OpsEndpoints {
  private final Readiness readiness;
  private final Metrics metrics;

  public OpsEndpoints(Readiness readiness, Metrics metrics) {
    this.readiness = readiness;
    this.metrics = metrics;
  }

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.of("ready", HttpMethod.GET, "/ready", Access.PUBLIC,
            "Readiness: cluster member up, a twin answers through sharding and the journal, the database answers",
            call -> readiness.check().thenApply(r -> Reply.json(r.ready() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, r))),
        Endpoint.of("metrics", HttpMethod.GET, "/metrics", Access.PUBLIC, "Metrics in Prometheus text format",
            call -> CompletableFuture.completedFuture(Reply.text(Metrics.CONTENT_TYPE, metrics.scrape()))));
  }
}
