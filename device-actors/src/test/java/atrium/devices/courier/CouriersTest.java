package atrium.devices.courier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.json.Json;
import atrium.core.protocol.Envelope;
import atrium.core.protocol.ProtocolException;
import atrium.core.site.Site;
import atrium.core.testkit.TestTwins;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The courier adapter: device envelopes to entity commands, field by field. */
class CouriersTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Instant T0 = Instant.parse("2026-12-24T01:00:00Z");
  private static final AssetId COURIER = AssetId.of("demo-mall", AssetKind.COURIER, "COURIER-0001");
  private static final Site SITE = TestTwins.demoSites().site("demo-mall").orElseThrow();
  private final TestProbe<StatusReply<Courier.View>> probe = testKit.createTestProbe();

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

  private Courier.Command telemetry(String json) {
    return Couriers.toCommand(SITE, new Envelope.Telemetry("m-1", COURIER, T0, data(json))).apply(probe.ref());
  }

  private Courier.Command event(String name, String json) {
    return Couriers.toCommand(SITE, new Envelope.Event("m-1", COURIER, T0, name, data(json))).apply(probe.ref());
  }

  private static void refused(String field, String reasonPart, Runnable parse) {
    ProtocolException e = assertThrows(ProtocolException.class, parse::run);
    assertEquals(field, e.field());
    assertTrue(e.reason().contains(reasonPart), e.reason());
  }

  @Test
  void aPositionBecomesAReportInSiteMetres() {
    var p = assertInstanceOf(Courier.ReportPosition.class, telemetry("{\"x\":12.5,\"y\":-3,\"floor\":\"L1\",\"speed\":1.4}"));
    assertEquals(12.5, p.x());
    assertEquals(-3.0, p.y());
    assertEquals("L1", p.floor());
    assertEquals(1.4, p.speed());
    assertEquals(T0, p.at());
    var outdoors = assertInstanceOf(Courier.ReportPosition.class, telemetry("{\"x\":2500,\"y\":800}"));
    assertNull(outdoors.floor());
    assertNull(outdoors.speed());
  }

  @Test
  void badPositionsAreRefusedNamingTheField() {
    refused("$.data.y", "required", () -> telemetry("{\"x\":1}"));
    refused("$.data.x", "expected a number", () -> telemetry("{\"x\":\"1\",\"y\":1}"));
    refused("$.data.x", "at most 100000", () -> telemetry("{\"x\":100001,\"y\":1}"));
    refused("$.data.floor", "no floor 'L9'", () -> telemetry("{\"x\":1,\"y\":1,\"floor\":\"L9\"}"));
    refused("$.data.speed", "0 to 50", () -> telemetry("{\"x\":1,\"y\":1,\"speed\":-1}"));
    refused("$.data.lat", "unknown field", () -> telemetry("{\"lat\":31.2,\"lon\":121.5}"));
  }

  @Test
  void orderEventsBecomeDeliveredAndFailed() {
    var delivered = assertInstanceOf(Courier.MarkDelivered.class, event("order-delivered", "{\"order\":\"O-1\"}"));
    assertEquals("O-1", delivered.orderId());
    assertEquals("courier", delivered.by());
    var failed = assertInstanceOf(Courier.MarkFailed.class, event("order-failed", "{\"order\":\"O-2\",\"reason\":\"shop closed\"}"));
    assertEquals("O-2", failed.orderId());
    assertEquals("shop closed", failed.reason());
  }

  @Test
  void badOrderEventsAndOtherEnvelopesAreRefusedNamingTheField() {
    refused("$.data.order", "required", () -> event("order-delivered", "{}"));
    refused("$.data.order", "order id", () -> event("order-delivered", "{\"order\":\"O 1\"}"));
    refused("$.data.customer", "unknown field", () -> event("order-delivered", "{\"order\":\"O-1\",\"customer\":\"Li\"}"));
    refused("$.data.reason", "required", () -> event("order-failed", "{\"order\":\"O-1\"}"));
    refused("$.name", "unknown courier event 'picked-up'", () -> event("picked-up", "{}"));
    refused("$.type", "no commands", () -> Couriers.toCommand(SITE,
        new Envelope.Ack("a-1", COURIER, T0, "c-1", Envelope.AckStatus.OK, null)));
  }

  @Test
  void settingsComeFromTheCouriersResourceAndOverridesWin() {
    var defaults = CourierSettings.create(com.typesafe.config.ConfigFactory.empty());
    assertEquals(new CourierSettings(java.time.Duration.ofHours(24), 2000, 4.0, 0.5, 0.3, 10), defaults);
    var shorter = CourierSettings.create(com.typesafe.config.ConfigFactory.parseString("atrium.courier.track-retention = 2h"));
    assertEquals(java.time.Duration.ofHours(2), shorter.trackRetention());
    assertThrows(IllegalArgumentException.class, () -> new CourierSettings(java.time.Duration.ofHours(1), 10, 0.2, 0.5, 0.3, 10));
  }

  @Test
  void theAdapterKnowsTheSitesFleet() {
    assertTrue(new Couriers().exists(SITE, "COURIER-0150"));
    assertFalse(new Couriers().exists(SITE, "COURIER-0151"));
  }
}
