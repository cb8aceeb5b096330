package atrium.sim.link;

import atrium.core.protocol.DeviceProtocol;
import atrium.core.protocol.Envelope;
import atrium.core.protocol.ProtocolException;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
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
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The simulator's devices over MQTT, as a site gateway: one MQTT 3.1.1 connection (Netty's MQTT
 * codec) signed in with device credentials, each envelope published with QoS 1 on its own topic
 * ({@code atrium/{site}/{kind}/{id}/telemetry|event|ack}) and counted as sent when the broker's
 * PUBACK — which the twin gives after persisting it — arrives. Commands to the site's devices come
 * back on {@code atrium/{site}/+/+/command}. At most {@code window} publishes are unacknowledged;
 * beyond, {@link #send} waits, so a slow twin slows the simulator instead of filling memory.
 */
public final class MqttDeviceLink implements DeviceLink {
  private static final int MAX_PACKET = 256 * 1024 + 1024;

  private final EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("mqtt-device-link", true));
  private final Channel channel;
  private final Map<Integer, CompletableFuture<Void>> unacked = new ConcurrentHashMap<>();
  private final Semaphore window;
  private final Consumer<Envelope.Command> commands;
  private int nextPacketId = 1;

  /**
   * Connects and subscribes to the site's commands; returns once the broker has accepted both.
   *
   * @param commands receives each command for a device of the site (on the link's I/O thread: hand it on, don't block)
   */
  public MqttDeviceLink(InetSocketAddress broker, String clientId, String username, String password, String site, int window,
      Consumer<Envelope.Command> commands) {
    this.window = new Semaphore(window);
    this.commands = commands;
    CompletableFuture<Void> connected = new CompletableFuture<>();
    CompletableFuture<Void> subscribed = new CompletableFuture<>();
    try {
      channel = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<Channel>() {
        @Override
        protected void initChannel(Channel ch) {
          ch.pipeline().addLast(new MqttDecoder(MAX_PACKET), MqttEncoder.INSTANCE, new Handler(connected, subscribed));
        }
      }).connect(broker).sync().channel();
      channel.writeAndFlush(MqttMessageBuilders.connect().clientId(clientId).username(username)
          .password(password.getBytes(StandardCharsets.UTF_8)).cleanSession(true).keepAlive(60)
          .protocolVersion(MqttVersion.MQTT_3_1_1).build());
      connected.get(30, TimeUnit.SECONDS);
      channel.writeAndFlush(MqttMessageBuilders.subscribe().messageId(packetId())
          .addSubscription(MqttQoS.AT_LEAST_ONCE, "atrium/" + site + "/+/+/command").build());
      subscribed.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new IllegalStateException("cannot connect to the MQTT broker at " + broker + ": " + message(e), e);
    }
  }

  @Override
  public CompletionStage<Void> send(List<Envelope> envelopes) {
    List<CompletableFuture<Void>> acks = new ArrayList<>(envelopes.size());
    try {
      for (Envelope e : envelopes) {
        if (!window.tryAcquire(30, TimeUnit.SECONDS)) {
          return CompletableFuture.failedFuture(new IllegalStateException("no PUBACK from the broker for 30 s"));
        }
        CompletableFuture<Void> ack = new CompletableFuture<>();
        int id;
        synchronized (this) {
          id = packetId();
          unacked.put(id, ack);
        }
        ack.whenComplete((v, x) -> window.release());
        channel.writeAndFlush(MqttMessageBuilders.publish().topicName(topic(e)).qos(MqttQoS.AT_LEAST_ONCE).messageId(id)
            .retained(false).payload(Unpooled.wrappedBuffer(DeviceProtocol.write(e))).build());
        acks.add(ack);
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(ie);
    }
    return CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0]));
  }

  /** {@code atrium/{site}/{kind}/{id}/{telemetry|event|ack}}. */
  public static String topic(Envelope e) {
    String type = e instanceof Envelope.Telemetry ? "telemetry" : e instanceof Envelope.Event ? "event"
        : e instanceof Envelope.Ack ? "ack" : "command";
    return "atrium/" + e.asset().site() + "/" + e.asset().kind().wireName() + "/" + e.asset().localId() + "/" + type;
  }

  private int packetId() {
    int id = nextPacketId;
    nextPacketId = nextPacketId == 65_535 ? 1 : nextPacketId + 1;
    return id;
  }

  @Override
  public void close() {
    if (channel.isActive()) {
      channel.writeAndFlush(new MqttMessage(new io.netty.handler.codec.mqtt.MqttFixedHeader(MqttMessageType.DISCONNECT,
          false, MqttQoS.AT_MOST_ONCE, false, 0))).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
    channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(Duration.ofSeconds(3).toMillis());
    unacked.values().forEach(f -> f.completeExceptionally(new IllegalStateException("the MQTT link closed")));
  }

  private static String message(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) t = t.getCause();
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private final class Handler extends SimpleChannelInboundHandler<MqttMessage> {
    private final CompletableFuture<Void> connected;
    private final CompletableFuture<Void> subscribed;

    Handler(CompletableFuture<Void> connected, CompletableFuture<Void> subscribed) {
      this.connected = connected;
      this.subscribed = subscribed;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
      if (msg.decoderResult().isFailure()) {
        ctx.close();
        return;
      }
      MqttMessageType type = msg.fixedHeader().messageType();
      if (type == MqttMessageType.CONNACK) {
        MqttConnectReturnCode code = ((MqttConnAckMessage) msg).variableHeader().connectReturnCode();
        if (code == MqttConnectReturnCode.CONNECTION_ACCEPTED) connected.complete(null);
        else connected.completeExceptionally(new IllegalStateException("the broker refused the connection: " + code));
      } else if (type == MqttMessageType.SUBACK) {
        subscribed.complete(null);
      } else if (type == MqttMessageType.PUBACK) {
        CompletableFuture<Void> ack = unacked.remove(((MqttPubAckMessage) msg).variableHeader().messageId());
        if (ack != null) ack.complete(null);
      } else if (type == MqttMessageType.PUBLISH) {
        MqttPublishMessage p = (MqttPublishMessage) msg;
        if (p.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
          ctx.writeAndFlush(MqttMessageBuilders.pubAck().packetId(p.variableHeader().packetId()).build());
        }
        byte[] payload = new byte[p.payload().readableBytes()];
        p.payload().readBytes(payload);
        try {
          Envelope e = DeviceProtocol.parse(payload);
          if (e instanceof Envelope.Command c) commands.accept(c);
        } catch (ProtocolException ignored) {
          // not a command in the device protocol: nothing for a device to do
        }
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      IllegalStateException closed = new IllegalStateException("the broker closed the connection");
      connected.completeExceptionally(closed);
      subscribed.completeExceptionally(closed);
      unacked.values().forEach(f -> f.completeExceptionally(closed));
    }
  }
}
