package atrium.api.mqtt;

import atrium.core.live.DeviceCommands;
import atrium.core.protocol.DeviceProtocol;
import atrium.core.protocol.Envelope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Takes the twin's device commands for the sites this node serves (one subscriber actor per site
 * on {@link DeviceCommands}) and hands each to the connected sessions of that site; each session
 * sends it on the command topic if one of its subscriptions matches.
 */
final class CommandDelivery implements AutoCloseable {
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private enum Stop { INSTANCE }

  private final DeviceCommands commands;
  private final Map<String, Set<MqttSessionHandler>> sessionsBySite = new ConcurrentHashMap<>();
  private final List<Map.Entry<String, ActorRef<Object>>> subscribers = new ArrayList<>();

  CommandDelivery(ActorSystem<?> system, DeviceCommands commands, List<String> sites) {
    this.commands = commands;
    int instance = INSTANCES.incrementAndGet();
    for (String site : sites) {
      ActorRef<Object> ref = system.systemActorOf(Behaviors.receiveMessage(m -> {
        if (m instanceof Envelope.Command c) {
          deliver(c);
          return Behaviors.same();
        }
        return Behaviors.stopped();
      }), "mqtt-commands-" + instance + "-" + site, Props.empty());
      commands.deliverTo(site, ref.narrow());
      subscribers.add(Map.entry(site, ref));
    }
  }

  void register(String site, MqttSessionHandler session) {
    sessionsBySite.computeIfAbsent(site, s -> ConcurrentHashMap.newKeySet()).add(session);
  }

  void unregister(String site, MqttSessionHandler session) {
    Set<MqttSessionHandler> sessions = sessionsBySite.get(site);
    if (sessions != null) sessions.remove(session);
  }

  private void deliver(Envelope.Command command) {
    Set<MqttSessionHandler> sessions = sessionsBySite.get(command.asset().site());
    if (sessions == null || sessions.isEmpty()) return;
    String topic = DeviceTopic.commandTopic(command.asset());
    byte[] payload = DeviceProtocol.write(command);
    for (MqttSessionHandler s : sessions) s.deliverCommand(topic, payload, command.id());
  }

  @Override
  public void close() {
    for (var e : subscribers) {
      commands.stopDeliveringTo(e.getKey(), e.getValue().narrow());
      e.getValue().tell(Stop.INSTANCE);
    }
    subscribers.clear();
  }
}
