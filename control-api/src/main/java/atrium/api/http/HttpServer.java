package atrium.api.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP door: binds Netty on {@link HttpSettings#host()}:{@link HttpSettings#port()} and serves the REST API. */
public final class HttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
  /** How long {@link #close()} lets the event loops finish what they are doing. */
  private static final long SHUTDOWN_TIMEOUT_SECONDS = 1;

  private final HttpSettings settings;
  private final HttpServerInitializer initializer;
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private Channel channel;

  public HttpServer(HttpSettings settings, HttpApi api) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.initializer = new HttpServerInitializer(settings, Objects.requireNonNull(api, "api"));
  }

  /**
   * Binds and returns once the server accepts connections.
   *
   * @throws IllegalStateException if already started, or the address cannot be bound
   */
  public synchronized HttpServer start() {
    if (boss != null) throw new IllegalStateException("the HTTP server is already started");
    boss = new NioEventLoopGroup(1, new DefaultThreadFactory("atrium-http-accept"));
    workers = new NioEventLoopGroup(0, new DefaultThreadFactory("atrium-http"));
    ChannelFuture bound = new ServerBootstrap()
        .group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(initializer)
        .bind(settings.host(), settings.port())
        .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      shutDownEventLoops();
      throw new IllegalStateException("cannot bind HTTP to " + settings.host() + ":" + settings.port(), bound.cause());
    }
    channel = bound.channel();
    log.info("HTTP API listening on {}", channel.localAddress());
    return this;
  }

  /** The bound address; with port 0 in the settings, the ephemeral port chosen. */
  public synchronized InetSocketAddress address() {
    if (channel == null) throw new IllegalStateException("the HTTP server is not started");
    return (InetSocketAddress) channel.localAddress();
  }

  public int port() {
    return address().getPort();
  }

  /** Calls towards the twin outstanding right now, over all connections. */
  public int inFlight() {
    return initializer.inFlight();
  }

  /** Stops accepting, then shuts the event loops down (at most about a second). Idempotent. */
  @Override
  public synchronized void close() {
    if (channel != null) {
      Object address = channel.localAddress();
      channel.close().awaitUninterruptibly();
      channel = null;
      log.info("HTTP API on {} closed", address);
    }
    shutDownEventLoops();
  }

  private void shutDownEventLoops() {
    if (boss == null) return;
    var b = boss.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    var w = workers.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    b.awaitUninterruptibly();
    w.awaitUninterruptibly();
    boss = null;
    workers = null;
  }
}
