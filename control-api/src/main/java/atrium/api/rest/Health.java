package atrium.api.rest;

import atrium.api.http.Endpoint;
import atrium.api.http.Reply;
import atrium.api.security.Access;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Map;

/** {@code GET /health}: the process is up and serving HTTP (liveness); readiness is {@code /ready}. */
public final class Health {
  private Health() {}

  public static Endpoint endpoint() {
    return Endpoint.of("health", HttpMethod.GET, "/health", Access.PUBLIC, "Liveness: the process serves HTTP",
        call -> Replies.done(Reply.json(Map.of("status", "ok"))));
  }
}
