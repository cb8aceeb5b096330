package atrium.api.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import atrium.api.AtriumMain;
import atrium.api.http.ApiException;
import atrium.api.http.Auditor;
import atrium.api.http.Authenticator;
import atrium.api.http.HttpApi;
import atrium.api.http.HttpServer;
import atrium.api.http.HttpSettings;
import atrium.api.http.InFlightLimit;
import atrium.api.http.Problem;
import atrium.api.http.RateLimit;
import atrium.api.http.Router;
import atrium.api.security.Principal;
import atrium.api.security.Role;
import atrium.core.protocol.DeviceProtocol;
import atrium.core.testkit.TestTwins;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node (the demo mall, a manual clock, its own journal) with the stream served by an HTTP door
 * of the node's own hub, whose authenticator is the test's (tokens to people) since the node's refuses
 * everyone until a token verifier is configured. The client is the JDK's WebSocket; device messages go
 * through the node's gateway, as the device door sends them.
 */
class StreamEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final AtomicInteger MESSAGE_IDS = new AtomicInteger();

  @TempDir
  static Path dataDir;
  private static AtriumMain.Node node;
  private static HttpServer http;
  private static URI ws;
  private static final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    node = AtriumMain.Node.start(ConfigFactory.parseMap(Map.of(
        "atrium.data-dir", dataDir.toString(),
        "atrium.site-files", List.of(TestTwins.demoMallFile().toString()),
        "atrium.http.port", 0,
        "pekko.remote.artery.canonical.port", 0,
        "atrium.clock.mode", "manual")));
    Map<String, Principal> tokens = Map.of(
        "demo-viewer", Principal.person("vera", Role.VIEWER, Set.of("demo-mall")),
        "elsewhere-viewer", Principal.person("otto", Role.VIEWER, Set.of("other-mall")));
    Authenticator byToken = (access, headers) -> {
      String auth = headers.get("Authorization");
      Principal p = auth == null || !auth.startsWith("Bearer ") ? null : tokens.get(auth.substring(7));
      if (p == null) {
        throw new ApiException(Problem.of(HttpResponseStatus.UNAUTHORIZED, auth == null ? "missing-credentials" : "invalid-token",
            "Unauthorized", "a person's bearer token is needed"), Map.of("WWW-Authenticate", "Bearer realm=\"atrium\""));
      }
      return p;
    };
    var api = new HttpApi(new Router(List.of(node.stream().endpoint())), byToken, RateLimit.UNLIMITED, Auditor.NONE,
        new InFlightLimit(100), HttpApi.HttpObserver.NONE, node.stream());
    http = new HttpServer(HttpSettings.defaults().withPort(0), api).start();
    ws = URI.create("ws://127.0.0.1:" + http.port() + "/api/v1/stream");
  }

  @AfterAll
  static void stop() {
    if (http != null) http.close();
    if (node != null) node.close();
  }

  @Test
  void aSubscriberReceivesTheDeltaOfABayADeviceOccupied() throws Exception {
    try (Client c = Client.connect(ws, "demo-viewer")) {
      c.send("{\"type\":\"subscribe\",\"site\":\"demo-mall\"}");
      JsonNode subscribed = c.next();
      assertEquals("subscribed", subscribed.get("type").asText(), subscribed.toString());
      assertEquals("demo-mall", subscribed.get("site").asText());

      occupy("PN-B1-0010", true);
      JsonNode delta = c.awaitMessage(m -> "delta".equals(m.path("type").asText()) && "PN-B1-0010".equals(m.path("id").asText()));
      assertEquals("demo-mall", delta.get("site").asText());
      assertEquals("parking-bay", delta.get("kind").asText());
      assertEquals("B1", delta.get("floor").asText());
      assertEquals("CP-N-B1", delta.get("zone").asText());
      assertEquals("OCCUPIED", delta.get("state").get("status").asText(), delta.toString());
      assertTrue(delta.hasNonNull("at"));
    }
  }

  @Test
  void kindAndFloorFiltersKeepOtherDeltasOut() throws Exception {
    try (Client all = Client.connect(ws, "demo-viewer"); Client b1Bays = Client.connect(ws, "demo-viewer")) {
      all.send("{\"type\":\"subscribe\",\"site\":\"demo-mall\"}");
      assertEquals("subscribed", all.next().get("type").asText());
      b1Bays.send("{\"type\":\"subscribe\",\"site\":\"demo-mall\",\"kinds\":[\"parking-bay\"],\"floors\":[\"B1\"]}");
      JsonNode subscribed = b1Bays.next();
      assertEquals(List.of("parking-bay"), strings(subscribed.get("kinds")));
      assertEquals(List.of("B1"), strings(subscribed.get("floors")));

      occupy("PS-B2-0020", true);
      // The unfiltered client sees the B2 bay (and, through the projection, its car park) ...
      all.awaitMessage(m -> "PS-B2-0020".equals(m.path("id").asText()));
      occupy("PS-B1-0020", true);
      // ... the filtered one only the B1 bay: the B2 bay's delta was published first, so it would have come first.
      JsonNode first = b1Bays.next();
      assertEquals("PS-B1-0020", first.get("id").asText(), first.toString());
      all.awaitMessage(m -> "car-park".equals(m.path("kind").asText()) && "P-south".equals(m.path("id").asText()));
      List<JsonNode> rest = b1Bays.drain();
      for (JsonNode m : rest) {
        assertEquals("parking-bay", m.get("kind").asText(), m.toString());
        assertEquals("B1", m.get("floor").asText(), m.toString());
      }
    }
  }

  @Test
  void anUngrantedSiteIsAnsweredExactlyAsOneThatDoesNotExist() throws Exception {
    try (Client c = Client.connect(ws, "elsewhere-viewer")) {
      c.send("{\"type\":\"subscribe\",\"site\":\"demo-mall\"}");
      JsonNode ungranted = c.next();
      c.send("{\"type\":\"subscribe\",\"site\":\"nowhere-mall\"}");
      JsonNode missing = c.next();
      assertEquals("error", ungranted.get("type").asText());
      assertEquals("unknown-site", ungranted.get("code").asText());
      assertEquals("$.site", ungranted.get("field").asText());
      assertEquals(missing.toString().replace("nowhere-mall", "demo-mall"), ungranted.toString());
    }
  }

  @Test
  void badMessagesGetFieldPreciseErrorsAndTheConnectionStaysUsable() throws Exception {
    try (Client c = Client.connect(ws, "demo-viewer")) {
      c.send("this is not json");
      assertError(c.next(), "invalid-message", null);
      c.send("{\"type\":\"subscribe\",\"site\":\"demo-mall\",\"kinds\":[\"parking-bay\",\"spaceship\"]}");
      assertError(c.next(), "unknown-kind", "$.kinds[1]");
      c.send("{\"type\":\"subscribe\",\"site\":\"demo-mall\",\"floors\":[\"L9\"]}");
      assertError(c.next(), "unknown-floor", "$.floors[0]");
      c.send("{\"type\":\"subscribe\",\"site\":\"demo-mall\",\"zones\":[\"Z-NOPE\"]}");
      assertError(c.next(), "unknown-zone", "$.zones[0]");
      c.send("{\"type\":\"subscribe\",\"site\":\"demo-mall\",\"colour\":\"red\"}");
      assertError(c.next(), "invalid-message", "$.colour");
      c.send("{\"type\":\"unsubscribe\",\"site\":\"demo-mall\"}");
      assertError(c.next(), "not-subscribed", "$.site");

      c.send("{\"type\":\"subscribe\",\"site\":\"demo-mall\",\"kinds\":[\"parking-bay\"],\"zones\":[\"CP-N-B2\"]}");
      assertEquals("subscribed", c.next().get("type").asText());
      occupy("PN-B2-0030", true);
      assertEquals("PN-B2-0030", c.next().get("id").asText());
    }
  }

  @Test
  void aBrowserMayPassItsTokenAsAQueryParameter() throws Exception {
    try (Client c = Client.connect(URI.create(ws + "?access_token=demo-viewer"), null)) {
      c.send("{\"type\":\"subscribe\",\"site\":\"demo-mall\"}");
      assertEquals("subscribed", c.next().get("type").asText());
    }
  }

  @Test
  void noTokenOrAWrongOneIsRefused401BeforeTheUpgrade() throws Exception {
    assertEquals(401, handshakeStatus(null));
    assertEquals(401, handshakeStatus("not-a-token"));

    String[] upgrade = {"-H", "Connection: Upgrade", "-H", "Upgrade: websocket", "-H", "Sec-WebSocket-Version: 13",
        "-H", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="};
    Curl refused = curl(upgrade, "-H", "Authorization: Bearer not-a-token", "http://127.0.0.1:" + http.port() + "/api/v1/stream");
    assertEquals(401, refused.status());
    assertTrue(refused.contentType().startsWith("application/problem+json"), refused.contentType());
    assertEquals(Problem.TYPE_BASE + "invalid-token", JSON.readTree(refused.body()).get("type").asText());
  }

  @Test
  void aPlainGetWithoutUpgradeIsAnswered426() throws Exception {
    Curl plain = curl(new String[0], "-H", "Authorization: Bearer demo-viewer", "http://127.0.0.1:" + http.port() + "/api/v1/stream");
    assertEquals(426, plain.status(), plain.body());
    assertTrue(plain.contentType().startsWith("application/problem+json"), plain.contentType());
    assertEquals(Problem.TYPE_BASE + "upgrade-required", JSON.readTree(plain.body()).get("type").asText());
  }

  @Test
  void anOversizedMessageClosesWith1009AndABinaryOneWith1003() throws Exception {
    try (Client c = Client.connect(ws, "demo-viewer")) {
      c.socket.sendText("{\"type\":\"subscribe\",\"site\":\"" + "x".repeat(70 * 1024) + "\"}", true);
      assertEquals(1009, c.closed.get(30, TimeUnit.SECONDS));
    }
    try (Client c = Client.connect(ws, "demo-viewer")) {
      c.socket.sendBinary(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), true);
      assertEquals(1003, c.closed.get(30, TimeUnit.SECONDS));
      assertTrue(c.closeReason.contains("JSON text"), c.closeReason);
    }
  }

  // --- helpers

  private static void assertError(JsonNode m, String code, String field) {
    assertEquals("error", m.get("type").asText(), m.toString());
    assertEquals(code, m.get("code").asText(), m.toString());
    if (field != null) assertEquals(field, m.get("field").asText(), m.toString());
    assertTrue(m.get("detail").asText().length() > 0);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** A bay sensor's reading, applied through the node's gateway. */
  private static void occupy(String bay, boolean occupied) throws Exception {
    String json = "{\"v\":1,\"type\":\"telemetry\",\"id\":\"stream-" + MESSAGE_IDS.incrementAndGet()
        + "\",\"site\":\"demo-mall\",\"kind\":\"parking-bay\",\"asset\":\"" + bay
        + "\",\"ts\":\"2026-12-24T01:05:00Z\",\"data\":{\"occupied\":" + occupied + "}}";
    node.gateway().ingest(DeviceProtocol.parse(json.getBytes(StandardCharsets.UTF_8)))
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static int handshakeStatus(String token) {
    var builder = client.newWebSocketBuilder();
    if (token != null) builder.header("Authorization", "Bearer " + token);
    try {
      builder.buildAsync(ws, new WebSocket.Listener() {}).join().abort();
      return fail("the upgrade was accepted");
    } catch (CompletionException e) {
      assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
      return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
    }
  }

  record Curl(int status, String contentType, String body) {}

  private static Curl curl(String[] headers, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-S", "--max-time", "30", "-w", "\n%{http_code} %{content_type}"));
    cmd.addAll(List.of(headers));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "curl did not finish");
    int nl = out.lastIndexOf('\n');
    String[] tail = out.substring(nl + 1).split(" ", 2);
    return new Curl(Integer.parseInt(tail[0]), tail.length > 1 ? tail[1] : "", out.substring(0, nl));
  }

  /** The JDK's WebSocket, its text messages queued as they come. */
  static final class Client implements WebSocket.Listener, AutoCloseable {
    final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    volatile String closeReason = "";
    private final StringBuilder partial = new StringBuilder();
    WebSocket socket;

    static Client connect(URI uri, String token) {
      Client c = new Client();
      var builder = client.newWebSocketBuilder().connectTimeout(PATIENCE);
      if (token != null) builder.header("Authorization", "Bearer " + token);
      c.socket = builder.buildAsync(uri, c).orTimeout(30, TimeUnit.SECONDS).join();
      return c;
    }

    void send(String text) {
      socket.sendText(text, true).orTimeout(30, TimeUnit.SECONDS).join();
    }

    JsonNode next() throws InterruptedException {
      JsonNode m = messages.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      if (m == null) fail("no message within " + PATIENCE);
      return m;
    }

    /** The first message that matches, skipping the others. */
    JsonNode awaitMessage(Predicate<JsonNode> wanted) throws InterruptedException {
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (System.nanoTime() < deadline) {
        JsonNode m = messages.poll(1, TimeUnit.SECONDS);
        if (m != null && wanted.test(m)) return m;
      }
      return fail("no matching message within " + PATIENCE);
    }

    List<JsonNode> drain() {
      List<JsonNode> out = new ArrayList<>();
      messages.drainTo(out);
      return out;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          messages.add(JSON.readTree(partial.toString()));
        } catch (Exception e) {
          closed.completeExceptionally(e);
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closeReason = reason;
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.completeExceptionally(error);
    }

    @Override
    public void close() {
      socket.abort();
    }
  }
}
