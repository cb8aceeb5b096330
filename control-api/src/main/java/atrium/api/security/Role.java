package atrium.api.security;

import java.util.Locale;
import java.util.Optional;

/**
 * A person's role in the control room, from least to most trusted. Each role may do what the roles
 * before it may do; {@link #may(Access)} is the one place where a role meets an endpoint's access.
 */
public enum Role {
  /** Sees sites, assets, history, reports and the live stream. */
  VIEWER,
  /** Also commands assets: setpoints and modes, prices, reservations, kiosk modes, alarms. */
  OPERATOR,
  /** Also changes how the building is run: campaigns, loop and optimiser settings, exports. */
  ENGINEER,
  /** Also reads the audit log and manages credentials. */
  ADMIN;

  public boolean may(Access access) {
    switch (access) {
      case PUBLIC:
        return true;
      case VIEW:
        return true;
      case OPERATE:
        return compareTo(OPERATOR) >= 0;
      case ENGINEER:
        return compareTo(ENGINEER) >= 0;
      case ADMIN:
        return this == ADMIN;
      case DEVICE:
        return false;
      default:
        throw new IllegalStateException("unknown access " + access);
    }
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> fromWireName(String name) {
    for (Role r : values()) {
      if (r.wireName().equals(name)) return Optional.of(r);
    }
    return Optional.empty();
  }
}
