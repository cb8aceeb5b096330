package atrium.api.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Finds the endpoint for a method and a decoded path. Literal segments win over variables at the
 * same depth, so {@code /api/v1/sites/{site}/alarms} and {@code /api/v1/sites/{site}/{x}} never
 * collide by accident; two endpoints with the same method and template are refused at start.
 */
public final class Router {
  private final List<Endpoint> endpoints;

  /** A path matched: the endpoints on its template (one per method) and the path's variables. */
  public record Match(List<Endpoint> candidates, Map<String, String> params) {
    public Optional<Endpoint> forMethod(HttpMethod method) {
      for (Endpoint e : candidates) {
        if (e.method().equals(method)) return Optional.of(e);
        if (method.equals(HttpMethod.HEAD) && e.method().equals(HttpMethod.GET)) return Optional.of(e);
      }
      return Optional.empty();
    }

    /** The value of a 405's {@code Allow} header. */
    public String allow() {
      StringJoiner j = new StringJoiner(", ");
      for (Endpoint e : candidates) {
        j.add(e.method().name());
        if (e.method().equals(HttpMethod.GET)) j.add("HEAD");
      }
      return j.toString();
    }
  }

  public Router(List<Endpoint> endpoints) {
    this.endpoints = List.copyOf(endpoints);
    Map<String, Endpoint> seen = new LinkedHashMap<>();
    Map<String, Endpoint> ids = new LinkedHashMap<>();
    for (Endpoint e : this.endpoints) {
      String key = e.method() + " " + e.path().replaceAll("\\{[^}]+}", "{}");
      Endpoint before = seen.put(key, e);
      if (before != null) throw new IllegalArgumentException("endpoints " + before.id() + " and " + e.id() + " both serve " + key);
      if (ids.put(e.id(), e) != null) throw new IllegalArgumentException("two endpoints have the id " + e.id());
    }
  }

  public List<Endpoint> endpoints() {
    return endpoints;
  }

  public Optional<Match> match(String path) {
    if (!path.startsWith("/")) return Optional.empty();
    List<String> segments = Endpoint.segments(path);
    int bestLiterals = -1;
    List<Endpoint> best = new ArrayList<>();
    Map<String, String> bestParams = Map.of();
    for (Endpoint e : endpoints) {
      List<String> template = Endpoint.segments(e.path());
      if (template.size() != segments.size()) continue;
      int literals = 0;
      Map<String, String> params = new LinkedHashMap<>();
      boolean ok = true;
      for (int i = 0; i < template.size() && ok; i++) {
        String t = template.get(i);
        String s = segments.get(i);
        if (t.startsWith("{")) {
          if (s.isEmpty()) ok = false;
          else params.put(t.substring(1, t.length() - 1), s);
        } else if (t.equals(s)) {
          literals++;
        } else {
          ok = false;
        }
      }
      if (!ok) continue;
      if (literals > bestLiterals) {
        bestLiterals = literals;
        best = new ArrayList<>();
        bestParams = params;
      }
      if (literals == bestLiterals && samePattern(best, e)) best.add(e);
    }
    return best.isEmpty() ? Optional.empty() : Optional.of(new Match(List.copyOf(best), bestParams));
  }

  private static boolean samePattern(List<Endpoint> group, Endpoint e) {
    return group.isEmpty() || group.get(0).path().equals(e.path());
  }
}
