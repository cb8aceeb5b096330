package atrium.api.security;

/**
 * A caller could not be authenticated. Every such failure is an HTTP 401 with a
 * {@code WWW-Authenticate: Bearer} challenge; {@link #slug()} is the problem type's last segment,
 * stable for clients to switch on. The detail is for a person and never contains the token.
 */
public final class AuthException extends RuntimeException {
  /** No {@code Authorization} header, or not a {@code Bearer} one. */
  public static final String MISSING_CREDENTIALS = "missing-credentials";
  /** Malformed, unsigned, badly signed, wrong issuer or audience, missing or wrong claims. */
  public static final String INVALID_TOKEN = "invalid-token";
  /** Signed and valid but past its {@code exp}: sign in again. */
  public static final String EXPIRED_TOKEN = "expired-token";
  /** The node has neither a shared secret nor a JWKS: nobody can sign in until one is configured. */
  public static final String SIGN_IN_NOT_CONFIGURED = "sign-in-not-configured";

  private final String slug;

  public AuthException(String slug, String detail) {
    super(detail, null, false, false);
    this.slug = slug;
  }

  public String slug() {
    return slug;
  }

  /** The human-readable detail (also {@link #getMessage()}). */
  public String detail() {
    return getMessage();
  }

  /** The value of the {@code WWW-Authenticate} header to send with the 401 (RFC 6750 §3). */
  public String wwwAuthenticate() {
    if (slug.equals(MISSING_CREDENTIALS)) return "Bearer realm=\"atrium\"";
    return "Bearer realm=\"atrium\", error=\"invalid_token\", error_description=\"" + getMessage().replace('"', '\'') + "\"";
  }
}
