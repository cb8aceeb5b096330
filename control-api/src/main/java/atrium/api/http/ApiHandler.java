package atrium.api.http;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.protocol.DeviceProtocol;
import atrium.core.protocol.Envelope;
import atrium.devices.TwinGateway;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the routes: reads one aggregated request at a time (reads are driven by this handler, so
 * responses leave in request order), hands work to the twin, and writes the response on the
 * channel's event loop when the twin's {@link CompletionStage} completes. Never blocks.
 */
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);

  private final HttpSettings settings;
  private final TwinGateway gateway;
  private final InFlightLimit inFlight;
  /** The request being answered; null while waiting for the next one. */
  private Exchange current;
  private boolean readOutstanding;
  private boolean readScheduled;

  ApiHandler(HttpSettings settings, TwinGateway gateway, InFlightLimit inFlight) {
    super(FullHttpRequest.class, true);
    this.settings = settings;
    this.gateway = gateway;
    this.inFlight = inFlight;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    scheduleRead(ctx);
    ctx.fireChannelActive();
  }

  /**
   * A read cycle has ended. Either it brought this handler a request, or it was cancelled upstream
   * without one (part of a request arrived); either way no read is outstanding any more.
   */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    readOutstanding = false;
    if (current == null) scheduleRead(ctx);
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (current != null) current.abandon();
    ctx.fireChannelInactive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    readOutstanding = false;
    Exchange ex = new Exchange(ctx, request);
    current = ex;
    try {
      dispatch(ex, request);
    } catch (RuntimeException e) {
      ex.fail(e);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      log.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    } else {
      log.warn("HTTP connection {} failed", ctx.channel().remoteAddress(), cause);
    }
    ctx.close();
  }

  /**
   * Asks for the next request once this one is answered: responses leave in request order and a
   * client that pipelines gets no more than one request served at a time. The read is a task, so
   * requests answered at once do not nest reads inside reads.
   */
  private void scheduleRead(ChannelHandlerContext ctx) {
    if (readScheduled) return;
    readScheduled = true;
    ctx.executor().execute(() -> {
      readScheduled = false;
      if (current == null && !readOutstanding && ctx.channel().isActive()) {
        readOutstanding = true;
        ctx.read();
      }
    });
  }

  private void dispatch(Exchange ex, FullHttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      ex.closeAfterResponse();
      ex.respond(malformed(request.decoderResult().cause()));
      return;
    }
    String path;
    try {
      path = new QueryStringDecoder(request.uri()).path();
    } catch (IllegalArgumentException e) {
      ex.respond(Problem.of(HttpResponseStatus.BAD_REQUEST, "malformed-request", "Malformed request",
          "the request path is not valid: " + e.getMessage()));
      return;
    }
    Optional<Route.Match> match = Route.match(path);
    if (match.isEmpty()) {
      ex.respond(Problem.of(HttpResponseStatus.NOT_FOUND, "not-found", "Not found", "no resource at " + ex.instance));
      return;
    }
    Route route = match.get().route();
    if (!route.allows(request.method())) {
      FullHttpResponse r = ex.problem(Problem.of(HttpResponseStatus.METHOD_NOT_ALLOWED, "method-not-allowed",
          "Method not allowed", request.method() + " is not allowed on " + ex.instance + "; allowed: " + route.allow()));
      r.headers().set(HttpHeaderNames.ALLOW, route.allow());
      ex.respond(r);
      return;
    }
    List<String> params = match.get().params();
    switch (route) {
      case HEALTH:
        ex.respond(Json.ok(ex.version, Map.of("status", "ok")));
        break;
      case SITES:
        ex.respond(Json.ok(ex.version, Map.of("sites", gateway.sites())));
        break;
      case SITE:
        site(ex, params.get(0));
        break;
      case ASSET_STATE:
        assetState(ex, params.get(0), params.get(1), params.get(2));
        break;
      case DEVICE_MESSAGES:
        postMessages(ex, request);
        break;
      default:
        throw new IllegalStateException("no handler for route " + route);
    }
  }

  private void site(Exchange ex, String site) {
    if (!AssetId.isValidName(site)) {
      ex.respond(Problem.of(HttpResponseStatus.BAD_REQUEST, "invalid-asset-id", "Invalid site id",
          "site '" + site + "' must match " + AssetId.NAME.pattern()));
      return;
    }
    if (!inFlight.tryAcquire(1)) {
      ex.respond(Problem.overloaded(inFlight.max()));
      return;
    }
    ex.startTimer(() -> ex.respond(Problem.timeout(settings.requestTimeout())));
    call(() -> gateway.site(site)).whenComplete((summary, failure) -> {
      inFlight.release(1);
      ex.onLoop(() -> {
        if (failure != null) {
          ex.fail(failure);
        } else if (summary.isPresent()) {
          ex.respond(Json.ok(ex.version, summary.get()));
        } else {
          ex.respond(Problem.of(HttpResponseStatus.NOT_FOUND, "unknown-site", "Unknown site", "no site '" + site + "' on this server"));
        }
      });
    });
  }

  private void assetState(Exchange ex, String site, String kindName, String localId) {
    Optional<AssetKind> kind = AssetKind.fromWireName(kindName);
    if (kind.isEmpty()) {
      ex.respond(Problem.of(HttpResponseStatus.NOT_FOUND, "unknown-kind", "Unknown asset kind",
          "unknown asset kind '" + kindName + "'; accepted kinds: " + AssetKind.wireNames()));
      return;
    }
    if (!AssetId.isValidName(site) || !AssetId.isValidName(localId)) {
      String which = AssetId.isValidName(site) ? "asset id '" + localId + "'" : "site '" + site + "'";
      ex.respond(Problem.of(HttpResponseStatus.BAD_REQUEST, "invalid-asset-id", "Invalid asset id",
          which + " must match " + AssetId.NAME.pattern()));
      return;
    }
    AssetId asset = AssetId.of(site, kind.get(), localId);
    if (!inFlight.tryAcquire(1)) {
      ex.respond(Problem.overloaded(inFlight.max()));
      return;
    }
    ex.startTimer(() -> ex.respond(Problem.timeout(settings.requestTimeout())));
    call(() -> gateway.state(asset)).whenComplete((state, failure) -> {
      inFlight.release(1);
      ex.onLoop(() -> {
        if (failure != null) {
          ex.fail(failure);
        } else if (state.isPresent()) {
          ex.respond(Json.ok(ex.version, state.get()));
        } else {
          ex.respond(Problem.of(HttpResponseStatus.NOT_FOUND, "unknown-asset", "Unknown asset", "no asset " + asset + " in the site model"));
        }
      });
    });
  }

  private void postMessages(Exchange ex, FullHttpRequest request) {
    CharSequence mime = HttpUtil.getMimeType(request);
    if (mime == null || !HttpHeaderValues.APPLICATION_JSON.contentEqualsIgnoreCase(mime)) {
      ex.respond(Problem.of(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type",
          "device messages must be sent as Content-Type: application/json"
              + (mime == null ? "; the request has no Content-Type" : ", not " + mime)));
      return;
    }
    ByteBuf content = request.content();
    if (content.readableBytes() > DeviceProtocol.MAX_MESSAGE_BYTES) {
      ex.respond(Problem.tooLarge(DeviceProtocol.MAX_MESSAGE_BYTES));
      return;
    }
    byte[] body = ByteBufUtil.getBytes(content);
    List<Envelope> envelopes = DeviceProtocol.parseBatch(body);
    if (envelopes.size() > inFlight.max()) {
      ex.respond(Problem.of(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "batch-too-large", "Batch too large",
          "a batch of " + envelopes.size() + " messages exceeds this server's in-flight limit of " + inFlight.max()
              + "; send smaller batches"));
      return;
    }
    if (!inFlight.tryAcquire(envelopes.size())) {
      ex.respond(Problem.overloaded(inFlight.max()));
      return;
    }
    if (isArray(body)) {
      ingestBatch(ex, envelopes);
    } else {
      ingestOne(ex, envelopes.get(0));
    }
  }

  private void ingestOne(Exchange ex, Envelope envelope) {
    ex.startTimer(() -> ex.respond(Problem.timeout(settings.requestTimeout())));
    call(() -> gateway.ingest(envelope)).whenComplete((ingested, failure) -> {
      inFlight.release(1);
      ex.onLoop(() -> {
        if (failure != null) {
          ex.fail(failure);
        } else {
          ex.respond(results(ex, List.of(MessageResult.ingested(envelope.id(), ingested))));
        }
      });
    });
  }

  /** Every envelope goes to the twin at once; the response waits for all, or for the timeout. */
  private void ingestBatch(Exchange ex, List<Envelope> envelopes) {
    MessageResult[] results = new MessageResult[envelopes.size()];
    int[] pending = {envelopes.size()};
    ex.startTimer(() -> {
      String detail = "no answer from the twin within " + Problem.describe(settings.requestTimeout())
          + "; the message may still be applied: send it again with the same id";
      for (int i = 0; i < results.length; i++) {
        if (results[i] == null) results[i] = MessageResult.timedOut(envelopes.get(i).id(), detail);
      }
      ex.respond(results(ex, Arrays.asList(results)));
    });
    for (int i = 0; i < envelopes.size(); i++) {
      int index = i;
      Envelope envelope = envelopes.get(i);
      call(() -> gateway.ingest(envelope)).whenComplete((ingested, failure) -> {
        inFlight.release(1);
        ex.onLoop(() -> {
          results[index] = failure == null
              ? MessageResult.ingested(envelope.id(), ingested)
              : MessageResult.failed(envelope.id(), logIfUnexpected(ex, failure), "$[" + index + "]");
          if (--pending[0] == 0) ex.respond(results(ex, Arrays.asList(results)));
        });
      });
    }
  }

  /** 200 when every message succeeded; 503 (retry) if any was unavailable; else 500 or 422. */
  private static FullHttpResponse results(Exchange ex, List<MessageResult> results) {
    HttpResponseStatus status = HttpResponseStatus.OK;
    if (results.stream().anyMatch(r -> r.outcome() == MessageResult.Outcome.UNAVAILABLE)) {
      status = HttpResponseStatus.SERVICE_UNAVAILABLE;
    } else if (results.stream().anyMatch(r -> r.outcome() == MessageResult.Outcome.ERROR)) {
      status = HttpResponseStatus.INTERNAL_SERVER_ERROR;
    } else if (!results.stream().allMatch(MessageResult::succeeded)) {
      status = HttpResponseStatus.UNPROCESSABLE_ENTITY;
    }
    FullHttpResponse r = Json.response(ex.version, status, new MessageResult.Results(new ArrayList<>(results)),
        HttpHeaderValues.APPLICATION_JSON);
    if (status == HttpResponseStatus.SERVICE_UNAVAILABLE) {
      r.headers().set(HttpHeaderNames.RETRY_AFTER, Problem.RETRY_AFTER_SECONDS);
    }
    return r;
  }

  private static Throwable logIfUnexpected(Exchange ex, Throwable failure) {
    if (Problem.of(failure).isInternal()) {
      log.error("unexpected failure of the twin answering {} {}", ex.method, ex.instance, Problem.unwrap(failure));
    }
    return failure;
  }

  private static Problem malformed(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return Problem.of(HttpResponseStatus.REQUEST_URI_TOO_LONG, "uri-too-long", "URI too long", "the request line is too long");
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return Problem.of(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers-too-large",
          "Request header fields too large", "the request headers are too large");
    }
    return Problem.of(HttpResponseStatus.BAD_REQUEST, "malformed-request", "Malformed request",
        "the request is not valid HTTP/1.1");
  }

  /** A gateway call that throws instead of failing its stage fails the stage all the same. */
  private static <T> CompletionStage<T> call(Supplier<CompletionStage<T>> call) {
    try {
      CompletionStage<T> stage = call.get();
      return stage != null ? stage : CompletableFuture.failedFuture(new NullPointerException("the gateway returned no stage"));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static boolean isArray(byte[] json) {
    for (byte b : json) {
      if (b == '[') return true;
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n' && b != (byte) 0xEF && b != (byte) 0xBB && b != (byte) 0xBF) return false;
    }
    return false;
  }

  /** The request target's path, undecoded, without the query string: a problem's {@code instance}. */
  static String pathOf(String uri) {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  /**
   * One request and its response. Touched only on the channel's event loop, so {@code done} needs
   * no synchronisation: whichever of the twin's answer and the timeout comes first is written.
   */
  private final class Exchange {
    final ChannelHandlerContext ctx;
    final HttpVersion version;
    final String method;
    final String instance;
    final boolean keepAlive;
    boolean closeAfter;
    boolean done;
    private ScheduledFuture<?> timer;

    Exchange(ChannelHandlerContext ctx, FullHttpRequest request) {
      this.ctx = ctx;
      this.version = request.protocolVersion();
      this.method = request.method().name();
      this.instance = pathOf(request.uri());
      this.keepAlive = HttpUtil.isKeepAlive(request);
    }

    void closeAfterResponse() {
      closeAfter = true;
    }

    FullHttpResponse problem(Problem p) {
      return p.toResponse(version, instance);
    }

    void respond(Problem p) {
      respond(problem(p));
    }

    void fail(Throwable failure) {
      Problem p = Problem.of(failure);
      if (p.isInternal()) log.error("unexpected failure answering {} {}", method, instance, Problem.unwrap(failure));
      respond(p);
    }

    /** Writes the response, then asks for the next request. */
    void respond(FullHttpResponse response) {
      if (done) {
        response.release();
        return;
      }
      done = true;
      if (timer != null) timer.cancel(false);
      if (current == this) current = null;
      HttpUtil.setKeepAlive(response, keepAlive && !closeAfter);
      ctx.writeAndFlush(response);
      scheduleRead(ctx);
    }

    void startTimer(Runnable onTimeout) {
      timer = ctx.executor().schedule(() -> {
        if (!done) onTimeout.run();
      }, settings.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Runs {@code task} on the channel's event loop unless this exchange has been answered (timed
     * out) or abandoned by then; after the server has shut down there is no one to answer.
     */
    void onLoop(Runnable task) {
      Runnable unlessDone = () -> {
        if (!done) task.run();
      };
      if (ctx.executor().inEventLoop()) {
        unlessDone.run();
        return;
      }
      try {
        ctx.executor().execute(unlessDone);
      } catch (RejectedExecutionException e) {
        log.debug("HTTP event loop stopped before the twin answered {} {}", method, instance);
      }
    }

    void abandon() {
      done = true;
      if (timer != null) timer.cancel(false);
    }
  }
}
