package atrium.api.http;

/**
 * Where the dispatcher writes every command (a person's non-GET call) with its outcome. A command
 * is not executed when the audit cannot take it: {@link #accepting()} is asked first.
 */
public interface Auditor {
  /** False when the audit log cannot take another entry now (its queue is full or its store is down). */
  boolean accepting();

  /**
   * Records a command's outcome.
   *
   * @param status the HTTP status answered
   * @param reason the problem's detail for a refusal or failure, null on success
   */
  void record(Call call, int status, String reason);

  /** Audits nothing: for a server that takes no commands (tests of the device door). */
  Auditor NONE = new Auditor() {
    @Override
    public boolean accepting() {
      return true;
    }

    @Override
    public void record(Call call, int status, String reason) {}
  };
}
