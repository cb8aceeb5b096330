package atrium.core.live;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.pubsub.Topic;

/** One cluster-wide Pekko {@link Topic} per site for messages of type {@code T}, started on first use. */
final class SiteTopic<T> {
  private final ActorSystem<?> system;
  private final Class<T> type;
  private final String prefix;
  private final Map<String, ActorRef<Topic.Command<T>>> topics = new ConcurrentHashMap<>();

  SiteTopic(ActorSystem<?> system, Class<T> type, String prefix) {
    this.system = system;
    this.type = type;
    this.prefix = prefix;
  }

  void publish(String site, T message) {
    topic(site).tell(Topic.publish(message));
  }

  void subscribe(String site, ActorRef<T> subscriber) {
    topic(site).tell(Topic.subscribe(subscriber));
  }

  void unsubscribe(String site, ActorRef<T> subscriber) {
    topic(site).tell(Topic.unsubscribe(subscriber));
  }

  private ActorRef<Topic.Command<T>> topic(String site) {
    return topics.computeIfAbsent(site, s -> system.systemActorOf(
        Topic.create(type, prefix + "-" + s), prefix + "-topic-" + s, Props.empty()));
  }
}
