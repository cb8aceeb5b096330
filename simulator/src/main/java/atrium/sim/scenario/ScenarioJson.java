package atrium.sim.scenario;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * The JSON mapping of scenario files, as strict as the site format's: every field is required
 * unless marked {@link OptionalField}, no scalar is coerced, duplicate keys and trailing content are
 * refused. Durations are ISO-8601 text ({@code "PT1H30M"}); times are {@link ClockTime} and
 * {@link TimePoint}. Writing gives fields in record order, indented.
 */
public final class ScenarioJson {
  static final String DURATION_FORM = "an ISO-8601 duration like \"PT1H30M\"";

  static final ObjectMapper MAPPER = JsonMapper.builder()
      .annotationIntrospector(new RequiredUnlessOptional())
      .addModule(new SimpleModule("scenario-durations")
          .addDeserializer(Duration.class, new DurationReader())
          .addSerializer(Duration.class, new DurationWriter()))
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .withCoercionConfig(LogicalType.Textual, c -> c
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
      .build();

  private ScenarioJson() {}

  /** The scenario as indented JSON, ending with a newline; {@link ScenarioLoader} reads it back equal. */
  public static String write(Scenario scenario) {
    try {
      return MAPPER.writeValueAsString(scenario) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write scenario", e);
    }
  }

  /** The value the parser is on, in words, for error messages. */
  static String describe(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == null) return "nothing";
    return switch (t) {
      case VALUE_STRING -> "\"" + p.getText() + "\"";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> p.getText();
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_NULL -> "null";
      default -> t.asString() == null ? t.name().toLowerCase() : t.asString();
    };
  }

  private static final class DurationReader extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        throw JsonMappingException.from(p, "expected " + DURATION_FORM + ", found " + describe(p));
      }
      try {
        return Duration.parse(p.getText());
      } catch (DateTimeParseException e) {
        throw JsonMappingException.from(p, "expected " + DURATION_FORM + ", found \"" + p.getText() + "\"");
      }
    }
  }

  private static final class DurationWriter extends JsonSerializer<Duration> {
    @Override
    public void serialize(Duration value, JsonGenerator g, SerializerProvider provider) throws IOException {
      g.writeString(value.toString());
    }
  }

  /** Every creator property is required unless its component says otherwise ({@link OptionalField}). */
  private static final class RequiredUnlessOptional extends JacksonAnnotationIntrospector {
    @Override
    public Boolean hasRequiredMarker(AnnotatedMember member) {
      Boolean marked = super.hasRequiredMarker(member);
      return marked != null ? marked : Boolean.TRUE;
    }
  }
}
