package atrium.sim.link;

import atrium.core.protocol.DeviceProtocol;
import atrium.core.protocol.Envelope;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Posts envelopes to a twin's HTTP device door ({@code POST /api/v1/devices/messages}) as a batch,
 * retrying what the server refuses as retryable (429, 503) after its {@code Retry-After}.
 */
public final class HttpDeviceLink implements DeviceLink {
  private static final int MAX_ATTEMPTS = 5;

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "http-device-link-retry");
    t.setDaemon(true);
    return t;
  });
  private final URI endpoint;
  private final String authorization;

  /** A link that signs in with device credentials (a site gateway's, to speak for every device of a site). */
  public HttpDeviceLink(URI baseUri, String username, String password) {
    this.endpoint = baseUri.resolve("/api/v1/devices/messages");
    this.authorization = "Basic " + java.util.Base64.getEncoder()
        .encodeToString((username + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public CompletionStage<Void> send(List<Envelope> envelopes) {
    byte[] body = envelopes.size() == 1 ? DeviceProtocol.write(envelopes.get(0)) : DeviceProtocol.writeBatch(envelopes);
    return attempt(body, 1);
  }

  private CompletableFuture<Void> attempt(byte[] body, int attempt) {
    HttpRequest request = HttpRequest.newBuilder(endpoint)
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .header("Authorization", authorization)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenCompose(response -> {
      int status = response.statusCode();
      if (status >= 200 && status < 300) return CompletableFuture.<Void>completedFuture(null);
      if ((status == 429 || status == 503) && attempt < MAX_ATTEMPTS) {
        long wait = response.headers().firstValueAsLong("Retry-After").orElse(1);
        CompletableFuture<Void> retried = new CompletableFuture<>();
        retries.schedule(() -> attempt(body, attempt + 1).whenComplete((v, e) -> {
          if (e != null) retried.completeExceptionally(e);
          else retried.complete(v);
        }), wait, TimeUnit.SECONDS);
        return retried;
      }
      return CompletableFuture.failedFuture(new IllegalStateException(
          "twin refused device messages: HTTP " + status + " " + response.body()));
    });
  }

  @Override
  public void close() {
    retries.shutdownNow();
  }
}
