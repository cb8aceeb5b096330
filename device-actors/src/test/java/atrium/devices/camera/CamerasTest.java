package atrium.devices.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import org.junit.jupiter.api.Test;

/** The camera kind's door: which cameras it takes, and how an envelope becomes a camera command. */
class CamerasTest {
  private static final Site DEMO = TestTwins.demoSites().site("demo-mall").orElseThrow();
  private static final Instant T = Instant.parse("2026-12-24T06:30:00Z");
  private final Cameras cameras = new Cameras();

  private static Envelope.Telemetry telemetry(String camera, String data) {
    try {
      return new Envelope.Telemetry("m-9", AssetId.of("demo-mall", AssetKind.CAMERA, camera), T,
          (ObjectNode) Json.MAPPER.readTree(data));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Camera.Command command(String camera, Envelope envelope) {
    return Cameras.command(DEMO.camera(camera).orElseThrow(), envelope).apply(null);
  }

  private static ProtocolException refused(String camera, String data) {
    return assertThrows(ProtocolException.class, () -> command(camera, telemetry(camera, data)));
  }

  @Test
  void peopleCountersExistButPlateReadersAreLeftToTheCarPark() {
    assertTrue(cameras.exists(DEMO, "CAM-0016")); // line
    assertTrue(cameras.exists(DEMO, "CAM-0099")); // headcount
    assertFalse(cameras.exists(DEMO, "CAM-0001")); // plate gate
    assertFalse(cameras.exists(DEMO, "CAM-9999"));
    assertEquals(AssetKind.CAMERA, cameras.kind());
  }

  @Test
  void aLineCamerasTelemetryBecomesACountOfCrossings() {
    var c = assertInstanceOf(Camera.CountLine.class, command("CAM-0016", telemetry("CAM-0016", "{\"in\":7,\"out\":0}")));
    assertEquals("m-9", c.messageId());
    assertEquals(7, c.in());
    assertEquals(0, c.out());
    assertEquals(T, c.at());
  }

  @Test
  void aHeadcountCamerasTelemetryBecomesAHeadcount() {
    var c = assertInstanceOf(Camera.CountHeads.class, command("CAM-0099", telemetry("CAM-0099", "{\"count\":31}")));
    assertEquals(31, c.count());
    assertEquals(T, c.at());
  }

  @Test
  void aMissingCountIsNamed() {
    var e = refused("CAM-0016", "{\"in\":7}");
    assertEquals("$.data.out", e.field());
    assertEquals("required", e.reason());
  }

  @Test
  void aFieldOfTheOtherModeIsUnknown() {
    var e = refused("CAM-0016", "{\"count\":7}");
    assertEquals("$.data.count", e.field());
    assertTrue(e.reason().contains("expected in, out"), e.reason());
    assertEquals("$.data.in", refused("CAM-0099", "{\"in\":1,\"out\":2}").field());
  }

  @Test
  void aCountMustBeAWholeNonNegativeNumberOfPeople() {
    var text = refused("CAM-0099", "{\"count\":\"7\"}");
    assertEquals("$.data.count", text.field());
    assertEquals("expected a whole number of people, found a string", text.reason());
    var fraction = refused("CAM-0099", "{\"count\":2.5}");
    assertEquals("expected a whole number of people, found 2.5", fraction.reason());
    var negative = refused("CAM-0016", "{\"in\":1,\"out\":-3}");
    assertEquals("$.data.out", negative.field());
    assertEquals("must be 0 or more, was -3", negative.reason());
    var huge = refused("CAM-0016", "{\"in\":3000000000,\"out\":0}");
    assertEquals("$.data.in", huge.field());
    assertTrue(huge.reason().startsWith("must be at most 2147483647"), huge.reason());
    assertEquals("$.data.count", refused("CAM-0099", "{\"count\":null}").field());
  }

  @Test
  void aCameraSendsTelemetryOnly() {
    var event = new Envelope.Event("e-1", AssetId.of("demo-mall", AssetKind.CAMERA, "CAM-0016"), T, "tamper",
        Json.MAPPER.createObjectNode());
    var e = assertThrows(ProtocolException.class, () -> command("CAM-0016", event));
    assertEquals("$.type", e.field());
  }
}
