package atrium.api.http;

import atrium.api.security.Access;
import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * One operation of the HTTP API: a method on a path template such as
 * {@code /api/v1/sites/{site}/assets/{kind}/{id}}, the access it asks of its caller, and its handler.
 * The list of endpoints (see {@code atrium.api.rest.Api}) is the API: the router, the authorisation
 * matrix, the audit and the OpenAPI test all read it.
 *
 * @param id a stable operation id (also the OpenAPI {@code operationId})
 * @param access what the caller must be; enforced by the dispatcher before the handler runs
 * @param selfLimited the handler takes its own in-flight permits, if any (a batch takes one per
 *     message; a read of the site model, none); otherwise the dispatcher takes one for every
 *     non-public call
 */
public record Endpoint(String id, HttpMethod method, String path, Access access, String summary, boolean selfLimited,
    Handler handler) {
  private static final Pattern VARIABLE = Pattern.compile("\\{[a-z][a-zA-Z]*}");

  /** Handles a call that has passed authentication, authorisation and the site check. */
  @FunctionalInterface
  public interface Handler {
    /** Fails (or throws) with {@link ApiException} for a problem the caller made; anything else is a 500. */
    CompletionStage<Reply> handle(Call call);
  }

  public Endpoint {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(handler, "handler");
    if (!path.startsWith("/")) throw new IllegalArgumentException(id + ": path must start with /");
    for (String segment : segments(path)) {
      if (segment.startsWith("{") && !VARIABLE.matcher(segment).matches()) {
        throw new IllegalArgumentException(id + ": bad path variable " + segment);
      }
    }
  }

  public static Endpoint of(String id, HttpMethod method, String path, Access access, String summary, Handler handler) {
    return new Endpoint(id, method, path, access, summary, false, handler);
  }

  /**
   * A command: a person changing something (any non-GET operation that is not a device's). Every
   * command is written to the audit log with its outcome.
   */
  public boolean isCommand() {
    return method != HttpMethod.GET && method != HttpMethod.HEAD && access != Access.PUBLIC && access != Access.DEVICE;
  }

  /** The names of the path's variables, in order. */
  public List<String> variables() {
    List<String> names = new ArrayList<>();
    for (String s : segments(path)) {
      if (s.startsWith("{")) names.add(s.substring(1, s.length() - 1));
    }
    return names;
  }

  static List<String> segments(String path) {
    return List.of(path.substring(1).split("/", -1));
  }
}
