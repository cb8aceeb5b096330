package atrium.api.security;

import java.util.Objects;
import java.util.Set;

/**
 * Who is calling: a person (from a verified bearer token) or a device (from device credentials).
 *
 * @param subject the token's {@code sub}, or the device's user name
 * @param role the person's role; null for a device
 * @param sites the sites granted; {@link #ALL_SITES} grants every site
 * @param device true for device credentials
 */
public record Principal(String subject, Role role, Set<String> sites, boolean device) {
  public static final String ALL_SITES = "*";

  public Principal {
    Objects.requireNonNull(subject, "subject");
    sites = Set.copyOf(sites);
    if (!device) Objects.requireNonNull(role, "a person has a role");
  }

  public static Principal person(String subject, Role role, Set<String> sites) {
    return new Principal(subject, role, sites, false);
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
