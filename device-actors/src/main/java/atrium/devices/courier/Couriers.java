package atrium.devices.courier;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.protocol.DataFields;
import atrium.core.protocol.Envelope;
import atrium.core.protocol.ProtocolException;
import atrium.core.runtime.AtriumRuntime;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Floor;
import atrium.core.site.Site;
import atrium.devices.TwinKind;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * Couriers at the doors. A courier's app sends telemetry {@code {"x": m, "y": m, "floor": id?,
 * "speed": m/s?}} (metres in the site's local plane) and the events {@code order-delivered}
 * {@code {"order": id}} and {@code order-failed} {@code {"order": id, "reason": text}}.
 *
 * <p>{@link #state} is the redacted {@link Courier.View}, without position or track; the position and
 * track are read with {@link #track}, which the API offers only to roles allowed to see them.
 */
public final class Couriers implements TwinKind {

  @Override
  public AssetKind kind() {
    return AssetKind.COURIER;
  }

  @Override
  public void start(AtriumRuntime runtime) {
    runtime.register(Courier.kind(CourierSettings.create(runtime.system().settings().config())));
  }

  @Override
  public boolean exists(Site site, String localId) {
    return site.hasCourier(localId);
  }

  @Override
  public CompletionStage<?> ingest(TwinServices services, Envelope envelope) {
    Site site = services.sites().site(envelope.asset().site())
        .orElseThrow(() -> new ProtocolException("$.site", "no site '" + envelope.asset().site() + "' on this server"));
    var command = toCommand(site, envelope);
    return services.entityRef(Courier.ENTITY_KEY, envelope.asset()).<Courier.View>askWithStatus(command::apply, services.askTimeout());
  }

  /** The redacted view: no position, no track, no destinations. */
  @Override
  public CompletionStage<Optional<Object>> state(TwinServices services, AssetId id) {
    return services.entityRef(Courier.ENTITY_KEY, id).ask(Courier.GetState::new, services.askTimeout()).thenApply(Optional::of);
  }

  /** Position, track and destinations: personal data, for callers that have checked the role allows it. */
  public static CompletionStage<Courier.TrackedView> track(TwinServices services, AssetId id) {
    return services.entityRef(Courier.ENTITY_KEY, id).ask(Courier.GetTrack::new, services.askTimeout());
  }

  /**
   * The entity command for a device envelope, read field by field; throws {@link ProtocolException}
   * naming the field for data wrong for a courier.
   */
  static Function<ActorRef<StatusReply<Courier.View>>, Courier.Command> toCommand(Site site, Envelope envelope) {
    if (envelope instanceof Envelope.Telemetry t) return position(site, t);
    if (envelope instanceof Envelope.Event e) {
      if ("order-delivered".equals(e.name())) {
        String order = orderId(DataFields.of(e.data()).only("order"));
        return r -> new Courier.MarkDelivered(order, "courier", r);
      }
      if ("order-failed".equals(e.name())) {
        DataFields data = DataFields.of(e.data()).only("order", "reason");
        String order = orderId(data);
        String reason = data.requireText("reason");
        if (reason.isBlank() || reason.length() > Courier.MAX_TEXT) {
          throw new ProtocolException("$.data.reason", "1 to " + Courier.MAX_TEXT + " characters saying why");
        }
        return r -> new Courier.MarkFailed(order, reason, "courier", r);
      }
      throw new ProtocolException("$.name", "unknown courier event '" + e.name() + "'; expected order-delivered or order-failed");
    }
    throw new ProtocolException("$.type", "a courier sends telemetry and events; the twin sends couriers no commands");
  }

  private static Function<ActorRef<StatusReply<Courier.View>>, Courier.Command> position(Site site, Envelope.Telemetry t) {
    DataFields data = DataFields.of(t.data()).only("x", "y", "floor", "speed");
    double x = coordinate(data, "x");
    double y = coordinate(data, "y");
    String floor = data.optionalText("floor").orElse(null);
    if (floor != null && site.floor(floor).isEmpty()) {
      throw new ProtocolException("$.data.floor", "site " + site.id() + " has no floor '" + floor + "'; floors: "
          + site.floors().stream().map(Floor::id).collect(Collectors.joining(", ")));
    }
    Double speed = data.optionalNumber("speed").orElse(null);
    if (speed != null && (speed < 0 || speed > Courier.MAX_SPEED)) {
      throw new ProtocolException("$.data.speed", "metres per second from 0 to " + (int) Courier.MAX_SPEED + ", not " + speed);
    }
    return r -> new Courier.ReportPosition(x, y, floor, speed, t.ts(), r);
  }

  private static double coordinate(DataFields data, String field) {
    double v = data.requireNumber(field);
    if (Math.abs(v) > Courier.MAX_COORDINATE) {
      throw new ProtocolException("$.data." + field, "metres from the site's origin, at most " + (long) Courier.MAX_COORDINATE
          + " either way, not " + v);
    }
    return v;
  }

  private static String orderId(DataFields data) {
    String order = data.requireText("order");
    if (!Courier.ORDER_ID.matcher(order).matches()) {
      throw new ProtocolException("$.data.order", "an order id is 1 to 64 letters, digits, '.', '_', ':' or '-'");
    }
    return order;
  }
}
