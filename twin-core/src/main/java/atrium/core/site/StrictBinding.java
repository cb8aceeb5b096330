package atrium.core.site;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
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
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.stream.Collectors;

/**
 * The shape round of a strict file loader ({@link SiteLoader}, the simulator's scenario loader):
 * binds a JSON file to records with Jackson and turns every binding failure into a {@link FieldError}
 * at its JSON path, in words ("expected a number, found a string", "unknown value 'x'; expected one
 * of ...", "required", "unknown field; expected ...").
 *
 * <p>When binding fails, the parts (array items, map values, record components, the fields of a
 * polymorphic value of a known {@link JsonSubTypes} type) are bound one by one, so that every shape
 * error is found, not only the first. Unknown fields are reported and skipped, so they alone do not
 * stop the binding. A record component is required unless it carries the format's optional marker.
 *
 * <p>Immutable; a format makes one and keeps it.
 */
public final class StrictBinding {
  /** A member of an object in a path, as {@code $.zones}: a dot and the name. */
  public static final BinaryOperator<String> DOT_MEMBER = (path, name) -> path + "." + name;

  private final ObjectMapper mapper;
  private final Class<? extends Annotation> optional;
  private final BinaryOperator<String> member;
  private final boolean longIntegers;

  private StrictBinding(ObjectMapper mapper, Class<? extends Annotation> optional, BinaryOperator<String> member,
      boolean longIntegers) {
    this.mapper = mapper;
    this.optional = optional;
    this.member = member;
    this.longIntegers = longIntegers;
  }

  /**
   * Binds with {@code mapper}; a record component is required unless annotated {@code optional}.
   * Members join paths as {@link #DOT_MEMBER}; integers beyond {@code int} are called out of range.
   */
  public static StrictBinding of(ObjectMapper mapper, Class<? extends Annotation> optional) {
    return new StrictBinding(mapper, optional, DOT_MEMBER, false);
  }

  /** The same, with member names joined to paths by {@code member} (say, to quote odd keys). */
  public StrictBinding withMemberPaths(BinaryOperator<String> member) {
    return new StrictBinding(mapper, optional, member, longIntegers);
  }

  /** The same, for a format whose integers may be {@code long}s: only beyond those is one out of range. */
  public StrictBinding withLongIntegers() {
    return new StrictBinding(mapper, optional, member, true);
  }

  /**
   * Reads {@code json} as a {@code type}; returns it, or {@code null} with every error found added to
   * {@code errors}. {@code expected} names what an empty file should have held ("a site object").
   */
  public <T> T read(byte[] json, Class<T> type, String expected, Set<FieldError> errors) {
    JsonNode root;
    try {
      root = mapper.readTree(json);
    } catch (IOException e) {
      errors.add(syntaxError(e));
      return null;
    }
    if (root == null || root.isMissingNode()) {
      errors.add(new FieldError("$", "the file is empty; expected " + expected));
      return null;
    }
    if (root.isNull()) {
      errors.add(new FieldError("$", "expected " + expected + ", found null"));
      return null;
    }
    return type.cast(bind(root, mapper.constructType(type), "$", errors));
  }

  /** Binds {@code node}; when that fails, reports why and binds its parts to find the other errors too. */
  private Object bind(JsonNode node, JavaType type, String path, Set<FieldError> errors) {
    try {
      return mapper.readerFor(type).withHandler(new UnknownFields(path, errors)).readValue(node);
    } catch (InvalidTypeIdException e) {
      errors.add(typeIdError(node, e, path));
    } catch (JsonMappingException e) {
      errors.add(new FieldError(path + pathOf(e.getPath()), shapeMessage(node, e)));
    } catch (IOException e) {
      errors.add(new FieldError(path, firstLine(e.getMessage())));
    }
    bindParts(node, type, path, errors);
    return null;
  }

  private void bindParts(JsonNode node, JavaType type, String path, Set<FieldError> errors) {
    if (type.isCollectionLikeType() && node.isArray()) {
      for (int i = 0; i < node.size(); i++) bind(node.get(i), type.getContentType(), path + "[" + i + "]", errors);
    } else if (type.isMapLikeType() && node.isObject()) {
      node.properties().forEach(e -> bind(e.getValue(), type.getContentType(), member.apply(path, e.getKey()), errors));
    } else if (type.isRecordType() && node.isObject()) {
      for (RecordComponent c : type.getRawClass().getRecordComponents()) {
        if (c.getAccessor().isAnnotationPresent(JsonIgnore.class)) continue;
        JsonNode child = node.get(c.getName());
        boolean absent = child == null || child.isNull();
        if (!absent) {
          bind(child, mapper.constructType(c.getGenericType()), member.apply(path, c.getName()), errors);
        } else if (!c.isAnnotationPresent(optional)) {
          errors.add(new FieldError(member.apply(path, c.getName()), "required"));
        }
      }
    } else if (node.isObject() && type.getRawClass().isAnnotationPresent(JsonSubTypes.class)) {
      // a polymorphic value of a known type: check its fields as that type's (the type id itself is consumed)
      Class<?> base = type.getRawClass();
      subtype(base, node).ifPresent(sub -> {
        ObjectNode fields = node.deepCopy();
        fields.remove(typeProperty(base));
        bindParts(fields, mapper.constructType(sub), path, errors);
        unknownFields(fields, sub, path, errors);
      });
    }
  }

  /** Bound part by part, a record's unknown fields are not seen by Jackson: report them here. */
  private void unknownFields(JsonNode node, Class<?> record, String path, Set<FieldError> errors) {
    Set<String> known = Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName)
        .collect(Collectors.toSet());
    node.fieldNames().forEachRemaining(f -> {
      if (!known.contains(f)) {
        errors.add(new FieldError(member.apply(path, f), "unknown field; expected " + knownFields(record)));
      }
    });
  }

  private static Optional<Class<?>> subtype(Class<?> base, JsonNode node) {
    JsonNode name = node.get(typeProperty(base));
    if (name == null || !name.isTextual()) return Optional.empty();
    return Arrays.stream(base.getAnnotation(JsonSubTypes.class).value())
        .filter(t -> t.name().equals(name.asText())).<Class<?>>map(JsonSubTypes.Type::value).findFirst();
  }

  /** The field that names a polymorphic value's type, as its {@link JsonTypeInfo} says. */
  private static String typeProperty(Class<?> base) {
    JsonTypeInfo info = base.getAnnotation(JsonTypeInfo.class);
    if (info == null) return JsonTypeInfo.Id.NAME.getDefaultPropertyName();
    return info.property().isEmpty() ? info.use().getDefaultPropertyName() : info.property();
  }

  private FieldError typeIdError(JsonNode root, InvalidTypeIdException e, String path) {
    String at = path + pathOf(e.getPath());
    JsonNode found = locate(root, e.getPath());
    Class<?> base = e.getBaseType() == null ? null : e.getBaseType().getRawClass();
    String names = base == null || !base.isAnnotationPresent(JsonSubTypes.class) ? "a known type"
        : Arrays.stream(base.getAnnotation(JsonSubTypes.class).value()).map(JsonSubTypes.Type::name)
            .collect(Collectors.joining(", "));
    String property = base == null ? JsonTypeInfo.Id.NAME.getDefaultPropertyName() : typeProperty(base);
    String typePath = member.apply(at, property);
    JsonNode type = found == null ? null : found.get(property);
    if (type == null || type.isNull()) return new FieldError(typePath, "required; one of " + names);
    if (!type.isTextual()) return new FieldError(typePath, "expected a string, one of " + names + ", found " + type);
    return new FieldError(typePath, "unknown type '" + type.asText() + "'; expected one of " + names);
  }

  private String shapeMessage(JsonNode root, JsonMappingException e) {
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
    if (target == long.class || target == Long.class) return "an integer";
    if (target == boolean.class || target == Boolean.class) return "true or false";
    if (target == String.class) return "a string";
    if (target.isEnum()) return "one of " + enumValues(target);
    if (target.isRecord() || target.isInterface() && !List.class.isAssignableFrom(target)
        || Map.class.isAssignableFrom(target)) {
      return "an object";
    }
    if (List.class.isAssignableFrom(target)) return "an array";
    return target.getSimpleName();
  }

  private String describe(JsonNode n) {
    boolean fits = longIntegers ? n.canConvertToLong() : n.canConvertToInt();
    if (n.isIntegralNumber() && !fits) return "an integer out of range (" + n + ")";
    if (n.isTextual()) return "a string";
    if (n.isNumber()) return n.toString();
    if (n.isBoolean()) return n.toString();
    if (n.isArray()) return "an array";
    if (n.isObject()) return "an object";
    return n.getNodeType().name().toLowerCase();
  }

  private static String enumValues(Class<?> enumType) {
    return Arrays.stream(enumType.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
  }

  /** The fields a record may have, its type id first when it is a polymorphic value's type. */
  private static String knownFields(Class<?> type) {
    if (!type.isRecord()) return "no other fields";
    String fields = Arrays.stream(type.getRecordComponents())
        .filter(c -> !c.getAccessor().isAnnotationPresent(JsonIgnore.class))
        .map(RecordComponent::getName)
        .collect(Collectors.joining(", "));
    return Arrays.stream(type.getInterfaces()).filter(i -> i.isAnnotationPresent(JsonSubTypes.class)).findFirst()
        .map(base -> typeProperty(base) + ", " + fields).orElse(fields);
  }

  private FieldError syntaxError(IOException e) {
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

  /** The path of a binding failure, relative to the node that was bound. */
  private String pathOf(List<JsonMappingException.Reference> refs) {
    String s = "";
    for (JsonMappingException.Reference ref : refs) {
      if (ref.getFieldName() != null) s = member.apply(s, ref.getFieldName());
      else if (ref.getIndex() >= 0) s = s + "[" + ref.getIndex() + "]";
    }
    return s;
  }

  /** The path of the value the parser is at, relative to where it started. */
  private String pathOf(JsonParser p) {
    JsonStreamContext ctx = p.getParsingContext();
    JsonToken t = p.currentToken();
    // on the opening of an object or array, the parser has already entered it
    if (ctx != null && (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY)) ctx = ctx.getParent();
    Deque<JsonStreamContext> parts = new ArrayDeque<>();
    for (; ctx != null && !ctx.inRoot(); ctx = ctx.getParent()) parts.push(ctx);
    String s = "$";
    for (JsonStreamContext c : parts) {
      if (c.inObject() && c.getCurrentName() != null) s = member.apply(s, c.getCurrentName());
      else if (c.inArray()) s = s + "[" + c.getCurrentIndex() + "]";
    }
    return s;
  }

  private static String firstLine(String message) {
    if (message == null) return "unreadable";
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /** Reports each unknown field and skips it, so one misspelt field does not hide the rest of the file. */
  private final class UnknownFields extends DeserializationProblemHandler {
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
  }
}
