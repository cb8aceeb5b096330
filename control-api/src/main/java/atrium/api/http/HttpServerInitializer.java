package atrium.api.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.flow.FlowControlHandler;

/**
 * The HTTP pipeline. Reads are driven by the API handler (auto-read off, one request released at a
 * time by the flow-control handler), so a pipelining client gets its answers in order and a slow
 * twin slows the client down instead of piling requests up in memory.
 *
 * <p>One instance serves every connection of a server.
 */
public final class HttpServerInitializer extends ChannelInitializer<Channel> {
  /** Responses smaller than this are not worth compressing. */
  private static final int COMPRESSION_THRESHOLD = 1024;

  private final HttpSettings settings;
  private final HttpApi api;

  public HttpServerInitializer(HttpSettings settings, HttpApi api) {
    this.settings = settings;
    this.api = api;
  }

  /** Calls towards the twin outstanding right now, over all connections (and the MQTT door, which shares the bound). */
  public int inFlight() {
    return api.inFlight().current();
  }

  @Override
  protected void initChannel(Channel ch) {
    ch.config().setAutoRead(false);
    ch.pipeline()
        .addLast("http-codec", new HttpServerCodec())
        .addLast("keep-alive", new HttpServerKeepAliveHandler())
        .addLast("compressor", new HttpContentCompressor(COMPRESSION_THRESHOLD,
            StandardCompressionOptions.gzip(), StandardCompressionOptions.deflate()))
        .addLast("aggregator", new BodyAggregator(settings.maxContentLength()));
    ChannelHandler upgrade = api.upgrades().newHandler(api);
    if (upgrade != null) ch.pipeline().addLast("upgrade", upgrade);
    ch.pipeline()
        .addLast("one-request-at-a-time", new FlowControlHandler())
        .addLast("api", new ApiHandler(settings, api));
  }
}
