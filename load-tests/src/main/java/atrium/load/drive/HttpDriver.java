package atrium.load.drive;

import atrium.core.asset.AssetId;
import atrium.core.protocol.DeviceProtocol;
import atrium.core.protocol.Envelope;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Atrium's HTTP doors, over the JDK's HTTP client (HTTP/1.1, a small executor of its own): device
 * messages to {@code POST /api/v1/devices/messages} with a device credential (HTTP Basic), and an
 * operator's calls with a bearer token — one asset's state, a page of the asset listing, and an
 * HVAC zone's setpoints written with {@code If-Match} (the ETag of the last write, or of a read when
 * there is none yet; a {@code 412} counts as the error {@code http-412} and refreshes the ETag).
 * No retries: a refusal is the load test's finding, not something to hide.
 */
public final class HttpDriver implements AutoCloseable {
  private final ExecutorService executor;
  private final HttpClient client;
  private final URI base;
  private final Duration timeout;
  private final Map<AssetId, String> etags = new ConcurrentHashMap<>();
  private final AtomicLong seq = new AtomicLong();

  public HttpDriver(URI base, Duration timeout, int threads) {
    this.base = base;
    this.timeout = timeout;
    this.executor = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "load-http");
      t.setDaemon(true);
      return t;
    });
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
        .executor(executor).build();
  }

  public static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Device messages: one envelope, or a batch (a JSON array) when there are several. */
  public CompletionStage<Outcome> postDeviceMessages(List<? extends Envelope> envelopes, String authorization) {
    byte[] body = envelopes.size() == 1 ? DeviceProtocol.write(envelopes.get(0)) : DeviceProtocol.writeBatch(envelopes);
    HttpRequest r = request("/api/v1/devices/messages", authorization).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    return status(r);
  }

  public CompletionStage<Outcome> getAsset(AssetId asset, String authorization) {
    return status(request(assetPath(asset), authorization).GET().build());
  }

  public CompletionStage<Outcome> listAssets(String site, String kind, int limit, String authorization) {
    String path = "/api/v1/sites/" + enc(site) + "/assets?kind=" + enc(kind) + "&limit=" + limit;
    return status(request(path, authorization).GET().build());
  }

  /** Writes an HVAC zone's setpoints (heating alternating between two values, so each write is a change) with {@code If-Match}. */
  public CompletionStage<Outcome> putSetpoints(AssetId zone, String authorization) {
    String path = assetPath(zone) + "/setpoints";
    String etag = etags.get(zone);
    CompletableFuture<String> tag = etag != null ? CompletableFuture.completedFuture(etag)
        : client.sendAsync(request(path, authorization).GET().build(), HttpResponse.BodyHandlers.discarding())
            .thenApply(r -> r.headers().firstValue("ETag").orElse(null));
    double heating = seq.getAndIncrement() % 2 == 0 ? 20.5 : 21.0;
    return tag.thenCompose(t -> {
      HttpRequest.Builder b = request(path, authorization).header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString("{\"heating\":" + heating + ",\"cooling\":25}"));
      if (t != null) b.header("If-Match", t);
      return client.sendAsync(b.build(), HttpResponse.BodyHandlers.discarding());
    }).thenApply(r -> {
      r.headers().firstValue("ETag").ifPresentOrElse(e -> etags.put(zone, e), () -> etags.remove(zone));
      return Outcome.ofStatus(r.statusCode());
    });
  }

  /**
   * Writes an HVAC zone's setpoints without {@code If-Match} (the last writer wins), heating alternating
   * as in {@link #putSetpoints}: for many writes in flight to one zone, where each would make the
   * others' ETags stale.
   */
  public CompletionStage<Outcome> putSetpointsUnconditionally(AssetId zone, String authorization) {
    double heating = seq.getAndIncrement() % 2 == 0 ? 20.5 : 21.0;
    return status(request(assetPath(zone) + "/setpoints", authorization).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"heating\":" + heating + ",\"cooling\":25}")).build());
  }

  /** A GET without authorisation (the node's metrics), as text; null when it does not answer 200. */
  public String getText(String path, Duration within) {
    try {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve(path)).timeout(within).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (java.io.IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private HttpRequest.Builder request(String path, String authorization) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
    if (authorization != null) b.header("Authorization", authorization);
    return b;
  }

  private CompletionStage<Outcome> status(HttpRequest r) {
    return client.sendAsync(r, HttpResponse.BodyHandlers.discarding()).thenApply(x -> Outcome.ofStatus(x.statusCode()));
  }

  private static String assetPath(AssetId a) {
    return "/api/v1/sites/" + enc(a.site()) + "/assets/" + a.kind().wireName() + "/" + enc(a.localId());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
