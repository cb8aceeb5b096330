package atrium.core.live;

import atrium.core.asset.AssetId;
import atrium.core.clock.TwinClock;
import atrium.core.json.Json;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;

/** Live deltas over a cluster-wide topic per site. */
public final class TopicLiveDeltas implements LiveDeltas {
  private final SiteTopic<Delta> topics;
  private final TwinClock clock;

  public TopicLiveDeltas(ActorSystem<?> system, TwinClock clock) {
    this.topics = new SiteTopic<>(system, Delta.class, "deltas");
    this.clock = clock;
  }

  @Override
  public void publish(AssetId asset, Object view) {
    topics.publish(asset.site(), new Delta(asset, clock.now(), Json.MAPPER.valueToTree(view)));
  }

  @Override
  public void subscribe(String site, ActorRef<Delta> subscriber) {
    topics.subscribe(site, subscriber);
  }

  @Override
  public void unsubscribe(String site, ActorRef<Delta> subscriber) {
    topics.unsubscribe(site, subscriber);
  }
}
