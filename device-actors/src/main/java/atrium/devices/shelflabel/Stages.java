package atrium.devices.shelflabel;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The stages Pekko's asks return are Scala futures seen as a {@code CompletableFuture} subclass whose
 * {@code thenApply}, {@code handle}, {@code whenComplete}... run their function asynchronously, on the
 * common pool — which, with fewer than three cores, is a new thread for every call. {@link #plain}
 * turns such a stage into an ordinary one, completed on the thread that completes the ask, so that
 * what the caller chains on it costs no thread.
 */
final class Stages {
  /** Runs a function on the thread that completes the stage. */
  private static final Executor SAME_THREAD = Runnable::run;

  private Stages() {}

  static <T> CompletionStage<T> plain(CompletionStage<T> stage) {
    return stage.thenApplyAsync(t -> t, SAME_THREAD);
  }
}
