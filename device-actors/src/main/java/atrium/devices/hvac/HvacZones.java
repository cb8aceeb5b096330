package atrium.devices.hvac;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.protocol.DataFields;
import atrium.core.protocol.Envelope;
import atrium.core.protocol.ProtocolException;
import atrium.core.runtime.AtriumRuntime;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Site;
import atrium.devices.TwinKind;
import atrium.devices.hvac.HvacZone.Measurements;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * HVAC zones at the doors: a zone's controller sends telemetry (any of the measurements below) and
 * acknowledges the twin's {@code set-mode}, {@code set-setpoints} and {@code set-control} commands and,
 * under the twin's control, its {@code set-outputs} and {@code set-lighting}. A value of the wrong
 * type, or an actuator output or meter outside its definition, is refused here naming its field; an
 * implausible sensor value is not a protocol error but a sensor fault, which the zone judges.
 */
public final class HvacZones implements TwinKind {
  static final String[] FIELDS = {"temperature", "humidity", "co2", "supplyAirTemperature", "heatingOutput",
      "coolingOutput", "power", "energy"};

  @Override
  public AssetKind kind() {
    return AssetKind.HVAC_ZONE;
  }

  @Override
  public void start(AtriumRuntime runtime) {
    runtime.register(HvacZone.kind(HvacSettings.create(runtime.system().settings().config())));
  }

  @Override
  public boolean exists(Site site, String localId) {
    return site.hvacZone(localId).isPresent();
  }

  @Override
  public CompletionStage<?> ingest(TwinServices services, Envelope envelope) {
    Function<ActorRef<StatusReply<HvacZone.View>>, HvacZone.Command> command = command(envelope);
    return services.entityRef(HvacZone.ENTITY_KEY, envelope.asset())
        .<HvacZone.View>askWithStatus(command::apply, services.askTimeout());
  }

  @Override
  public CompletionStage<Optional<Object>> state(TwinServices services, AssetId id) {
    return services.entityRef(HvacZone.ENTITY_KEY, id).ask(HvacZone.GetState::new, services.askTimeout())
        .thenApply(Optional::of);
  }

  /** The zone's command for a device envelope, validated before anything is sent to the zone. */
  static Function<ActorRef<StatusReply<HvacZone.View>>, HvacZone.Command> command(Envelope envelope) {
    if (envelope instanceof Envelope.Telemetry t) {
      Measurements m = measurements(t.data());
      return r -> new HvacZone.Readings(m, t.ts(), r);
    }
    if (envelope instanceof Envelope.Ack a) {
      return r -> new HvacZone.DeviceAck(a.ref(), a.status() == Envelope.AckStatus.OK, a.reason(), a.ts(), r);
    }
    String type = envelope instanceof Envelope.Event ? "event" : "command";
    throw new ProtocolException("$.type", "an hvac-zone controller sends telemetry and ack envelopes, not " + type);
  }

  static Measurements measurements(ObjectNode data) {
    DataFields f = DataFields.of(data).only(FIELDS);
    boolean any = false;
    for (String field : FIELDS) any |= f.has(field);
    if (!any) throw new ProtocolException("$.data", "no measurement; expected at least one of " + String.join(", ", FIELDS));
    return new Measurements(
        number(f, "temperature"), number(f, "humidity"), number(f, "co2"), number(f, "supplyAirTemperature"),
        within(f, "heatingOutput", 0, 100, "%"), within(f, "coolingOutput", 0, 100, "%"),
        atLeastZero(f, "power", "kW"), atLeastZero(f, "energy", "kWh"));
  }

  private static Double number(DataFields f, String field) {
    return f.optionalNumber(field).orElse(null);
  }

  /** Actuator outputs are 0–100 % by definition: anything else is a malformed message, not a fault. */
  private static Double within(DataFields f, String field, double min, double max, String unit) {
    Double v = number(f, field);
    if (v != null && (v < min || v > max)) {
      throw new ProtocolException("$.data." + field, "must be " + (int) min + " to " + (int) max + " " + unit + ", was " + v);
    }
    return v;
  }

  private static Double atLeastZero(DataFields f, String field, String unit) {
    Double v = number(f, field);
    if (v != null && v < 0) throw new ProtocolException("$.data." + field, "must be 0 " + unit + " or more, was " + v);
    return v;
  }
}
