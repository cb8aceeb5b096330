package atrium.api.rest;

import atrium.api.http.ApiException;
import atrium.api.http.Call;
import atrium.api.http.Problem;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;

/** Path variables naming sites and assets, checked the same way by every endpoint. */
final class Assets {
  private Assets() {}

  static String validSite(String site) {
    if (!AssetId.isValidName(site)) {
      throw new ApiException(Problem.of(HttpResponseStatus.BAD_REQUEST, "invalid-asset-id", "Invalid site id",
          "site '" + site + "' must match " + AssetId.NAME.pattern()));
    }
    return site;
  }

  static AssetKind kind(String kindName) {
    Optional<AssetKind> kind = AssetKind.fromWireName(kindName);
    if (kind.isEmpty()) {
      throw new ApiException(Problem.notFound("unknown-kind", "Unknown asset kind",
          "unknown asset kind '" + kindName + "'; accepted kinds: " + AssetKind.wireNames()));
    }
    return kind.get();
  }

  /** The asset named by the path variables {@code site}, {@code kind} and {@code id}. */
  static AssetId parse(Call call) {
    AssetKind kind = kind(call.param("kind"));
    String site = validSite(call.param("site"));
    String localId = call.param("id");
    if (!AssetId.isValidName(localId)) {
      throw new ApiException(Problem.of(HttpResponseStatus.BAD_REQUEST, "invalid-asset-id", "Invalid asset id",
          "asset id '" + localId + "' must match " + AssetId.NAME.pattern()));
    }
    return AssetId.of(site, kind, localId);
  }

  static Problem unknown(AssetId asset) {
    return Problem.notFound("unknown-asset", "Unknown asset", "no asset " + asset + " in the site model");
  }
}
