package atrium.api.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenSecretsTest {
  @TempDir
  Path dataDir;

  private static AuthSettings settings(Optional<byte[]> secret, boolean generate) {
    return new AuthSettings("atrium", "atrium-control-room", secret, Optional.empty(), Duration.ofSeconds(30), generate);
  }

  @Test
  void aGeneratedSecretIs256RandomBitsKeptOwnerOnlyAndReusedOnRestart() throws Exception {
    byte[] first = TokenSecrets.loadOrGenerate(dataDir);
    assertEquals(32, first.length);
    Path file = dataDir.resolve(TokenSecrets.FILE_NAME);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertArrayEquals(first, TokenSecrets.loadOrGenerate(dataDir));
    assertArrayEquals(first, TokenSecrets.load(dataDir).orElseThrow());
    assertFalse(java.util.Arrays.equals(first, TokenSecrets.loadOrGenerate(dataDir.resolve("other-node"))));
  }

  @Test
  void aNodeGeneratesASecretOnlyWhenAskedAndNoneIsConfigured() {
    AuthSettings off = settings(Optional.empty(), false);
    assertSame(off, TokenSecrets.resolve(off, dataDir));
    assertTrue(TokenSecrets.load(dataDir).isEmpty());

    byte[] configured = "a-configured-secret-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8);
    AuthSettings withSecret = settings(Optional.of(configured), true);
    assertSame(withSecret, TokenSecrets.resolve(withSecret, dataDir));
    assertTrue(TokenSecrets.load(dataDir).isEmpty());

    AuthSettings generated = TokenSecrets.resolve(settings(Optional.empty(), true), dataDir);
    assertTrue(generated.signInConfigured());
    assertArrayEquals(TokenSecrets.load(dataDir).orElseThrow(), generated.hmacSecret().orElseThrow());
  }
}
