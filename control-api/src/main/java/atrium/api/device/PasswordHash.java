package atrium.api.device;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A salted PBKDF2-HMAC-SHA256 password hash in the form {@code pbkdf2-sha256$<iterations>$<salt>$<hash>}
 * (salt and hash in standard Base64). Only the JDK's crypto is used; hashes compare in constant time.
 */
public record PasswordHash(int iterations, byte[] salt, byte[] hash) {
  public static final String SCHEME = "pbkdf2-sha256";
  /** What {@link DeviceCredentialCommand} uses by default (OWASP's 2023 advice for PBKDF2-HMAC-SHA256 is 600,000). */
  public static final int DEFAULT_ITERATIONS = 600_000;
  /** Fewer iterations than this are refused when a credentials file is loaded. */
  public static final int MIN_ITERATIONS = 1_000;
  public static final int MIN_SALT_BYTES = 16;
  public static final int HASH_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Hashes {@code password} with a fresh random salt. */
  public static PasswordHash create(char[] password, int iterations) {
    if (iterations < MIN_ITERATIONS) throw new IllegalArgumentException("iterations: at least " + MIN_ITERATIONS + ", not " + iterations);
    byte[] salt = new byte[MIN_SALT_BYTES];
    RANDOM.nextBytes(salt);
    return new PasswordHash(iterations, salt, derive(password, salt, iterations));
  }

  /**
   * Parses the string form; an empty result carries no reason, so {@link #problem(String)} says
   * what is wrong for error messages.
   */
  public static Optional<PasswordHash> parse(String s) {
    return problem(s) == null ? Optional.of(parseValid(s)) : Optional.empty();
  }

  /** What is wrong with {@code s} as a hash string, or null when it is a valid one. */
  public static String problem(String s) {
    if (s == null) return "required";
    String[] parts = s.split("\\$", -1);
    if (parts.length != 4 || !SCHEME.equals(parts[0])) {
      return "expected " + SCHEME + "$<iterations>$<salt base64>$<hash base64> (make one with `atrium device-credential`)";
    }
    int iterations;
    try {
      iterations = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      return "iterations '" + parts[1] + "' is not a whole number";
    }
    if (iterations < MIN_ITERATIONS) return "iterations " + iterations + " is fewer than the minimum " + MIN_ITERATIONS;
    byte[] salt, hash;
    try {
      salt = Base64.getDecoder().decode(parts[2]);
      hash = Base64.getDecoder().decode(parts[3]);
    } catch (IllegalArgumentException e) {
      return "salt or hash is not valid Base64: " + e.getMessage();
    }
    if (salt.length < MIN_SALT_BYTES) return "salt of " + salt.length + " bytes is shorter than " + MIN_SALT_BYTES;
    if (hash.length != HASH_BYTES) return "hash of " + hash.length + " bytes; a PBKDF2-SHA256 hash here is " + HASH_BYTES;
    return null;
  }

  private static PasswordHash parseValid(String s) {
    String[] parts = s.split("\\$", -1);
    return new PasswordHash(Integer.parseInt(parts[1]), Base64.getDecoder().decode(parts[2]), Base64.getDecoder().decode(parts[3]));
  }

  /** True when {@code password} hashes to this hash; the comparison takes the same time wherever they differ. */
  public boolean matches(char[] password) {
    return MessageDigest.isEqual(hash, derive(password, salt, iterations));
  }

  public String format() {
    Base64.Encoder b64 = Base64.getEncoder();
    return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
  }

  @Override
  public String toString() {
    return SCHEME + "$" + iterations + "$…";
  }

  static byte[] derive(char[] password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BYTES * 8);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA256", e);
    } finally {
      spec.clearPassword();
    }
  }
}
