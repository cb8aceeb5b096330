package atrium.api.mqtt;

import atrium.api.device.DeviceCredentials;
import atrium.api.http.InFlightLimit;
import atrium.core.live.DeviceCommands;
import atrium.core.runtime.AtriumRuntime;
import atrium.devices.TwinGateway;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT device door: binds Netty on {@link MqttSettings#host()}:{@link MqttSettings#port()} and
 * serves device connections (see {@code docs/mqtt.md}). Device publishes go to the twin through
 * {@link TwinGateway}; the twin's commands for the node's sites come from {@link DeviceCommands}.
 */
public final class MqttServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MqttServer.class);
  private static final long SHUTDOWN_TIMEOUT_SECONDS = 1;
  /** Password checks (PBKDF2) waiting for a thread beyond which a CONNECT is refused as "server busy". */
  private static final int PASSWORD_CHECK_QUEUE = 256;

  private final MqttSettings settings;
  private final TwinGateway gateway;
  private final DeviceCredentials credentials;
  private final InFlightLimit inFlight;
  private final DevicePresence presence;
  private final ActorSystem<?> system;
  private final DeviceCommands commands;
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private ThreadPoolExecutor passwordChecks;
  private CommandDelivery delivery;
  private ChannelGroup connections;
  private Channel channel;

  public MqttServer(MqttSettings settings, TwinGateway gateway, DeviceCredentials credentials, InFlightLimit inFlight,
      DevicePresence presence, ActorSystem<?> system, DeviceCommands commands) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.gateway = Objects.requireNonNull(gateway, "gateway");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.inFlight = Objects.requireNonNull(inFlight, "inFlight");
    this.presence = Objects.requireNonNull(presence, "presence");
    this.system = Objects.requireNonNull(system, "system");
    this.commands = Objects.requireNonNull(commands, "commands");
  }

  /**
   * The door of a node: settings from {@code atrium.mqtt}, credentials from
   * {@code atrium.devices.credentials-file}, commands from the runtime's services, a new presence registry.
   */
  public static MqttServer create(AtriumRuntime runtime, TwinGateway gateway, InFlightLimit inFlight) {
    var config = runtime.system().settings().config();
    return new MqttServer(MqttSettings.create(config), gateway, DeviceCredentials.fromConfig(config), inFlight,
        new DevicePresence(), runtime.system(), runtime.services().commands());
  }

  /**
   * Binds and returns once the server accepts connections.
   *
   * @throws IllegalStateException if already started, or the address cannot be bound
   */
  public synchronized MqttServer start() {
    if (boss != null) throw new IllegalStateException("the MQTT server is already started");
    passwordChecks = new ThreadPoolExecutor(1, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(PASSWORD_CHECK_QUEUE),
        new DefaultThreadFactory("atrium-mqtt-auth", true));
    delivery = new CommandDelivery(system, commands, gateway.sites());
    connections = new DefaultChannelGroup("mqtt-connections", GlobalEventExecutor.INSTANCE);
    MqttDoor door = new MqttDoor(settings, gateway, credentials, inFlight, presence, delivery, passwordChecks,
        new ConcurrentHashMap<>());
    MqttServerInitializer initializer = new MqttServerInitializer(door);
    boss = new NioEventLoopGroup(1, new DefaultThreadFactory("atrium-mqtt-accept"));
    workers = new NioEventLoopGroup(0, new DefaultThreadFactory("atrium-mqtt"));
    ChannelFuture bound = new ServerBootstrap()
        .group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new io.netty.channel.ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            connections.add(ch);
            ch.pipeline().addLast(initializer);
          }
        })
        .bind(settings.host(), settings.port())
        .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      shutDown();
      throw new IllegalStateException("cannot bind MQTT to " + settings.host() + ":" + settings.port(), bound.cause());
    }
    channel = bound.channel();
    log.info("MQTT device door listening on {} ({} device credential(s))", channel.localAddress(), credentials.size());
    if (credentials.size() == 0) {
      log.warn("MQTT: no device credentials ({} is empty): no device can connect", DeviceCredentials.CONFIG_KEY);
    }
    return this;
  }

  /** The bound address; with port 0 in the settings, the ephemeral port chosen. */
  public synchronized InetSocketAddress address() {
    if (channel == null) throw new IllegalStateException("the MQTT server is not started");
    return (InetSocketAddress) channel.localAddress();
  }

  public int port() {
    return address().getPort();
  }

  /** Connected devices and those gone offline since start. */
  public DevicePresence presence() {
    return presence;
  }

  /** Open connections right now (including those not yet past CONNECT). */
  public int connections() {
    ChannelGroup g = connections;
    return g == null ? 0 : g.size();
  }

  /** Stops accepting, closes the connections, shuts the event loops down. Idempotent. */
  @Override
  public synchronized void close() {
    if (channel != null) {
      Object address = channel.localAddress();
      channel.close().awaitUninterruptibly();
      channel = null;
      log.info("MQTT device door on {} closed", address);
    }
    shutDown();
  }

  private void shutDown() {
    if (connections != null) {
      connections.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      connections = null;
    }
    if (delivery != null) {
      delivery.close();
      delivery = null;
    }
    if (boss != null) {
      var b = boss.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      var w = workers.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      b.awaitUninterruptibly();
      w.awaitUninterruptibly();
      boss = null;
      workers = null;
    }
    if (passwordChecks != null) {
      passwordChecks.shutdownNow();
      passwordChecks = null;
    }
  }
}
