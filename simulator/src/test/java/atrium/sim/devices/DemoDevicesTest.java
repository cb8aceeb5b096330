package atrium.sim.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.SimulatedClock;
import atrium.core.protocol.DeviceProtocol;
import atrium.core.protocol.Envelope;
import atrium.core.site.Site;
import atrium.core.testkit.TestTwins;
import atrium.sim.link.DeviceLink;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DemoDevicesTest {
  /** 10:00 in Shanghai: the mall is open. */
  private static final Instant OPEN = Instant.parse("2026-12-24T02:00:00Z");
  private final Site site = TestTwins.demoSites().site("demo-mall").orElseThrow();

  static final class Recorder implements DeviceLink {
    final List<Envelope> sent = new CopyOnWriteArrayList<>();

    @Override
    public CompletionStage<Void> send(List<Envelope> envelopes) {
      sent.addAll(DeviceProtocol.parseBatch(DeviceProtocol.writeBatch(envelopes)));
      return CompletableFuture.completedFuture(null);
    }
  }

  private List<Envelope> ofKind(Recorder r, AssetKind kind) {
    return r.sent.stream().filter(e -> e.asset().kind() == kind).toList();
  }

  @Test
  void everyFleetReportsForEveryDeviceOfTheSiteWithinItsPeriod() {
    var clock = new SimulatedClock(OPEN);
    var link = new Recorder();
    new DemoDevices(site, clock, link, 3).start();
    clock.advance(Duration.ofMinutes(5));
    assertEquals(site.devices().kiosks().stream().map(k -> k.id()).collect(Collectors.toSet()),
        ofKind(link, AssetKind.KIOSK).stream().map(e -> e.asset().localId()).collect(Collectors.toSet()));
    assertEquals(site.devices().courierFleet().count(),
        ofKind(link, AssetKind.COURIER).stream().map(e -> e.asset().localId()).distinct().count());
    assertEquals(site.devices().hvacZones().size(),
        ofKind(link, AssetKind.HVAC_ZONE).stream().map(e -> e.asset().localId()).distinct().count());
    long countingCameras = site.devices().cameras().stream().filter(c -> c.mode() != atrium.core.site.Camera.Mode.PLATE_GATE).count();
    assertEquals(countingCameras, ofKind(link, AssetKind.CAMERA).stream().map(e -> e.asset().localId()).distinct().count());
    long labels = ofKind(link, AssetKind.SHELF_LABEL).stream().map(e -> e.asset().localId()).distinct().count();
    assertTrue(labels > 200 && labels < 400, "five minutes of label batteries: five slices of 1/360 of 20,000, was " + labels);
    assertTrue(link.sent.stream().allMatch(e -> e instanceof Envelope.Telemetry && e.asset().site().equals("demo-mall")));
    assertEquals(link.sent.size(), link.sent.stream().map(Envelope::id).distinct().count(), "message ids are unique");
  }

  @Test
  void measurementsStayWithinWhatTheTwinsAccept() {
    var clock = new SimulatedClock(OPEN);
    var link = new Recorder();
    new DemoDevices(site, clock, link, 5).start();
    clock.advance(Duration.ofHours(3));
    for (Envelope e : ofKind(link, AssetKind.CAMERA)) {
      var d = ((Envelope.Telemetry) e).data();
      d.fields().forEachRemaining(f -> assertTrue(f.getValue().isInt() && f.getValue().asInt() >= 0, e.toString()));
    }
    for (Envelope e : ofKind(link, AssetKind.HVAC_ZONE)) {
      var d = ((Envelope.Telemetry) e).data();
      double t = d.get("temperature").asDouble();
      assertTrue(t > 15 && t < 30, "temperature " + t);
      assertTrue(d.get("heatingOutput").asDouble() >= 0 && d.get("heatingOutput").asDouble() <= 100);
    }
  }

  @Test
  void aCommandIsAcknowledgedAfterAFewClockSeconds() {
    var clock = new SimulatedClock(OPEN);
    var link = new Recorder();
    var devices = new DemoDevices(site, clock, link, 7);
    var label = AssetId.of("demo-mall", AssetKind.SHELF_LABEL, site.devices().shelfLabelGroups().get(0).labelId(1));
    devices.onCommand(new Envelope.Command("cmd-1", label, OPEN, "set-price",
        DeviceProtocol.mapper().createObjectNode().put("price", "12.50")));
    clock.advance(Duration.ofSeconds(5));
    var acks = link.sent.stream().filter(e -> e instanceof Envelope.Ack).map(e -> (Envelope.Ack) e).toList();
    assertEquals(1, acks.size());
    assertEquals("cmd-1", acks.get(0).ref());
    assertEquals(label, acks.get(0).asset());
    assertEquals(Set.of(Envelope.AckStatus.OK), Set.of(acks.get(0).status()));
  }
}
