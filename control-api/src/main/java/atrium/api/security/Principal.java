package atrium.api.security;

import atrium.core.asset.AssetId;
import java.util.Objects;
import java.util.Set;

/**
 * Who is calling: a person (from a verified bearer token) or a device (from device credentials).
 *
 * @param subject the token's {@code sub}, or the device's user name
 * @param role the person's role; null for a device
 * @param sites the sites granted; {@link #ALL_SITES} grants every site
 * @param device true for device credentials
 * @param assets for a device, the assets it may speak for as {@code kind/assetId}, or {@link #ALL_ASSETS}
 *     for a site gateway; empty for a person
 */
public record Principal(String subject, Role role, Set<String> sites, boolean device, Set<String> assets) {
  public static final String ALL_SITES = "*";
  public static final String ALL_ASSETS = "*";

  public Principal {
    Objects.requireNonNull(subject, "subject");
    sites = Set.copyOf(sites);
    assets = Set.copyOf(assets);
    if (!device) Objects.requireNonNull(role, "a person has a role");
  }

  public static Principal person(String subject, Role role, Set<String> sites) {
    return new Principal(subject, role, sites, false, Set.of());
  }

  public static Principal device(String subject, String site, Set<String> assets) {
    return new Principal(subject, null, Set.of(site), true, assets);
  }

  /** Whether a device may send messages as this asset: its site, and the asset or the whole site. */
  public boolean mayActFor(AssetId asset) {
    return device && mayAccessSite(asset.site())
        && (assets.contains(ALL_ASSETS) || assets.contains(asset.kind().wireName() + "/" + asset.localId()));
  }

  public boolean mayAccessSite(String site) {
    return sites.contains(ALL_SITES) || sites.contains(site);
  }

  /** Whether this caller may use an endpoint of the given access (site grants are checked apart). */
  public boolean may(Access access) {
    if (access == Access.PUBLIC) return true;
    if (device) return access == Access.DEVICE;
    return role.may(access);
  }
}
