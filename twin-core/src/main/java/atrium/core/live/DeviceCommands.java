package atrium.core.live;

import atrium.core.protocol.Envelope;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The twin's commands to devices (a price for a label, a content mode for a kiosk), per site. The
 * doors that hold device connections subscribe and deliver them in the device protocol; the device
 * answers with an {@code ack} envelope.
 */
public interface DeviceCommands {

  void send(Envelope.Command command);

  /** A door that holds device connections of this site asks for their commands. */
  void deliverTo(String site, ActorRef<Envelope.Command> door);

  void stopDeliveringTo(String site, ActorRef<Envelope.Command> door);
}
