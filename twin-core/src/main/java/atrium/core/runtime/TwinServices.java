package atrium.core.runtime;

import atrium.core.asset.AssetId;
import atrium.core.clock.TwinClock;
import atrium.core.history.TelemetryHistory;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/** What an entity may use of the runtime: time, history, the site model, and its peers. */
public record TwinServices(
    ActorSystem<?> system,
    TwinClock clock,
    TelemetryHistory history,
    SiteDirectory sites,
    ClusterSharding sharding,
    Duration askTimeout) {

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
