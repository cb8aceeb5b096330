package atrium.api.security;

import com.typesafe.config.Config;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * How people's bearer tokens are checked; read once from {@code atrium.auth} (defaults and
 * environment variables in {@code atrium-security.conf}).
 *
 * @param hmacSecret the HS256 key, at least 32 bytes; empty when tokens are not signed with a shared secret
 * @param jwksFile the JWK set holding the RS256/ES256 public keys; empty for none
 * @param generateSecretIfMissing whether a node without a secret generates one in its data directory
 */
public record AuthSettings(
    String issuer,
    String audience,
    Optional<byte[]> hmacSecret,
    Optional<Path> jwksFile,
    Duration clockSkew,
    boolean generateSecretIfMissing) {

  public static final String CONFIG_PATH = "atrium.auth";
  /** Shortest shared secret: HS256 wants a key as long as its hash (RFC 7518 §3.2). */
  public static final int MIN_SECRET_BYTES = 32;
  /** Prefix of a base64-encoded secret; anything else is used as its UTF-8 bytes. */
  public static final String BASE64_PREFIX = "base64:";

  public AuthSettings {
    requireText("issuer", issuer);
    requireText("audience", audience);
    Objects.requireNonNull(hmacSecret, "hmacSecret");
    Objects.requireNonNull(jwksFile, "jwksFile");
    hmacSecret = hmacSecret.map(byte[]::clone);
    hmacSecret.ifPresent(AuthSettings::requireLongEnough);
    if (clockSkew == null || clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException(CONFIG_PATH + ".clock-skew must be between 0 and 5 minutes, was " + clockSkew);
    }
  }

  public static AuthSettings create(Config config) {
    Config c = config.getConfig(CONFIG_PATH);
    String secret = c.getString("hmac-secret");
    String jwks = c.getString("jwks-file");
    return new AuthSettings(
        c.getString("issuer"),
        c.getString("audience"),
        secret.isBlank() ? Optional.empty() : Optional.of(decodeSecret(secret)),
        jwks.isBlank() ? Optional.empty() : Optional.of(Path.of(jwks)),
        c.getDuration("clock-skew"),
        c.getBoolean("generate-secret-if-missing"));
  }

  /** Whether any key is configured; without one, every token is refused. */
  public boolean signInConfigured() {
    return hmacSecret.isPresent() || jwksFile.isPresent();
  }

  public AuthSettings withHmacSecret(byte[] secret) {
    return new AuthSettings(issuer, audience, Optional.of(secret), jwksFile, clockSkew, generateSecretIfMissing);
  }

  /** {@code base64:<standard or URL-safe base64>} or plain text (its UTF-8 bytes). */
  public static byte[] decodeSecret(String value) {
    if (!value.startsWith(BASE64_PREFIX)) return value.getBytes(StandardCharsets.UTF_8);
    String encoded = value.substring(BASE64_PREFIX.length()).trim();
    try {
      return encoded.contains("-") || encoded.contains("_")
          ? Base64.getUrlDecoder().decode(encoded)
          : Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(CONFIG_PATH + ".hmac-secret (ATRIUM_AUTH_SECRET) starts with '"
          + BASE64_PREFIX + "' but the rest is not base64");
    }
  }

  private static void requireLongEnough(byte[] secret) {
    if (secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(CONFIG_PATH + ".hmac-secret (ATRIUM_AUTH_SECRET) must be at least 256 bits ("
          + MIN_SECRET_BYTES + " bytes), was " + secret.length + " bytes");
    }
  }

  private static void requireText(String key, String value) {
    if (value == null || value.isBlank()) throw new IllegalArgumentException(CONFIG_PATH + "." + key + " must not be empty");
  }

  @Override
  public String toString() {
    return "AuthSettings[issuer=" + issuer + ", audience=" + audience + ", hmacSecret="
        + (hmacSecret.isPresent() ? "(set)" : "(none)") + ", jwksFile=" + jwksFile.map(Path::toString).orElse("(none)")
        + ", clockSkew=" + clockSkew + ", generateSecretIfMissing=" + generateSecretIfMissing + "]";
  }
}
