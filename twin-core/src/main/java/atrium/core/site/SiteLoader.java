package atrium.core.site;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads and checks a site file. Nothing is returned unless the whole file is right; otherwise a
 * {@link SiteValidationException} lists every error found, each at its JSON path.
 *
 * <p>Two rounds. The shape (JSON syntax, field names, types, required fields, enum values) is checked
 * by binding with Jackson; when binding fails, the parts are bound one by one so that every shape
 * error is found, not only the first. Unknown fields alone do not stop the binding. If the site
 * binds, {@link SiteValidator} checks the meaning: ranges, id syntax, unique ids, references.
 */
public final class SiteLoader {
  private SiteLoader() {}

  public static Site load(Path file) throws IOException {
    return parse(Files.readAllBytes(file), file.toString());
  }

  public static Site load(InputStream in, String sourceName) throws IOException {
    return parse(in.readAllBytes(), sourceName);
  }

  public static Site parse(byte[] json) {
    return parse(json, "site JSON");
  }

  private static Site parse(byte[] json, String source) {
    Set<FieldError> errors = new LinkedHashSet<>();
    Site site = read(json, errors);
    if (site != null) errors.addAll(SiteValidator.validate(site));
    if (!errors.isEmpty()) throw new SiteValidationException(source, new ArrayList<>(errors));
    return site;
  }

  private static Site read(byte[] json, Set<FieldError> errors) {
    JsonNode root;
    try {
      root = SiteJson.MAPPER.readTree(json);
    } catch (IOException e) {
      errors.add(syntaxError(e));
      return null;
    }
    if (root == null || root.isMissingNode()) {
      errors.add(new FieldError("$", "the file is empty; expected a site object"));
      return null;
    }
    return (Site) bind(root, SiteJson.MAPPER.constructType(Site.class), "$", errors);
  }

  /** Binds {@code node}; when that fails, reports why and binds its parts to find the other errors too. */
  private static Object bind(JsonNode node, JavaType type, String path, Set<FieldError> errors) {
    try {
      return SiteJson.MAPPER.readerFor(type).withHandler(new UnknownFields(path, errors)).readValue(node);
    } catch (JsonMappingException e) {
      errors.add(new FieldError(path + pathOf(e.getPath()), shapeMessage(node, e)));
    } catch (IOException e) {
      errors.add(new FieldError(path, firstLine(e.getMessage())));
    }
    bindParts(node, type, path, errors);
    return null;
  }

  private static void bindParts(JsonNode node, JavaType type, String path, Set<FieldError> errors) {
    if (type.isCollectionLikeType() && node.isArray()) {
      for (int i = 0; i < node.size(); i++) bind(node.get(i), type.getContentType(), path + "[" + i + "]", errors);
    } else if (type.isRecordType() && node.isObject()) {
      for (RecordComponent c : type.getRawClass().getRecordComponents()) {
        if (c.getAccessor().isAnnotationPresent(JsonIgnore.class)) continue;
        JsonNode child = node.get(c.getName());
        boolean absent = child == null || child.isNull();
        if (!absent) {
          bind(child, SiteJson.MAPPER.constructType(c.getGenericType()), path + "." + c.getName(), errors);
        } else if (!c.isAnnotationPresent(OptionalField.class)) {
          errors.add(new FieldError(path + "." + c.getName(), "required"));
        }
      }
    }
  }

  private static String shapeMessage(JsonNode root, JsonMappingException e) {
    JsonNode found = locate(root, e.getPath());
    if (found == null || found.isNull()) return "required";
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      Class<?> target = m.getTargetType();
      if (target.isEnum() && found.isTextual()) {
        return "unknown value '" + found.asText() + "'; expected one of " + enumValues(target);
      }
      return "expected " + expected(target) + ", found " + describe(found);
    }
    return firstLine(e.getOriginalMessage());
  }

  private static JsonNode locate(JsonNode root, List<JsonMappingException.Reference> path) {
    JsonNode node = root;
    for (JsonMappingException.Reference ref : path) {
      if (node == null) return null;
      node = ref.getFieldName() != null ? node.get(ref.getFieldName()) : node.get(ref.getIndex());
    }
    return node;
  }

  private static String expected(Class<?> target) {
    if (target == double.class || target == Double.class) return "a number";
    if (target == int.class || target == Integer.class) return "an integer";
    if (target == boolean.class || target == Boolean.class) return "true or false";
    if (target == String.class) return "a string";
    if (target.isEnum()) return "one of " + enumValues(target);
    if (target.isRecord()) return "an object";
    if (List.class.isAssignableFrom(target)) return "an array";
    return target.getSimpleName();
  }

  private static String describe(JsonNode n) {
    if (n.isTextual()) return "a string";
    if (n.isIntegralNumber() && !n.canConvertToInt()) return "an integer out of range (" + n + ")";
    if (n.isNumber()) return n.toString();
    if (n.isBoolean()) return n.toString();
    if (n.isArray()) return "an array";
    if (n.isObject()) return "an object";
    if (n.isNull()) return "null";
    return n.getNodeType().name().toLowerCase();
  }

  private static String enumValues(Class<?> enumType) {
    return Arrays.stream(enumType.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
  }

  private static FieldError syntaxError(IOException e) {
    String path = "$";
    String where = "";
    if (e instanceof JacksonException j) {
      if (j.getProcessor() instanceof JsonParser p) path = pathOf(p);
      JsonLocation at = j.getLocation();
      if (at != null && at.getLineNr() > 0) where = " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      return new FieldError(path, "not valid JSON" + where + ": " + firstLine(j.getOriginalMessage()));
    }
    return new FieldError(path, "cannot read: " + firstLine(e.getMessage()));
  }

  private static String pathOf(List<JsonMappingException.Reference> refs) {
    StringBuilder s = new StringBuilder();
    for (JsonMappingException.Reference ref : refs) {
      if (ref.getFieldName() != null) s.append('.').append(ref.getFieldName());
      else if (ref.getIndex() >= 0) s.append('[').append(ref.getIndex()).append(']');
    }
    return s.toString();
  }

  /** The path of the value the parser is at, relative to where it started. */
  private static String pathOf(JsonParser p) {
    JsonStreamContext ctx = p.getParsingContext();
    JsonToken t = p.currentToken();
    // on the opening of an object or array, the parser has already entered it
    if (ctx != null && (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY)) ctx = ctx.getParent();
    Deque<String> parts = new ArrayDeque<>();
    for (; ctx != null && !ctx.inRoot(); ctx = ctx.getParent()) {
      if (ctx.inObject() && ctx.getCurrentName() != null) parts.push("." + ctx.getCurrentName());
      else if (ctx.inArray()) parts.push("[" + ctx.getCurrentIndex() + "]");
    }
    return "$" + String.join("", parts);
  }

  private static String firstLine(String message) {
    if (message == null) return "unreadable";
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /** Reports each unknown field and skips it, so one misspelt field does not hide the rest of the file. */
  private static final class UnknownFields extends DeserializationProblemHandler {
    private final String base;
    private final Set<FieldError> errors;

    UnknownFields(String base, Set<FieldError> errors) {
      this.base = base;
      this.errors = errors;
    }

    @Override
    public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
        Object beanOrClass, String propertyName) throws IOException {
      Class<?> type = beanOrClass instanceof Class<?> c ? c : beanOrClass.getClass();
      String relative = pathOf(p).substring(1);
      errors.add(new FieldError(base + relative, "unknown field; expected " + knownFields(type)));
      p.skipChildren();
      return true;
    }

    private static String knownFields(Class<?> type) {
      if (!type.isRecord()) return "no other fields";
      return Arrays.stream(type.getRecordComponents())
          .filter(c -> !c.getAccessor().isAnnotationPresent(JsonIgnore.class))
          .map(RecordComponent::getName)
          .collect(Collectors.joining(", "));
    }
  }
}
