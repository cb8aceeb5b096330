package atrium.api.rest;

import atrium.api.http.Endpoint;
import atrium.api.http.Router;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole HTTP API of a node, as one list of endpoints: what the router serves, what the
 * authorisation matrix test walks, what the OpenAPI document must describe.
 */
public final class Api {
  private final List<Endpoint> endpoints = new ArrayList<>();

  public Api add(Endpoint e) {
    endpoints.add(e);
    return this;
  }

  public Api addAll(List<Endpoint> es) {
    endpoints.addAll(es);
    return this;
  }

  public List<Endpoint> endpoints() {
    return List.copyOf(endpoints);
  }

  public Router router() {
    return new Router(endpoints);
  }
}
