package atrium.core.live;

import atrium.core.asset.AssetId;
import org.apache.pekko.actor.typed.ActorRef;

/** Live state deltas per site, for the control room: entities publish, the stream subscribes. */
public interface LiveDeltas {

  /** Publishes an asset's new state view (any record Jackson can write). */
  void publish(AssetId asset, Object view);

  /** Subscribes to every delta of a site (on every node of the cluster). */
  void subscribe(String site, ActorRef<Delta> subscriber);

  void unsubscribe(String site, ActorRef<Delta> subscriber);
}
