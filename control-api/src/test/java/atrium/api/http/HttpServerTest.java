package atrium.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.protocol.DeviceProtocol;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server on a real socket, with a real client; the twin is still a fake answering on its own threads. */
class HttpServerTest {
  private final ExecutorService twinThreads = Executors.newFixedThreadPool(2);
  private final FakeGateway twin = new FakeGateway().answeringOn(twinThreads);
  private final HttpServer server = new HttpServer(HttpSettings.defaults().withPort(0), TestApi.over(twin, HttpSettings.defaults()));
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @AfterEach
  void stop() {
    server.close();
    twinThreads.shutdownNow();
  }

  @Test
  void startsOnAnEphemeralPortAndAnswersAPostAndAGet() throws Exception {
    ObjectNode state = DeviceProtocol.mapper().createObjectNode().put("occupied", true);
    twin.withState(Envelopes.BAY, state);
    server.start();
    assertTrue(server.port() > 0);
    String base = "http://127.0.0.1:" + server.port();

    HttpResponse<String> posted = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/devices/messages"))
        .header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString(Envelopes.batch(Envelopes.telemetry("m-1"), Envelopes.telemetry("m-2"))))
        .timeout(Duration.ofSeconds(10))
        .build(), BodyHandlers.ofString());
    HttpResponse<String> got = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/sites/demo-mall/assets/parking-bay/P1-L1-B0001"))
        .timeout(Duration.ofSeconds(10))
        .build(), BodyHandlers.ofString());

    assertEquals(200, posted.statusCode(), posted.body());
    JsonNode results = DeviceProtocol.mapper().readTree(posted.body()).get("results");
    assertEquals("applied", results.get(0).get("outcome").asText());
    assertEquals("applied", results.get(1).get("outcome").asText());
    assertEquals(200, got.statusCode(), got.body());
    assertEquals(state, DeviceProtocol.mapper().readTree(got.body()));
    assertEquals(0, server.inFlight());
  }

  @Test
  void aSecondServerOnTheSamePortFailsToStartWithAClearError() {
    server.start();
    try (HttpServer second = new HttpServer(HttpSettings.defaults().withPort(server.port()), TestApi.over(twin, HttpSettings.defaults()))) {
      IllegalStateException e = assertThrows(IllegalStateException.class, second::start);
      assertTrue(e.getMessage().contains(":" + server.port()), e.getMessage());
    }
  }

  @Test
  void closingIsIdempotentAndFreesThePort() {
    int port = server.start().port();
    server.close();
    server.close();

    try (HttpServer again = new HttpServer(HttpSettings.defaults().withPort(port), TestApi.over(twin, HttpSettings.defaults()))) {
      assertEquals(port, again.start().port());
    }
  }
}
