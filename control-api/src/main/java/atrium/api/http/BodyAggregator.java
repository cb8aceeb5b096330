package atrium.api.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Aggregates a request into one {@code FullHttpRequest}, answering a body over the limit with a 413
 * problem (instead of Netty's empty 413) and closing the connection, since the rest of the body may
 * still be on its way and reads are driven one request at a time.
 */
final class BodyAggregator extends HttpObjectAggregator {

  BodyAggregator(int maxContentLength) {
    super(maxContentLength, true);
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
    if (!(oversized instanceof HttpRequest)) {
      super.handleOversizedMessage(ctx, oversized);
      return;
    }
    ctx.writeAndFlush(tooLarge((HttpRequest) oversized)).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
    Object response = super.newContinueResponse(start, maxContentLength, pipeline);
    if (response instanceof FullHttpResponse && start instanceof HttpRequest
        && ((FullHttpResponse) response).status().code() == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()) {
      ReferenceCountUtil.release(response);
      return tooLarge((HttpRequest) start);
    }
    return response;
  }

  private FullHttpResponse tooLarge(HttpRequest request) {
    FullHttpResponse r = Problem.tooLarge(maxContentLength()).toResponse(request.protocolVersion(), ApiHandler.pathOf(request.uri()));
    HttpUtil.setKeepAlive(r, false);
    return r;
  }
}
