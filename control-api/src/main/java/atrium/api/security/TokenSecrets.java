package atrium.api.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared secret a demo node generates for itself when none is configured: 32 random bytes,
 * base64 in {@code <data-dir>/auth-secret}, readable by its owner only, reused on every restart (so
 * tokens minted with {@code atrium token} keep working). Production nodes set {@code ATRIUM_AUTH_SECRET}.
 */
public final class TokenSecrets {
  private static final Logger log = LoggerFactory.getLogger(TokenSecrets.class);
  public static final String FILE_NAME = "auth-secret";

  private TokenSecrets() {}

  /**
   * The settings a node runs with: as configured, or, when no secret is configured and
   * {@code generate-secret-if-missing} is on, with the data directory's secret (generated on first use).
   */
  public static AuthSettings resolve(AuthSettings settings, Path dataDir) {
    if (settings.hmacSecret().isPresent() || !settings.generateSecretIfMissing()) return settings;
    return settings.withHmacSecret(loadOrGenerate(dataDir));
  }

  /** The secret in {@code dataDir}, created with 256 random bits if there is none yet. */
  public static byte[] loadOrGenerate(Path dataDir) {
    Optional<byte[]> existing = load(dataDir);
    if (existing.isPresent()) return existing.get();
    byte[] secret = new byte[AuthSettings.MIN_SECRET_BYTES];
    new SecureRandom().nextBytes(secret);
    Path file = dataDir.resolve(FILE_NAME);
    try {
      Files.createDirectories(dataDir);
      createOwnerOnly(file);
      Files.write(file, Base64.getEncoder().encode(secret), StandardOpenOption.WRITE);
    } catch (FileAlreadyExistsException raced) {
      return load(dataDir).orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the generated token secret to " + file, e);
    }
    log.info("Generated a token secret in {} (atrium.auth.generate-secret-if-missing); mint tokens with 'atrium token'", file);
    return secret;
  }

  /** The secret previously generated in {@code dataDir}, if any. */
  public static Optional<byte[]> load(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) return Optional.empty();
    try {
      byte[] secret = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
      if (secret.length < AuthSettings.MIN_SECRET_BYTES) {
        throw new IllegalStateException(file + " holds a secret shorter than 256 bits: delete it to generate a new one");
      }
      return Optional.of(secret);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the token secret " + file, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(file + " is not base64: delete it to generate a new one", e);
    }
  }

  /** Creates the empty file readable by its owner only (from the start, not after writing). */
  private static void createOwnerOnly(Path file) throws IOException {
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(file); // Windows: the data directory's ACL applies
    }
  }
}
