package atrium.devices.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.alarm.Severity;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.SimulatedClock;
import atrium.core.testkit.TestTwins;
import atrium.devices.camera.Camera.Command;
import atrium.devices.camera.Camera.Event;
import atrium.devices.camera.Camera.State;
import atrium.devices.camera.Camera.View;
import atrium.devices.zone.Zone;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CameraTest {
  private static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config()
      .withFallback(com.typesafe.config.ConfigFactory.load()));
  private static final Instant T0 = Instant.parse("2026-12-24T06:00:00Z");
  /** Line camera on the 2.5 m door from corridor C-L1-S into shop S-L1-02. */
  private static final AssetId LINE = AssetId.of("demo-mall", AssetKind.CAMERA, "CAM-0016");
  /** Headcount camera in lift lobby LL-L1-N: 60 m², ways 5.8 m wide in all. */
  private static final AssetId HEADS = AssetId.of("demo-mall", AssetKind.CAMERA, "CAM-0099");
  static final CameraSettings SETTINGS = new CameraSettings(Duration.ofMinutes(5), Duration.ofSeconds(5), 3.3, 5.4, 10,
      Duration.ofMinutes(10), 3, 16);

  private final SimulatedClock clock = new SimulatedClock(T0);
  private final TestTwins.Recorder recorder = new TestTwins.Recorder();
  private final Map<String, TestProbe<Zone.Command>> zones = new ConcurrentHashMap<>();
  private final EventSourcedBehaviorTestKit<Command, Event, State> line = camera(LINE);
  private final EventSourcedBehaviorTestKit<Command, Event, State> heads = camera(HEADS);

  private EventSourcedBehaviorTestKit<Command, Event, State> camera(AssetId id) {
    return EventSourcedBehaviorTestKit.create(testKit.system(), Camera.create(id,
        TestTwins.unsharded(testKit.system(), clock, recorder), SETTINGS, z -> zone(z).ref()));
  }

  private TestProbe<Zone.Command> zone(String id) {
    return zones.computeIfAbsent(id, z -> testKit.createTestProbe());
  }

  @AfterEach
  void clear() {
    line.clear();
    heads.clear();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private int messages;

  private EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, StatusReply<View>> crossings(int in, int out) {
    String id = "m-" + (++messages);
    return line.runCommand(r -> new Camera.CountLine(id, in, out, clock.now(), r));
  }

  private EventSourcedBehaviorTestKit.CommandResultWithReply<Command, Event, State, StatusReply<View>> count(int n) {
    String id = "m-" + (++messages);
    return heads.runCommand(r -> new Camera.CountHeads(id, n, clock.now(), r));
  }

  /** The alarms of the camera under test (the other camera of the fixture goes offline too, never having reported). */
  private List<TestTwins.AlarmReport> alarms(AssetId camera, String condition) {
    return recorder.alarms.stream().filter(a -> a.source().equals(camera) && a.condition().equals(condition)).toList();
  }

  @Test
  void aLineCountMovesPeopleFromItsFromZoneIntoItsToZone() {
    var result = crossings(5, 2);
    assertTrue(result.hasNoEvents());
    var intoShop = assertInstanceOf(Zone.Crossed.class, zone("S-L1-02").receiveMessage());
    assertEquals(new Zone.Crossed("CAM-0016", "C-L1-S", 5, 2, T0, intoShop.refuseTo()), intoShop);
    var corridor = assertInstanceOf(Zone.Crossed.class, zone("C-L1-S").receiveMessage());
    assertEquals(new Zone.Crossed("CAM-0016", "S-L1-02", 2, 5, T0, corridor.refuseTo()), corridor);
    View v = result.reply().getValue();
    assertEquals(5, v.countedIn());
    assertEquals(2, v.countedOut());
    assertEquals(5, v.lastIn());
    assertEquals("line", v.mode());
    assertEquals(T0, v.lastReportAt());
  }

  @Test
  void aHeadcountIsPassedOnToItsZone() {
    count(17);
    assertEquals(new Zone.HeadCounted("CAM-0099", 17, T0), zone("LL-L1-N").receiveMessage());
  }

  @Test
  void aRedeliveredReportIsNotCountedTwice() {
    line.<StatusReply<View>>runCommand(r -> new Camera.CountLine("m-7", 3, 0, T0, r));
    var again = line.<StatusReply<View>>runCommand(r -> new Camera.CountLine("m-7", 3, 0, T0, r));
    assertTrue(again.reply().isSuccess());
    assertEquals(3, again.reply().getValue().countedIn());
    assertEquals(1, again.reply().getValue().reports());
    zone("S-L1-02").receiveMessage();
    zone("S-L1-02").expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void aReportOfTheOtherModeOrANegativeCountIsRejectedAndPersistsNothing() {
    var wrongMode = line.<StatusReply<View>>runCommand(r -> new Camera.CountHeads("m-1", 4, T0, r));
    assertTrue(wrongMode.hasNoEvents());
    assertTrue(wrongMode.reply().getError().getMessage().contains("\"in\""), wrongMode.reply().getError().getMessage());
    var negative = line.<StatusReply<View>>runCommand(r -> new Camera.CountLine("m-2", -1, 0, T0, r));
    assertTrue(negative.hasNoEvents());
    assertTrue(negative.reply().isError());
    var negativeHeads = heads.<StatusReply<View>>runCommand(r -> new Camera.CountHeads("m-3", -4, T0, r));
    assertTrue(negativeHeads.reply().getError().getMessage().contains("0 or more"));
    zone("S-L1-02").expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void aSilentCameraGoesOfflineAfterTheDeadlineAndComesBackWithItsNextReport() {
    count(10);
    clock.advance(Duration.ofMinutes(4));
    assertTrue(alarms(HEADS, Camera.OFFLINE).isEmpty());
    assertFalse(heads.getState().offline());
    clock.advance(Duration.ofMinutes(2));
    awaitAssert(() -> assertTrue(heads.getState().offline()));
    var raised = alarms(HEADS, Camera.OFFLINE).get(0);
    assertEquals(Severity.MEDIUM, raised.severity());
    assertTrue(raised.message().contains("CAM-0099"), raised.message());
    // its headcount no longer stands for the zone
    var lobby = zone("LL-L1-N");
    lobby.receiveMessage();
    assertEquals(new Zone.ForgetCamera("CAM-0099"), lobby.receiveMessage());

    var back = count(12);
    assertInstanceOf(Camera.CameBackOnline.class, back.event());
    assertFalse(back.reply().getValue().offline());
    assertFalse(alarms(HEADS, Camera.OFFLINE).get(1).raised());
    assertEquals(new Zone.HeadCounted("CAM-0099", 12, clock.now()), lobby.receiveMessage());
  }

  @Test
  void aCameraReportingInTimeNeverGoesOffline() {
    for (int i = 0; i < 12; i++) {
      count(10);
      clock.advance(Duration.ofMinutes(3));
    }
    assertFalse(heads.getState().offline());
    assertTrue(alarms(HEADS, Camera.OFFLINE).isEmpty());
  }

  @Test
  void moreCrossingsThanTheDoorCanPassMarkTheCameraImplausibleAndAreNotPassedOn() {
    crossings(1, 0);
    clock.advance(Duration.ofSeconds(10));
    // 2.5 m × 3.3 persons/(m·s) × 10 s + 10 = 92 at most
    var result = crossings(150, 50);
    var marked = assertInstanceOf(Camera.MarkedImplausible.class, result.event());
    assertTrue(marked.reason().contains("200 crossings in 10 s"), marked.reason());
    View v = result.reply().getValue();
    assertTrue(v.implausible());
    assertEquals(1, v.countedIn());
    assertEquals(1, v.ignoredReports());
    assertEquals(Severity.MEDIUM, alarms(LINE, Camera.IMPLAUSIBLE).get(0).severity());
    zone("S-L1-02").receiveMessage();
    zone("S-L1-02").expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void anImpossibleHeadcountJumpMarksTheCameraImplausibleAndItsZoneForgetsItsCount() {
    count(20);
    clock.advance(Duration.ofSeconds(5));
    // the lobby's ways (5.8 m) pass at most 5.8 × 3.3 × 5 + 10 = 105 people in 5 s
    var result = count(300);
    var marked = assertInstanceOf(Camera.MarkedImplausible.class, result.event());
    assertTrue(marked.reason().contains("from 20 to 300"), marked.reason());
    var lobby = zone("LL-L1-N");
    assertEquals(new Zone.HeadCounted("CAM-0099", 20, T0), lobby.receiveMessage());
    assertEquals(new Zone.ForgetCamera("CAM-0099"), lobby.receiveMessage());
    lobby.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void aHeadcountDenserThanAnyCrowdIsImplausibleEvenAsAFirstReport() {
    var result = count(400); // 60 m² × 5.4 persons/m² + 10 = 334 at most
    assertTrue(assertInstanceOf(Camera.MarkedImplausible.class, result.event()).reason().contains("persons/m²"));
  }

  @Test
  void anImplausibleCameraIsTrustedAgainOnlyAfterReportingPlausiblyForAWhile() {
    count(20);
    clock.advance(Duration.ofSeconds(5));
    count(300);
    var lobby = zone("LL-L1-N");
    lobby.receiveMessage();
    lobby.receiveMessage();
    for (int minute = 1; minute <= 10; minute++) {
      clock.advance(Duration.ofMinutes(1));
      var r = count(300 - minute);
      assertTrue(r.hasNoEvents(), "still implausible after " + minute + " plausible minutes");
      assertTrue(r.reply().getValue().implausible());
    }
    lobby.expectNoMessage(Duration.ofMillis(100));
    clock.advance(Duration.ofMinutes(1));
    var trusted = count(250);
    var cleared = assertInstanceOf(Camera.FaultCleared.class, trusted.event());
    assertEquals("automatic", cleared.by());
    assertFalse(alarms(HEADS, Camera.IMPLAUSIBLE).get(1).raised());
    assertEquals(new Zone.HeadCounted("CAM-0099", 250, clock.now()), lobby.receiveMessage());
  }

  @Test
  void anotherImpossibleReportRestartsTheProbation() {
    count(20);
    clock.advance(Duration.ofSeconds(5));
    count(300);
    for (int minute = 1; minute <= 8; minute++) {
      clock.advance(Duration.ofMinutes(1));
      count(300);
    }
    clock.advance(Duration.ofSeconds(1));
    count(0); // a jump of 300 in a second
    for (int minute = 1; minute <= 5; minute++) {
      clock.advance(Duration.ofMinutes(1));
      assertTrue(count(0).reply().getValue().implausible());
    }
  }

  @Test
  void anOperatorResetsAnImplausibleCamera() {
    line.runCommand(new Camera.ZoneRefused("S-L1-02", "30 out of an empty shop"));
    var reset = line.<StatusReply<View>>runCommand(r -> new Camera.ResetFault("ops-3", r));
    assertEquals("ops-3", assertInstanceOf(Camera.FaultCleared.class, reset.event()).by());
    assertFalse(reset.reply().getValue().implausible());
    assertFalse(alarms(LINE, Camera.IMPLAUSIBLE).get(1).raised());
    crossings(2, 0);
    zone("S-L1-02").receiveMessage();
  }

  @Test
  void resettingACameraThatIsNotImplausibleIsRejected() {
    var reset = line.<StatusReply<View>>runCommand(r -> new Camera.ResetFault("ops-3", r));
    assertTrue(reset.hasNoEvents());
    assertTrue(reset.reply().getError().getMessage().contains("not marked implausible"));
  }

  @Test
  void aZoneRefusingItsCountsMarksTheCameraImplausible() {
    var result = line.runCommand(new Camera.ZoneRefused("S-L1-02", "would leave -26 people"));
    var marked = assertInstanceOf(Camera.MarkedImplausible.class, result.event());
    assertTrue(marked.reason().startsWith("zone S-L1-02 refused its counts"), marked.reason());
    assertTrue(line.getState().faulty());
    assertTrue(line.runCommand(new Camera.ZoneRefused("S-L1-02", "again")).hasNoEvents());
  }

  @Test
  void healthSurvivesARestartAndActiveAlarmsAreReportedAgain() {
    count(20);
    clock.advance(Duration.ofSeconds(1));
    count(330);
    clock.advance(Duration.ofMinutes(6));
    awaitAssert(() -> assertTrue(heads.getState().offline()));
    int implausible = alarms(HEADS, Camera.IMPLAUSIBLE).size();
    int offline = alarms(HEADS, Camera.OFFLINE).size();
    var restarted = heads.restart();
    assertTrue(restarted.state().faulty());
    assertTrue(restarted.state().offline());
    assertTrue(alarms(HEADS, Camera.IMPLAUSIBLE).get(implausible).raised());
    assertTrue(alarms(HEADS, Camera.OFFLINE).get(offline).raised());
  }

  @Test
  void aCameraWokenByItsDeadlineAfterPassivationGoesOffline() {
    count(20);
    clock.advance(Duration.ofMinutes(3));
    heads.restart(); // passivated: what it measured is gone, its timer from T0 is not
    clock.advance(Duration.ofMinutes(2));
    var result = heads.runCommand(new Camera.ReportDue(T0));
    var offline = assertInstanceOf(Camera.WentOffline.class, result.event());
    assertEquals(T0, offline.lastReportAt());
  }

  private static void awaitAssert(Runnable check) {
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      check.run();
      return null;
    });
  }
}
