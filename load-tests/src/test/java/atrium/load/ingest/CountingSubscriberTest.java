package atrium.load.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CountingSubscriberTest {
  static MqttPublishMessage publish(int i) {
    return MqttMessageBuilders.publish().topicName("atrium/demo-mall/hvac-zone/AHU-L1-01/telemetry").qos(MqttQoS.AT_MOST_ONCE)
        .retained(false).payload(Unpooled.copiedBuffer("{\"n\":" + i + "}", StandardCharsets.UTF_8)).build();
  }

  @Test
  void countsEveryPublishItReceivesAndReleasesItsBuffer() {
    CountingSubscriber.Counter counter = new CountingSubscriber.Counter();
    EmbeddedChannel ch = new EmbeddedChannel(counter);
    ch.writeInbound(MqttMessageBuilders.connAck().returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED).build());
    assertTrue(counter.connected.isDone() && !counter.connected.isCompletedExceptionally());
    MqttPublishMessage last = null;
    for (int i = 0; i < 250; i++) ch.writeInbound(last = publish(i));
    assertEquals(250, counter.received.sum());
    assertEquals(0, last.refCnt(), "the handler releases what it counted");
    ch.finishAndReleaseAll();
  }

  @Test
  void aRefusedConnectionFailsTheConnectInsteadOfCountingNothingSilently() {
    CountingSubscriber.Counter counter = new CountingSubscriber.Counter();
    EmbeddedChannel ch = new EmbeddedChannel(counter);
    ch.writeInbound(MqttMessageBuilders.connAck().returnCode(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED).build());
    assertTrue(counter.connected.isCompletedExceptionally());
    assertFalse(counter.subscribed.isDone());
    ch.close();
    assertTrue(counter.subscribed.isCompletedExceptionally(), "a closed connection fails the subscription");
  }
}
