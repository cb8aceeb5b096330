package atrium.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeviceProtocolTest {
  private static final String TELEMETRY = """
      {"v":1,"type":"telemetry","id":"m-1","site":"demo-mall","kind":"parking-bay","asset":"PN-B1-0001",
       "ts":"2026-11-22T09:30:00Z","data":{"occupied":true}}""";

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void telemetryEnvelopeIsParsedIntoTypedFields() {
    Envelope e = DeviceProtocol.parse(b(TELEMETRY));
    var t = assertInstanceOf(Envelope.Telemetry.class, e);
    assertEquals("m-1", t.id());
    assertEquals(AssetId.of("demo-mall", AssetKind.PARKING_BAY, "PN-B1-0001"), t.asset());
    assertEquals(Instant.parse("2026-11-22T09:30:00Z"), t.ts());
    assertEquals(true, t.data().get("occupied").booleanValue());
  }

  @Test
  void everyEnvelopeTypeSurvivesAWriteAndParseRoundTrip() {
    var asset = AssetId.of("demo-mall", AssetKind.SHELF_LABEL, "ESL-0001");
    var data = DeviceProtocol.mapper().createObjectNode().put("price", 12.5);
    Instant ts = Instant.parse("2026-11-22T09:30:00.123Z");
    List<Envelope> all = List.of(
        new Envelope.Telemetry("t-1", asset, ts, data),
        new Envelope.Event("e-1", asset, ts, "button-pressed", data),
        new Envelope.Command("c-1", asset, ts, "set-price", data),
        new Envelope.Ack("a-1", asset, ts, "c-1", Envelope.AckStatus.OK, null),
        new Envelope.Ack("a-2", asset, ts, "c-1", Envelope.AckStatus.FAILED, "display broken"));
    for (Envelope e : all) assertEquals(e, DeviceProtocol.parse(DeviceProtocol.write(e)));
    assertEquals(all, DeviceProtocol.parseBatch(DeviceProtocol.writeBatch(all)));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "'{\"v\":2,\"type\":\"telemetry\"}'                        | $.v",
      "'{\"type\":\"telemetry\"}'                                | $.v",
      "'{\"v\":1,\"type\":\"gossip\"}'                           | $.type",
      "'{\"v\":1,\"type\":7}'                                    | $.type",
      "'[1]'                                                     | $[0]",
      "'\"hello\"'                                               | $",
      "'{\"v\":1,\"type\":\"telemetry\",\"id\":\"m-1\"'          | $",
  })
  void malformedEnvelopesAreRefusedAtTheirField(String json, String field) {
    var e = assertThrows(ProtocolException.class, () -> DeviceProtocol.parseBatch(b(json)));
    assertEquals(field, e.field(), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "\"kind\":\"parking-bay\"       | \"kind\":\"toaster\"          | $.kind",
      "\"id\":\"m-1\"                 | \"id\":\"bad id!\"            | $.id",
      "\"ts\":\"2026-11-22T09:30:00Z\"| \"ts\":\"yesterday\"          | $.ts",
      "\"ts\":\"2026-11-22T09:30:00Z\"| \"ts\":1732267800            | $.ts",
      "\"data\":{\"occupied\":true}   | \"data\":[true]               | $.data",
      "\"data\":{\"occupied\":true}   | \"data\":{},\"extra\":1       | $.extra",
      "\"asset\":\"PN-B1-0001\"       | \"asset\":\"\"                | $.asset",
      ",\"site\":\"demo-mall\"        | ''                            | $.site",
  })
  void wrongFieldsAreNamedExactly(String from, String to, String field) {
    String json = TELEMETRY.replace(from.strip(), to.strip());
    var e = assertThrows(ProtocolException.class, () -> DeviceProtocol.parse(b(json)));
    assertEquals(field, e.field(), e.getMessage());
  }

  @Test
  void aBatchIsRefusedWholeAndTheBadElementIsNamed() {
    String bad = TELEMETRY.replace("\"ts\":\"2026-11-22T09:30:00Z\"", "\"ts\":\"never\"");
    var e = assertThrows(ProtocolException.class, () -> DeviceProtocol.parseBatch(b("[" + TELEMETRY + "," + bad + "]")));
    assertEquals("$[1].ts", e.field());
  }

  @Test
  void aFailedAckMustSayWhy() {
    String ack = """
        {"v":1,"type":"ack","id":"a-1","site":"s","kind":"shelf-label","asset":"x","ts":"2026-11-22T09:30:00Z",
         "ref":"c-1","status":"failed"}""";
    assertEquals("$.reason", assertThrows(ProtocolException.class, () -> DeviceProtocol.parse(b(ack))).field());
  }

  @Test
  void duplicateKeysAndOversizedMessagesAreRefused() {
    String dup = TELEMETRY.replace("\"v\":1,", "\"v\":1,\"v\":1,");
    assertEquals("$", assertThrows(ProtocolException.class, () -> DeviceProtocol.parse(b(dup))).field());
    byte[] huge = new byte[DeviceProtocol.MAX_MESSAGE_BYTES + 1];
    var e = assertThrows(ProtocolException.class, () -> DeviceProtocol.parse(huge));
    assertEquals("$", e.field());
  }

  @Test
  void dataFieldsNameTheMeasurementThatIsWrong() {
    var data = DeviceProtocol.mapper().createObjectNode().put("occupied", "yes").put("temp", 3);
    var fields = DataFields.of(data);
    assertEquals("$.data.occupied", assertThrows(ProtocolException.class, () -> fields.requireBoolean("occupied")).field());
    assertEquals("$.data.temp", assertThrows(ProtocolException.class, () -> fields.only("occupied")).field());
    assertEquals("$.data.missing", assertThrows(ProtocolException.class, () -> fields.requireNumber("missing")).field());
  }
}
