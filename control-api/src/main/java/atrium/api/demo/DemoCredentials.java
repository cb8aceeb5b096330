package atrium.api.demo;

import atrium.api.device.PasswordHash;
import atrium.api.security.AuthSettings;
import atrium.api.security.Role;
import atrium.api.security.TokenIssuer;
import atrium.api.security.TokenSecrets;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;

/**
 * The demo's credentials, made once under the data directory and kept across restarts: a site
 * gateway's device credentials (the demo's virtual devices, and anyone's {@code mosquitto_pub},
 * speak for every device of the site with them) and tokens for an operator and an administrator.
 * Only for the demo: a real installation provisions its own (see docs/security.md and docs/mqtt.md).
 */
public final class DemoCredentials {
  public static final String GATEWAY_USER = "demo-gateway";
  static final String DEVICES_FILE = "demo-devices.json";
  static final String PASSWORD_FILE = "demo-device-password";
  static final String OPERATOR_TOKEN_FILE = "demo-operator.token";
  static final String ADMIN_TOKEN_FILE = "demo-admin.token";
  static final Duration TOKEN_TTL = Duration.ofDays(7);

  private DemoCredentials() {}

  /** The device credentials file for the demo's site (created on the first start), and the gateway's password. */
  public record Devices(Path file, String username, String password) {}

  public static Devices devices(Path dataDir, String site) {
    Path file = dataDir.resolve(DEVICES_FILE);
    Path passwordFile = dataDir.resolve(PASSWORD_FILE);
    try {
      Files.createDirectories(dataDir);
      if (!Files.exists(file) || !Files.exists(passwordFile)) {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        ObjectNode root = atrium.core.json.Json.MAPPER.createObjectNode();
        ObjectNode d = root.putArray("devices").addObject();
        d.put("username", GATEWAY_USER);
        d.put("password", PasswordHash.create(password.toCharArray(), PasswordHash.DEFAULT_ITERATIONS).format());
        d.put("site", site);
        d.putArray("assets").add("*");
        writePrivate(passwordFile, password);
        writePrivate(file, root.toPrettyString());
      }
      return new Devices(file, GATEWAY_USER, Files.readString(passwordFile, StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the demo's device credentials in " + dataDir, e);
    }
  }

  /** Writes fresh operator and admin tokens for the site, signed with the node's secret; returns the operator's. */
  public static String tokens(Config config, Path dataDir, String site) {
    TokenIssuer issuer = new TokenIssuer(TokenSecrets.resolve(AuthSettings.create(config), dataDir), Clock.systemUTC());
    String operator = issuer.mint("demo-operator", Role.OPERATOR, Set.of(site), TOKEN_TTL);
    writePrivate(dataDir.resolve(OPERATOR_TOKEN_FILE), operator);
    writePrivate(dataDir.resolve(ADMIN_TOKEN_FILE), issuer.mint("demo-admin", Role.ADMIN, Set.of(site), TOKEN_TTL));
    return operator;
  }

  private static void writePrivate(Path file, String content) {
    try {
      Files.writeString(file, content, StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the file keeps the default permissions
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
