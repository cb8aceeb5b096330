package atrium.api.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import atrium.api.interop.PointCatalog.Point;
import atrium.core.alarm.Alarm;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.SimulatedClock;
import atrium.core.protocol.Envelope;
import atrium.core.protocol.ProtocolException;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Camera;
import atrium.core.site.Site;
import atrium.core.testkit.TestTwins;
import atrium.devices.TwinKind;
import atrium.devices.Twins;
import atrium.devices.camera.Camera.View;
import atrium.devices.courier.Courier;
import atrium.devices.hvac.HvacZone;
import atrium.devices.kiosk.Kiosk;
import atrium.devices.parking.CarPark;
import atrium.devices.parking.ParkingBay;
import atrium.devices.shelflabel.ShelfLabel;
import atrium.devices.zone.Zone;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class PointCatalogTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Instant T0 = Instant.parse("2026-12-24T01:00:00Z");

  /** Each kind's state view, as the doors return it. */
  private static final Map<AssetKind, Class<?>> VIEWS = Map.of(
      AssetKind.PARKING_BAY, ParkingBay.View.class, AssetKind.CAR_PARK, CarPark.View.class,
      AssetKind.CAMERA, View.class, AssetKind.ZONE, Zone.View.class, AssetKind.HVAC_ZONE, HvacZone.View.class,
      AssetKind.SHELF_LABEL, ShelfLabel.View.class, AssetKind.KIOSK, Kiosk.View.class,
      AssetKind.COURIER, Courier.View.class, AssetKind.ALARM, Alarm.View.class);

  /** The view fields that name the asset rather than describe it. */
  private static final Set<String> IDENTITY = Set.of("/site", "/bayId", "/carPark", "/cameraId", "/zoneId",
      "/hvacZoneId", "/labelId", "/kioskId", "/courierId", "/alarmId");

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void everyDataFieldADeviceMaySendHasACatalogPoint() throws Exception {
    Site site = TestTwins.demoSites().site("demo-mall").orElseThrow();
    TwinServices services = TestTwins.unsharded(testKit.system(), new SimulatedClock(T0));
    Map<String, AssetId> probes = probes(site);
    Map<String, Set<String>> accepted = new LinkedHashMap<>();
    for (TwinKind kind : Twins.kinds(testKit.system().settings().config())) {
      for (Map.Entry<String, AssetId> probe : probes.entrySet()) {
        if (probe.getValue().kind() != kind.kind()) continue;
        accepted.put(probe.getKey(), acceptedFields(kind, services, probe.getValue()));
      }
    }
    // the probe reached every kind a device reports for, and each said what it accepts
    assertEquals(probes.keySet(), accepted.keySet());
    assertEquals(Set.of("occupied", "plate"), accepted.get("parking-bay"));
    for (Map.Entry<String, Set<String>> e : accepted.entrySet()) {
      AssetKind kind = probes.get(e.getKey()).kind();
      Set<String> catalogued = PointCatalog.points(kind).stream().map(Point::telemetry)
          .filter(t -> t != null).collect(Collectors.toSet());
      for (String field : e.getValue()) {
        assertTrue(catalogued.contains(field), e.getKey() + " accepts data field '" + field + "' but the catalog has no point for it");
      }
    }
  }

  @Test
  void everyFieldOfEveryStateViewIsAPointAnAttributeAnIdentityOrATimestamp() {
    for (AssetKind kind : AssetKind.values()) {
      Class<?> view = VIEWS.get(kind);
      assertTrue(view != null, "no view known for " + kind);
      for (Leaf leaf : leaves(view, "")) {
        if (leaf.timestamp() || IDENTITY.contains(leaf.path())) continue;
        boolean point = PointCatalog.points(kind).stream().anyMatch(p -> p.state() != null
            && (p.state().equals(leaf.path()) || (leaf.container() && p.state().startsWith(leaf.path() + "/"))));
        boolean attribute = PointCatalog.attributes(kind).stream().anyMatch(a -> leaf.path().equals(a.state())
            || leaf.path().startsWith(a.state() + "/"));
        assertTrue(point || attribute, kind.wireName() + " view field " + leaf.path() + " is in no catalog point or attribute");
      }
    }
  }

  @Test
  void everyPointAndAttributeStatePathNamesAFieldOfItsView() {
    for (AssetKind kind : AssetKind.values()) {
      List<Leaf> leaves = leaves(VIEWS.get(kind), "");
      List<String> paths = new ArrayList<>();
      PointCatalog.points(kind).stream().map(Point::state).filter(s -> s != null).forEach(paths::add);
      PointCatalog.attributes(kind).forEach(a -> paths.add(a.state()));
      for (String path : paths) {
        boolean found = leaves.stream().anyMatch(l -> l.path().equals(path) || l.path().startsWith(path + "/")
            || (l.container() && path.startsWith(l.path() + "/")));
        assertTrue(found, kind.wireName() + ": " + path + " is not a field of " + VIEWS.get(kind).getSimpleName());
      }
    }
  }

  @Test
  void pointNamesAreUniquePerKindAndEveryPointCarriesBrickHaystackAndKind() {
    for (AssetKind kind : AssetKind.values()) {
      List<Point> points = PointCatalog.points(kind);
      assertEquals(points.size(), points.stream().map(Point::name).distinct().count(), "duplicate point names in " + kind);
      for (Point p : points) {
        assertTrue(p.brick() != null && p.brick().matches("[A-Z][A-Za-z0-9]*(_[A-Za-z0-9]+)*"), p.name() + ": brick " + p.brick());
        assertTrue(p.haystack().endsWith("point"), p.name() + ": haystack tags end with the point marker: " + p.haystack());
        assertTrue(p.haystack().matches("[a-z][A-Za-z0-9]*( [a-z][A-Za-z0-9]*)*"), p.name() + ": haystack markers " + p.haystack());
        if (p.kind() != PointCatalog.ValueKind.NUMBER) assertEquals(null, p.unit(), p.name() + ": only numbers have units");
        if (p.note() == null) {
          assertFalse(Set.of("Sensor", "Status", "Command", "Alarm", "Point").contains(p.brick()),
              p.name() + " uses the superclass " + p.brick() + " without a note saying why");
        }
      }
    }
  }

  @Test
  void describeAnnotatesAnHvacZoneViewWithValuesUnitsBrickClassesAndHaystackTags() throws Exception {
    JsonNode state = new ObjectMapper().readTree("""
        {"site":"demo-mall","hvacZoneId":"AHU-L1-16","mode":"COMFORT",
         "setpoints":{"heating":20.0,"cooling":24.0},
         "temperature":{"value":21.5,"usable":true},"humidity":{"value":45.0},"co2":{"value":null},
         "outputs":{"heating":35.0,"cooling":0.0},"energy":{"meterKwh":1389.25,"powerKw":12.5},
         "occupancy":{"people":140,"occupied":true}}""");
    JsonNode points = PointCatalog.describe(AssetKind.HVAC_ZONE, state).get("points");
    JsonNode temperature = find(points, "temperature");
    assertEquals(21.5, temperature.get("value").doubleValue());
    assertEquals("Cel", temperature.get("unit").asText());
    assertEquals("°C", temperature.get("haystackUnit").asText());
    assertEquals("Zone_Air_Temperature_Sensor", temperature.get("brick").asText());
    assertEquals("zone air temp sensor point", temperature.get("haystack").asText());
    assertEquals("Number", temperature.get("kind").asText());
    assertEquals("sensor", temperature.get("role").asText());
    assertEquals(1389.25, find(points, "energy").get("value").doubleValue());
    assertEquals("Heating_Zone_Air_Temperature_Setpoint", find(points, "heatingSetpoint").get("brick").asText());
    assertEquals("COMFORT", find(points, "mode").get("value").asText());
    assertTrue(find(points, "co2").get("value").isNull(), "a sensor that never reported shows null");
    assertTrue(find(points, "supplyAirTemperature").get("value").isNull());
  }

  @Test
  void describeNeverShowsPersonalPoints() {
    ObjectNode state = JsonNodeFactory.instance.objectNode().put("observedSpeed", 3.2);
    JsonNode points = PointCatalog.describe(AssetKind.COURIER, state).get("points");
    List<String> names = new ArrayList<>();
    points.forEach(p -> names.add(p.get("name").asText()));
    assertTrue(names.contains("speed"));
    assertFalse(names.contains("x") || names.contains("y") || names.contains("floor"), names.toString());
  }

  @Test
  void theCatalogAsJsonListsEveryKindWithItsPoints() {
    JsonNode json = PointCatalog.toJson();
    assertEquals(AssetKind.values().length, json.get("kinds").size());
    JsonNode camera = json.get("kinds").get(AssetKind.CAMERA.ordinal());
    assertEquals("camera", camera.get("kind").asText());
    assertEquals("Occupancy_Count_Sensor", find(camera.get("points"), "count").get("brick").asText());
  }

  // ---- helpers

  private static JsonNode find(JsonNode points, String name) {
    for (JsonNode p : points) if (p.get("name").asText().equals(name)) return p;
    return fail("no point " + name + " in " + points);
  }

  /** One asset of each kind a device reports for (two cameras: a line and a headcount one). */
  private static Map<String, AssetId> probes(Site site) {
    Map<String, AssetId> m = new LinkedHashMap<>();
    String s = site.id();
    m.put("parking-bay", AssetId.of(s, AssetKind.PARKING_BAY, site.carParks().get(0).levels().get(0).bays().get(0).id()));
    m.put("camera line", AssetId.of(s, AssetKind.CAMERA, firstCamera(site, Camera.Mode.LINE)));
    m.put("camera headcount", AssetId.of(s, AssetKind.CAMERA, firstCamera(site, Camera.Mode.HEADCOUNT)));
    m.put("hvac-zone", AssetId.of(s, AssetKind.HVAC_ZONE, site.devices().hvacZones().get(0).id()));
    m.put("shelf-label", AssetId.of(s, AssetKind.SHELF_LABEL, site.devices().shelfLabelGroups().get(0).labelId(1)));
    m.put("kiosk", AssetId.of(s, AssetKind.KIOSK, site.devices().kiosks().get(0).id()));
    m.put("courier", AssetId.of(s, AssetKind.COURIER, site.devices().courierFleet().courierId(1)));
    return m;
  }

  private static String firstCamera(Site site, Camera.Mode mode) {
    return site.devices().cameras().stream().filter(c -> c.mode() == mode).findFirst().orElseThrow().id();
  }

  /**
   * The fields a kind's real door adapter accepts in telemetry: a report with an unknown field is
   * refused with "unknown field; expected a, b, c" before anything reaches the twin.
   */
  private static Set<String> acceptedFields(TwinKind kind, TwinServices services, AssetId asset) throws Exception {
    ObjectNode data = JsonNodeFactory.instance.objectNode().put("zzUnknownField", 1);
    Envelope.Telemetry probe = new Envelope.Telemetry("probe-1", asset, T0, data);
    ProtocolException refusal;
    try {
      kind.ingest(services, probe).toCompletableFuture().get(10, TimeUnit.SECONDS);
      return fail(asset + ": a telemetry report with an unknown field was taken");
    } catch (ProtocolException e) {
      refusal = e;
    } catch (ExecutionException | CompletionException e) {
      if (!(e.getCause() instanceof ProtocolException p)) throw e;
      refusal = p;
    } catch (TimeoutException e) {
      return fail(asset + ": the probe reached the twin instead of being refused at the door");
    }
    assertEquals("$.data.zzUnknownField", refusal.field(), asset + ": " + refusal.getMessage());
    String reason = refusal.reason();
    int at = reason.indexOf("expected ");
    assertTrue(at >= 0, reason);
    return Arrays.stream(reason.substring(at + "expected ".length()).split(",")).map(String::trim)
        .collect(Collectors.toCollection(HashSet::new));
  }

  /** A field of a view, by JSON pointer; {@code container} for lists and maps (their elements are not walked). */
  record Leaf(String path, boolean timestamp, boolean container) {}

  private static List<Leaf> leaves(Class<?> type, String prefix) {
    List<Leaf> out = new ArrayList<>();
    for (RecordComponent c : type.getRecordComponents()) {
      String path = prefix + "/" + c.getName();
      Class<?> t = c.getType();
      if (t.isRecord() && t.getName().startsWith("atrium.")) {
        out.addAll(leaves(t, path));
      } else {
        boolean container = List.class.isAssignableFrom(t) || Map.class.isAssignableFrom(t) || Set.class.isAssignableFrom(t);
        out.add(new Leaf(path, t == Instant.class || t == Duration.class, container));
      }
    }
    return out;
  }
}
