package atrium.api.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client's side of a fault test, in the manner of Jepsen: every operation it sends (an id, the key
 * it writes and the value it writes there) and how it ended — acknowledged, failed (certainly not
 * applied: refused, or never reached a node) or unknown (sent, no answer). After the fault has healed
 * the test reads the keys back and {@link #check} compares: <em>lost</em> = acknowledged but missing,
 * <em>unexpected</em> = present but never sent. Shared by the fault tests (docs/reliability.md).
 */
public final class History {
  public enum Outcome { PENDING, ACKNOWLEDGED, FAILED, UNKNOWN }

  /** One operation: {@code seq} orders the writes to one key (a register's later value supersedes). */
  public record Op(long id, String key, long seq, Outcome outcome) {}

  /** The figures every fault test reports; {@code problems} names the first few faults found. */
  public record Report(String test, long sent, long acknowledged, long failed, long unknown, long lost, long unexpected,
      List<String> problems, Map<String, Object> figures) {}

  private final String test;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Op> ops = new ConcurrentHashMap<>();

  public History(String test) {
    this.test = test;
  }

  /** Records that the client is about to send {@code seq} to {@code key}; returns the operation's id. */
  public long invoke(String key, long seq) {
    long id = ids.incrementAndGet();
    ops.put(id, new Op(id, key, seq, Outcome.PENDING));
    return id;
  }

  public void complete(long id, Outcome outcome) {
    if (outcome == Outcome.PENDING) throw new IllegalArgumentException("an operation completes as acknowledged, failed or unknown");
    ops.computeIfPresent(id, (k, op) -> new Op(op.id(), op.key(), op.seq(), outcome));
  }

  public long count(Outcome outcome) {
    return ops.values().stream().filter(o -> o.outcome() == outcome).count();
  }

  public List<Op> ops() {
    return ops.values().stream().sorted((a, b) -> Long.compare(a.id(), b.id())).toList();
  }

  /**
   * Every value is a separate event (MQTT readings, appended events): {@code found} holds, per key,
   * every value read back. Lost = an acknowledged value not found; unexpected = a value found that was
   * never sent to its key.
   */
  public Report checkSet(Map<String, ? extends Collection<Long>> found) {
    Map<String, Set<Long>> sent = sentByKey();
    List<String> problems = new ArrayList<>();
    long lost = 0, unexpected = 0;
    for (Op op : ops()) {
      Collection<Long> there = found.get(op.key());
      if (op.outcome() == Outcome.ACKNOWLEDGED && (there == null || !there.contains(op.seq()))) {
        lost++;
        note(problems, op.key() + ": " + op.seq() + " was acknowledged and is missing");
      }
    }
    for (var e : found.entrySet()) {
      for (long v : e.getValue()) {
        if (!sent.getOrDefault(e.getKey(), Set.of()).contains(v)) {
          unexpected++;
          note(problems, e.getKey() + ": " + v + " is there and was never sent");
        }
      }
    }
    return report(lost, unexpected, problems);
  }

  /**
   * Each key is a register written in increasing {@code seq} (a setpoint): {@code found} holds the
   * value each key shows after the heal (0 or absent: never written). Lost = an acknowledged write the
   * register has gone behind (it shows an older value); unexpected = a value never sent to the key.
   */
  public Report checkRegister(Map<String, Long> found) {
    Map<String, Set<Long>> sent = sentByKey();
    List<String> problems = new ArrayList<>();
    long lost = 0, unexpected = 0;
    for (Op op : ops()) {
      long shown = found.getOrDefault(op.key(), 0L);
      if (op.outcome() == Outcome.ACKNOWLEDGED && shown < op.seq()) {
        lost++;
        note(problems, op.key() + ": shows " + shown + " but " + op.seq() + " was acknowledged");
      }
    }
    for (var e : found.entrySet()) {
      if (e.getValue() != 0 && !sent.getOrDefault(e.getKey(), Set.of()).contains(e.getValue())) {
        unexpected++;
        note(problems, e.getKey() + ": shows " + e.getValue() + ", never sent");
      }
    }
    return report(lost, unexpected, problems);
  }

  /** Writes the report to {@code target/chaos/<test>.json} and the log (stdout). */
  public static Report publish(Report report, Map<String, Object> figures) {
    Report full = new Report(report.test(), report.sent(), report.acknowledged(), report.failed(), report.unknown(), report.lost(),
        report.unexpected(), report.problems(), new LinkedHashMap<>(figures));
    try {
      Path dir = Path.of("target", "chaos");
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(report.test() + ".json"), new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(full));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.printf("chaos %s: sent %d, acknowledged %d, failed %d, unknown %d, lost %d, unexpected %d %s%n", full.test(), full.sent(),
        full.acknowledged(), full.failed(), full.unknown(), full.lost(), full.unexpected(), full.figures());
    return full;
  }

  private Map<String, Set<Long>> sentByKey() {
    Map<String, Set<Long>> sent = new LinkedHashMap<>();
    for (Op op : ops.values()) sent.computeIfAbsent(op.key(), k -> ConcurrentHashMap.newKeySet()).add(op.seq());
    return sent;
  }

  private Report report(long lost, long unexpected, List<String> problems) {
    return new Report(test, ops.size(), count(Outcome.ACKNOWLEDGED), count(Outcome.FAILED), count(Outcome.UNKNOWN) + count(Outcome.PENDING),
        lost, unexpected, problems, Map.of());
  }

  private static void note(List<String> problems, String problem) {
    if (problems.size() < 20) problems.add(problem);
  }
}
