package atrium.core.live;

import atrium.core.protocol.Envelope;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;

/** Device commands over a cluster-wide topic per site; the doors holding device connections subscribe. */
public final class TopicDeviceCommands implements DeviceCommands {
  private final SiteTopic<Envelope.Command> topics;

  public TopicDeviceCommands(ActorSystem<?> system) {
    this.topics = new SiteTopic<>(system, Envelope.Command.class, "device-commands");
  }

  @Override
  public void send(Envelope.Command command) {
    topics.publish(command.asset().site(), command);
  }

  @Override
  public void deliverTo(String site, ActorRef<Envelope.Command> door) {
    topics.subscribe(site, door);
  }

  @Override
  public void stopDeliveringTo(String site, ActorRef<Envelope.Command> door) {
    topics.unsubscribe(site, door);
  }
}
