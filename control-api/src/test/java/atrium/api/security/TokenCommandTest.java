package atrium.api.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TokenCommandTest {
  private static final Instant NOW = Instant.parse("2026-12-24T09:00:00Z");

  @TempDir
  Path dataDir;

  private record Run(int exit, String out, String err) {}

  private Run run(Clock clock, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new TokenCommand(clock));
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString().strip(), err.toString());
  }

  private TokenVerifier verifier(Instant at) {
    AuthSettings s = new AuthSettings("atrium", "atrium-control-room", TokenSecrets.load(dataDir), Optional.empty(),
        Duration.ofSeconds(30), false);
    return new TokenVerifier(s, Clock.fixed(at, ZoneOffset.UTC));
  }

  @Test
  void theCommandPrintsOnlyATokenTheNodeAccepts() {
    TokenSecrets.loadOrGenerate(dataDir);
    Run r = run(Clock.fixed(NOW, ZoneOffset.UTC), "--role", "operator", "--site", "demo-mall", "--subject", "alice",
        "--ttl", "8h", "--data-dir", dataDir.toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals(3, r.out().split("\\.").length, r.out());
    assertEquals(Principal.person("alice", Role.OPERATOR, Set.of("demo-mall")), verifier(NOW).verify("Bearer " + r.out()));
    AuthException late = org.junit.jupiter.api.Assertions.assertThrows(AuthException.class,
        () -> verifier(NOW.plus(Duration.ofHours(9))).verify("Bearer " + r.out()));
    assertEquals(AuthException.EXPIRED_TOKEN, late.slug());
  }

  @Test
  void anUnknownRoleOrABadTtlIsAUsageError() {
    TokenSecrets.loadOrGenerate(dataDir);
    Run badRole = run(Clock.systemUTC(), "--role", "root", "--site", "demo-mall", "--subject", "alice", "--data-dir", dataDir.toString());
    assertNotEquals(0, badRole.exit());
    assertTrue(badRole.err().contains("--role"), badRole.err());
    assertEquals("", badRole.out());
    Run badTtl = run(Clock.systemUTC(), "--role", "viewer", "--site", "demo-mall", "--subject", "alice", "--ttl", "forever",
        "--data-dir", dataDir.toString());
    assertNotEquals(0, badTtl.exit());
    assertTrue(badTtl.err().contains("--ttl"), badTtl.err());
  }

  @Test
  void withoutAnySecretTheCommandSaysWhereOneComesFrom() {
    Run r = run(Clock.systemUTC(), "--role", "viewer", "--site", "demo-mall", "--subject", "alice", "--data-dir", dataDir.toString());
    assertNotEquals(0, r.exit());
    assertTrue(r.err().contains("ATRIUM_AUTH_SECRET"), r.err());
    assertEquals("", r.out());
  }
}
