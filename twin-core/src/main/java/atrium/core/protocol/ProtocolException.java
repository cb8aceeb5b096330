package atrium.core.protocol;

/**
 * Refused device input. {@link #field()} is a JSON path to the offending field ({@code $.data.occupied},
 * {@code $[3].ts}); {@link #reason()} says what was wrong in words a device integrator can act on.
 */
public final class ProtocolException extends RuntimeException {
  private final String field;
  private final String reason;

  public ProtocolException(String field, String reason) {
    super(field + ": " + reason);
    this.field = field;
    this.reason = reason;
  }

  public String field() {
    return field;
  }

  public String reason() {
    return reason;
  }
}
