package atrium.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.asset.AssetId;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * The device protocol decoder under arbitrary bytes. Regression mode (plain {@code mvn test}) runs
 * the kept corpus in {@code src/test/resources/atrium/core/protocol/DeviceProtocolFuzzTestInputs/};
 * {@code bin/atrium fuzz protocol} fuzzes. The contract: any input is an envelope that obeys the
 * protocol and writes back to itself, or a {@link ProtocolException} naming a JSON path; nothing else.
 */
class DeviceProtocolFuzzTest {

  @FuzzTest
  void anEnvelopeEitherParsesAndRoundTripsOrIsRefusedAtAField(byte[] input) {
    Envelope e;
    try {
      e = DeviceProtocol.parse(input);
    } catch (ProtocolException refused) {
      assertRefusal(refused);
      return;
    }
    assertValid(e);
    assertEquals(e, DeviceProtocol.parse(DeviceProtocol.write(e)), "an accepted envelope writes back to itself");
  }

  @FuzzTest
  void aBatchEitherParsesWholeAndRoundTripsOrIsRefusedAtAField(byte[] input) {
    List<Envelope> batch;
    try {
      batch = DeviceProtocol.parseBatch(input);
    } catch (ProtocolException refused) {
      assertRefusal(refused);
      return;
    }
    assertFalse(batch.isEmpty());
    assertTrue(batch.size() <= DeviceProtocol.MAX_BATCH);
    batch.forEach(DeviceProtocolFuzzTest::assertValid);
    assertEquals(batch, DeviceProtocol.parseBatch(DeviceProtocol.writeBatch(batch)), "an accepted batch writes back to itself");
  }

  private static void assertRefusal(ProtocolException refused) {
    assertTrue(refused.field().startsWith("$"), "the refusal names a JSON path: " + refused.field());
    assertFalse(refused.reason().isBlank(), "the refusal says why");
  }

  private static void assertValid(Envelope e) {
    assertTrue(e.id().matches("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}"), e.id());
    AssetId a = e.asset();
    assertTrue(AssetId.isValidName(a.site()) && AssetId.isValidName(a.localId()), a.toString());
    assertTrue(e.ts() != null);
    if (e instanceof Envelope.Ack ack) {
      assertTrue(ack.status() == Envelope.AckStatus.OK || ack.reason() != null, "a failed ack has a reason");
    } else if (e instanceof Envelope.Telemetry t) {
      assertTrue(t.data().isObject());
    } else if (e instanceof Envelope.Event ev) {
      assertTrue(ev.name().matches("[a-z][a-z0-9-]{0,63}") && ev.data().isObject());
    } else if (e instanceof Envelope.Command c) {
      assertTrue(c.name().matches("[a-z][a-z0-9-]{0,63}") && c.data().isObject());
    }
  }
}
