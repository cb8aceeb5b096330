package atrium.api.device;

import atrium.core.asset.AssetId;
import java.util.Objects;
import java.util.Set;

/**
 * What a device credential may do, whatever the transport: act for the listed assets of one site
 * ({@code kind/assetId} entries), or — a site gateway (an edge gateway, the simulator) — for every
 * asset of its site.
 *
 * @param username the credential's user name, for logs and presence
 * @param site the one site this credential belongs to
 * @param assets {@code kind/assetId} entries; empty for a gateway
 * @param gateway true when the credential speaks for every device of its site ({@code ["*"]} in the file)
 */
public record DeviceGrant(String username, String site, Set<String> assets, boolean gateway) {
  public DeviceGrant {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(site, "site");
    assets = Set.copyOf(assets);
  }

  public static DeviceGrant forAssets(String username, String site, Set<String> assets) {
    return new DeviceGrant(username, site, assets, false);
  }

  public static DeviceGrant siteGateway(String username, String site) {
    return new DeviceGrant(username, site, Set.of(), true);
  }

  /** May this credential publish for, and receive the commands of, {@code asset}? */
  public boolean mayActFor(AssetId asset) {
    if (!site.equals(asset.site())) return false;
    return gateway || assets.contains(asset.kind().wireName() + "/" + asset.localId());
  }
}
