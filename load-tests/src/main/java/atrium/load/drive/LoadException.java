package atrium.load.drive;

/** A failure a driver names itself, with the error type the report counts it under. */
public final class LoadException extends RuntimeException {
  private final String type;

  public LoadException(String type, String message) {
    super(message, null, false, false);
    this.type = type;
  }

  public String type() {
    return type;
  }
}
