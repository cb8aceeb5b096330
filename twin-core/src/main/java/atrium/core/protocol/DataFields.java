package atrium.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * Typed, field-precise reads of an envelope's {@code data} object, for the kind adapters that turn
 * envelopes into entity commands. Errors name {@code $.data.<field>}.
 */
public final class DataFields {
  private final ObjectNode data;

  private DataFields(ObjectNode data) {
    this.data = data;
  }

  public static DataFields of(ObjectNode data) {
    return new DataFields(data);
  }

  public boolean has(String field) {
    JsonNode f = data.get(field);
    return f != null && !f.isNull();
  }

  public boolean requireBoolean(String field) {
    JsonNode f = require(field);
    if (!f.isBoolean()) throw wrong(field, "a boolean", f);
    return f.booleanValue();
  }

  public Optional<Boolean> optionalBoolean(String field) {
    return has(field) ? Optional.of(requireBoolean(field)) : Optional.empty();
  }

  public double requireNumber(String field) {
    JsonNode f = require(field);
    if (!f.isNumber()) throw wrong(field, "a number", f);
    double d = f.doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d)) throw new ProtocolException("$.data." + field, "must be a finite number");
    return d;
  }

  public Optional<Double> optionalNumber(String field) {
    return has(field) ? Optional.of(requireNumber(field)) : Optional.empty();
  }

  public String requireText(String field) {
    JsonNode f = require(field);
    if (!f.isTextual()) throw wrong(field, "a string", f);
    return f.asText();
  }

  public Optional<String> optionalText(String field) {
    return has(field) ? Optional.of(requireText(field)) : Optional.empty();
  }

  /** Refuses any field not in {@code known}, so a misspelt measurement is not silently dropped. */
  public DataFields only(String... known) {
    for (var it = data.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!java.util.Arrays.asList(known).contains(f)) {
        throw new ProtocolException("$.data." + f, "unknown field; expected " + String.join(", ", known));
      }
    }
    return this;
  }

  private JsonNode require(String field) {
    JsonNode f = data.get(field);
    if (f == null || f.isNull()) throw new ProtocolException("$.data." + field, "required");
    return f;
  }

  private static ProtocolException wrong(String field, String expected, JsonNode found) {
    return new ProtocolException("$.data." + field, "expected " + expected + ", found " + DeviceProtocol.describe(found));
  }
}
