package atrium.sim.scenario;

import atrium.core.site.FieldError;
import java.util.List;

/** A scenario file that cannot be used, with every error found in it. */
public final class ScenarioValidationException extends RuntimeException {
  /** How many errors {@link #getMessage()} lists; {@link #errors()} has them all. */
  public static final int LISTED = 50;

  private final String source;
  private final List<FieldError> errors;

  public ScenarioValidationException(String source, List<FieldError> errors) {
    super(describe(source, errors));
    this.source = source;
    this.errors = List.copyOf(errors);
  }

  public String source() {
    return source;
  }

  public List<FieldError> errors() {
    return errors;
  }

  private static String describe(String source, List<FieldError> errors) {
    StringBuilder s = new StringBuilder(source).append(" is not a valid scenario: ")
        .append(errors.size()).append(errors.size() == 1 ? " error" : " errors");
    errors.stream().limit(LISTED).forEach(e -> s.append("\n  ").append(e));
    if (errors.size() > LISTED) s.append("\n  ... and ").append(errors.size() - LISTED).append(" more");
    return s.toString();
  }
}
