package atrium.load.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The load generator against a server that answers after a known delay, one request at a time.
 * The bounds asserted follow from the delays alone (a request cannot be answered before the server
 * has slept for it and for every request ahead of it), not from this machine's speed.
 */
class CorrectedLatencyTest {
  private HttpServer server;
  private ExecutorService serverThread;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** A server on one thread answering the n-th request (from 0) after {@code delayMillis.applyAsInt(n)} ms. */
  private URI serve(IntUnaryOperator delayMillis) throws Exception {
    AtomicInteger n = new AtomicInteger();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    serverThread = Executors.newSingleThreadExecutor();
    server.setExecutor(serverThread);
    server.createContext("/", exchange -> {
      try {
        Thread.sleep(delayMillis.applyAsInt(n.getAndIncrement()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  @AfterEach
  void stop() {
    if (server != null) server.stop(0);
    if (serverThread != null) serverThread.shutdownNow();
  }

  private LoadRecorder.Totals drive(URI uri, double rate, double seconds, int maxInFlight) throws Exception {
    LoadRecorder recorder = new LoadRecorder();
    OpenLoop.Mix mix = new OpenLoop.Mix().add("get", 1, () -> client.sendAsync(HttpRequest.newBuilder(uri).build(),
        HttpResponse.BodyHandlers.discarding()).thenApply(r -> Outcome.ofStatus(r.statusCode())));
    OpenLoop.Options options = new OpenLoop.Options(maxInFlight, Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMillis(10));
    new OpenLoop(options).run(new ArrivalPlan(List.of(Stage.hold(rate, Duration.ofMillis((long) (seconds * 1000))))), mix, Pacer.SYSTEM,
        recorder, Pacer.SYSTEM.now());
    recorder.sample(seconds, Set.of());
    return recorder.totals().get(0);
  }

  @Test
  void withRoomToSpareThePercentilesAreTheServersDelay() throws Exception {
    URI uri = serve(n -> 20);

    LoadRecorder.Totals t = drive(uri, 10, 1.5, 50);

    assertEquals(15, t.ok());
    assertTrue(t.corrected().p50() >= 20, "p50 " + t.corrected().p50() + " ms is at least the delay");
    assertTrue(t.corrected().p50() < 20 + 500, "p50 " + t.corrected().p50() + " ms is the delay, not a queue");
  }

  @Test
  void theCorrectedLatencyCountsTheQueueingThatTheNaiveOneHides() throws Exception {
    // 50 requests due every 20 ms; one at a time, each answered after 50 ms: the k-th cannot end
    // before (k+1)·50 ms, though it was due at k·20 ms — it waited (k+1)·50 − k·20 ms or more
    URI uri = serve(n -> 50);

    LoadRecorder.Totals t = drive(uri, 50, 1.0, 1);

    assertEquals(50, t.ok());
    assertTrue(t.late() > 0, "requests waited for the one in flight and went out late");
    assertTrue(t.corrected().p50() >= 700, "corrected p50 " + t.corrected().p50() + " ms includes the wait to be sent");
    assertTrue(t.naive().p50() >= 50, "naive p50 " + t.naive().p50() + " ms is at least the delay");
    assertTrue(t.naive().p50() < t.corrected().p50() / 2, "naive p50 " + t.naive().p50() + " ms hides the wait");
  }

  @Test
  void aServerStallShowsInEveryRequestDueDuringItNotInOne() throws Exception {
    // 100 requests due every 10 ms; the 11th stalls the server for 1 s: those due during the stall
    // all wait for it (the k-th, k ≤ 70, at least 1,100 − 10·k ≥ 400 ms), though only one was slow
    URI uri = serve(n -> n == 10 ? 1000 : 0);

    LoadRecorder.Totals t = drive(uri, 100, 1.0, 1);

    assertEquals(100, t.ok());
    assertTrue(t.corrected().p50() >= 400, "corrected p50 " + t.corrected().p50() + " ms shows the stall");
    assertTrue(t.corrected().max() >= 1000, "corrected max " + t.corrected().max() + " ms");
    assertTrue(t.naive().max() >= 1000, "the stalled request itself took the stall");
    assertTrue(t.naive().p90() < 400, "naive p90 " + t.naive().p90() + " ms: coordinated omission hides the stall");
  }
}
