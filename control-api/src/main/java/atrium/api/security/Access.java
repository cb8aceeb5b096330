package atrium.api.security;

/** What an endpoint asks of its caller; every endpoint declares exactly one. */
public enum Access {
  /** Anyone, without credentials: health, readiness, metrics on the loopback interface, the OpenAPI document. */
  PUBLIC,
  /** Any person with a role on the site: reads. */
  VIEW,
  /** An operator or above: commands to assets. */
  OPERATE,
  /** An engineer or above: campaigns, settings of loops and the optimiser. */
  ENGINEER,
  /** An administrator: the audit log, credentials. */
  ADMIN,
  /** A device (or a device gateway) with device credentials, never a person's token. */
  DEVICE
}
