package atrium.api.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.security.Principal;
import atrium.api.security.Role;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.live.Delta;
import atrium.core.site.Site;
import atrium.core.testkit.TestTwins;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The session's conflation and drop logic on an {@link EmbeddedChannel}: the channel is made unwritable
 * by hand (as a client that stops reading makes it), deltas are offered as the site's hub offers them,
 * and what reaches the wire is read back. The hubs are an edge here: joins are taken at once.
 */
class StreamSessionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SITE = "demo-mall";
  private static final Site DEMO = TestTwins.demoSites().site(SITE).orElseThrow();

  /** Takes every join at once and remembers who left. */
  private static final class ImmediateHubs implements SiteHubs {
    final List<String> left = new ArrayList<>();

    @Override
    public void join(String site, Member member, long joinId) {
      member.joined(site, joinId);
    }

    @Override
    public void leave(String site, Member member) {
      left.add(site);
    }
  }

  private final ImmediateHubs hubs = new ImmediateHubs();
  private final StreamMetrics metrics = new StreamMetrics();

  private StreamSession session(int maxPending, Duration maxStall) {
    return new StreamSession(hubs, TestTwins.demoSites(), Principal.person("viewer", Role.VIEWER, Set.of(SITE)),
        new StreamSettings(maxPending, maxStall, 64 * 1024), metrics);
  }

  private static EmbeddedChannel subscribed(StreamSession session) throws Exception {
    EmbeddedChannel ch = new EmbeddedChannel(session);
    ch.writeInbound(new TextWebSocketFrame("{\"type\":\"subscribe\",\"site\":\"demo-mall\",\"kinds\":[\"parking-bay\"]}"));
    ch.runPendingTasks();
    assertEquals("subscribed", read(ch).get("type").asText());
    return ch;
  }

  private static StreamDelta bay(String id, int version) {
    AssetId asset = AssetId.of(SITE, AssetKind.PARKING_BAY, id);
    Placement placement = Placement.of(DEMO, asset.kind(), asset.localId());
    Delta d = new Delta(asset, Instant.parse("2026-12-24T01:00:00Z").plusSeconds(version),
        JSON.createObjectNode().put("version", version));
    return new StreamDelta(asset, placement, StreamProtocol.delta(d, placement));
  }

  private static void setWritable(EmbeddedChannel ch, boolean writable) {
    ch.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
    ch.runPendingTasks();
  }

  private static JsonNode read(EmbeddedChannel ch) throws Exception {
    Object out = ch.readOutbound();
    assertInstanceOf(TextWebSocketFrame.class, out, "expected a text frame, got " + out);
    TextWebSocketFrame frame = (TextWebSocketFrame) out;
    try {
      return JSON.readTree(frame.text());
    } finally {
      frame.release();
    }
  }

  private static CloseWebSocketFrame readClose(EmbeddedChannel ch) {
    Object out = ch.readOutbound();
    assertInstanceOf(CloseWebSocketFrame.class, out, "expected a close frame, got " + out);
    return (CloseWebSocketFrame) out;
  }

  @Test
  void anUnwritableClientGetsOnlyTheLatestDeltaPerAssetOnceWritableAgain() throws Exception {
    EmbeddedChannel ch = subscribed(session(20_000, Duration.ofSeconds(10)));
    setWritable(ch, false);
    for (int v = 1; v <= 100; v++) {
      session(ch).offer(bay("PN-B1-0001", v));
      session(ch).offer(bay("PN-B1-0002", v));
      session(ch).offer(bay("PS-B2-0003", v));
    }
    ch.runPendingTasks();
    assertNull(ch.readOutbound(), "nothing is written while the channel is unwritable");
    assertEquals(297, metrics.conflated.sum());

    setWritable(ch, true);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      JsonNode delta = read(ch);
      assertEquals("delta", delta.get("type").asText());
      assertEquals(100, delta.get("state").get("version").asInt(), delta.toString());
      ids.add(delta.get("id").asText());
    }
    assertEquals(List.of("PN-B1-0001", "PN-B1-0002", "PS-B2-0003"), ids, "in the order each asset was first owed");
    assertNull(ch.readOutbound(), "one delta per asset");
    assertTrue(ch.isOpen());
  }

  @Test
  void aClientOwedMoreAssetsThanTheBoundIsToldAndClosedWith1013() throws Exception {
    EmbeddedChannel ch = subscribed(session(10, Duration.ofSeconds(10)));
    setWritable(ch, false);
    for (int n = 1; n <= 11; n++) session(ch).offer(bay(String.format("PN-B1-%04d", n), 1));
    ch.runPendingTasks();

    JsonNode dropped = read(ch);
    assertEquals("dropped", dropped.get("type").asText());
    assertEquals("too-slow", dropped.get("reason").asText());
    CloseWebSocketFrame close = readClose(ch);
    assertEquals(1013, close.statusCode());
    assertEquals("dropped: too-slow", close.reasonText());
    close.release();
    assertNull(ch.readOutbound(), "nothing owed is sent after the drop");
    assertFalse(ch.isOpen());
    assertEquals(1, metrics.dropped.sum());
    assertEquals(List.of(SITE), hubs.left);
  }

  @Test
  void aClientUnwritableLongerThanMaxStallIsDropped() throws Exception {
    EmbeddedChannel ch = subscribed(session(20_000, Duration.ofSeconds(10)));
    ch.freezeTime();
    setWritable(ch, false);
    session(ch).offer(bay("PN-B1-0001", 1));
    ch.advanceTimeBy(11, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();

    JsonNode dropped = read(ch);
    assertEquals("dropped", dropped.get("type").asText());
    assertEquals("stalled", dropped.get("reason").asText());
    CloseWebSocketFrame close = readClose(ch);
    assertEquals(1013, close.statusCode());
    close.release();
    assertFalse(ch.isOpen());
  }

  @Test
  void aClientThatCatchesUpWithinMaxStallIsKept() throws Exception {
    EmbeddedChannel ch = subscribed(session(20_000, Duration.ofSeconds(10)));
    ch.freezeTime();
    setWritable(ch, false);
    session(ch).offer(bay("PN-B1-0001", 1));
    ch.advanceTimeBy(6, TimeUnit.SECONDS);
    setWritable(ch, true);
    assertEquals("PN-B1-0001", read(ch).get("id").asText());
    ch.advanceTimeBy(6, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();

    assertNull(ch.readOutbound());
    assertTrue(ch.isOpen());
    assertEquals(0, metrics.dropped.sum());
  }

  @Test
  void aBinaryMessageClosesWith1003() throws Exception {
    EmbeddedChannel ch = subscribed(session(20_000, Duration.ofSeconds(10)));
    ch.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2, 3})));
    CloseWebSocketFrame close = readClose(ch);
    assertEquals(1003, close.statusCode());
    assertTrue(close.reasonText().contains("JSON text"), close.reasonText());
    close.release();
    assertFalse(ch.isOpen());
  }

  @Test
  void afterUnsubscribingNothingMoreOfTheSiteIsOwed() throws Exception {
    EmbeddedChannel ch = subscribed(session(20_000, Duration.ofSeconds(10)));
    setWritable(ch, false);
    session(ch).offer(bay("PN-B1-0001", 1));
    ch.writeInbound(new TextWebSocketFrame("{\"type\":\"unsubscribe\",\"site\":\"demo-mall\"}"));
    session(ch).offer(bay("PN-B1-0002", 1));
    setWritable(ch, true);

    assertEquals("unsubscribed", read(ch).get("type").asText());
    assertNull(ch.readOutbound());
    assertEquals(List.of(SITE), hubs.left);
  }

  private static StreamSession session(EmbeddedChannel ch) {
    return ch.pipeline().get(StreamSession.class);
  }
}
