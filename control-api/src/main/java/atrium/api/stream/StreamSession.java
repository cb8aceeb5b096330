package atrium.api.stream;

import atrium.api.security.Principal;
import atrium.core.runtime.SiteDirectory;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's WebSocket once upgraded: reads its subscribe and unsubscribe messages, and writes what it
 * is owed as fast as the connection takes it and no faster.
 *
 * <p>Everything owed waits in one map in the order it was first owed: control messages (subscribed,
 * errors) under a key of their own, deltas under their asset, so a newer delta of an asset replaces the
 * older one in place (conflation, counted). The hubs put deltas in from their own threads and never
 * wait; the map is written out on the channel's event loop only while the channel is writable, and
 * {@link #channelWritabilityChanged} resumes it. A client owed more assets than
 * {@link StreamSettings#maxPendingAssets()}, or whose connection stays unwritable longer than
 * {@link StreamSettings#maxStall()}, is told ({@code dropped}) and closed with 1013 (try again later).
 *
 * <p>The map and the subscriptions are guarded by this object's lock (held briefly, never while
 * writing to the channel).
 */
final class StreamSession extends ChannelInboundHandlerAdapter implements SiteHubs.Member {
  private static final Logger log = LoggerFactory.getLogger(StreamSession.class);
  /** Frames written per turn on the event loop before letting other channels have it. */
  private static final int WRITE_BATCH = 512;

  private final SiteHubs hubs;
  private final SiteDirectory sites;
  private final Principal principal;
  private final StreamSettings settings;
  private final StreamMetrics metrics;
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private ChannelHandlerContext ctx;

  // guarded by this
  private final LinkedHashMap<Object, Object> pending = new LinkedHashMap<>();
  private final Map<String, Subscription> subscriptions = new HashMap<>();
  private long joinSeq;
  private boolean finished;
  private boolean overflowed;

  // event loop only
  private long stallEpisode;

  /** A site subscribed: its filter, and whether its hub has taken the join yet. */
  private static final class Subscription {
    final long joinId;
    Filter filter;
    boolean joined;

    Subscription(long joinId, Filter filter) {
      this.joinId = joinId;
      this.filter = filter;
    }
  }

  StreamSession(SiteHubs hubs, SiteDirectory sites, Principal principal, StreamSettings settings, StreamMetrics metrics) {
    this.hubs = hubs;
    this.sites = sites;
    this.principal = principal;
    this.settings = settings;
    this.metrics = metrics;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    metrics.sessions.incrementAndGet();
    if (!ctx.channel().isWritable()) channelBecameUnwritable();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    finish();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    finish();
  }

  // --- from the client

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof TextWebSocketFrame text) {
        onText(text.text());
      } else if (msg instanceof PingWebSocketFrame ping) {
        ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      } else if (msg instanceof CloseWebSocketFrame close) {
        finish();
        ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE)).addListener(ChannelFutureListener.CLOSE);
      } else if (msg instanceof BinaryWebSocketFrame) {
        closeWith(WebSocketCloseStatus.INVALID_MESSAGE_TYPE, "binary messages are not accepted; send JSON text");
      } else if (!(msg instanceof PongWebSocketFrame)) {
        log.debug("ignoring {} on the stream", msg.getClass().getSimpleName());
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onText(String text) {
    StreamProtocol.ClientMessage message;
    try {
      message = StreamProtocol.parse(text, sites, principal);
    } catch (StreamProtocol.Refused r) {
      send(StreamProtocol.error(r.code, r.field, r.getMessage()));
      return;
    }
    if (message instanceof StreamProtocol.Subscribe s) subscribe(s.site(), s.filter());
    else if (message instanceof StreamProtocol.Unsubscribe u) unsubscribe(u.site());
  }

  private void subscribe(String site, Filter filter) {
    long joinId = 0;
    synchronized (this) {
      if (finished) return;
      Subscription existing = subscriptions.get(site);
      if (existing == null) {
        joinId = ++joinSeq;
        subscriptions.put(site, new Subscription(joinId, filter));
      } else {
        existing.filter = filter;
        // What is still owed under the old filter and not under the new one is no longer owed.
        pending.values().removeIf(v -> v instanceof StreamDelta d && d.asset().site().equals(site) && !filter.matches(d));
        if (existing.joined) owe(new Object(), StreamProtocol.subscribed(site, filter));
      }
    }
    if (joinId != 0) hubs.join(site, this, joinId);
    scheduleDrain();
  }

  private void unsubscribe(String site) {
    boolean left;
    synchronized (this) {
      if (finished) return;
      left = subscriptions.remove(site) != null;
      if (left) {
        pending.values().removeIf(v -> v instanceof StreamDelta d && d.asset().site().equals(site));
        owe(new Object(), StreamProtocol.unsubscribed(site));
      } else {
        owe(new Object(), StreamProtocol.error("not-subscribed", "$.site", "not subscribed to site '" + site + "'"));
      }
    }
    if (left) hubs.leave(site, this);
    scheduleDrain();
  }

  // --- from the hubs (any thread)

  @Override
  public void joined(String site, long joinId) {
    synchronized (this) {
      Subscription s = subscriptions.get(site);
      if (finished || s == null || s.joinId != joinId || s.joined) return;
      s.joined = true;
      owe(new Object(), StreamProtocol.subscribed(site, s.filter));
    }
    scheduleDrain();
  }

  @Override
  public void offer(StreamDelta delta) {
    synchronized (this) {
      Subscription s = subscriptions.get(delta.asset().site());
      if (finished || s == null || !s.joined || !s.filter.matches(delta)) return;
      if (owe(delta.asset(), delta)) metrics.conflated.increment();
    }
    scheduleDrain();
  }

  /** Sends a control message after whatever is already owed. */
  private void send(String json) {
    synchronized (this) {
      if (finished) return;
      owe(new Object(), json);
    }
    scheduleDrain();
  }

  /**
   * Puts a message in the map, under the lock; true if it replaced one (conflation). Past the bound the
   * map is emptied at once (the memory is the point) and the client is dropped on its event loop.
   */
  private boolean owe(Object key, Object message) {
    if (overflowed) return false;
    boolean replaced = pending.put(key, message) != null;
    if (!replaced && pending.size() > settings.maxPendingAssets()) {
      overflowed = true;
      pending.clear();
      // Later, never here: the lock is held and this may be a hub's thread.
      later(() -> drop("too-slow", "more than " + settings.maxPendingAssets()
          + " assets' deltas were waiting for this client; reconnect and subscribe again"));
    }
    return replaced;
  }

  // --- to the client (event loop)

  private void scheduleDrain() {
    if (drainScheduled.compareAndSet(false, true)) onLoop(this::drain);
  }

  private void drain() {
    drainScheduled.set(false);
    int written = 0;
    while (written < WRITE_BATCH && ctx.channel().isWritable()) {
      Object next;
      synchronized (this) {
        if (finished || pending.isEmpty()) break;
        Iterator<Object> it = pending.values().iterator();
        next = it.next();
        it.remove();
      }
      String json = next instanceof StreamDelta d ? d.json() : (String) next;
      ctx.write(new TextWebSocketFrame(json));
      written++;
    }
    if (written > 0) ctx.flush();
    if (written == WRITE_BATCH) scheduleDrain();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    stallEpisode++;
    if (ctx.channel().isWritable()) drain();
    else channelBecameUnwritable();
    ctx.fireChannelWritabilityChanged();
  }

  private void channelBecameUnwritable() {
    long episode = stallEpisode;
    ctx.executor().schedule(() -> {
      if (episode == stallEpisode && !ctx.channel().isWritable() && ctx.channel().isActive()) {
        drop("stalled", "this client took nothing for " + settings.maxStall().toMillis()
            + " ms; reconnect and subscribe again");
      }
    }, settings.maxStall().toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Tells the client why, closes with 1013, and lets go of everything it was owed. */
  private void drop(String reason, String detail) {
    if (!finishOnce()) return;
    metrics.dropped.increment();
    log.info("dropping stream client {} ({}): {}", principal.subject(), ctx.channel().remoteAddress(), reason);
    ctx.write(new TextWebSocketFrame(StreamProtocol.dropped(reason, detail)));
    closeWith(WebSocketCloseStatus.TRY_AGAIN_LATER, "dropped: " + reason);
  }

  /** Sends a close frame, then closes the connection once it is written or, at the latest, after max-stall. */
  private void closeWith(WebSocketCloseStatus status, String reason) {
    finishOnce();
    ctx.writeAndFlush(new CloseWebSocketFrame(status, reason)).addListener(ChannelFutureListener.CLOSE);
    ctx.executor().schedule(() -> ctx.close(), settings.maxStall().toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof CorruptedWebSocketFrameException) {
      // The frame decoder has already sent its close frame (1002, 1007 or 1009) with the reason.
      log.debug("stream client {} broke the protocol: {}", ctx.channel().remoteAddress(), cause.getMessage());
      finish();
    } else if (cause instanceof TooLongFrameException) {
      closeWith(WebSocketCloseStatus.MESSAGE_TOO_BIG, "message larger than " + settings.maxFrameSize() + " bytes");
    } else if (cause instanceof IOException) {
      log.debug("stream connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
      ctx.close();
    } else {
      log.warn("stream connection {} failed", ctx.channel().remoteAddress(), cause);
      ctx.close();
    }
  }

  // --- the end

  /** Stops taking deltas and leaves every hub; false if already done. */
  private boolean finishOnce() {
    List<String> left;
    synchronized (this) {
      if (finished) return false;
      finished = true;
      pending.clear();
      left = new ArrayList<>(subscriptions.keySet());
      subscriptions.clear();
    }
    for (String site : left) hubs.leave(site, this);
    metrics.sessions.decrementAndGet();
    return true;
  }

  private void finish() {
    finishOnce();
  }

  private void onLoop(Runnable task) {
    if (ctx.executor().inEventLoop()) task.run();
    else later(task);
  }

  private void later(Runnable task) {
    try {
      ctx.executor().execute(task);
    } catch (RejectedExecutionException e) {
      log.debug("stream event loop stopped");
    }
  }
}
