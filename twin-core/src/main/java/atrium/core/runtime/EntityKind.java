package atrium.core.runtime;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import java.util.function.BiFunction;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * How an asset kind becomes sharded entities: its kind, its sharding key, and the behavior of one
 * asset given its id and the twin's services. Registered with {@link AtriumRuntime#register}.
 */
public record EntityKind<M>(AssetKind kind, EntityTypeKey<M> key, BiFunction<AssetId, TwinServices, Behavior<M>> create) {}
