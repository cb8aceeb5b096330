package atrium.sim.replay;

import atrium.core.protocol.DeviceProtocol;
import atrium.core.protocol.Envelope;
import atrium.sim.link.DeviceLink;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Records a run's device traffic as it is sent: one device-protocol envelope per line (JSON lines),
 * in the order sent, so {@link Replay} can send the same day again. With no delegate it only
 * records (a stand-alone run's traffic, for a later load test).
 */
public final class RecordingDeviceLink implements DeviceLink {
  private final DeviceLink delegate;
  private final OutputStream out;
  private long recorded;

  public RecordingDeviceLink(DeviceLink delegate, Path file) {
    this.delegate = delegate;
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record device traffic to " + file, e);
    }
  }

  @Override
  public CompletionStage<Void> send(List<Envelope> envelopes) {
    synchronized (out) {
      try {
        for (Envelope e : envelopes) {
          out.write(DeviceProtocol.write(e));
          out.write('\n');
        }
        recorded += envelopes.size();
      } catch (IOException e) {
        return CompletableFuture.failedFuture(new UncheckedIOException("cannot record device traffic", e));
      }
    }
    return delegate == null ? CompletableFuture.completedFuture(null) : delegate.send(envelopes);
  }

  public long recorded() {
    synchronized (out) {
      return recorded;
    }
  }

  @Override
  public void close() {
    synchronized (out) {
      try {
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot finish the recording", e);
      }
    }
    if (delegate != null) delegate.close();
  }
}
