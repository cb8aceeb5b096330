package atrium.api.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DeviceCredentialsTest {
  private static final String HASH = PasswordHash.create("s3cret".toCharArray(), PasswordHash.MIN_ITERATIONS).format();

  @TempDir
  Path dir;

  @Test
  void theRightPasswordGivesTheGrantAndAWrongOneOrAnUnknownNameNothing() throws Exception {
    var c = load("{\"devices\":[" + entry("cam-5", "\"camera/CAM-0005\"") + "]}");
    var grant = c.verify("cam-5", "s3cret").orElseThrow();
    assertEquals("demo-mall", grant.site());
    assertTrue(grant.mayActFor(AssetId.of("demo-mall", AssetKind.CAMERA, "CAM-0005")));
    assertFalse(grant.mayActFor(AssetId.of("demo-mall", AssetKind.CAMERA, "CAM-0006")));
    assertFalse(grant.mayActFor(AssetId.of("other-mall", AssetKind.CAMERA, "CAM-0005")));
    assertTrue(c.verify("cam-5", "s3creT").isEmpty());
    assertTrue(c.verify("nobody", "s3cret").isEmpty());
  }

  @Test
  void aSiteGatewayActsForEveryAssetOfItsSiteOnly() throws Exception {
    var grant = load("{\"devices\":[" + entry("gw", "\"*\"") + "]}").verify("gw", "s3cret").orElseThrow();
    assertTrue(grant.gateway());
    assertTrue(grant.mayActFor(AssetId.of("demo-mall", AssetKind.KIOSK, "KIOSK-01")));
    assertFalse(grant.mayActFor(AssetId.of("other-mall", AssetKind.KIOSK, "KIOSK-01")));
  }

  @Test
  void anEmptyFileSettingLetsNoDeviceIn() {
    var c = DeviceCredentials.fromConfig(ConfigFactory.parseMap(Map.of(DeviceCredentials.CONFIG_KEY, "")));
    assertEquals(0, c.size());
    assertTrue(c.verify("anyone", "anything").isEmpty());
  }

  @Test
  void loaderErrorsNameTheFieldByJsonPath() {
    assertField("$", "not valid JSON", "{\"devices\":[");
    assertField("$.devices", "required", "{}");
    assertField("$.extra", "unknown field", "{\"devices\":[],\"extra\":1}");
    assertField("$.devices[0].password", "expected pbkdf2-sha256", "{\"devices\":[" + entry("a", "\"camera/CAM-1\"").replace(HASH, "plain") + "]}");
    assertField("$.devices[0].password", "fewer than the minimum",
        "{\"devices\":[" + entry("a", "\"camera/CAM-1\"").replace(HASH, HASH.replace("$1000$", "$10$")) + "]}");
    assertField("$.devices[1].assets[1]", "unknown kind 'toaster'",
        "{\"devices\":[" + entry("a", "\"camera/CAM-1\"") + "," + entry("b", "\"camera/CAM-2\",\"toaster/T-1\"") + "]}");
    assertField("$.devices[0].assets[0]", "not kind/assetId", "{\"devices\":[" + entry("a", "\"CAM-1\"") + "]}");
    assertField("$.devices[0].assets[0]", "stands alone", "{\"devices\":[" + entry("a", "\"*\",\"camera/CAM-1\"") + "]}");
    assertField("$.devices[0].assets", "non-empty", "{\"devices\":[" + entry("a", "") + "]}");
    assertField("$.devices[0].site", "must match", "{\"devices\":[" + entry("a", "\"camera/CAM-1\"").replace("demo-mall", "demo mall") + "]}");
    assertField("$.devices[1].username", "already used by $.devices[0]",
        "{\"devices\":[" + entry("a", "\"camera/CAM-1\"") + "," + entry("a", "\"camera/CAM-2\"") + "]}");
    assertField("$.devices[0].role", "unknown field",
        "{\"devices\":[" + entry("a", "\"camera/CAM-1\"").replace("{\"username\"", "{\"role\":\"admin\",\"username\"") + "]}");
  }

  @Test
  void theCommandPrintsAnEntryThatLoadsAndVerifies() throws Exception {
    StringWriter out = new StringWriter();
    InputStream stdin = System.in;
    int exit;
    try {
      System.setIn(new ByteArrayInputStream("door-pass\n".getBytes(StandardCharsets.UTF_8)));
      CommandLine cl = new CommandLine(new DeviceCredentialCommand());
      cl.setOut(new PrintWriter(out));
      exit = cl.execute("--username", "kiosk-7", "--site", "demo-mall", "--asset", "kiosk/KIOSK-07", "--password-stdin",
          "--iterations", "1000");
    } finally {
      System.setIn(stdin);
    }
    assertEquals(0, exit);
    assertFalse(out.toString().contains("door-pass"), "the password is not printed");
    var c = load("{\"devices\":[" + out.toString().trim() + "]}");
    assertTrue(c.verify("kiosk-7", "door-pass").orElseThrow().mayActFor(AssetId.of("demo-mall", AssetKind.KIOSK, "KIOSK-07")));
  }

  @Test
  void theCommandRefusesAMalformedAsset() {
    CommandLine cl = new CommandLine(new DeviceCredentialCommand());
    cl.setErr(new PrintWriter(new StringWriter()));
    assertEquals(2, cl.execute("--username", "k", "--site", "demo-mall", "--asset", "kiosk", "--password-stdin"));
  }

  private void assertField(String field, String reasonPart, String json) {
    var e = assertThrows(DeviceCredentials.InvalidCredentialsFile.class, () -> load(json));
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(e.reason().contains(reasonPart), e.getMessage());
  }

  private DeviceCredentials load(String json) throws Exception {
    Path f = Files.writeString(dir.resolve("devices.json"), json);
    return DeviceCredentials.load(f);
  }

  private static String entry(String user, String assets) {
    return "{\"username\":\"" + user + "\",\"password\":\"" + HASH + "\",\"site\":\"demo-mall\",\"assets\":[" + assets + "]}";
  }
}
