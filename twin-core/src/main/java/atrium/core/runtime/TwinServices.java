package atrium.core.runtime;

import atrium.core.alarm.AlarmReporter;
import atrium.core.asset.AssetId;
import atrium.core.live.DeviceCommands;
import atrium.core.live.LiveDeltas;
import atrium.core.clock.TwinClock;
import atrium.core.history.TelemetryHistory;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * What an entity may use of the runtime: time, the telemetry history, the site model, its peers
 * (through sharding), the alarms, the control room's live deltas and the outbox of device commands.
 */
public record TwinServices(
    ActorSystem<?> system,
    TwinClock clock,
    TelemetryHistory history,
    SiteDirectory sites,
    ClusterSharding sharding,
    Duration askTimeout,
    AlarmReporter alarms,
    LiveDeltas deltas,
    DeviceCommands commands) {

  public <M> EntityRef<M> entityRef(EntityTypeKey<M> key, AssetId id) {
    return sharding.entityRefFor(key, id.entityId());
  }

  /**
   * Where an entity's clock timers send their messages: through sharding, so that a passivated
   * entity is woken when its timer falls due; to {@code self} when running unsharded (tests with
   * {@code sharding == null}).
   */
  public <M> RecipientRef<M> wakeRef(EntityTypeKey<M> key, AssetId id, ActorRef<M> self) {
    return sharding == null ? self : entityRef(key, id);
  }
}
