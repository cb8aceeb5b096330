package atrium.load.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The bare entity persists one event per command, then replies; its messages survive Jackson CBOR. */
class BarePersistentEntityTest {
  private static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config()
      .withFallback(com.typesafe.config.ConfigFactory.load()));
  private static final SerializationTestKit serialization = new SerializationTestKit(testKit.system());

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aChangeIsPersistedThenAnswered() {
    EventSourcedBehaviorTestKit<BarePersistentEntity.Command, BarePersistentEntity.Event, BarePersistentEntity.State> kit =
        EventSourcedBehaviorTestKit.create(testKit.system(), BarePersistentEntity.create("e-1"));

    var first = kit.<Done>runCommand(r -> new BarePersistentEntity.Change(20.5, r));
    var second = kit.<Done>runCommand(r -> new BarePersistentEntity.Change(21.0, r));

    assertEquals(new BarePersistentEntity.Changed(20.5), first.event());
    assertEquals(Done.getInstance(), first.reply());
    assertEquals(new BarePersistentEntity.Changed(21.0), second.event());
    assertEquals(new BarePersistentEntity.State(21.0, 2), second.state());
  }

  @Test
  void theEventTheStateAndTheCommandRoundTripThroughCbor() {
    serialization.verifySerialization(new BarePersistentEntity.Changed(20.5), true);
    serialization.verifySerialization(new BarePersistentEntity.State(21.0, 3), true);
    var probe = testKit.<Done>createTestProbe();
    serialization.verifySerialization(new BarePersistentEntity.Change(21.0, probe.ref()), true);
  }
}
