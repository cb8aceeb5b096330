package atrium.devices.kiosk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.SimulatedClock;
import atrium.core.json.Json;
import atrium.core.protocol.Envelope;
import atrium.core.protocol.ProtocolException;
import atrium.core.runtime.TwinServices;
import atrium.core.testkit.TestTwins;
import atrium.devices.kiosk.Kiosk.Component;
import atrium.devices.kiosk.Kiosk.ContentMode;
import atrium.devices.kiosk.Kiosk.Counter;
import atrium.devices.kiosk.Kiosks.FanOut;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The kiosk adapter: device envelopes to entity commands, field by field, and the site-wide content mode. */
class KiosksTest {
  private static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config()
      .withFallback(com.typesafe.config.ConfigFactory.load()));
  private static final Instant T0 = Instant.parse("2026-12-24T01:00:00Z");
  private static final AssetId KIOSK = AssetId.of("demo-mall", AssetKind.KIOSK, "KIOSK-01");
  private final TestProbe<StatusReply<Kiosk.View>> probe = testKit.createTestProbe();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static ObjectNode data(String json) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(json, e);
    }
  }

  private Kiosk.Command telemetry(String json) {
    return Kiosks.toCommand(new Envelope.Telemetry("m-1", KIOSK, T0, data(json))).apply(probe.ref());
  }

  private Kiosk.Command event(String name, String json) {
    return Kiosks.toCommand(new Envelope.Event("m-1", KIOSK, T0, name, data(json))).apply(probe.ref());
  }

  private static void refused(String field, String reasonPart, Runnable parse) {
    ProtocolException e = assertThrows(ProtocolException.class, parse::run);
    assertEquals(field, e.field());
    assertTrue(e.reason().contains(reasonPart), e.reason());
  }

  @Test
  void aHeartbeatBecomesAReportWithoutUsage() {
    var report = assertInstanceOf(Kiosk.Report.class, telemetry("{\"heartbeat\":true}"));
    assertTrue(report.heartbeat());
    assertTrue(report.usage().isEmpty());
    assertEquals(T0, report.at());
  }

  @Test
  void usageCountersBecomeAReportOfEachCounterGiven() {
    var report = assertInstanceOf(Kiosk.Report.class, telemetry("{\"sessions\":4,\"wayfindingQueries\":9,\"prints\":0}"));
    assertFalse(report.heartbeat());
    assertEquals(Map.of(Counter.SESSIONS, 4L, Counter.WAYFINDING_QUERIES, 9L, Counter.PRINTS, 0L), report.usage());
  }

  @Test
  void badTelemetryIsRefusedNamingTheField() {
    refused("$.data.heartbeat", "expected a boolean", () -> telemetry("{\"heartbeat\":\"yes\"}"));
    refused("$.data.heartbeat", "is true", () -> telemetry("{\"heartbeat\":false}"));
    refused("$.data.sessions", "whole number", () -> telemetry("{\"sessions\":-1}"));
    refused("$.data.sessions", "whole number", () -> telemetry("{\"sessions\":1.5}"));
    refused("$.data.prints", "whole number", () -> telemetry("{\"prints\":1000001}"));
    refused("$.data.sesions", "unknown field", () -> telemetry("{\"sesions\":1}"));
    refused("$.data", "empty", () -> telemetry("{}"));
  }

  @Test
  void aFaultEventBecomesAFaultReport() {
    var fault = assertInstanceOf(Kiosk.ReportFault.class, event("fault", "{\"component\":\"printer\",\"active\":true,\"detail\":\"paper out\"}"));
    assertEquals(Component.PRINTER, fault.component());
    assertTrue(fault.active());
    assertEquals("paper out", fault.detail());
    var cleared = assertInstanceOf(Kiosk.ReportFault.class, event("fault", "{\"component\":\"network\",\"active\":false}"));
    assertNull(cleared.detail());
  }

  @Test
  void badFaultEventsAreRefusedNamingTheField() {
    refused("$.data.component", "required", () -> event("fault", "{\"active\":true}"));
    refused("$.data.component", "unknown component 'toner'", () -> event("fault", "{\"component\":\"toner\",\"active\":true}"));
    refused("$.data.active", "expected a boolean", () -> event("fault", "{\"component\":\"screen\",\"active\":1}"));
    refused("$.data.detail", "at most 200", () -> event("fault", "{\"component\":\"screen\",\"active\":true,\"detail\":\"" + "x".repeat(201) + "\"}"));
    refused("$.data.severity", "unknown field", () -> event("fault", "{\"component\":\"screen\",\"active\":true,\"severity\":3}"));
    refused("$.name", "unknown kiosk event 'reboot'", () -> event("reboot", "{}"));
  }

  @Test
  void anAckBecomesADeviceAckAndACommandFromTheDeviceIsRefused() {
    var ok = assertInstanceOf(Kiosk.DeviceAck.class, Kiosks.toCommand(
        new Envelope.Ack("a-1", KIOSK, T0, "content-mode-3", Envelope.AckStatus.OK, null)).apply(probe.ref()));
    assertEquals("content-mode-3", ok.ref());
    assertTrue(ok.ok());
    var failed = assertInstanceOf(Kiosk.DeviceAck.class, Kiosks.toCommand(
        new Envelope.Ack("a-2", KIOSK, T0, "content-mode-3", Envelope.AckStatus.FAILED, "no content")).apply(probe.ref()));
    assertFalse(failed.ok());
    assertEquals("no content", failed.reason());
    refused("$.type", "commands go from the twin", () -> Kiosks.toCommand(
        new Envelope.Command("c-1", KIOSK, T0, "set-content-mode", data("{}"))));
  }

  @Test
  void settingsComeFromTheKiosksResourceAndOverridesWin() {
    var defaults = KioskSettings.create(com.typesafe.config.ConfigFactory.empty());
    assertEquals(new KioskSettings(Duration.ofSeconds(90), Duration.ofSeconds(30), 16), defaults);
    var faster = KioskSettings.create(com.typesafe.config.ConfigFactory.parseString("atrium.kiosk.heartbeat-deadline = 45s"));
    assertEquals(Duration.ofSeconds(45), faster.heartbeatDeadline());
    assertThrows(IllegalArgumentException.class, () -> new KioskSettings(Duration.ZERO, Duration.ofSeconds(30), 16));
  }

  @Test
  void theAdapterKnowsTheSitesKiosks() {
    var site = TestTwins.demoSites().site("demo-mall").orElseThrow();
    assertTrue(new Kiosks().exists(site, "KIOSK-40"));
    assertFalse(new Kiosks().exists(site, "KIOSK-41"));
  }

  @Test
  void evacuationGuidanceReachesEveryKioskOfTheSite() throws Exception {
    var recorder = new TestTwins.Recorder();
    TwinServices services = TestTwins.unsharded(testKit.system(), new SimulatedClock(T0), recorder);
    var settings = new KioskSettings(Duration.ofSeconds(90), Duration.ofSeconds(30), 4);
    List<String> ids = TestTwins.demoSites().site("demo-mall").orElseThrow().devices().kiosks().stream()
        .map(atrium.core.site.Kiosk::id).toList();
    Map<String, ActorRef<Kiosk.Command>> kiosks = new HashMap<>();
    for (String id : ids) kiosks.put(id, testKit.spawn(Kiosk.create(AssetId.of("demo-mall", AssetKind.KIOSK, id), services, settings)));

    FanOut result = Kiosks.fanOut(testKit.system(), "demo-mall", ContentMode.EVACUATION_GUIDANCE, ids, 4,
        id -> AskPattern.<Kiosk.Command, StatusReply<Kiosk.View>>ask(kiosks.get(id),
                r -> new Kiosk.SetContentMode(ContentMode.EVACUATION_GUIDANCE, "drill-1", r), Duration.ofSeconds(5),
                testKit.system().scheduler())
            .thenApply(StatusReply::getValue))
        .toCompletableFuture().get(30, TimeUnit.SECONDS);

    assertEquals(40, result.kiosks());
    assertTrue(result.complete(), result.failed().toString());
    assertEquals(ids.stream().sorted().toList(), result.accepted());
    assertEquals(40, recorder.commands.size());
    assertTrue(recorder.commands.stream().allMatch(c -> c.name().equals("set-content-mode")
        && c.data().get("mode").asText().equals("evacuation-guidance")));
    kiosks.values().forEach(testKit::stop);
    services.history().close();
  }

  @Test
  void aSiteWideModeAsksAtMostParallelismKiosksAtOnceAndListsEachFailure() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= 10; i++) ids.add(String.format("K-%02d", i));
    LinkedBlockingQueue<CompletableFuture<Object>> pending = new LinkedBlockingQueue<>();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CompletionStage<FanOut> running = Kiosks.fanOut(testKit.system(), "demo-mall", ContentMode.EVACUATION_GUIDANCE, ids, 3, id -> {
      most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      if (id.equals("K-07")) {
        inFlight.decrementAndGet();
        return CompletableFuture.failedFuture(new StatusReply.ErrorMessage("journal unavailable"));
      }
      CompletableFuture<Object> f = new CompletableFuture<>();
      pending.add(f);
      return f;
    });
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      assertEquals(3, pending.size());
      return null;
    });
    for (int answered = 0; answered < 9; answered++) {
      CompletableFuture<Object> next = pending.poll(10, TimeUnit.SECONDS);
      assertNotNull(next, "the stream asks the next kiosk once one has answered");
      inFlight.decrementAndGet();
      next.complete("ok");
    }
    FanOut result = running.toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(3, most.get(), "three kiosks asked at once, never more");
    assertEquals(9, result.accepted().size());
    assertEquals(Map.of("K-07", "journal unavailable"), result.failed());
    assertFalse(result.complete());
  }
}
