package atrium.devices.courier;

import atrium.devices.courier.Courier.Finished;
import atrium.devices.courier.Courier.Order;
import atrium.devices.courier.Courier.OrderView;
import atrium.devices.courier.Courier.Outcome;
import atrium.devices.courier.Courier.Place;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every persisted courier message, its state and its views survive Jackson CBOR, the binding the journal uses. */
class CourierSerializationTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final SerializationTestKit serialization = new SerializationTestKit(testKit.system());
  private static final Instant T = Instant.parse("2026-12-24T06:30:00.250Z");
  private static final Place TO = new Place(12.5, -40.0, "L2");

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void everyCourierEventRoundTrips() {
    List<Object> all = List.of(
        new Courier.OrderAssigned("O-1", TO, T.plusSeconds(1800), "dispatch-1", T),
        new Courier.OrderAssigned("O-2", new Place(2500, 800, null), null, "dispatch-1", T),
        new Courier.OrderDelivered("O-1", "courier", T),
        new Courier.OrderFailed("O-2", "shop closed", "operator-3", T));
    all.forEach(m -> serialization.verifySerialization(m, true));
  }

  @Test
  void theStatesTheTimerMessagesAndTheViewsRoundTrip() {
    var order = new Order("O-1", TO, T.plusSeconds(1800), "dispatch-1", T);
    var finished = List.of(new Finished("O-0", Outcome.DELIVERED, null, T), new Finished("O-9", Outcome.FAILED, "closed", T));
    var orderView = new OrderView("O-1", T, T.plusSeconds(1800), T.plusSeconds(600), 420.5, false);
    List<Object> all = List.of(
        Courier.State.INITIAL,
        new Courier.State(List.of(order), 7, 1, finished),
        new Courier.PromiseDue(T),
        Courier.PruneTrack.INSTANCE,
        new Courier.View("demo-mall", "COURIER-0001", T, 3.2, List.of(orderView), false, 7, 1, finished),
        new Courier.TrackedView("demo-mall", "COURIER-0001", new Place(1, 2, "L1"), T, null,
            List.of(new Courier.TrackedOrder(orderView, TO)), List.of(new Courier.TrackPoint(T, 1, 2, "L1")), Duration.ofHours(24)));
    all.forEach(m -> serialization.verifySerialization(m, true));
  }
}
