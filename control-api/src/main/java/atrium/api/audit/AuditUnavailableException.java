package atrium.api.audit;

/**
 * An entry could not be written to the audit log (buffer full, log closed, storage failing). The
 * command it describes must not be carried out; the door answers 503 with {@code Retry-After}.
 */
public final class AuditUnavailableException extends RuntimeException {
  public AuditUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
