package atrium.load.ingest;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * An MQTT 3.1.1 client (Netty's codec) subscribed to {@code #} at QoS 0 that counts the publishes a
 * broker relays to it: the receiving end of the Mosquitto measurement. It reads as fast as it can
 * and does nothing else with a message.
 */
public final class CountingSubscriber implements AutoCloseable {
  private final EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("ingest-subscriber", true));
  private final Counter counter = new Counter();
  private final Channel channel;

  public CountingSubscriber(InetSocketAddress broker, String topicFilter) {
    CompletableFuture<Void> subscribed = counter.subscribed;
    try {
      channel = new Bootstrap().group(group).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
          .option(ChannelOption.SO_RCVBUF, 1 << 20)
          .handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              ch.pipeline().addLast(new MqttDecoder(1 << 20), MqttEncoder.INSTANCE, counter);
            }
          }).connect(broker).sync().channel();
      channel.writeAndFlush(MqttMessageBuilders.connect().clientId("ingest-counter-" + Long.toString(System.nanoTime() & 0xffffffL, 36))
          .cleanSession(true).keepAlive(0).protocolVersion(MqttVersion.MQTT_3_1_1).build());
      counter.connected.get(30, TimeUnit.SECONDS);
      channel.writeAndFlush(MqttMessageBuilders.subscribe().messageId(1).addSubscription(MqttQoS.AT_MOST_ONCE, topicFilter).build());
      subscribed.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new IllegalStateException("cannot subscribe to " + topicFilter + " at " + broker + ": " + e.getMessage(), e);
    }
  }

  /** Publishes received so far. */
  public long received() {
    return counter.received.sum();
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3000);
  }

  /** The handler: completes the CONNACK and SUBACK futures, counts every PUBLISH. */
  static final class Counter extends SimpleChannelInboundHandler<MqttMessage> {
    final LongAdder received = new LongAdder();
    final CompletableFuture<Void> connected = new CompletableFuture<>();
    final CompletableFuture<Void> subscribed = new CompletableFuture<>();

    @Override
    public boolean isSharable() {
      return true;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
      if (msg.decoderResult().isFailure()) {
        ctx.close();
        return;
      }
      MqttMessageType type = msg.fixedHeader().messageType();
      if (type == MqttMessageType.PUBLISH) {
        received.increment();
      } else if (type == MqttMessageType.CONNACK) {
        MqttConnectReturnCode code = ((MqttConnAckMessage) msg).variableHeader().connectReturnCode();
        if (code == MqttConnectReturnCode.CONNECTION_ACCEPTED) connected.complete(null);
        else connected.completeExceptionally(new IllegalStateException("the broker refused the connection: " + code));
      } else if (type == MqttMessageType.SUBACK) {
        int granted = ((MqttSubAckMessage) msg).payload().grantedQoSLevels().get(0);
        if (granted <= 2) subscribed.complete(null);
        else subscribed.completeExceptionally(new IllegalStateException("the broker refused the subscription (" + granted + ")"));
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      connected.completeExceptionally(new IllegalStateException("the broker closed the connection"));
      subscribed.completeExceptionally(new IllegalStateException("the broker closed the connection"));
    }
  }
}
