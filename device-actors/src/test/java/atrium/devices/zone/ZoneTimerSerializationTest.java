package atrium.devices.zone;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The zone's clock timers travel through sharding: they must survive Jackson CBOR too. */
class ZoneTimerSerializationTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final SerializationTestKit serialization = new SerializationTestKit(testKit.system());

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void theZonesTimerMessagesRoundTrip() {
    serialization.verifySerialization(Zone.PublishDue.INSTANCE, true);
    serialization.verifySerialization(Zone.CheckpointDue.INSTANCE, true);
  }
}
