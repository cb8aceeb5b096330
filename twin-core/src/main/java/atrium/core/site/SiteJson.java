package atrium.core.site;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON mapping of site files. Reading is strict: every field is required unless marked
 * {@link OptionalField}, no scalar is coerced ({@code "12"} is not a number, {@code 2.5} not an
 * integer), duplicate keys and trailing content are refused. Writing is stable: fields in record
 * order, two-space indentation, and small objects and arrays (a bay, a name, a point) on one line.
 */
public final class SiteJson {
  /** Longest line {@link #write} keeps a small object or array on. */
  static final int LINE = 120;

  static final ObjectMapper MAPPER = JsonMapper.builder()
      .annotationIntrospector(new RequiredUnlessOptional())
      .addModule(new ParameterNamesModule()) // for Site's @JsonCreator, which is not the canonical constructor
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .withCoercionConfig(LogicalType.Textual, c -> c
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
      // one double-to-text algorithm on every JDK, so the generated demo site is byte-identical everywhere
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
      .build();

  private static final ObjectWriter ONE_LINE = MAPPER.writer(new OneLine());

  private SiteJson() {}

  /** The site as pretty-printed JSON, ending with a newline. */
  public static String write(Site site) {
    StringBuilder out = new StringBuilder();
    format(MAPPER.valueToTree(site), "", out);
    return out.append('\n').toString();
  }

  /** The spelling of an enum constant in site files: {@code FOOD_COURT} is {@code food-court}. */
  static String wireName(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static void format(JsonNode node, String indent, StringBuilder out) {
    String compact = compact(node);
    if (!node.isContainerNode() || (shallow(node) && indent.length() + compact.length() <= LINE)) {
      out.append(compact);
      return;
    }
    String inner = indent + "  ";
    out.append(node.isObject() ? '{' : '[');
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        out.append('\n').append(inner).append(compact(TextNode.valueOf(field.getKey()))).append(": ");
        format(field.getValue(), inner, out);
        if (it.hasNext()) out.append(',');
      }
    } else {
      for (int i = 0; i < node.size(); i++) {
        out.append('\n').append(inner);
        format(node.get(i), inner, out);
        if (i < node.size() - 1) out.append(',');
      }
    }
    out.append('\n').append(indent).append(node.isObject() ? '}' : ']');
  }

  /** At most one level of nesting below this node, like a bay or a floor with its name. */
  private static boolean shallow(JsonNode node) {
    for (JsonNode child : node) {
      for (JsonNode grandchild : child) {
        if (grandchild.isContainerNode()) return false;
      }
    }
    return true;
  }

  private static String compact(JsonNode node) {
    try {
      return ONE_LINE.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + node.getNodeType(), e);
    }
  }

  /** A value on one line, with a space after each colon and comma. */
  private static final class OneLine extends MinimalPrettyPrinter {
    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(": ");
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
      g.writeRaw(", ");
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(", ");
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
