package atrium.api.rest;

import atrium.api.security.Access;
import atrium.api.security.Principal;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Property-level authorisation of personal data in asset states (OWASP API3, GB/T 35273 §6): the
 * pseudonymised plate of a parked car is shown to those who act on assets (operators and above, who
 * find a car for a customer) and removed for viewers and for the live stream, which every viewer of
 * the site receives. Courier positions and tracks never reach an asset state at all.
 */
public final class PersonalFields {
  /** Fields of asset states that hold (pseudonymised) personal data. */
  public static final Set<String> NAMES = Set.of("plateToken");

  private PersonalFields() {}

  /** The state as this caller may see it: personal fields removed unless the caller may operate. */
  public static JsonNode forCaller(JsonNode state, Principal caller) {
    if (state == null || caller.may(Access.OPERATE)) return state;
    return withoutPersonalFields(state);
  }

  /** A copy of the state with every personal field removed, at any depth (the state itself if it has none). */
  public static JsonNode withoutPersonalFields(JsonNode state) {
    if (state == null || !holdsPersonalField(state)) return state;
    JsonNode copy = state.deepCopy();
    strip(copy);
    return copy;
  }

  private static boolean holdsPersonalField(JsonNode n) {
    if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        if (NAMES.contains(f.getKey()) || holdsPersonalField(f.getValue())) return true;
      }
    } else if (n.isArray()) {
      for (JsonNode e : n) if (holdsPersonalField(e)) return true;
    }
    return false;
  }

  private static void strip(JsonNode n) {
    if (n.isObject()) ((ObjectNode) n).remove(NAMES);
    if (n.isContainerNode()) n.forEach(PersonalFields::strip);
  }
}
