package atrium.core.protocol;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.protocol.Envelope.Ack;
import atrium.core.protocol.Envelope.AckStatus;
import atrium.core.protocol.Envelope.Command;
import atrium.core.protocol.Envelope.Event;
import atrium.core.protocol.Envelope.Telemetry;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one mapping of the device protocol, shared by every transport. Strict: an unknown version,
 * type or kind, a missing or extra field, or a value of the wrong type is refused with a
 * {@link ProtocolException} naming the field, and nothing is returned to apply.
 */
public final class DeviceProtocol {
  /** Largest envelope (or batch) accepted, in bytes. */
  public static final int MAX_MESSAGE_BYTES = 256 * 1024;
  /** Most envelopes in one batch. */
  public static final int MAX_BATCH = 1000;

  private static final Pattern MESSAGE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");
  private static final Set<String> COMMON = Set.of("v", "type", "id", "site", "kind", "asset", "ts");
  private static final Set<String> TELEMETRY = union(COMMON, "data");
  private static final Set<String> NAMED = union(COMMON, "name", "data");
  private static final Set<String> ACK = union(COMMON, "ref", "status", "reason");

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .build();

  static {
    MAPPER.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(64 * 1024).build());
  }

  private DeviceProtocol() {}

  /** The mapper for protocol JSON; exposed for transports that need to write trees. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Parses one envelope. */
  public static Envelope parse(byte[] json) {
    return fromTree(readTree(json), "$");
  }

  /** Parses one envelope or a JSON array of them (a batch); every envelope is checked before any is returned. */
  public static List<Envelope> parseBatch(byte[] json) {
    JsonNode root = readTree(json);
    if (!root.isArray()) return List.of(fromTree(root, "$"));
    if (root.isEmpty()) throw new ProtocolException("$", "a batch must hold at least one envelope");
    if (root.size() > MAX_BATCH) throw new ProtocolException("$", "a batch holds at most " + MAX_BATCH + " envelopes, this one " + root.size());
    List<Envelope> out = new ArrayList<>(root.size());
    for (int i = 0; i < root.size(); i++) out.add(fromTree(root.get(i), "$[" + i + "]"));
    return out;
  }

  public static byte[] write(Envelope envelope) {
    try {
      return MAPPER.writeValueAsBytes(toTree(envelope));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write envelope " + envelope.id(), e);
    }
  }

  public static byte[] writeBatch(List<? extends Envelope> envelopes) {
    ArrayNode array = MAPPER.createArrayNode();
    envelopes.forEach(e -> array.add(toTree(e)));
    try {
      return MAPPER.writeValueAsBytes(array);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write batch", e);
    }
  }

  public static ObjectNode toTree(Envelope envelope) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("v", Envelope.VERSION);
    n.put("type", typeOf(envelope));
    n.put("id", envelope.id());
    n.put("site", envelope.asset().site());
    n.put("kind", envelope.asset().kind().wireName());
    n.put("asset", envelope.asset().localId());
    n.put("ts", envelope.ts().toString());
    if (envelope instanceof Telemetry t) {
      n.set("data", t.data());
    } else if (envelope instanceof Event e) {
      n.put("name", e.name());
      n.set("data", e.data());
    } else if (envelope instanceof Command c) {
      n.put("name", c.name());
      n.set("data", c.data());
    } else if (envelope instanceof Ack a) {
      n.put("ref", a.ref());
      n.put("status", a.status().name().toLowerCase());
      if (a.reason() != null) n.put("reason", a.reason());
    }
    return n;
  }

  private static String typeOf(Envelope e) {
    if (e instanceof Telemetry) return "telemetry";
    if (e instanceof Event) return "event";
    if (e instanceof Command) return "command";
    return "ack";
  }

  private static JsonNode readTree(byte[] json) {
    if (json == null || json.length == 0) throw new ProtocolException("$", "the body is empty; expected a JSON envelope");
    if (json.length > MAX_MESSAGE_BYTES) {
      throw new ProtocolException("$", "message of " + json.length + " bytes exceeds the limit of " + MAX_MESSAGE_BYTES);
    }
    try {
      JsonNode node = MAPPER.readTree(json);
      if (node == null || node.isMissingNode()) throw new ProtocolException("$", "the body is empty; expected a JSON envelope");
      return node;
    } catch (IOException e) {
      String msg = e.getMessage();
      int nl = msg == null ? -1 : msg.indexOf('\n');
      throw new ProtocolException("$", "not valid JSON: " + (nl > 0 ? msg.substring(0, nl) : msg));
    }
  }

  private static Envelope fromTree(JsonNode node, String path) {
    if (!node.isObject()) throw new ProtocolException(path, "expected a JSON object, found " + describe(node));
    JsonNode v = node.get("v");
    if (v == null) throw new ProtocolException(path + ".v", "required; this server speaks version " + Envelope.VERSION);
    if (!v.isIntegralNumber() || v.asInt() != Envelope.VERSION) {
      throw new ProtocolException(path + ".v", "unsupported version " + v + "; this server speaks version " + Envelope.VERSION);
    }
    String type = text(node, path, "type");
    Set<String> allowed = switch (type) {
      case "telemetry" -> TELEMETRY;
      case "event", "command" -> NAMED;
      case "ack" -> ACK;
      default -> throw new ProtocolException(path + ".type", "unknown type '" + type + "'; expected telemetry, event, command or ack");
    };
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) throw new ProtocolException(path + "." + f, "unknown field for a " + type + " envelope");
    }
    String id = text(node, path, "id");
    if (!MESSAGE_ID.matcher(id).matches()) {
      throw new ProtocolException(path + ".id", "'" + abbreviate(id) + "' must match " + MESSAGE_ID.pattern());
    }
    AssetId asset = asset(node, path);
    Instant ts = instant(node, path, "ts");
    return switch (type) {
      case "telemetry" -> new Telemetry(id, asset, ts, object(node, path, "data"));
      case "event" -> new Event(id, asset, ts, name(node, path), object(node, path, "data"));
      case "command" -> new Command(id, asset, ts, name(node, path), object(node, path, "data"));
      default -> ack(node, path, id, asset, ts);
    };
  }

  private static Ack ack(JsonNode node, String path, String id, AssetId asset, Instant ts) {
    String ref = text(node, path, "ref");
    if (!MESSAGE_ID.matcher(ref).matches()) throw new ProtocolException(path + ".ref", "'" + abbreviate(ref) + "' is not a message id");
    String status = text(node, path, "status");
    AckStatus s = switch (status) {
      case "ok" -> AckStatus.OK;
      case "failed" -> AckStatus.FAILED;
      default -> throw new ProtocolException(path + ".status", "unknown status '" + abbreviate(status) + "'; expected ok or failed");
    };
    JsonNode reason = node.get("reason");
    if (reason != null && !reason.isTextual()) throw new ProtocolException(path + ".reason", "expected a string, found " + describe(reason));
    if (s == AckStatus.FAILED && reason == null) throw new ProtocolException(path + ".reason", "required when status is failed");
    return new Ack(id, asset, ts, ref, s, reason == null ? null : reason.asText());
  }

  private static AssetId asset(JsonNode node, String path) {
    String site = text(node, path, "site");
    if (!AssetId.isValidName(site)) throw new ProtocolException(path + ".site", "'" + abbreviate(site) + "' must match " + AssetId.NAME.pattern());
    String kindName = text(node, path, "kind");
    AssetKind kind = AssetKind.fromWireName(kindName).orElseThrow(() ->
        new ProtocolException(path + ".kind", "unknown kind '" + abbreviate(kindName) + "'; expected one of " + AssetKind.wireNames()));
    String local = text(node, path, "asset");
    if (!AssetId.isValidName(local)) throw new ProtocolException(path + ".asset", "'" + abbreviate(local) + "' must match " + AssetId.NAME.pattern());
    return new AssetId(site, kind, local);
  }

  private static String name(JsonNode node, String path) {
    String name = text(node, path, "name");
    if (!NAME.matcher(name).matches()) throw new ProtocolException(path + ".name", "'" + abbreviate(name) + "' must match " + NAME.pattern());
    return name;
  }

  private static String text(JsonNode node, String path, String field) {
    JsonNode f = node.get(field);
    if (f == null || f.isNull()) throw new ProtocolException(path + "." + field, "required");
    if (!f.isTextual()) throw new ProtocolException(path + "." + field, "expected a string, found " + describe(f));
    return f.asText();
  }

  private static Instant instant(JsonNode node, String path, String field) {
    String s = text(node, path, field);
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new ProtocolException(path + "." + field, "'" + abbreviate(s) + "' is not an ISO-8601 UTC instant such as 2026-11-22T09:30:00Z");
    }
  }

  private static ObjectNode object(JsonNode node, String path, String field) {
    JsonNode f = node.get(field);
    if (f == null || f.isNull()) throw new ProtocolException(path + "." + field, "required (an object, possibly empty)");
    if (!f.isObject()) throw new ProtocolException(path + "." + field, "expected an object, found " + describe(f));
    return (ObjectNode) f;
  }

  static String describe(JsonNode n) {
    if (n.isTextual()) return "a string";
    if (n.isNumber()) return "a number";
    if (n.isBoolean()) return "a boolean";
    if (n.isArray()) return "an array";
    if (n.isObject()) return "an object";
    if (n.isNull()) return "null";
    return n.getNodeType().name().toLowerCase();
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  private static Set<String> union(Set<String> base, String... more) {
    var s = new java.util.HashSet<>(base);
    s.addAll(List.of(more));
    return Set.copyOf(s);
  }
}
