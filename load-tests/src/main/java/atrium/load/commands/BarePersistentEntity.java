package atrium.load.commands;

import atrium.core.CborSerializable;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * Pekko's floor for a persisted command: a sharded event-sourced entity whose one command persists
 * one small event and then replies, with nothing else — no validation, no tags, no snapshots, no
 * supervisor, no read before the write. What a twin's command costs above this is Atrium's own.
 * (The heap benchmark's {@code BareEntity} never persists; it stays as it is so the heap floor it
 * measures keeps its meaning.)
 */
public final class BarePersistentEntity
    extends EventSourcedBehavior<BarePersistentEntity.Command, BarePersistentEntity.Event, BarePersistentEntity.State> {
  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "BarePersistentEntity");

  public sealed interface Command extends CborSerializable {}

  /** Sets the value: persisted as {@link Changed}, answered once it is in the journal. */
  public record Change(double value, ActorRef<Done> replyTo) implements Command {}

  public sealed interface Event extends CborSerializable {}

  public record Changed(double value) implements Event {}

  /** The last value and how many changes the entity has persisted. */
  public record State(double value, long changes) implements CborSerializable {}

  public static Behavior<Command> create(String entityId) {
    return new BarePersistentEntity(PersistenceId.of(ENTITY_KEY.name(), entityId));
  }

  private BarePersistentEntity(PersistenceId persistenceId) {
    super(persistenceId);
  }

  @Override
  public State emptyState() {
    return new State(0, 0);
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Change.class, (state, c) -> Effect().persist(new Changed(c.value())).thenReply(c.replyTo(), s -> Done.getInstance()))
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onEvent(Changed.class, (state, e) -> new State(e.value(), state.changes() + 1)).build();
  }
}
