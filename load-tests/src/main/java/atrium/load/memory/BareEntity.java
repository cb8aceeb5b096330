package atrium.load.memory;

import atrium.core.CborSerializable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * Pekko's floor for a sharded persistent entity: event-sourced, recovered from the journal like any
 * twin, with an empty state and one command answered without persisting. What a parking bay costs
 * above this is Atrium's own.
 */
public final class BareEntity extends EventSourcedBehavior<BareEntity.Command, BareEntity.Event, BareEntity.State> {
  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "BareEntity");

  public sealed interface Command extends CborSerializable {}

  public record Ping(ActorRef<Pong> replyTo) implements Command {}

  public enum Pong implements CborSerializable { INSTANCE }

  /** Never persisted: the type parameter needs one all the same. */
  public interface Event extends CborSerializable {}

  public enum State { EMPTY }

  public static Behavior<Command> create(String entityId) {
    return new BareEntity(PersistenceId.of(ENTITY_KEY.name(), entityId));
  }

  private BareEntity(PersistenceId persistenceId) {
    super(persistenceId);
  }

  @Override
  public State emptyState() {
    return State.EMPTY;
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Ping.class, (state, ping) -> Effect().reply(ping.replyTo(), Pong.INSTANCE))
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent((state, event) -> state);
  }
}
