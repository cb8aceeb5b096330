package atrium.api.stream;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Objects;

/**
 * How much the live stream holds for a client before it gives up on it.
 *
 * @param maxPendingAssets most assets whose latest delta may wait for a client; beyond it the client is dropped
 * @param maxStall longest a client may leave its connection unwritable (not reading) before it is dropped
 * @param maxFrameSize largest WebSocket message a client may send, in bytes; larger closes with 1009
 */
public record StreamSettings(int maxPendingAssets, Duration maxStall, int maxFrameSize) {
  public StreamSettings {
    if (maxPendingAssets <= 0) throw new IllegalArgumentException("maxPendingAssets: must be positive");
    Objects.requireNonNull(maxStall, "maxStall");
    if (maxStall.isNegative() || maxStall.isZero()) throw new IllegalArgumentException("maxStall: must be positive");
    if (maxFrameSize < 1024) throw new IllegalArgumentException("maxFrameSize: must be at least 1 KiB");
  }

  /** Reads {@code atrium.stream} (see {@code atrium-stream.conf}). */
  public static StreamSettings create(Config config) {
    Config c = config.getConfig("atrium.stream");
    return new StreamSettings(c.getInt("max-pending-assets"), c.getDuration("max-stall"),
        (int) c.getBytes("max-frame-size").longValue());
  }

  public static StreamSettings defaults() {
    return new StreamSettings(20_000, Duration.ofSeconds(10), 64 * 1024);
  }
}
