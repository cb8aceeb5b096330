package atrium.api.stream;

import atrium.api.http.ApiException;
import atrium.api.http.HttpApi;
import atrium.api.http.Problem;
import atrium.api.security.Access;
import atrium.api.security.Principal;
import atrium.core.runtime.SiteDirectory;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the WebSocket upgrades of {@code GET /api/v1/stream} off the HTTP pipeline, before the
 * dispatcher; everything else goes on to it. The caller is authenticated first — a bearer token in
 * {@code Authorization}, or, for browsers (whose WebSocket API cannot set headers), in the
 * {@code access_token} query parameter — and rate limited like any call; a refusal is a problem+json
 * response and the connection stays HTTP. Otherwise the handshake is Netty's, the HTTP handlers after
 * the codec give way to a {@link StreamSession}, and the channel reads by itself from then on (the
 * dispatcher's one-request-at-a-time reading ends with HTTP).
 */
final class StreamUpgradeHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(StreamUpgradeHandler.class);
  static final String PATH = "/api/v1/stream";
  static final String TOKEN_PARAMETER = "access_token";

  private final StreamHub hub;
  private final SiteDirectory sites;
  private final HttpApi api;
  private final StreamSettings settings;

  StreamUpgradeHandler(StreamHub hub, SiteDirectory sites, HttpApi api, StreamSettings settings) {
    this.hub = hub;
    this.sites = sites;
    this.api = api;
    this.settings = settings;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request) || !isStreamUpgrade(request)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      upgrade(ctx, request);
    } finally {
      request.release();
    }
  }

  private static boolean isStreamUpgrade(FullHttpRequest request) {
    if (!request.decoderResult().isSuccess() || !request.method().equals(HttpMethod.GET)) return false;
    if (!request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) return false;
    try {
      return new QueryStringDecoder(request.uri()).path().equals(PATH);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request) {
    Principal principal;
    try {
      principal = api.authenticator().authenticate(Access.VIEW, credentials(request));
      if (!principal.may(Access.VIEW)) {
        throw new ApiException(Problem.forbidden("these credentials may not read the live stream"));
      }
      OptionalLong wait = api.rateLimit().acquire("person:" + principal.subject());
      if (wait.isPresent()) {
        throw new ApiException(Problem.of(HttpResponseStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests",
            "'" + principal.subject() + "' is sending requests faster than its rate limit; retry after "
                + wait.getAsLong() + " s"), Map.of("Retry-After", Long.toString(wait.getAsLong())));
      }
    } catch (ApiException e) {
      refuse(ctx, request, e.problem(), e.headers(), false);
      return;
    }
    WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
        .maxFramePayloadLength(settings.maxFrameSize())
        .allowExtensions(false)
        .closeOnProtocolViolation(true)
        .withUTF8Validator(true)
        .build();
    WebSocketServerHandshaker handshaker =
        new WebSocketServerHandshakerFactory(webSocketUrl(request), null, decoder).newHandshaker(request);
    if (handshaker == null) {
      refuse(ctx, request, Problem.of(HttpResponseStatus.UPGRADE_REQUIRED, "unsupported-websocket-version",
          "Unsupported WebSocket version", "the stream speaks WebSocket version 13 (RFC 6455)"),
          Map.of("Sec-WebSocket-Version", "13"), false);
      return;
    }
    becomeWebSocket(ctx, new StreamSession(hub, sites, principal, settings, hub.metrics()));
    try {
      handshaker.handshake(ctx.channel(), request).addListener((ChannelFutureListener) f -> {
        if (f.isSuccess()) f.channel().config().setAutoRead(true);
        else f.channel().close();
      });
    } catch (WebSocketHandshakeException e) {
      // The HTTP handlers are gone: answer with the codec that is still there, then close.
      refuse(ctx, request, Problem.of(HttpResponseStatus.BAD_REQUEST, "invalid-upgrade", "Invalid WebSocket upgrade",
          e.getMessage()), Map.of(), true);
    }
  }

  /** The request's headers, with an {@code access_token} parameter as a bearer token when no Authorization is sent. */
  private static HttpHeaders credentials(FullHttpRequest request) {
    HttpHeaders headers = request.headers();
    if (headers.contains(HttpHeaderNames.AUTHORIZATION)) return headers;
    List<String> token = new QueryStringDecoder(request.uri()).parameters().get(TOKEN_PARAMETER);
    if (token == null || token.isEmpty()) return headers;
    return headers.copy().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token.get(0));
  }

  /**
   * Replaces the HTTP handlers after the codec (keep-alive, the dispatcher and its flow control) with
   * the WebSocket message handling; the handshake itself swaps the codec for the frame codec and removes
   * the aggregator and the compressor.
   */
  private void becomeWebSocket(ChannelHandlerContext ctx, StreamSession session) {
    ChannelPipeline p = ctx.pipeline();
    if (p.get(HttpServerKeepAliveHandler.class) != null) p.remove(HttpServerKeepAliveHandler.class);
    List<String> after = new ArrayList<>();
    boolean seen = false;
    for (String name : p.names()) {
      if (seen && p.get(name) != null) after.add(name);
      if (p.context(name) == ctx) seen = true;
    }
    after.forEach(p::remove);
    p.addAfter(ctx.name(), "ws-aggregator", new WebSocketFrameAggregator(settings.maxFrameSize()));
    p.addAfter("ws-aggregator", "stream", session);
    p.remove(this);
  }

  private static void refuse(ChannelHandlerContext ctx, FullHttpRequest request, Problem problem, Map<String, String> headers,
      boolean close) {
    FullHttpResponse r = problem.toResponse(request.protocolVersion(), PATH);
    headers.forEach(r.headers()::set);
    boolean keepAlive = !close && HttpUtil.isKeepAlive(request);
    HttpUtil.setKeepAlive(r, keepAlive);
    var written = ctx.writeAndFlush(r);
    if (!keepAlive) written.addListener(ChannelFutureListener.CLOSE);
    if (problem.isInternal()) log.error("refused a stream upgrade: {}", problem.detail());
  }

  private static String webSocketUrl(FullHttpRequest request) {
    String host = request.headers().get(HttpHeaderNames.HOST, "localhost");
    return "ws://" + host + PATH;
  }
}
