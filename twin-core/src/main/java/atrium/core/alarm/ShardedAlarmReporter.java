package atrium.core.alarm;

import atrium.core.asset.AssetId;
import java.time.Instant;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/** Reports conditions to the sharded {@link Alarm} entities (fire and forget: sources re-report on recovery). */
public final class ShardedAlarmReporter implements AlarmReporter {
  private final ClusterSharding sharding;

  public ShardedAlarmReporter(ClusterSharding sharding) {
    this.sharding = sharding;
  }

  @Override
  public void raise(AssetId source, String condition, Severity severity, String message, Instant at) {
    sharding.entityRefFor(Alarm.ENTITY_KEY, Alarm.idFor(source, condition).entityId())
        .tell(new Alarm.Raise(source, condition, severity, message, at));
  }

  @Override
  public void clear(AssetId source, String condition, Instant at) {
    sharding.entityRefFor(Alarm.ENTITY_KEY, Alarm.idFor(source, condition).entityId()).tell(new Alarm.Return(at));
  }
}
