package atrium.devices.camera;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.protocol.DataFields;
import atrium.core.protocol.Envelope;
import atrium.core.protocol.ProtocolException;
import atrium.core.runtime.AtriumRuntime;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Site;
import atrium.devices.TwinKind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * People-counting cameras at the doors: a line camera sends {@code {"in": n, "out": n}} telemetry, a
 * headcount camera {@code {"count": n}}. Plate-gate cameras are not people counters: {@link #exists}
 * is false for them, so that the doors route them to the parking kind.
 */
public final class Cameras implements TwinKind {

  @Override
  public AssetKind kind() {
    return AssetKind.CAMERA;
  }

  @Override
  public void start(AtriumRuntime runtime) {
    runtime.register(Camera.kind(CameraSettings.create(runtime.system().settings().config())));
  }

  @Override
  public boolean exists(Site site, String localId) {
    return site.camera(localId).filter(c -> c.mode() != atrium.core.site.Camera.Mode.PLATE_GATE).isPresent();
  }

  @Override
  public CompletionStage<?> ingest(TwinServices services, Envelope envelope) {
    var camera = services.sites().site(envelope.asset().site()).flatMap(s -> s.camera(envelope.asset().localId()))
        .orElseThrow(() -> new ProtocolException("$.asset", "no camera '" + envelope.asset().localId() + "' in this site"));
    var command = command(camera, envelope);
    return services.entityRef(Camera.ENTITY_KEY, envelope.asset())
        .<Camera.View>askWithStatus(command::apply, services.askTimeout());
  }

  @Override
  public CompletionStage<Optional<Object>> state(TwinServices services, AssetId id) {
    return services.entityRef(Camera.ENTITY_KEY, id).ask(Camera.GetState::new, services.askTimeout())
        .thenApply(Optional::of);
  }

  /** The camera command an envelope stands for; throws {@link ProtocolException} naming the wrong field. */
  static Function<ActorRef<StatusReply<Camera.View>>, Camera.Command> command(atrium.core.site.Camera camera,
      Envelope envelope) {
    if (!(envelope instanceof Envelope.Telemetry t)) {
      throw new ProtocolException("$.type", "a people-counting camera sends telemetry only");
    }
    switch (camera.mode()) {
      case LINE -> {
        DataFields.of(t.data()).only("in", "out");
        int in = people(t.data(), "in");
        int out = people(t.data(), "out");
        return r -> new Camera.CountLine(t.id(), in, out, t.ts(), r);
      }
      case HEADCOUNT -> {
        DataFields.of(t.data()).only("count");
        int count = people(t.data(), "count");
        return r -> new Camera.CountHeads(t.id(), count, t.ts(), r);
      }
      default -> throw new ProtocolException("$.asset",
          "camera " + camera.id() + " reads plates at a car-park gate; its data goes to the car park");
    }
  }

  /** A number of people: a whole number from 0 to 2,147,483,647. */
  private static int people(ObjectNode data, String field) {
    JsonNode f = data.get(field);
    String path = "$.data." + field;
    if (f == null || f.isNull()) throw new ProtocolException(path, "required");
    if (!f.isNumber()) throw new ProtocolException(path, "expected a whole number of people, found " + describe(f));
    if (!f.isIntegralNumber()) throw new ProtocolException(path, "expected a whole number of people, found " + f.asText());
    if (f.canConvertToLong() && f.longValue() < 0) throw new ProtocolException(path, "must be 0 or more, was " + f.asText());
    if (!f.canConvertToInt()) throw new ProtocolException(path, "must be at most " + Integer.MAX_VALUE + ", was " + f.asText());
    return f.intValue();
  }

  private static String describe(JsonNode n) {
    if (n.isTextual()) return "a string";
    if (n.isBoolean()) return "a boolean";
    if (n.isArray()) return "an array";
    if (n.isObject()) return "an object";
    return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
