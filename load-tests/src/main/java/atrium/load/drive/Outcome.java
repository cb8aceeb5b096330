package atrium.load.drive;

/**
 * How a request ended: {@code error} is null on success, else the error's type as the report counts it
 * ({@code http-4xx}, {@code http-429}, {@code http-5xx}, {@code timeout}, {@code connection-refused},
 * {@code connection-closed}, {@code mqtt-closed}, {@code dropped-in-flight-bound}, ...).
 */
public record Outcome(String error) {
  public static final Outcome OK = new Outcome(null);
  public static final String TIMEOUT = "timeout";
  public static final String DROPPED = "dropped-in-flight-bound";

  public boolean ok() {
    return error == null;
  }

  public static Outcome error(String type) {
    return new Outcome(type);
  }

  /** An HTTP status as success (2xx, and 304) or its error type. */
  public static Outcome ofStatus(int status) {
    if (status >= 200 && status < 300 || status == 304) return OK;
    if (status == 429) return error("http-429");
    if (status == 412) return error("http-412");
    return error("http-" + status / 100 + "xx");
  }

  /** The error type of a failure: the root cause's kind, in the report's words. */
  public static Outcome ofFailure(Throwable t) {
    Throwable c = t;
    while ((c instanceof java.util.concurrent.CompletionException || c instanceof java.util.concurrent.ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof java.util.concurrent.TimeoutException || c instanceof java.net.http.HttpTimeoutException) return error(TIMEOUT);
    if (c instanceof java.net.ConnectException) return error("connection-refused");
    if (c instanceof LoadException l) return error(l.type());
    Throwable root = c;
    while (root.getCause() != null) root = root.getCause();
    if (root instanceof java.net.ConnectException) return error("connection-refused");
    if (root instanceof java.nio.channels.ClosedChannelException || c instanceof java.io.IOException) return error("connection-closed");
    return error("other-" + c.getClass().getSimpleName());
  }
}
