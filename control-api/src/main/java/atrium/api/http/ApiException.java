package atrium.api.http;

import java.util.Map;

/** A problem the caller made (or a refusal to serve it), answered as problem+json. Never logged as an error. */
public final class ApiException extends RuntimeException {
  private final Problem problem;
  private final Map<String, String> headers;

  public ApiException(Problem problem) {
    this(problem, Map.of());
  }

  public ApiException(Problem problem, Map<String, String> headers) {
    super(problem.detail(), null, false, false);
    this.problem = problem;
    this.headers = Map.copyOf(headers);
  }

  public Problem problem() {
    return problem;
  }

  /** Headers the response must carry, such as {@code WWW-Authenticate} or {@code Retry-After}. */
  public Map<String, String> headers() {
    return headers;
  }
}
