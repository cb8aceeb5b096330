package atrium.load.drive;

import atrium.core.asset.AssetKind;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A load profile (the {@code --scenario} file): the stages of the arrival rate, the traffic mix, the
 * devices played, MQTT and stream settings, the bounds, the objective and the capacity search. Read
 * strictly: an unknown field or a wrong value is refused with its JSON path. docs/load-testing.md
 * describes every field.
 */
public record LoadProfile(String name, String description, String site, List<Stage> stages, List<MixItem> mix,
    List<AssetKind> deviceKinds, java.nio.file.Path recording, int mqttQos, int mqttConnections, int httpBatch, int streamClients, List<String> streamKinds,
    int maxInFlight, Duration timeout, Duration maxLateness, CapacitySearch.Slo slo, Capacity capacity) {

  /** The operations a mix can hold. */
  public static final List<String> OPS = List.of("mqtt-telemetry", "http-telemetry", "rest-get-asset", "rest-list-assets",
      "rest-put-setpoints");

  public record MixItem(String op, double weight) {}

  /** The capacity search's settings: each trial holds a rate for {@code trial}, after {@code warmUp} at that rate not counted. */
  public record Capacity(double startRate, double factor, double tolerance, int maxTrials, Duration trial, Duration warmUp) {}

  public LoadProfile {
    stages = List.copyOf(stages);
    mix = List.copyOf(mix);
    deviceKinds = List.copyOf(deviceKinds);
    streamKinds = List.copyOf(streamKinds);
  }

  public boolean uses(String op) {
    return mix.stream().anyMatch(m -> m.op().equals(op));
  }

  public LoadProfile withStages(List<Stage> s) {
    return new LoadProfile(name, description, site, s, mix, deviceKinds, recording, mqttQos, mqttConnections, httpBatch, streamClients,
        streamKinds, maxInFlight, timeout, maxLateness, slo, capacity);
  }

  public LoadProfile with(int qos, int connections, int clients, int inFlight, CapacitySearch.Slo objective) {
    return new LoadProfile(name, description, site, stages, mix, deviceKinds, recording, qos, connections, httpBatch, clients, streamKinds,
        inFlight, timeout, maxLateness, objective, capacity);
  }

  private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  public static LoadProfile load(Path file) {
    try {
      return parse(file.getFileName().toString().replaceFirst("\\.json$", ""), Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the load profile " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads a profile; {@code fallbackName} names it when it has no {@code name}. */
  public static LoadProfile parse(String fallbackName, String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("$: not valid JSON: " + e.getOriginalMessage());
    }
    Reader r = new Reader(root, "$");
    r.only("name", "description", "site", "stages", "mix", "devices", "mqtt", "http", "stream", "limits", "slo", "capacity");
    String name = r.text("name", fallbackName);
    String description = r.text("description", "");
    String site = r.text("site", "demo-mall");

    List<Stage> stages = new ArrayList<>();
    Reader st = r.child("stages", true);
    if (!st.node.isArray() || st.node.isEmpty()) throw st.error("expected a non-empty array of stages");
    for (int i = 0; i < st.node.size(); i++) {
      Reader s = st.at(i);
      String type = s.text("type", null);
      if (type == null) throw s.error("a stage needs a type: ramp, hold or spike");
      try {
        if (type.equals("ramp")) {
          s.only("type", "from", "to", "duration");
          stages.add(Stage.ramp(s.number("from", -1), s.number("to", -1), s.duration("duration", null)));
        } else if (type.equals("hold") || type.equals("spike")) {
          s.only("type", "rate", "duration");
          stages.add(new Stage(type, s.number("rate", -1), s.number("rate", -1), s.duration("duration", null)));
        } else {
          throw s.error("unknown stage type '" + type + "'; expected ramp, hold or spike");
        }
      } catch (IllegalArgumentException e) {
        if (e.getMessage().startsWith("$")) throw e;
        throw s.error(e.getMessage());
      }
    }

    List<MixItem> mix = new ArrayList<>();
    Reader mx = r.child("mix", true);
    if (!mx.node.isArray() || mx.node.isEmpty()) throw mx.error("expected a non-empty array of {op, weight}");
    for (int i = 0; i < mx.node.size(); i++) {
      Reader m = mx.at(i);
      m.only("op", "weight");
      String op = m.text("op", null);
      if (op == null || !OPS.contains(op)) throw m.error("unknown op '" + op + "'; expected one of " + String.join(", ", OPS));
      double w = m.number("weight", 1);
      if (!(w > 0)) throw m.error("weight must be > 0");
      mix.add(new MixItem(op, w));
    }

    Reader dev = r.child("devices", false);
    dev.only("kinds", "recording");
    String rec = dev.text("recording", null);
    java.nio.file.Path recording = rec == null ? null : java.nio.file.Path.of(rec);
    List<AssetKind> kinds = new ArrayList<>();
    for (String k : dev.texts("kinds", List.of("parking-bay", "hvac-zone"))) {
      AssetKind kind = AssetKind.fromWireName(k).orElse(null);
      if (kind == null || !DeviceFleet.KINDS.contains(kind)) {
        throw dev.error("kinds: '" + k + "' is not a kind the load generator plays; expected one of "
            + String.join(", ", DeviceFleet.KINDS.stream().map(AssetKind::wireName).toList()));
      }
      kinds.add(kind);
    }
    Reader mq = r.child("mqtt", false);
    mq.only("qos", "connections");
    int qos = (int) mq.number("qos", 1);
    if (qos != 0 && qos != 1) throw mq.error("qos must be 0 or 1 (Atrium refuses QoS 2)");
    int connections = mq.positiveInt("connections", 4);
    Reader http = r.child("http", false);
    http.only("batch");
    int batch = http.positiveInt("batch", 1);
    if (batch > 1000) throw http.error("batch: at most 1000 envelopes per request");
    Reader stream = r.child("stream", false);
    stream.only("clients", "kinds");
    int clients = (int) stream.number("clients", 0);
    if (clients < 0) throw stream.error("clients must be ≥ 0");
    List<String> streamKinds = stream.texts("kinds", List.of());
    Reader lim = r.child("limits", false);
    lim.only("maxInFlight", "timeout", "maxLateness");
    int maxInFlight = lim.positiveInt("maxInFlight", 2000);
    Duration timeout = lim.duration("timeout", Duration.ofSeconds(10));
    Duration lateness = lim.duration("maxLateness", Duration.ofSeconds(1));
    Reader slo = r.child("slo", false);
    slo.only("p99Millis", "maxErrorRate");
    CapacitySearch.Slo objective = new CapacitySearch.Slo(slo.number("p99Millis", 250), slo.number("maxErrorRate", 0.01));
    Reader cap = r.child("capacity", false);
    cap.only("startRate", "factor", "tolerance", "maxTrials", "trial", "warmUp");
    Capacity capacity = new Capacity(cap.number("startRate", 100), cap.number("factor", 2), cap.number("tolerance", 0.1),
        cap.positiveInt("maxTrials", 12), cap.duration("trial", Duration.ofSeconds(15)), cap.duration("warmUp", Duration.ofSeconds(3)));
    if (!(capacity.startRate() > 0)) throw cap.error("startRate must be > 0");
    if (!(capacity.factor() > 1)) throw cap.error("factor must be > 1");
    if (!(capacity.tolerance() > 0)) throw cap.error("tolerance must be > 0");
    return new LoadProfile(name, description, site, stages, mix, kinds, recording, qos, connections, batch, clients, streamKinds, maxInFlight,
        timeout, lateness, objective, capacity);
  }

  /** A JSON object read field by field, each error naming its path. */
  private record Reader(JsonNode node, String path) {
    IllegalArgumentException error(String message) {
      return new IllegalArgumentException(path + ": " + message);
    }

    Reader child(String field, boolean required) {
      JsonNode n = node.get(field);
      if (n == null) {
        if (required) throw error("'" + field + "' is required");
        n = JSON.createObjectNode();
      } else if (!required && !n.isObject()) {
        throw new IllegalArgumentException(path + "." + field + ": expected an object");
      }
      return new Reader(n, path + "." + field);
    }

    Reader at(int i) {
      JsonNode n = node.get(i);
      if (!n.isObject()) throw new IllegalArgumentException(path + "[" + i + "]: expected an object");
      return new Reader(n, path + "[" + i + "]");
    }

    void only(String... fields) {
      if (!node.isObject()) throw error("expected an object");
      Set<String> allowed = Set.of(fields);
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!allowed.contains(f)) throw new IllegalArgumentException(path + "." + f + ": unknown field; expected one of " + String.join(", ", fields));
      }
    }

    String text(String field, String dflt) {
      JsonNode n = node.get(field);
      if (n == null) return dflt;
      if (!n.isTextual()) throw new IllegalArgumentException(path + "." + field + ": expected a string");
      return n.asText();
    }

    List<String> texts(String field, List<String> dflt) {
      JsonNode n = node.get(field);
      if (n == null) return dflt;
      if (!n.isArray() || n.isEmpty()) throw new IllegalArgumentException(path + "." + field + ": expected a non-empty array of strings");
      List<String> out = new ArrayList<>();
      for (JsonNode e : n) {
        if (!e.isTextual()) throw new IllegalArgumentException(path + "." + field + ": expected strings");
        out.add(e.asText());
      }
      return out;
    }

    double number(String field, double dflt) {
      JsonNode n = node.get(field);
      if (n == null) {
        if (dflt < 0) throw error("'" + field + "' is required");
        return dflt;
      }
      if (!n.isNumber()) throw new IllegalArgumentException(path + "." + field + ": expected a number");
      return n.asDouble();
    }

    int positiveInt(String field, int dflt) {
      JsonNode n = node.get(field);
      if (n == null) return dflt;
      if (!n.isIntegralNumber() || n.asInt() < 1) throw new IllegalArgumentException(path + "." + field + ": expected a whole number ≥ 1");
      return n.asInt();
    }

    Duration duration(String field, Duration dflt) {
      JsonNode n = node.get(field);
      if (n == null) {
        if (dflt == null) throw error("'" + field + "' is required (an ISO-8601 duration such as PT30S)");
        return dflt;
      }
      try {
        Duration d = Duration.parse(n.asText());
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(path + "." + field + ": must be longer than 0 s");
        return d;
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(path + "." + field + ": '" + n.asText() + "' is not an ISO-8601 duration such as PT30S");
      }
    }
  }
}
