package atrium.api.http;

import atrium.api.security.Access;
import atrium.api.security.Principal;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The dispatcher: reads one aggregated request at a time (reads are driven by this handler, so
 * responses leave in request order), matches it to an {@link Endpoint}, passes it through the
 * gatekeepers — authentication, rate limit, role, site grant, audit, in-flight bound — hands it to
 * the endpoint's handler, and writes the answer on the channel's event loop when the handler's
 * stage completes. Never blocks. This is the one place where the authorisation matrix is enforced.
 */
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  static final String REQUEST_ID_HEADER = "X-Request-Id";
  private static final Principal ANONYMOUS = new Principal("anonymous", null, Set.of(), true, Set.of());

  private final HttpSettings settings;
  private final HttpApi api;
  /** The request being answered; null while waiting for the next one. */
  private Exchange current;
  private boolean readOutstanding;
  private boolean readScheduled;

  ApiHandler(HttpSettings settings, HttpApi api) {
    super(FullHttpRequest.class, true);
    this.settings = settings;
    this.api = api;
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
    MDC.put("requestId", ex.requestId);
    try {
      dispatch(ex, request);
    } catch (ApiException e) {
      ex.respond(e.problem(), e.headers());
    } catch (RuntimeException e) {
      ex.fail(e);
    } finally {
      MDC.remove("requestId");
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
    QueryStringDecoder uri;
    String path;
    try {
      uri = new QueryStringDecoder(request.uri());
      path = uri.path();
      uri.parameters();
    } catch (IllegalArgumentException e) {
      ex.respond(Problem.of(HttpResponseStatus.BAD_REQUEST, "malformed-request", "Malformed request",
          "the request target is not valid: " + e.getMessage()));
      return;
    }
    if (uri.rawPath().toLowerCase(java.util.Locale.ROOT).contains("%2f")) {
      // Decoded, an encoded slash would split a segment in two and reach another endpoint than the one the raw path names.
      ex.respond(Problem.of(HttpResponseStatus.BAD_REQUEST, "malformed-request", "Malformed request",
          "the path holds an encoded '/' (%2F); no site, kind or asset id contains '/'"));
      return;
    }
    Optional<Router.Match> match = api.router().match(path);
    if (match.isEmpty() && (request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.HEAD))) {
      Optional<Reply> page = api.pages().serve(path, request.headers());
      if (page.isPresent()) {
        ex.respond(page.get());
        return;
      }
    }
    if (match.isEmpty()) {
      ex.respond(Problem.notFound("not-found", "Not found", "no resource at " + ex.instance));
      return;
    }
    Optional<Endpoint> found = match.get().forMethod(request.method());
    if (found.isEmpty()) {
      String allow = match.get().allow();
      ex.respond(Problem.of(HttpResponseStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed",
          request.method() + " is not allowed on " + ex.instance + "; allowed: " + allow), Map.of("Allow", allow));
      return;
    }
    Endpoint endpoint = found.get();
    ex.endpoint = endpoint;
    Principal principal = endpoint.access() == Access.PUBLIC ? ANONYMOUS
        : api.authenticator().authenticate(endpoint.access(), request.headers());
    Call call = new Call(endpoint, principal, match.get().params(), uri.parameters(), request.headers(),
        ByteBufUtil.getBytes(request.content()), ex.requestId, ex.instance);
    ex.call = call;
    if (endpoint.access() != Access.PUBLIC) {
      OptionalLong wait = api.rateLimit().acquire((principal.device() ? "device:" : "person:") + principal.subject());
      if (wait.isPresent()) {
        ex.respond(Problem.of(HttpResponseStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests",
            "'" + principal.subject() + "' is sending requests faster than its rate limit; retry after "
                + wait.getAsLong() + " s"), Map.of("Retry-After", Long.toString(wait.getAsLong())));
        return;
      }
    }
    if (!principal.may(endpoint.access())) {
      String who = principal.device() ? "device credentials" : "role " + principal.role().wireName();
      ex.respond(Problem.forbidden(who + " may not " + request.method() + " " + ex.instance + " (needs "
          + describe(endpoint.access()) + ")"));
      return;
    }
    String site = match.get().params().get("site");
    if (site != null && !principal.device() && !principal.mayAccessSite(site)) {
      ex.respond(Problem.unknownSite(site));
      return;
    }
    boolean permit = endpoint.access() != Access.PUBLIC && !endpoint.selfLimited();
    if (permit && !api.inFlight().tryAcquire(1)) {
      ex.respond(Problem.overloaded(api.inFlight().max()));
      return;
    }
    ex.startTimer();
    CompletionStage<Reply> answer;
    if (endpoint.isCommand()) {
      answer = api.auditor().admit(call).handle((admitted, refused) -> refused).thenCompose(refused -> {
        if (refused == null) {
          ex.admitted = true;
          return invoke(endpoint, call);
        }
        log.warn("command {} {} refused: the audit log cannot record it ({})", call.endpoint().method(), call.path(),
            Problem.unwrap(refused).getMessage());
        return CompletableFuture.failedFuture(new ApiException(Problem.of(HttpResponseStatus.SERVICE_UNAVAILABLE,
            "audit-unavailable", "Audit log unavailable",
            "commands are refused while the audit log cannot record them; nothing was done; retry later")));
      });
    } else {
      answer = invoke(endpoint, call);
    }
    answer.whenComplete((reply, failure) -> {
      if (permit) api.inFlight().release(1);
      ex.onLoop(() -> {
        if (failure != null) ex.fail(failure);
        else ex.respond(reply);
      });
    });
  }

  private static String describe(Access access) {
    switch (access) {
      case VIEW:
        return "a person's token";
      case OPERATE:
        return "role operator or above";
      case ENGINEER:
        return "role engineer or above";
      case ADMIN:
        return "role admin";
      case DEVICE:
        return "device credentials";
      default:
        return access.name().toLowerCase();
    }
  }

  /** A handler that throws instead of failing its stage fails the stage all the same. */
  private static CompletionStage<Reply> invoke(Endpoint endpoint, Call call) {
    try {
      CompletionStage<Reply> stage = endpoint.handler().handle(call);
      return stage != null ? stage : CompletableFuture.failedFuture(new NullPointerException(endpoint.id() + " returned no stage"));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
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

  /** The request target's path, undecoded, without the query string: a problem's {@code instance}. */
  static String pathOf(String uri) {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  private static String requestId(FullHttpRequest request) {
    String given = request.headers().get(REQUEST_ID_HEADER);
    return given != null && REQUEST_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
  }

  /**
   * One request and its response. Touched only on the channel's event loop, so {@code done} needs
   * no synchronisation: whichever of the handler's answer and the timeout comes first is written.
   */
  private final class Exchange {
    final ChannelHandlerContext ctx;
    final HttpVersion version;
    final HttpMethod method;
    final String instance;
    final String requestId;
    final boolean keepAlive;
    final long started = System.nanoTime();
    Endpoint endpoint;
    Call call;
    /** The audit recorded the command before it ran. */
    boolean admitted;
    boolean audited;
    boolean closeAfter;
    boolean done;
    private ScheduledFuture<?> timer;

    Exchange(ChannelHandlerContext ctx, FullHttpRequest request) {
      this.ctx = ctx;
      this.version = request.protocolVersion();
      this.method = request.method();
      this.instance = pathOf(request.uri());
      this.requestId = requestId(request);
      this.keepAlive = HttpUtil.isKeepAlive(request);
    }

    void closeAfterResponse() {
      closeAfter = true;
    }

    void respond(Problem p) {
      respond(p, Map.of());
    }

    /** Answers a problem; once the call is known, a refused command is audited with it. */
    void respond(Problem p, Map<String, String> headers) {
      audit(p.status().code(), p.detail());
      write(problemReply(p, headers));
    }

    private Reply problemReply(Problem p, Map<String, String> headers) {
      Reply r = new Reply(p.status(), Problem.CONTENT_TYPE, Json.bytes(p.toJson(instance)), headers);
      if (p.status().code() == HttpResponseStatus.SERVICE_UNAVAILABLE.code() && !headers.containsKey("Retry-After")) {
        r = r.withHeader("Retry-After", Integer.toString(Problem.RETRY_AFTER_SECONDS));
      }
      return r;
    }

    void fail(Throwable failure) {
      Throwable t = Problem.unwrap(failure);
      if (t instanceof ApiException a) {
        respond(a.problem(), a.headers());
        return;
      }
      Problem p = Problem.of(failure);
      if (p.isInternal()) log.error("unexpected failure answering {} {} [{}]", method, instance, requestId, t);
      respond(p);
    }

    /** The handler's answer: audited (for a command) even when the client was already told it timed out. */
    void respond(Reply reply) {
      audit(reply.status().code(), null);
      write(reply);
    }

    /**
     * A command's refusal or failure: denied before admission, rejected or failed after it (an
     * admitted command that succeeded is already in the audit). Unauthenticated calls are not
     * commands of anyone: they are logged, not audited.
     */
    private void audit(int status, String reason) {
      if (call == null || !endpoint.isCommand() || audited) return;
      boolean refusedBeforeAdmission = !admitted && status >= 400 && status != 503;
      if (admitted ? status >= 200 && status < 400 : !refusedBeforeAdmission) return;
      audited = true;
      try {
        api.auditor().outcome(call, admitted, status, reason);
      } catch (RuntimeException e) {
        log.error("cannot audit {} {} [{}]", method, instance, requestId, e);
      }
    }

    /** Writes the response unless one was written, then asks for the next request. */
    private void write(Reply reply) {
      if (done) return;
      done = true;
      if (timer != null) timer.cancel(false);
      if (current == this) current = null;
      FullHttpResponse response = new DefaultFullHttpResponse(version, reply.status(),
          method.equals(HttpMethod.HEAD) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(reply.body()));
      if (reply.contentType() != null) response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
      response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
      reply.headers().forEach(response.headers()::set);
      // No browser may guess a JSON or problem body to be HTML or script (OWASP API8).
      response.headers().set("X-Content-Type-Options", "nosniff");
      response.headers().set(REQUEST_ID_HEADER, requestId);
      HttpUtil.setKeepAlive(response, keepAlive && !closeAfter);
      ctx.writeAndFlush(response);
      api.observer().answered(endpoint == null ? null : endpoint.id(), method.name(), reply.status().code(),
          System.nanoTime() - started);
      scheduleRead(ctx);
    }

    /** The client is answered when the request times out; a command's outcome is audited when it comes. */
    void startTimer() {
      timer = ctx.executor().schedule(() -> {
        if (done) return;
        var onTimeout = call == null ? null : call.timeoutReply();
        Reply r = onTimeout == null ? null : onTimeout.get();
        write(r != null ? r : problemReply(Problem.timeout(settings.requestTimeout()), Map.of()));
      }, settings.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Runs {@code task} on the channel's event loop; after the server has shut down there is no one to answer. */
    void onLoop(Runnable task) {
      if (ctx.executor().inEventLoop()) {
        task.run();
        return;
      }
      try {
        ctx.executor().execute(task);
      } catch (RejectedExecutionException e) {
        log.debug("HTTP event loop stopped before {} {} was answered", method, instance);
        audit(0, "the server stopped before the outcome was known");
      }
    }

    void abandon() {
      done = true;
      if (timer != null) timer.cancel(false);
    }
  }
}
