package atrium.api.http;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;

/** Device envelopes as a device would send them. */
final class Envelopes {
  static final AssetId BAY = AssetId.of("demo-mall", AssetKind.PARKING_BAY, "P1-L1-B0001");

  private Envelopes() {}

  static String telemetry(String id) {
    return telemetry(id, BAY.localId());
  }

  static String telemetry(String id, String bay) {
    return "{\"v\":1,\"type\":\"telemetry\",\"id\":\"" + id + "\",\"site\":\"demo-mall\",\"kind\":\"parking-bay\","
        + "\"asset\":\"" + bay + "\",\"ts\":\"2026-11-22T09:30:00Z\",\"data\":{\"occupied\":true}}";
  }

  static String batch(String... envelopes) {
    return "[" + String.join(",", envelopes) + "]";
  }
}
