package atrium.api.http;

import atrium.api.rest.Health;
import atrium.api.rest.TwinReads;
import atrium.api.security.Access;
import atrium.api.security.Principal;
import atrium.api.security.Role;
import atrium.devices.TwinGateway;
import java.util.List;
import java.util.Set;

/**
 * The HTTP door's mechanics over a gateway of the test's own, for the pipeline tests: the device
 * door and the twin reads, with every caller taken as a site gateway (device endpoints) or an
 * administrator of every site (the rest). Authentication and authorisation have tests of their own.
 */
final class TestApi {
  private TestApi() {}

  static HttpApi over(TwinGateway gateway, HttpSettings settings) {
    InFlightLimit inFlight = new InFlightLimit(settings.maxInFlight());
    var endpoints = new java.util.ArrayList<Endpoint>();
    endpoints.add(Health.endpoint());
    endpoints.addAll(new TwinReads(gateway, (kind, state) -> state).endpoints());
    endpoints.add(new DeviceMessages(gateway, inFlight, settings.requestTimeout()).endpoint());
    Authenticator everyone = (access, headers) -> access == Access.DEVICE
        ? new Principal("test-gateway", null, Set.of(Principal.ALL_SITES), true, Set.of(Principal.ALL_ASSETS))
        : Principal.person("test-admin", Role.ADMIN, Set.of(Principal.ALL_SITES));
    return new HttpApi(new Router(List.copyOf(endpoints)), everyone, RateLimit.UNLIMITED, Auditor.NONE, inFlight,
        HttpApi.HttpObserver.NONE);
  }

  static HttpServerInitializer initializer(TwinGateway gateway, HttpSettings settings) {
    return new HttpServerInitializer(settings, over(gateway, settings));
  }
}
