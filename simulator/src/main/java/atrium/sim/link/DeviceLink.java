package atrium.sim.link;

import atrium.core.protocol.Envelope;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** How the simulator's virtual devices reach a twin: the device protocol only, never the twin's classes. */
public interface DeviceLink extends AutoCloseable {

  /** Sends the envelopes; completes when the twin has accepted them all, fails otherwise. */
  CompletionStage<Void> send(List<Envelope> envelopes);

  @Override
  default void close() {}
}
