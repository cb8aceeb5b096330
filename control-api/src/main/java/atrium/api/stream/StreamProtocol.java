package atrium.api.stream;

import atrium.api.http.Json;
import atrium.api.rest.PersonalFields;
import atrium.api.security.Principal;
import atrium.core.asset.AssetKind;
import atrium.core.live.Delta;
import atrium.core.runtime.SiteDirectory;
import atrium.core.site.Site;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The live stream's messages, JSON text frames both ways (see {@code docs/stream.md}). A client's
 * message is checked whole before anything is done: the site against the model and the caller's grant
 * (a site not granted is answered exactly as one that does not exist), each filter value against the
 * site, every error naming the offending field by JSON path.
 */
final class StreamProtocol {
  private StreamProtocol() {}

  /** What a client asks. */
  sealed interface ClientMessage permits Subscribe, Unsubscribe {}

  /** Subscribes to a site's deltas, or replaces the connection's subscription to it. */
  record Subscribe(String site, Filter filter) implements ClientMessage {}

  record Unsubscribe(String site) implements ClientMessage {}

  /**
   * A message refused; the connection stays open.
   *
   * @param code stable, for clients to switch on: {@code invalid-message}, {@code unknown-site}, {@code unknown-kind},
   *     {@code unknown-floor}, {@code unknown-zone}, {@code not-subscribed}
   * @param field JSON path of the offending field, or null
   */
  static final class Refused extends RuntimeException {
    final String code;
    final String field;

    Refused(String code, String field, String detail) {
      super(detail, null, false, false);
      this.code = code;
      this.field = field;
    }
  }

  private static final Set<String> SUBSCRIBE_FIELDS = Set.of("type", "site", "kinds", "floors", "zones");
  private static final Set<String> UNSUBSCRIBE_FIELDS = Set.of("type", "site");

  static ClientMessage parse(String text, SiteDirectory sites, Principal principal) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new Refused("invalid-message", null, "the message is not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new Refused("invalid-message", null, "a message is a JSON object with a \"type\"");
    }
    JsonNode type = root.get("type");
    if (type == null || !type.isTextual()) {
      throw new Refused("invalid-message", "$.type", "\"type\" is required: \"subscribe\" or \"unsubscribe\"");
    }
    switch (type.asText()) {
      case "subscribe": {
        onlyFields(root, SUBSCRIBE_FIELDS);
        Site site = grantedSite(root, sites, principal);
        Set<AssetKind> kinds = values(root, "kinds", "unknown-kind",
            k -> AssetKind.fromWireName(k).orElse(null), "a kind: " + AssetKind.wireNames());
        Set<String> floors = values(root, "floors", "unknown-floor",
            f -> site.floor(f).map(x -> f).orElse(null), "a floor of site '" + site.id() + "'");
        Set<String> zones = values(root, "zones", "unknown-zone",
            z -> site.zone(z).map(x -> z).orElse(null), "a zone of site '" + site.id() + "'");
        return new Subscribe(site.id(), new Filter(kinds, floors, zones));
      }
      case "unsubscribe":
        onlyFields(root, UNSUBSCRIBE_FIELDS);
        return new Unsubscribe(siteField(root));
      default:
        throw new Refused("invalid-message", "$.type",
            "unknown type '" + type.asText() + "': \"subscribe\" or \"unsubscribe\"");
    }
  }

  private static void onlyFields(JsonNode root, Set<String> allowed) {
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) {
        throw new Refused("invalid-message", "$." + name, "unknown field '" + name + "'; expected " + new TreeSet<>(allowed));
      }
    }
  }

  private static String siteField(JsonNode root) {
    JsonNode site = root.get("site");
    if (site == null || !site.isTextual() || site.asText().isEmpty()) {
      throw new Refused("invalid-message", "$.site", "\"site\" is required: a site id");
    }
    return site.asText();
  }

  /** The site, if it exists and the caller is granted it; the two refusals are the same. */
  private static Site grantedSite(JsonNode root, SiteDirectory sites, Principal principal) {
    String id = siteField(root);
    return sites.site(id).filter(s -> principal.mayAccessSite(s.id()))
        .orElseThrow(() -> new Refused("unknown-site", "$.site", "no site '" + id + "' on this server"));
  }

  /** An optional non-empty array of strings, each turned into a value by {@code lookup} (null: unknown). */
  private static <T> Set<T> values(JsonNode root, String name, String unknownCode, Function<String, T> lookup, String what) {
    JsonNode array = root.get(name);
    if (array == null || array.isNull()) return Set.of();
    String field = "$." + name;
    if (!array.isArray() || array.isEmpty()) {
      throw new Refused("invalid-message", field, "\"" + name + "\" is a non-empty array of strings; leave it out for all");
    }
    Set<T> out = new LinkedHashSet<>();
    for (int i = 0; i < array.size(); i++) {
      JsonNode v = array.get(i);
      String at = field + "[" + i + "]";
      if (!v.isTextual()) throw new Refused("invalid-message", at, "expected a string");
      T value = lookup.apply(v.asText());
      if (value == null) throw new Refused(unknownCode, at, "'" + v.asText() + "' is not " + what);
      out.add(value);
    }
    return out;
  }

  // --- what the server sends

  static String subscribed(String site, Filter filter) {
    ObjectNode n = message("subscribed");
    n.put("site", site);
    strings(n.putArray("kinds"), filter.kinds().stream().map(AssetKind::wireName).sorted().toList());
    strings(n.putArray("floors"), filter.floors().stream().sorted().toList());
    strings(n.putArray("zones"), filter.zones().stream().sorted().toList());
    return write(n);
  }

  static String unsubscribed(String site) {
    return write(message("unsubscribed").put("site", site));
  }

  static String error(String code, String field, String detail) {
    ObjectNode n = message("error").put("code", code).put("detail", detail);
    if (field != null) n.put("field", field);
    return write(n);
  }

  static String dropped(String reason, String detail) {
    return write(message("dropped").put("reason", reason).put("detail", detail));
  }

  static String delta(Delta d, Placement placement) {
    ObjectNode n = message("delta");
    n.put("site", d.asset().site());
    n.put("kind", d.asset().kind().wireName());
    n.put("id", d.asset().localId());
    n.put("at", d.at().toString());
    if (placement.floor() != null) n.put("floor", placement.floor());
    if (placement.zone() != null) n.put("zone", placement.zone());
    n.set("state", PersonalFields.withoutPersonalFields(d.state()));
    return write(n);
  }

  private static ObjectNode message(String type) {
    return Json.mapper().createObjectNode().put("type", type);
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static String write(ObjectNode n) {
    try {
      return Json.mapper().writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a stream message", e);
    }
  }
}
