package atrium.api.rest;

import atrium.api.http.ApiException;
import atrium.api.http.Problem;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Field-precise reading of JSON request bodies: every refusal names the field's JSON path. */
final class Bodies {
  private Bodies() {}

  static void only(JsonNode body, Set<String> fields) {
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!fields.contains(f)) throw invalid("$." + f, "unknown field; expected " + String.join(", ", new java.util.TreeSet<>(fields)));
    }
  }

  static double number(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) throw invalid("$." + field, "required");
    if (!v.isNumber()) throw invalid("$." + field, "must be a number, not " + v.getNodeType().name().toLowerCase(Locale.ROOT));
    double d = v.asDouble();
    if (!Double.isFinite(d)) throw invalid("$." + field, "must be finite");
    return d;
  }

  static final int DECIMAL_DIGITS = 18;

  static BigDecimal decimal(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) throw invalid("$." + field, "required");
    if (v.isNumber()) {
      // a literal beyond double's range (1.5e749) is read as an infinite double, which has no decimal value
      if (v.isFloatingPointNumber() && !Double.isFinite(v.doubleValue())) throw invalid("$." + field, "must be a finite number");
      return sane(v.decimalValue(), field);
    }
    if (v.isTextual()) {
      BigDecimal d;
      try {
        d = new BigDecimal(v.asText());
      } catch (NumberFormatException e) {
        throw invalid("$." + field, "'" + v.asText() + "' is not a decimal number");
      }
      return sane(d, field);
    }
    throw invalid("$." + field, "must be a number or a decimal string");
  }

  /**
   * A decimal with at most {@link #DECIMAL_DIGITS} digits either side of the point. "1e999999999" is a
   * valid decimal string, but writing it out or rescaling it costs a billion digits of memory and time.
   */
  private static BigDecimal sane(BigDecimal d, String field) {
    if (d.scale() > DECIMAL_DIGITS) throw invalid("$." + field, "must have at most " + DECIMAL_DIGITS + " decimal places");
    if (d.precision() - d.scale() > DECIMAL_DIGITS) throw invalid("$." + field, "must have at most " + DECIMAL_DIGITS + " digits before the point");
    return d;
  }

  static String text(JsonNode body, String field) {
    return optionalText(body, field).orElseThrow(() -> invalid("$." + field, "required"));
  }

  static Optional<String> optionalText(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) return Optional.empty();
    if (!v.isTextual()) throw invalid("$." + field, "must be a string");
    if (v.asText().isBlank()) throw invalid("$." + field, "must not be blank");
    if (v.asText().length() > 200) throw invalid("$." + field, "must be at most 200 characters");
    return Optional.of(v.asText());
  }

  static Optional<Duration> duration(JsonNode body, String field) {
    Optional<String> t = optionalText(body, field);
    if (t.isEmpty()) return Optional.empty();
    try {
      return Optional.of(Duration.parse(t.get()));
    } catch (DateTimeParseException e) {
      throw invalid("$." + field, "'" + t.get() + "' is not an ISO-8601 duration such as PT30M");
    }
  }

  /** An enum value by its wire spelling ({@code pre-cool}) or its name ({@code PRE_COOL}). */
  static <E extends Enum<E>> E choice(JsonNode body, String field, Class<E> type, Function<E, String> wireName) {
    String t = text(body, field);
    for (E e : type.getEnumConstants()) {
      if (wireName.apply(e).equals(t) || e.name().equals(t)) return e;
    }
    StringBuilder accepted = new StringBuilder();
    for (E e : type.getEnumConstants()) accepted.append(accepted.length() == 0 ? "" : ", ").append(wireName.apply(e));
    throw invalid("$." + field, "'" + t + "' is not one of " + accepted);
  }

  static ApiException invalid(String field, String detail) {
    return new ApiException(Problem.invalid(field, field + ": " + detail));
  }
}
