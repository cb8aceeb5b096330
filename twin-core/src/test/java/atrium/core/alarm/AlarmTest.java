package atrium.core.alarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.alarm.Alarm.AlarmState;
import atrium.core.alarm.Alarm.Command;
import atrium.core.alarm.Alarm.Event;
import atrium.core.alarm.Alarm.State;
import atrium.core.alarm.Alarm.View;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.SimulatedClock;
import atrium.core.testkit.TestTwins;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AlarmTest {
  private static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config()
      .withFallback(com.typesafe.config.ConfigFactory.load()));
  private static final Instant T0 = Instant.parse("2026-12-24T06:00:00Z");
  private static final AssetId CAMERA = AssetId.of("demo-mall", AssetKind.CAMERA, "CAM-0001");
  private static final AssetId ID = Alarm.idFor(CAMERA, "offline");

  private final SimulatedClock clock = new SimulatedClock(T0);
  private final TestTwins.Recorder recorder = new TestTwins.Recorder();
  private final EventSourcedBehaviorTestKit<Command, Event, State> alarm = EventSourcedBehaviorTestKit.create(
      testKit.system(), Alarm.create(ID, TestTwins.unsharded(testKit.system(), clock, recorder)));

  @AfterEach
  void clear() {
    alarm.clear();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private void raise() {
    alarm.runCommand(new Alarm.Raise(CAMERA, "offline", Severity.HIGH, "no report for 5 min", clock.now()));
  }

  private StatusReply<View> run(java.util.function.Function<org.apache.pekko.actor.typed.ActorRef<StatusReply<View>>, Command> c) {
    return alarm.<StatusReply<View>>runCommand(c::apply).reply();
  }

  @Test
  void theIdNamesTheSourceKindAssetAndCondition() {
    assertEquals("camera.CAM-0001.offline", ID.localId());
    assertEquals(AssetKind.ALARM, ID.kind());
  }

  @Test
  void aRaisedAlarmIsUnacknowledgedAndRaisingItAgainWhileActiveChangesNothing() {
    raise();
    assertEquals(AlarmState.UNACKNOWLEDGED, alarm.getState().state());
    var again = alarm.runCommand(new Alarm.Raise(CAMERA, "offline", Severity.HIGH, "still", clock.now()));
    assertTrue(again.hasNoEvents());
    assertEquals(1, alarm.getState().count());
    assertEquals(1, recorder.deltas.size(), "one delta for one change");
  }

  @Test
  void theLifecycleFollowsIsa182ThroughAcknowledgeReturnAndReoccurrence() {
    raise();
    assertEquals(AlarmState.ACKNOWLEDGED, run(r -> new Alarm.Acknowledge("op-li", r)).getValue().state());
    alarm.runCommand(new Alarm.Return(clock.now()));
    assertEquals(AlarmState.NORMAL, alarm.getState().state());
    raise();
    alarm.runCommand(new Alarm.Return(clock.now()));
    assertEquals(AlarmState.RETURNED_UNACKNOWLEDGED, alarm.getState().state());
    View cleared = run(r -> new Alarm.Clear("op-wang", r)).getValue();
    assertEquals(AlarmState.NORMAL, cleared.state());
    assertEquals("op-wang", cleared.lastBy());
    assertEquals(2, cleared.count());
  }

  @Test
  void clearingAnAlarmWhoseConditionIsStillActiveIsRejectedAndPersistsNothing() {
    raise();
    var result = alarm.<StatusReply<View>>runCommand(r -> new Alarm.Clear("op-li", r));
    assertTrue(result.hasNoEvents());
    assertTrue(result.reply().getError().getMessage().contains("still active"));
  }

  @Test
  void acknowledgingANormalAlarmIsRejected() {
    var result = alarm.<StatusReply<View>>runCommand(r -> new Alarm.Acknowledge("op-li", r));
    assertTrue(result.hasNoEvents());
    assertTrue(result.reply().isError());
  }

  @Test
  void aShelvedAlarmComesBackWhenItsShelvingExpiresOnTheClock() {
    raise();
    var shelved = run(r -> new Alarm.Shelve("op-li", Duration.ofMinutes(30), "camera being cleaned", r));
    assertEquals(AlarmState.SHELVED, shelved.getValue().state());
    clock.advance(Duration.ofMinutes(31));
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      assertEquals(AlarmState.UNACKNOWLEDGED, alarm.getState().state());
      return null;
    });
  }

  @Test
  void shelvingNeedsAReasonAndABoundedDuration() {
    raise();
    assertTrue(run(r -> new Alarm.Shelve("op-li", Duration.ofHours(48), "weekend", r)).isError());
    assertTrue(run(r -> new Alarm.Shelve("op-li", Duration.ofMinutes(5), " ", r)).isError());
  }

  @Test
  void suppressionAndOutOfServiceOverrideTheProcessStateAndRecordWhoDidIt() {
    raise();
    View suppressed = run(r -> new Alarm.Suppress("optimiser", "evacuation mode", r)).getValue();
    assertEquals(AlarmState.SUPPRESSED, suppressed.state());
    assertEquals("optimiser", suppressed.lastBy());
    assertEquals(AlarmState.OUT_OF_SERVICE, run(r -> new Alarm.RemoveFromService("eng-zhao", "camera replaced", r)).getValue().state());
    run(r -> new Alarm.ReturnToService("eng-zhao", r));
    assertEquals(AlarmState.UNACKNOWLEDGED, run(r -> new Alarm.Unsuppress("optimiser", r)).getValue().state());
  }

  @Test
  void stateAndAPendingShelvingSurviveARestart() {
    raise();
    run(r -> new Alarm.Shelve("op-li", Duration.ofMinutes(10), "maintenance", r));
    var restarted = alarm.restart();
    assertEquals(AlarmState.SHELVED, restarted.state().state());
    clock.advance(Duration.ofMinutes(11));
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      assertEquals(AlarmState.UNACKNOWLEDGED, alarm.getState().state());
      return null;
    });
  }

  @Test
  void everyAlarmEventAndItsStateSerialize() {
    var ser = new SerializationTestKit(testKit.system());
    List<Object> all = List.of(
        new Alarm.Raised(CAMERA, "offline", Severity.HIGH, "m", T0), new Alarm.Returned(T0),
        new Alarm.Acknowledged("a", T0), new Alarm.Shelved("a", T0, "r", T0), new Alarm.Unshelved("a", T0),
        new Alarm.Cleared("a", T0), new Alarm.SuppressedByDesign("a", "r", T0), new Alarm.Unsuppressed("a", T0),
        new Alarm.RemovedFromService("a", "r", T0), new Alarm.ReturnedToService("a", T0), new Alarm.ShelfExpired(T0),
        State.EMPTY);
    all.forEach(m -> ser.verifySerialization(m, true));
  }
}
