package atrium.sim.scenario;

import atrium.core.site.CarPark;
import atrium.core.site.Exit;
import atrium.core.site.FieldError;
import atrium.core.site.Site;
import atrium.core.site.SiteLoader;
import atrium.core.site.SiteValidationException;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
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
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads and checks a scenario file and loads its site. Nothing is returned unless the whole file is
 * right; otherwise a {@link ScenarioValidationException} lists every error found, each at its JSON
 * path ({@code $.events[2].zone}) with what was expected.
 *
 * <p>As {@link SiteLoader} does, in two rounds. The shape (JSON syntax, field names, types, required
 * fields, enum values, event types) is checked by binding with Jackson; when binding fails, the parts
 * are bound one by one so that every shape error is found, not only the first; unknown fields are
 * reported and skipped. Then the site is loaded (the {@code site} path is resolved against the
 * scenario file's folder) and {@link ScenarioValidator} checks the meaning, including every id the
 * scenario names against the site.
 */
public final class ScenarioLoader {
  private ScenarioLoader() {}

  public static LoadedScenario load(Path file) throws IOException {
    Path abs = file.toAbsolutePath();
    return parse(Files.readAllBytes(abs), abs.toString(), abs.getParent());
  }

  /**
   * Reads a scenario from bytes; {@code baseDir} is the folder a relative {@code site} path is
   * resolved against (the scenario file's folder).
   */
  public static LoadedScenario parse(byte[] json, String source, Path baseDir) {
    Set<FieldError> errors = new LinkedHashSet<>();
    Scenario scenario = read(json, errors);
    Site site = null;
    Path siteFile = null;
    if (scenario != null && scenario.site() != null) {
      siteFile = baseDir.resolve(scenario.site()).normalize();
      site = site(siteFile, errors);
    }
    if (scenario != null) errors.addAll(ScenarioValidator.validate(scenario, site));
    if (!errors.isEmpty()) throw new ScenarioValidationException(source, new ArrayList<>(errors));
    return resolve(scenario, site, siteFile);
  }

  private static Site site(Path file, Set<FieldError> errors) {
    if (!Files.isRegularFile(file)) {
      errors.add(new FieldError("$.site", "no site file at " + file + " (a relative path is read from the scenario "
          + "file's folder)"));
      return null;
    }
    try {
      return SiteLoader.load(file);
    } catch (SiteValidationException e) {
      int shown = 10;
      errors.add(new FieldError("$.site", file + " is not a valid site: " + e.errors().size() + " errors, "
          + e.errors().stream().limit(shown).map(FieldError::toString).collect(Collectors.joining("; "))
          + (e.errors().size() > shown ? "; ..." : "")));
    } catch (IOException e) {
      errors.add(new FieldError("$.site", "cannot read " + file + ": " + e.getMessage()));
    }
    return null;
  }

  private static LoadedScenario resolve(Scenario s, Site site, Path siteFile) {
    ZoneId zone = ZoneId.of(site.timezone());
    Instant start = s.start().resolve(zone, Instant.EPOCH);
    Instant end = start.plus(s.duration());
    ProfileRate visitors = s.visitors() == null ? ProfileRate.none(start, end)
        : ProfileRate.of(s.visitors().arrivals(), zone, start, end);
    ProfileRate cars = s.cars() == null ? ProfileRate.none(start, end) : ProfileRate.of(s.cars().arrivals(), zone, start, end);
    List<LoadedScenario.TimedEvent> events = new ArrayList<>();
    for (ScenarioEvent e : s.events()) {
      Instant at = e.at().resolve(zone, start);
      TimePoint until = until(e);
      Instant to = until != null ? until.resolve(zone, at) : lasts(e) ? end : at;
      events.add(new LoadedScenario.TimedEvent(at, to, e));
    }
    events.sort(Comparator.comparing(LoadedScenario.TimedEvent::at)); // stable: ties keep file order
    Map<String, Double> entrances = s.visitors() != null && s.visitors().entrances() != null ? s.visitors().entrances()
        : proportional(site.exits().stream().collect(toMap(Exit::id, Exit::width)));
    Map<String, Double> carParks = s.cars() != null && s.cars().carParks() != null ? s.cars().carParks()
        : proportional(site.carParks().stream().collect(toMap(CarPark::id, c -> (double) c.bayCount())));
    return new LoadedScenario(s, site, siteFile, zone, start, end, visitors, cars, new WeatherProfile(s.weather(), zone),
        Collections.unmodifiableList(events), entrances, carParks);
  }

  private static TimePoint until(ScenarioEvent e) {
    if (e instanceof ScenarioEvent.HvacFailure h) return h.until();
    if (e instanceof ScenarioEvent.KioskFault k) return k.until();
    if (e instanceof ScenarioEvent.CameraFault c) return c.until();
    return null;
  }

  private static boolean lasts(ScenarioEvent e) {
    return e instanceof ScenarioEvent.HvacFailure || e instanceof ScenarioEvent.KioskFault
        || e instanceof ScenarioEvent.CameraFault;
  }

  private static <T> java.util.stream.Collector<T, ?, LinkedHashMap<String, Double>> toMap(
      java.util.function.Function<T, String> key, java.util.function.ToDoubleFunction<T> value) {
    return Collectors.toMap(key, value::applyAsDouble, (a, b) -> a, LinkedHashMap::new);
  }

  private static Map<String, Double> proportional(LinkedHashMap<String, Double> weights) {
    double sum = weights.values().stream().mapToDouble(Double::doubleValue).sum();
    Map<String, Double> shares = new LinkedHashMap<>();
    weights.forEach((k, w) -> shares.put(k, sum > 0 ? w / sum : 0));
    return Collections.unmodifiableMap(shares);
  }

  // --- round one: the shape

  private static Scenario read(byte[] json, Set<FieldError> errors) {
    JsonNode root;
    try {
      root = ScenarioJson.MAPPER.readTree(json);
    } catch (IOException e) {
      errors.add(syntaxError(e));
      return null;
    }
    if (root == null || root.isMissingNode()) {
      errors.add(new FieldError("$", "the file is empty; expected a scenario object"));
      return null;
    }
    return (Scenario) bind(root, ScenarioJson.MAPPER.constructType(Scenario.class), "$", errors);
  }

  /** Binds {@code node}; when that fails, reports why and binds its parts to find the other errors too. */
  private static Object bind(JsonNode node, JavaType type, String path, Set<FieldError> errors) {
    try {
      return ScenarioJson.MAPPER.readerFor(type).withHandler(new UnknownFields(path, errors)).readValue(node);
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

  private static void bindParts(JsonNode node, JavaType type, String path, Set<FieldError> errors) {
    if (type.isCollectionLikeType() && node.isArray()) {
      for (int i = 0; i < node.size(); i++) bind(node.get(i), type.getContentType(), path + "[" + i + "]", errors);
    } else if (type.isMapLikeType() && node.isObject()) {
      node.properties().forEach(e -> bind(e.getValue(), type.getContentType(), ScenarioValidator.key(path, e.getKey()), errors));
    } else if (type.isRecordType() && node.isObject()) {
      for (RecordComponent c : type.getRawClass().getRecordComponents()) {
        if (c.getAccessor().isAnnotationPresent(JsonIgnore.class)) continue;
        JsonNode child = node.get(c.getName());
        boolean absent = child == null || child.isNull();
        if (!absent) {
          bind(child, ScenarioJson.MAPPER.constructType(c.getGenericType()), path + "." + c.getName(), errors);
        } else if (!c.isAnnotationPresent(OptionalField.class)) {
          errors.add(new FieldError(path + "." + c.getName(), "required"));
        }
      }
    } else if (node.isObject() && type.getRawClass().isAnnotationPresent(JsonSubTypes.class)) {
      // a polymorphic value of a known type: check its fields as that type's ("type" itself is consumed)
      subtype(type.getRawClass(), node).ifPresent(sub -> {
        com.fasterxml.jackson.databind.node.ObjectNode fields = node.deepCopy();
        fields.remove("type");
        bindParts(fields, ScenarioJson.MAPPER.constructType(sub), path, errors);
        unknownFields(fields, sub, path, errors);
      });
    }
  }

  /** Bound part by part, a record's unknown fields are not seen by Jackson: report them here. */
  private static void unknownFields(JsonNode node, Class<?> record, String path, Set<FieldError> errors) {
    Set<String> known = Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).collect(Collectors.toSet());
    node.fieldNames().forEachRemaining(f -> {
      if (!known.contains(f)) errors.add(new FieldError(ScenarioValidator.key(path, f), "unknown field; expected " + knownFields(record)));
    });
  }

  private static Optional<Class<?>> subtype(Class<?> base, JsonNode node) {
    JsonNode name = node.get("type");
    if (name == null || !name.isTextual()) return Optional.empty();
    return Arrays.stream(base.getAnnotation(JsonSubTypes.class).value())
        .filter(t -> t.name().equals(name.asText())).<Class<?>>map(JsonSubTypes.Type::value).findFirst();
  }

  private static FieldError typeIdError(JsonNode root, InvalidTypeIdException e, String path) {
    String at = path + pathOf(e.getPath());
    JsonNode found = locate(root, e.getPath());
    Class<?> base = e.getBaseType() == null ? null : e.getBaseType().getRawClass();
    String names = base == null || !base.isAnnotationPresent(JsonSubTypes.class) ? "a known type"
        : Arrays.stream(base.getAnnotation(JsonSubTypes.class).value()).map(JsonSubTypes.Type::name)
            .collect(Collectors.joining(", "));
    JsonNode type = found == null ? null : found.get("type");
    if (type == null || type.isNull()) return new FieldError(at + ".type", "required; one of " + names);
    if (!type.isTextual()) return new FieldError(at + ".type", "expected a string, one of " + names + ", found " + type);
    return new FieldError(at + ".type", "unknown type '" + type.asText() + "'; expected one of " + names);
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
    if (target == long.class || target == Long.class) return "an integer";
    if (target == boolean.class || target == Boolean.class) return "true or false";
    if (target == String.class) return "a string";
    if (target.isEnum()) return "one of " + enumValues(target);
    if (target.isRecord() || target.isInterface() || Map.class.isAssignableFrom(target)) return "an object";
    if (List.class.isAssignableFrom(target)) return "an array";
    return target.getSimpleName();
  }

  private static String describe(JsonNode n) {
    if (n.isTextual()) return "a string";
    if (n.isIntegralNumber() && !n.canConvertToLong()) return "an integer out of range (" + n + ")";
    if (n.isNumber()) return n.toString();
    if (n.isBoolean()) return n.toString();
    if (n.isArray()) return "an array";
    if (n.isObject()) return "an object";
    return n.getNodeType().name().toLowerCase();
  }

  private static String enumValues(Class<?> enumType) {
    return Arrays.stream(enumType.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
  }

  private static String knownFields(Class<?> type) {
    if (!type.isRecord()) return "no other fields";
    String fields = Arrays.stream(type.getRecordComponents())
        .filter(c -> !c.getAccessor().isAnnotationPresent(JsonIgnore.class))
        .map(RecordComponent::getName)
        .collect(Collectors.joining(", "));
    return ScenarioEvent.class.isAssignableFrom(type) ? "type, " + fields : fields;
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
    String s = "";
    for (JsonMappingException.Reference ref : refs) {
      if (ref.getFieldName() != null) s = ScenarioValidator.key(s, ref.getFieldName());
      else if (ref.getIndex() >= 0) s = s + "[" + ref.getIndex() + "]";
    }
    return s;
  }

  /** The path of the value the parser is at, relative to where it started. */
  private static String pathOf(JsonParser p) {
    JsonStreamContext ctx = p.getParsingContext();
    JsonToken t = p.currentToken();
    // on the opening of an object or array, the parser has already entered it
    if (ctx != null && (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY)) ctx = ctx.getParent();
    Deque<JsonStreamContext> parts = new ArrayDeque<>();
    for (; ctx != null && !ctx.inRoot(); ctx = ctx.getParent()) parts.push(ctx);
    String s = "$";
    for (JsonStreamContext c : parts) {
      if (c.inObject() && c.getCurrentName() != null) s = ScenarioValidator.key(s, c.getCurrentName());
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
  }
}
