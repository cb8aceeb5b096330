package atrium.devices;

import atrium.core.asset.AssetId;

/** Why the twin did not apply something, in words an operator or device integrator can act on. */
public abstract sealed class TwinException extends RuntimeException
    permits TwinException.UnknownAsset, TwinException.Rejected, TwinException.Unavailable {

  TwinException(String message) {
    super(message, null, false, false);
  }

  /** The site has no such asset (HTTP 404). */
  public static final class UnknownAsset extends TwinException {
    public UnknownAsset(AssetId id) {
      super("no asset " + id + " in the site model");
    }

    public UnknownAsset(String message) {
      super(message);
    }
  }

  /** The twin refused the command in its current state; nothing was changed (HTTP 409/422). */
  public static final class Rejected extends TwinException {
    public Rejected(String reason) {
      super(reason);
    }
  }

  /** The twin could not answer in time or its journal is unavailable: retry later (HTTP 503). */
  public static final class Unavailable extends TwinException {
    public Unavailable(String reason) {
      super(reason);
    }
  }
}
