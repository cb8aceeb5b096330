package atrium.load.drive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code clients} WebSocket clients of the live stream ({@code /api/v1/stream}), each subscribed to
 * one site (optionally to some kinds). Each delta is a sample of two latencies:
 * {@code stream-lag}, from the moment the load generator last sent a message to that asset to the
 * first delta of that asset to arrive after it (later deltas of the asset, and deltas of assets the
 * generator did not touch, are counted, not timed); and
 * {@code stream-lag-at}, from the delta's own {@code at} (the twin's time of the change) to its
 * arrival by this machine's wall clock — meaningful only when the node runs on the wall clock (not
 * the demo's simulated one), so it is recorded only when the two clocks are within a minute.
 * A client the server closes or drops counts as the error {@code ws-closed-<code>}.
 */
public final class StreamClients implements AutoCloseable {
  public static final String LAG = "stream-lag";
  public static final String LAG_AT = "stream-lag-at";

  private static final ObjectMapper JSON = new ObjectMapper();
  private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "load-ws");
    t.setDaemon(true);
    return t;
  });
  private final HttpClient client = HttpClient.newBuilder().executor(executor).connectTimeout(Duration.ofSeconds(5)).build();
  private final List<WebSocket> sockets = new ArrayList<>();
  private final AtomicLong deltas = new AtomicLong();
  private final AtomicInteger open = new AtomicInteger();
  private volatile LoadRecorder recorder;
  private final DeviceFleet fleet;
  private final Pacer pacer;

  public StreamClients(URI base, String token, String site, List<String> kinds, int clients, LoadRecorder recorder,
      DeviceFleet fleet, Pacer pacer) {
    this.recorder = recorder;
    this.fleet = fleet;
    this.pacer = pacer;
    URI ws = URI.create(base.toString().replaceFirst("^http", "ws")).resolve("/api/v1/stream");
    String subscribe = kinds.isEmpty() ? "{\"type\":\"subscribe\",\"site\":\"" + site + "\"}"
        : "{\"type\":\"subscribe\",\"site\":\"" + site + "\",\"kinds\":" + toJsonArray(kinds) + "}";
    List<CompletableFuture<Void>> subscribed = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      CompletableFuture<Void> ok = new CompletableFuture<>();
      subscribed.add(ok);
      WebSocket s;
      try {
        s = client.newWebSocketBuilder().header("Authorization", "Bearer " + token).connectTimeout(Duration.ofSeconds(10))
            .buildAsync(ws, new Listener(ok)).join();
      } catch (java.util.concurrent.CompletionException e) {
        close();
        Throwable c = e.getCause() == null ? e : e.getCause();
        String why = c instanceof java.net.http.WebSocketHandshakeException h ? "HTTP " + h.getResponse().statusCode() : String.valueOf(c.getMessage());
        throw new IllegalStateException("stream client " + (i + 1) + " could not connect to " + ws + ": " + why, e);
      }
      s.sendText(subscribe, true);
      sockets.add(s);
      open.incrementAndGet();
    }
    try {
      CompletableFuture.allOf(subscribed.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      close();
      throw new IllegalStateException("stream clients could not subscribe to site '" + site + "': " + e.getMessage(), e);
    }
  }

  private static String toJsonArray(List<String> items) {
    return JSON.valueToTree(items).toString();
  }

  /** Records into {@code next} from now on (a capacity search's next trial). */
  public void follow(LoadRecorder next) {
    recorder = next;
  }

  public long deltas() {
    return deltas.get();
  }

  public int open() {
    return open.get();
  }

  @Override
  public void close() {
    for (WebSocket s : sockets) {
      if (!s.isOutputClosed()) s.sendClose(WebSocket.NORMAL_CLOSURE, "load test over");
    }
    executor.shutdown();
  }

  private final class Listener implements WebSocket.Listener {
    private final CompletableFuture<Void> subscribed;
    private final StringBuilder text = new StringBuilder();
    /** Per asset, the send a delta was already timed against: only the first delta after a send is its lag. */
    private final java.util.Map<String, Long> timed = new java.util.HashMap<>();

    Listener(CompletableFuture<Void> subscribed) {
      this.subscribed = subscribed;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        long arrived = pacer.now();
        Instant wall = Instant.now();
        String msg = text.toString();
        text.setLength(0);
        handle(msg, arrived, wall);
      }
      ws.request(1);
      return null;
    }

    private void handle(String msg, long arrived, Instant wall) {
      JsonNode m;
      try {
        m = JSON.readTree(msg);
      } catch (java.io.IOException e) {
        recorder.error(LAG, "ws-bad-message");
        return;
      }
      String type = m.path("type").asText();
      if (type.equals("subscribed")) {
        subscribed.complete(null);
      } else if (type.equals("error")) {
        subscribed.completeExceptionally(new IllegalStateException(msg));
      } else if (type.equals("delta")) {
        deltas.incrementAndGet();
        String kind = m.path("kind").asText();
        String id = m.path("id").asText();
        Long sent = fleet == null ? null : fleet.lastSent(kind, id);
        if (sent != null && !sent.equals(timed.put(kind + '/' + id, sent))) recorder.observed(LAG, arrived - sent);
        try {
          long lagAt = Duration.between(Instant.parse(m.path("at").asText()), wall).toNanos();
          if (Math.abs(lagAt) < 60_000_000_000L) recorder.observed(LAG_AT, Math.max(0, lagAt));
        } catch (RuntimeException ignored) {
          // no usable 'at': the lag from the send still counts
        }
      } else if (type.equals("dropped")) {
        recorder.error(LAG, "ws-dropped-too-slow");
      }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      open.decrementAndGet();
      if (statusCode != WebSocket.NORMAL_CLOSURE) recorder.error(LAG, "ws-closed-" + statusCode);
      subscribed.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      open.decrementAndGet();
      recorder.error(LAG, "ws-error");
      subscribed.completeExceptionally(error);
    }
  }
}
