package atrium.devices.alarm;

import atrium.core.alarm.Alarm;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.protocol.Envelope;
import atrium.core.protocol.ProtocolException;
import atrium.core.runtime.AtriumRuntime;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Site;
import atrium.devices.TwinKind;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Alarms at the doors. The entity lives in twin-core (every kind raises alarms) and the runtime
 * registers it; an alarm that was never raised has nothing to show.
 */
public final class Alarms implements TwinKind {

  @Override
  public AssetKind kind() {
    return AssetKind.ALARM;
  }

  @Override
  public void start(AtriumRuntime runtime) {
    // Registered by AtriumRuntime itself.
  }

  @Override
  public boolean exists(Site site, String localId) {
    return localId.chars().filter(c -> c == '.').count() >= 2;
  }

  @Override
  public CompletionStage<?> ingest(TwinServices services, Envelope envelope) {
    throw new ProtocolException("$.kind", "alarms are raised by the twins, not by devices");
  }

  @Override
  public CompletionStage<Optional<Object>> state(TwinServices services, AssetId id) {
    return services.entityRef(Alarm.ENTITY_KEY, id).ask(Alarm.GetState::new, services.askTimeout())
        .thenApply(v -> v.source() == null ? Optional.empty() : Optional.of(v));
  }
}
