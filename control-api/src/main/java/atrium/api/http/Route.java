package atrium.api.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The paths the HTTP door serves and the methods each allows. */
enum Route {
  HEALTH(Set.of(HttpMethod.GET, HttpMethod.HEAD), "GET, HEAD"),
  SITES(Set.of(HttpMethod.GET, HttpMethod.HEAD), "GET, HEAD"),
  /** {@code /api/v1/sites/{site}}: the site's summary and roll-ups; param is site. */
  SITE(Set.of(HttpMethod.GET, HttpMethod.HEAD), "GET, HEAD"),
  /** {@code /api/v1/sites/{site}/assets/{kind}/{id}}: params are site, kind, id. */
  ASSET_STATE(Set.of(HttpMethod.GET, HttpMethod.HEAD), "GET, HEAD"),
  DEVICE_MESSAGES(Set.of(HttpMethod.POST), "POST");

  /** A path matched to a route, with the path's variable segments in order. */
  record Match(Route route, List<String> params) {}

  private final Set<HttpMethod> methods;
  private final String allow;

  Route(Set<HttpMethod> methods, String allow) {
    this.methods = methods;
    this.allow = allow;
  }

  boolean allows(HttpMethod method) {
    return methods.contains(method);
  }

  /** The value of the {@code Allow} header of a 405. */
  String allow() {
    return allow;
  }

  /** Matches a decoded path (no query string). */
  static Optional<Match> match(String path) {
    switch (path) {
      case "/health":
        return Optional.of(new Match(HEALTH, List.of()));
      case "/api/v1/sites":
        return Optional.of(new Match(SITES, List.of()));
      case "/api/v1/devices/messages":
        return Optional.of(new Match(DEVICE_MESSAGES, List.of()));
      default:
        break;
    }
    String[] s = path.split("/", -1);
    if (s.length == 5 && s[0].isEmpty() && s[1].equals("api") && s[2].equals("v1") && s[3].equals("sites")) {
      return Optional.of(new Match(SITE, List.of(s[4])));
    }
    if (s.length == 8 && s[0].isEmpty() && s[1].equals("api") && s[2].equals("v1") && s[3].equals("sites")
        && s[5].equals("assets")) {
      return Optional.of(new Match(ASSET_STATE, List.of(s[4], s[6], s[7])));
    }
    return Optional.empty();
  }
}
