package atrium.api.mqtt;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.flow.FlowControlHandler;

/**
 * The MQTT pipeline: Netty's decoder (bounded by {@code max-message-bytes}) and encoder, a
 * flow-control handler so the session asks for one packet at a time (auto-read is off), and the
 * session. The session adds the keep-alive watch after CONNECT, before the flow control.
 */
final class MqttServerInitializer extends ChannelInitializer<Channel> {
  static final String FLOW_CONTROL = "one-packet-at-a-time";
  /** Longest client id accepted (MQTT 3.1.1 servers must take at least 23 characters). */
  private static final int MAX_CLIENT_ID_LENGTH = 128;

  private final MqttDoor door;

  MqttServerInitializer(MqttDoor door) {
    this.door = door;
  }

  @Override
  protected void initChannel(Channel ch) {
    ch.config().setAutoRead(false);
    ch.pipeline()
        .addLast("mqtt-decoder", new MqttDecoder(door.settings().maxMessageBytes(), MAX_CLIENT_ID_LENGTH))
        .addLast("mqtt-encoder", MqttEncoder.INSTANCE)
        .addLast(FLOW_CONTROL, new FlowControlHandler())
        .addLast("session", new MqttSessionHandler(door));
  }
}
