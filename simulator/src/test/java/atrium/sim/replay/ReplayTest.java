package atrium.sim.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.json.Json;
import atrium.core.protocol.Envelope;
import atrium.sim.link.DeviceLink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTest {
  private static final Instant T0 = Instant.parse("2026-12-24T06:00:00Z");

  @TempDir
  Path dir;

  /** Takes everything, in order, batch by batch. */
  private static final class Collecting implements DeviceLink {
    final List<List<Envelope>> batches = new ArrayList<>();

    @Override
    public CompletionStage<Void> send(List<Envelope> envelopes) {
      batches.add(envelopes);
      return CompletableFuture.completedFuture(null);
    }

    List<Envelope> all() {
      return batches.stream().flatMap(List::stream).toList();
    }
  }

  private static Envelope bay(String id, String bay, long secondsAfter, boolean occupied) {
    var data = Json.MAPPER.createObjectNode().put("occupied", occupied);
    return new Envelope.Telemetry(id, AssetId.of("demo-mall", AssetKind.PARKING_BAY, bay), T0.plusSeconds(secondsAfter), data);
  }

  private Path recorded(List<Envelope> sent) {
    Path file = dir.resolve("day.jsonl");
    try (RecordingDeviceLink rec = new RecordingDeviceLink(null, file)) {
      for (Envelope e : sent) rec.send(List.of(e));
      assertEquals(sent.size(), rec.recorded());
    }
    return file;
  }

  @Test
  void aRecordedRunIsReplayedInOrderEachMessageAtItsTimeAndMessagesDueTogetherInOneBatch() throws Exception {
    List<Envelope> day = List.of(bay("m1", "PN-B1-0001", 0, true), bay("m2", "PN-B1-0002", 0, true),
        bay("m3", "PN-B1-0001", 90, false), bay("m4", "PN-B1-0003", 3600, true));
    Path file = recorded(day);
    Collecting twin = new Collecting();
    List<Duration> waits = new ArrayList<>();
    Replay.Result r = Replay.run(file, twin, Replay.Options.at(60), waits::add);
    assertEquals(day, twin.all());
    assertEquals(List.of(Duration.ZERO, Duration.ofSeconds(90), Duration.ofSeconds(3600)), waits);
    assertEquals(3, r.batches());
    assertEquals(4, r.messages());
    assertEquals(Duration.ofHours(1), r.deviceTime());
  }

  @Test
  void aBatchNeverExceedsTheBatchSize() throws Exception {
    List<Envelope> burst = new ArrayList<>();
    for (int i = 0; i < 25; i++) burst.add(bay("b" + i, String.format("PN-B1-%04d", i + 1), 10, true));
    Collecting twin = new Collecting();
    Replay.run(recorded(burst), twin, new Replay.Options(0, Optional.empty(), "", 10), d -> {});
    assertEquals(List.of(10, 10, 5), twin.batches.stream().map(List::size).toList());
  }

  @Test
  void shiftingMovesEveryTimestampAndAPrefixMakesEveryIdNew() throws Exception {
    Path file = recorded(List.of(bay("m1", "PN-B1-0001", 0, true), bay("m2", "PN-B1-0001", 120, false)));
    Instant today = Instant.parse("2027-01-05T02:00:00Z");
    Collecting twin = new Collecting();
    Replay.run(file, twin, new Replay.Options(0, Optional.of(today), "run2:", 200), d -> {});
    assertEquals(List.of("run2:m1", "run2:m2"), twin.all().stream().map(Envelope::id).toList());
    assertEquals(List.of(today, today.plusSeconds(120)), twin.all().stream().map(Envelope::ts).toList());
  }

  @Test
  void aLineThatIsNotAnEnvelopeStopsTheReplayNamingTheLineAndTheField() throws Exception {
    Path file = recorded(List.of(bay("m1", "PN-B1-0001", 0, true)));
    Files.writeString(file, Files.readString(file) + "\n{\"v\":1,\"type\":\"telemetry\",\"id\":\"m2\",\"site\":\"demo-mall\","
        + "\"kind\":\"parking-bay\",\"asset\":\"PN-B1-0002\",\"ts\":\"yesterday\",\"data\":{}}\n", StandardCharsets.UTF_8);
    Replay.BadLine bad = assertThrows(Replay.BadLine.class, () -> Replay.run(file, new Collecting(), Replay.Options.at(0), d -> {}));
    assertEquals(3, bad.line());
    assertEquals("$.ts", bad.field());
  }

  @Test
  void timeGoingBackwardsIsRefusedWithTheLine() throws Exception {
    Path file = recorded(List.of(bay("m1", "PN-B1-0001", 60, true), bay("m2", "PN-B1-0002", 30, true)));
    Replay.BadLine bad = assertThrows(Replay.BadLine.class, () -> Replay.run(file, new Collecting(), Replay.Options.at(0), d -> {}));
    assertEquals(2, bad.line());
    assertEquals("$.ts", bad.field());
  }

  @Test
  void aPrefixThatWouldMakeInvalidIdsIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Replay.Options(1, Optional.empty(), "no spaces", 100));
  }
}
