package atrium.api.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where the dispatcher writes every command (a person's non-GET call). The audit is written ahead:
 * a command runs only once {@link #admit} has recorded it, so nothing is ever done that the audit
 * does not show; its refusal or failure is recorded after, with the same request id.
 */
public interface Auditor {
  /**
   * Records that the command is accepted for execution. The stage fails when the audit cannot take
   * it (its buffer is full, its store is down): the command must then not run.
   */
  CompletionStage<Void> admit(Call call);

  /**
   * Records a command refused or failed: denied before admission (403, a site not granted), rejected
   * (4xx) or failed (5xx, no answer) after it.
   *
   * @param admitted whether {@link #admit} recorded the command first (else it was denied before it)
   * @param status the HTTP status answered; 0 when the outcome is unknown
   * @param reason the problem's detail
   */
  void outcome(Call call, boolean admitted, int status, String reason);

  /** Audits nothing: for the pipeline tests of the device door, which takes no commands. */
  Auditor NONE = new Auditor() {
    @Override
    public CompletionStage<Void> admit(Call call) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void outcome(Call call, boolean admitted, int status, String reason) {}
  };
}
