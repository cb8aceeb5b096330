package atrium.api.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.device.DeviceGrant;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeviceTopicTest {
  private final DeviceGrant kiosk = DeviceGrant.forAssets("k1", "demo-mall", Set.of("kiosk/KIOSK-01"));
  private final DeviceGrant gateway = DeviceGrant.siteGateway("gw", "demo-mall");

  @Test
  void aPublishTopicNamesTheAssetAndTheChannel() throws Exception {
    var t = DeviceTopic.parsePublish("atrium/demo-mall/kiosk/KIOSK-01/ack");
    assertEquals(AssetId.of("demo-mall", AssetKind.KIOSK, "KIOSK-01"), t.asset());
    assertEquals(DeviceTopic.Channel.ACK, t.channel());
  }

  @Test
  void wildcardsCommandTopicsAndOtherShapesAreNoPublishTopics() {
    for (String bad : new String[] {"atrium/demo-mall/kiosk/+/telemetry", "atrium/demo-mall/#", "atrium/demo-mall/kiosk/KIOSK-01/command",
        "atrium/demo-mall/toaster/T-1/telemetry", "atrium/demo-mall/kiosk/KIOSK-01/telemetry/extra", "other/demo-mall/kiosk/K/event", ""}) {
      assertThrows(DeviceTopic.InvalidTopic.class, () -> DeviceTopic.parsePublish(bad), bad);
    }
  }

  @Test
  void aDeviceMaySubscribeOnlyToItsOwnCommandTopic() {
    assertNull(DeviceTopic.subscriptionProblem("atrium/demo-mall/kiosk/KIOSK-01/command", kiosk));
    assertNotNull(DeviceTopic.subscriptionProblem("atrium/demo-mall/kiosk/KIOSK-02/command", kiosk));
    assertNotNull(DeviceTopic.subscriptionProblem("atrium/demo-mall/kiosk/+/command", kiosk));
    assertNotNull(DeviceTopic.subscriptionProblem("atrium/demo-mall/kiosk/KIOSK-01/telemetry", kiosk));
    assertNotNull(DeviceTopic.subscriptionProblem("atrium/#", kiosk));
  }

  @Test
  void aGatewayMayUsePlusWithinItsSite() {
    assertNull(DeviceTopic.subscriptionProblem("atrium/demo-mall/+/+/command", gateway));
    assertNull(DeviceTopic.subscriptionProblem("atrium/demo-mall/shelf-label/+/command", gateway));
    assertNotNull(DeviceTopic.subscriptionProblem("atrium/+/kiosk/KIOSK-01/command", gateway));
    assertNotNull(DeviceTopic.subscriptionProblem("atrium/other-mall/+/+/command", gateway));
    assertNotNull(DeviceTopic.subscriptionProblem("atrium/demo-mall/kiosk/KIOSK+/command", gateway));
  }

  @Test
  void plusMatchesOneWholeLevel() {
    assertTrue(DeviceTopic.matches("atrium/demo-mall/+/+/command", "atrium/demo-mall/kiosk/KIOSK-01/command"));
    assertFalse(DeviceTopic.matches("atrium/demo-mall/shelf-label/+/command", "atrium/demo-mall/kiosk/KIOSK-01/command"));
  }
}
