package atrium.api.rest;

import atrium.api.http.ApiException;
import atrium.api.http.Call;
import atrium.api.http.Endpoint;
import atrium.api.http.Problem;
import atrium.api.http.Reply;
import atrium.api.security.Access;
import atrium.api.security.Principal;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.devices.TwinGateway;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/** The reads every control room starts with: the sites, one site's roll-up, one asset's state. */
public final class TwinReads {
  public static final String ASSET = "/api/v1/sites/{site}/assets/{kind}/{id}";

  private final TwinGateway gateway;
  private final BiFunction<AssetKind, JsonNode, JsonNode> describe;

  /**
   * @param describe adds to an asset's state what the API says about it beyond the twin (its points'
   *     Brick classes and Haystack tags); {@code (kind, state) -> state} for none
   */
  public TwinReads(TwinGateway gateway, BiFunction<AssetKind, JsonNode, JsonNode> describe) {
    this.gateway = gateway;
    this.describe = describe;
  }

  public List<Endpoint> endpoints() {
    return List.of(
        new Endpoint("listSites", HttpMethod.GET, "/api/v1/sites", Access.VIEW, "The sites served here that the caller is granted",
            true, this::sites),
        Endpoint.of("getSite", HttpMethod.GET, "/api/v1/sites/{site}", Access.VIEW,
            "A site's summary and live roll-ups (occupancy, free bays, alarms, energy)", this::site),
        Endpoint.of("getAsset", HttpMethod.GET, ASSET, Access.VIEW, "One asset's current state, with an ETag", this::asset));
  }

  private CompletionStage<Reply> sites(Call call) {
    Principal p = call.principal();
    List<String> granted = gateway.sites().stream().filter(p::mayAccessSite).toList();
    return Replies.done(Reply.json(Map.of("sites", granted)));
  }

  private CompletionStage<Reply> site(Call call) {
    String site = Assets.validSite(call.param("site"));
    return gateway.site(site).thenApply(summary -> summary.map(Reply::json).orElseThrow(() -> new ApiException(Problem.unknownSite(site))));
  }

  private CompletionStage<Reply> asset(Call call) {
    AssetId asset = Assets.parse(call);
    requireSite(gateway, asset.site());
    return gateway.state(asset).thenApply(state -> {
      JsonNode view = state.map(s -> describe.apply(asset.kind(), PersonalFields.forCaller(s, call.principal()))).orElseThrow(() -> new ApiException(Assets.unknown(asset)));
      String etag = ETags.of(view);
      if (ETags.noneMatchHits(call, etag)) return Reply.notModified(etag);
      return Reply.json(view).withHeader("ETag", etag);
    });
  }

  /** The state of an asset known to exist, or a 404 ({@code unknown-site} when its site is not served here). */
  public static CompletionStage<JsonNode> stateOf(TwinGateway gateway, AssetId asset) {
    requireSite(gateway, asset.site());
    return gateway.state(asset).thenApply(s -> s.orElseThrow(() -> new ApiException(Assets.unknown(asset))));
  }

  /**
   * A site not served here is {@code unknown-site} for every caller, the same answer the dispatcher
   * gives for a site the caller is not granted — not {@code unknown-asset}, which would tell a caller
   * granted every site something different from one granted only some.
   */
  static void requireSite(TwinGateway gateway, String site) {
    if (!gateway.sites().contains(site)) throw new ApiException(Problem.unknownSite(site));
  }
}
