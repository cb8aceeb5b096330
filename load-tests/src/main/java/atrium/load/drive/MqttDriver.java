package atrium.load.drive;

import atrium.core.protocol.DeviceProtocol;
import atrium.core.protocol.Envelope;
import atrium.sim.link.MqttDeviceLink;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
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
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Device telemetry over MQTT 3.1.1 (Netty's MQTT codec): {@code connections} connections signed in
 * with one site gateway's device credentials (each its own client id), publishes spread over them in
 * turn on each envelope's own topic. QoS 1: a publish ends at its PUBACK, which Atrium sends once the
 * twin has persisted the message — the latency is the persist's. QoS 0: it ends when written to the
 * socket (there is no answer to wait for), so only the rate and the server's side tell how it went.
 * A connection the broker closes fails what it had in flight as {@code mqtt-closed} and takes no more.
 */
public final class MqttDriver implements AutoCloseable {
  private static final int MAX_PACKET = 256 * 1024 + 1024;

  private final EventLoopGroup group;
  private final List<Conn> conns = new ArrayList<>();
  private final AtomicInteger next = new AtomicInteger();
  private final MqttQoS qos;

  public MqttDriver(InetSocketAddress broker, String username, String password, int connections, int qos, int ioThreads) {
    if (qos != 0 && qos != 1) throw new IllegalArgumentException("MQTT QoS must be 0 or 1 (Atrium refuses QoS 2), found " + qos);
    if (connections < 1) throw new IllegalArgumentException("at least one MQTT connection is needed");
    this.qos = qos == 0 ? MqttQoS.AT_MOST_ONCE : MqttQoS.AT_LEAST_ONCE;
    this.group = new NioEventLoopGroup(ioThreads, new DefaultThreadFactory("load-mqtt", true));
    String base = "load-" + Long.toString(System.nanoTime() & 0xffffffL, 36) + "-";
    try {
      for (int i = 0; i < connections; i++) conns.add(new Conn(broker, base + i, username, password));
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Publishes the envelope on the next connection; completes as the class comment says. */
  public CompletionStage<Outcome> publish(Envelope e) {
    for (int tries = 0; tries < conns.size(); tries++) {
      Conn c = conns.get(Math.floorMod(next.getAndIncrement(), conns.size()));
      if (c.channel.isActive()) return c.publish(MqttDeviceLink.topic(e), DeviceProtocol.write(e));
    }
    return CompletableFuture.completedFuture(Outcome.error("mqtt-closed"));
  }

  public long openConnections() {
    return conns.stream().filter(c -> c.channel.isActive()).count();
  }

  @Override
  public void close() {
    for (Conn c : conns) c.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3000);
  }

  private final class Conn {
    final Channel channel;
    final Map<Integer, CompletableFuture<Outcome>> unacked = new ConcurrentHashMap<>();
    final CompletableFuture<Void> connected = new CompletableFuture<>();
    int nextId = 1;

    Conn(InetSocketAddress broker, String clientId, String username, String password) {
      try {
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
            .handler(new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new FlushConsolidationHandler(256, true), new MqttDecoder(MAX_PACKET), MqttEncoder.INSTANCE,
                    new Handler());
              }
            }).connect(broker).sync().channel();
        channel.writeAndFlush(MqttMessageBuilders.connect().clientId(clientId).username(username)
            .password(password.getBytes(StandardCharsets.UTF_8)).cleanSession(true).keepAlive(60)
            .protocolVersion(MqttVersion.MQTT_3_1_1).build());
        connected.get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        Throwable root = e;
        while (root.getCause() != null) root = root.getCause();
        throw new IllegalStateException("cannot connect to the MQTT broker at " + broker + ": " + root.getMessage(), e);
      }
    }

    CompletionStage<Outcome> publish(String topic, byte[] payload) {
      if (qos == MqttQoS.AT_MOST_ONCE) {
        CompletableFuture<Outcome> written = new CompletableFuture<>();
        channel.writeAndFlush(MqttMessageBuilders.publish().topicName(topic).qos(qos).retained(false)
            .payload(Unpooled.wrappedBuffer(payload)).build()).addListener(f -> written.complete(
                f.isSuccess() ? Outcome.OK : Outcome.error("mqtt-closed")));
        return written;
      }
      CompletableFuture<Outcome> ack = new CompletableFuture<>();
      int id;
      synchronized (this) {
        id = nextId;
        nextId = nextId == 65_535 ? 1 : nextId + 1;
        if (unacked.putIfAbsent(id, ack) != null) return CompletableFuture.completedFuture(Outcome.error("mqtt-packet-ids-exhausted"));
      }
      channel.writeAndFlush(MqttMessageBuilders.publish().topicName(topic).qos(qos).messageId(id).retained(false)
          .payload(Unpooled.wrappedBuffer(payload)).build()).addListener(f -> {
            if (!f.isSuccess() && unacked.remove(id, ack)) ack.complete(Outcome.error("mqtt-closed"));
          });
      return ack;
    }

    void close() {
      if (channel.isActive()) {
        channel.writeAndFlush(new MqttMessage(new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0)))
            .awaitUninterruptibly(2, TimeUnit.SECONDS);
      }
      channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }

    private final class Handler extends SimpleChannelInboundHandler<MqttMessage> {
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
        } else if (type == MqttMessageType.PUBACK) {
          CompletableFuture<Outcome> ack = unacked.remove(((MqttPubAckMessage) msg).variableHeader().messageId());
          if (ack != null) ack.complete(Outcome.OK);
        }
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) {
        connected.completeExceptionally(new IllegalStateException("the broker closed the connection"));
        unacked.values().forEach(f -> f.complete(Outcome.error("mqtt-closed")));
        unacked.clear();
      }
    }
  }
}
