package atrium.api;

import atrium.api.device.PasswordHash;
import atrium.api.security.AuthSettings;
import atrium.api.security.Role;
import atrium.api.security.TokenIssuer;
import atrium.core.testkit.TestTwins;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A whole node for end-to-end tests: the demo mall on a manual clock, ephemeral ports for HTTP,
 * MQTT and the cluster, a token secret, and device credentials — a site gateway for demo-mall and
 * one bay sensor — written under the test's directory.
 */
public final class TestNode {
  public static final String SECRET = "end-to-end-tests-token-secret-of-enough-bytes";
  public static final String GATEWAY = "gateway";
  public static final String GATEWAY_PASSWORD = "secret-gw";
  public static final String BAY_SENSOR = "bay-sensor-1";
  public static final String BAY_SENSOR_PASSWORD = "secret-bay";
  public static final String BAY_SENSOR_ASSET = "PN-B1-0001";

  private TestNode() {}

  /** The configuration, as a mutable map a test may add to before {@link #config(Map)}. */
  public static Map<String, Object> settings(Path dir) {
    Path credentials = dir.resolve("devices.json");
    try {
      Files.createDirectories(dir);
      Files.writeString(credentials, "{\"devices\":[" + entry(GATEWAY, GATEWAY_PASSWORD, "[\"*\"]") + ","
          + entry(BAY_SENSOR, BAY_SENSOR_PASSWORD, "[\"parking-bay/" + BAY_SENSOR_ASSET + "\"]") + "]}");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Object> m = new HashMap<>();
    m.put("atrium.data-dir", dir.resolve("data").toString());
    m.put("atrium.site-files", List.of(TestTwins.demoMallFile().toString()));
    m.put("atrium.http.port", 0);
    m.put("atrium.mqtt.port", 0);
    m.put("atrium.devices.credentials-file", credentials.toString());
    m.put("atrium.auth.hmac-secret", SECRET);
    m.put("pekko.remote.artery.canonical.port", 0);
    m.put("atrium.clock.mode", "manual");
    return m;
  }

  public static Config config(Map<String, Object> settings) {
    return ConfigFactory.parseMap(settings);
  }

  public static Config config(Path dir) {
    return config(settings(dir));
  }

  private static String entry(String user, String password, String assets) {
    String hash = PasswordHash.create(password.toCharArray(), PasswordHash.MIN_ITERATIONS).format();
    return "{\"username\":\"" + user + "\",\"password\":\"" + hash + "\",\"site\":\"demo-mall\",\"assets\":" + assets + "}";
  }

  /** A token signed with the node's secret. */
  public static String token(AtriumMain.Node node, String subject, Role role, String... sites) {
    return new TokenIssuer(AuthSettings.create(node.runtime().system().settings().config()), Clock.systemUTC())
        .mint(subject, role, Set.of(sites), Duration.ofHours(1));
  }

  public static String bearer(String token) {
    return "Authorization: Bearer " + token;
  }

  /** The {@code Authorization} header of device credentials. */
  public static String basic(String user, String password) {
    return "Authorization: Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  public static String gatewayAuth() {
    return basic(GATEWAY, GATEWAY_PASSWORD);
  }
}
