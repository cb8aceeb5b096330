package atrium.load;

import atrium.api.AtriumMain;
import atrium.api.device.PasswordHash;
import atrium.api.security.AuthSettings;
import atrium.api.security.Role;
import atrium.api.security.TokenIssuer;
import atrium.core.runtime.SiteDirectory;
import atrium.core.site.Site;
import atrium.core.testkit.TestTwins;
import atrium.load.drive.LoadRun;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The load-tests' end-to-end fixture: a real Atrium node in this JVM with the demo mall, HTTP and
 * MQTT on free ports, one site gateway's device credential (every asset of the demo mall) and a
 * token secret, so a test can drive it over its real doors.
 */
public final class InProcessNode {
  public static final String SITE = "demo-mall";
  public static final String GATEWAY = "test-gateway";
  public static final String PASSWORD = "test-gateway-secret";

  private InProcessNode() {}

  /** Starts a node with its data in {@code dir}; {@code settings} add to or override the fixture's. */
  public static AtriumMain.Node start(Path dir, Map<String, Object> settings) throws IOException {
    Path credentials = dir.resolve("devices.json");
    Files.writeString(credentials, "{\"devices\":[{\"username\":\"" + GATEWAY + "\",\"password\":\""
        + PasswordHash.create(PASSWORD.toCharArray(), PasswordHash.MIN_ITERATIONS).format()
        + "\",\"site\":\"" + SITE + "\",\"assets\":[\"*\"]}]}");
    Map<String, Object> m = new HashMap<>();
    m.put("atrium.data-dir", dir.resolve("data").toString());
    m.put("atrium.site-files", List.of(TestTwins.demoMallFile().toString()));
    m.put("atrium.http.port", 0);
    m.put("atrium.mqtt.port", 0);
    m.put("atrium.devices.credentials-file", credentials.toString());
    m.put("atrium.auth.hmac-secret", "load-tests-in-process-node-token-secret-of-enough-bytes");
    m.put("pekko.remote.artery.canonical.port", 0);
    m.putAll(settings);
    return AtriumMain.Node.start(ConfigFactory.parseMap(m));
  }

  /** An operator's token for the demo mall, signed with the node's secret, valid for an hour. */
  public static String operatorToken(AtriumMain.Node node, String subject) {
    return new TokenIssuer(AuthSettings.create(node.runtime().system().settings().config()), Clock.systemUTC())
        .mint(subject, Role.OPERATOR, Set.of(SITE), Duration.ofHours(1));
  }

  /** Where the load tool finds the node: its HTTP and MQTT doors, the token and the gateway. */
  public static LoadRun.Target target(AtriumMain.Node node, String token) {
    Site site = SiteDirectory.load(List.of(TestTwins.demoMallFile())).site(SITE).orElseThrow();
    return new LoadRun.Target(node.baseUri(), new InetSocketAddress("127.0.0.1", node.mqtt().port()), token, GATEWAY, PASSWORD, site);
  }
}
