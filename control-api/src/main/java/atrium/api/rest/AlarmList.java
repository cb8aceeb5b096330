package atrium.api.rest;

import atrium.api.http.ApiException;
import atrium.api.http.Call;
import atrium.api.http.Endpoint;
import atrium.api.http.Problem;
import atrium.api.http.Reply;
import atrium.api.security.Access;
import atrium.core.alarm.Alarm;
import atrium.core.alarm.Severity;
import atrium.devices.TwinGateway;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * A site's alarms, as its roll-up holds them (the latest state of every alarm raised there, from the
 * live deltas and, when the node started, the journal): filtered by ISA-18.2 state, severity, whether
 * the condition is active, the most severe first, capped. The
 * control room reads it at sign-in, so it starts with the alarms raised before, not only those that
 * change after.
 */
public final class AlarmList {
  static final int MAX_LIMIT = 1_000;
  static final int DEFAULT_LIMIT = 200;
  private static final Set<String> PARAMETERS = Set.of("state", "severity", "active", "limit");
  /** Unacknowledged first, back to normal last: what needs a person comes first within a severity. */
  private static final List<Alarm.AlarmState> STATE_ORDER = List.of(Alarm.AlarmState.UNACKNOWLEDGED,
      Alarm.AlarmState.RETURNED_UNACKNOWLEDGED, Alarm.AlarmState.ACKNOWLEDGED, Alarm.AlarmState.SHELVED,
      Alarm.AlarmState.SUPPRESSED, Alarm.AlarmState.OUT_OF_SERVICE, Alarm.AlarmState.NORMAL);
  private static final Comparator<JsonNode> ORDER = Comparator
      .comparingInt((JsonNode a) -> -severity(a).map(Severity::ordinal).orElse(-1))
      .thenComparingInt(a -> state(a).map(STATE_ORDER::indexOf).orElse(STATE_ORDER.size()))
      .thenComparing((JsonNode a) -> a.path("lastAt").asText(""), Comparator.reverseOrder())
      .thenComparing(a -> a.path("alarmId").asText(""));

  private final TwinGateway gateway;

  public AlarmList(TwinGateway gateway) {
    this.gateway = gateway;
  }

  public List<Endpoint> endpoints() {
    return List.of(Endpoint.of("listAlarms", HttpMethod.GET, "/api/v1/sites/{site}/alarms", Access.VIEW,
        "The site's alarms by state, severity and whether active, the most severe first, a page at a time", this::list));
  }

  private CompletionStage<Reply> list(Call call) {
    String site = Assets.validSite(call.param("site"));
    for (String name : call.queryParameters().keySet()) {
      if (!PARAMETERS.contains(name)) {
        throw Call.badParameter(name, "is not known here; filter with state, severity and active, and cap the list with limit");
      }
    }
    Set<Alarm.AlarmState> states = choices(call, "state", Alarm.AlarmState.class);
    Set<Severity> severities = choices(call, "severity", Severity.class);
    Optional<Boolean> active = flag(call, "active");
    int limit = call.queryInt("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    TwinReads.requireSite(gateway, site);
    return gateway.alarms(site).thenApply(held -> {
      var alarms = held.orElseThrow(() -> new ApiException(Problem.unknownSite(site)));
      List<JsonNode> matching = new ArrayList<>();
      for (JsonNode a : alarms.alarms()) {
        if (!states.isEmpty() && state(a).filter(states::contains).isEmpty()) continue;
        if (!severities.isEmpty() && severity(a).filter(severities::contains).isEmpty()) continue;
        if (active.isPresent() && a.path("active").asBoolean() != active.get()) continue;
        matching.add(a);
      }
      matching.sort(ORDER);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("site", site);
      body.put("primed", alarms.primed());
      body.put("total", matching.size());
      body.put("alarms", matching.subList(0, Math.min(limit, matching.size())));
      return Reply.json(body);
    });
  }

  private static <E extends Enum<E>> Set<E> choices(Call call, String name, Class<E> type) {
    Set<E> out = EnumSet.noneOf(type);
    for (String v : call.queryAll(name)) {
      String wanted = v.toUpperCase(Locale.ROOT).replace('-', '_');
      E match = Arrays.stream(type.getEnumConstants()).filter(c -> c.name().equals(wanted)).findFirst()
          .orElseThrow(() -> Call.badParameter(name, "'" + v + "' is not one of " + Arrays.toString(type.getEnumConstants())));
      out.add(match);
    }
    return out;
  }

  private static Optional<Boolean> flag(Call call, String name) {
    Optional<String> v = call.query(name);
    if (v.isEmpty()) return Optional.empty();
    if (v.get().equals("true")) return Optional.of(true);
    if (v.get().equals("false")) return Optional.of(false);
    throw Call.badParameter(name, "must be true or false, not '" + v.get() + "'");
  }

  private static Optional<Alarm.AlarmState> state(JsonNode alarm) {
    String s = alarm.path("state").asText("");
    return Arrays.stream(Alarm.AlarmState.values()).filter(v -> v.name().equals(s)).findFirst();
  }

  private static Optional<Severity> severity(JsonNode alarm) {
    String s = alarm.path("severity").asText("");
    return Arrays.stream(Severity.values()).filter(v -> v.name().equals(s)).findFirst();
  }
}
