package atrium.api.device;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The devices' credentials, kept apart from people's: user name, PBKDF2 password hash, site and the
 * assets each may act for. Loaded from a JSON file (see {@code docs/mqtt.md}):
 *
 * <pre>{"devices": [{"username": "cam-5", "password": "pbkdf2-sha256$600000$…$…",
 *                    "site": "demo-mall", "assets": ["camera/CAM-0005"]}]}</pre>
 *
 * A loading error names the field by JSON path ({@code $.devices[2].assets[0]}). Thread-safe and
 * immutable once loaded. {@link #verify} runs PBKDF2 on the calling thread: keep it off event loops.
 */
public final class DeviceCredentials {
  public static final String CONFIG_KEY = "atrium.devices.credentials-file";
  private static final Set<String> ENTRY_FIELDS = Set.of("username", "password", "site", "assets");
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  /** Hashed when the user name is unknown, so an unknown name costs as much time as a wrong password. */
  private static final PasswordHash DECOY = PasswordHash.create("decoy".toCharArray(), 10_000);

  private record Entry(PasswordHash hash, DeviceGrant grant) {}

  private final Map<String, Entry> byUsername;

  private DeviceCredentials(Map<String, Entry> byUsername) {
    this.byUsername = Map.copyOf(byUsername);
  }

  /** No device may connect. */
  public static DeviceCredentials none() {
    return new DeviceCredentials(Map.of());
  }

  /** Reads {@value #CONFIG_KEY}; an empty path means no device may connect. */
  public static DeviceCredentials fromConfig(Config config) {
    String file = config.hasPath(CONFIG_KEY) ? config.getString(CONFIG_KEY).trim() : "";
    return file.isEmpty() ? none() : load(Path.of(file));
  }

  /** Loads a credentials file; throws {@link InvalidCredentialsFile} naming the file and the field. */
  public static DeviceCredentials load(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new InvalidCredentialsFile(file, "$", "cannot read the file: " + e);
    }
    return parse(file, bytes);
  }

  static DeviceCredentials parse(Path file, byte[] json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidCredentialsFile(file, "$", "not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidCredentialsFile(file, "$", "cannot read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) throw new InvalidCredentialsFile(file, "$", "expected an object {\"devices\": [...]}");
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("devices")) throw new InvalidCredentialsFile(file, "$." + name, "unknown field; expected devices");
    }
    JsonNode devices = root.get("devices");
    if (devices == null || !devices.isArray()) throw new InvalidCredentialsFile(file, "$.devices", "required: an array of device credentials");
    Map<String, Entry> byUsername = new HashMap<>();
    Map<String, String> firstPath = new HashMap<>();
    for (int i = 0; i < devices.size(); i++) {
      String at = "$.devices[" + i + "]";
      Entry e = entry(file, at, devices.get(i));
      String user = e.grant().username();
      if (byUsername.containsKey(user)) {
        throw new InvalidCredentialsFile(file, at + ".username", "'" + user + "' is already used by " + firstPath.get(user));
      }
      byUsername.put(user, e);
      firstPath.put(user, at);
    }
    return new DeviceCredentials(byUsername);
  }

  private static Entry entry(Path file, String at, JsonNode n) {
    if (!n.isObject()) throw new InvalidCredentialsFile(file, at, "expected an object with " + String.join(", ", ENTRY_FIELDS.stream().sorted().toList()));
    for (Iterator<String> names = n.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!ENTRY_FIELDS.contains(name)) {
        throw new InvalidCredentialsFile(file, at + "." + name, "unknown field; expected assets, password, site, username");
      }
    }
    String username = text(file, at + ".username", n.get("username"));
    if (username.isBlank() || username.length() > 128 || username.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidCredentialsFile(file, at + ".username", "1 to 128 printable characters");
    }
    String password = text(file, at + ".password", n.get("password"));
    String problem = PasswordHash.problem(password);
    if (problem != null) throw new InvalidCredentialsFile(file, at + ".password", problem);
    String site = text(file, at + ".site", n.get("site"));
    if (!AssetId.isValidName(site)) throw new InvalidCredentialsFile(file, at + ".site", "'" + site + "' must match " + AssetId.NAME.pattern());
    JsonNode assets = n.get("assets");
    if (assets == null || !assets.isArray() || assets.isEmpty()) {
      throw new InvalidCredentialsFile(file, at + ".assets", "required: a non-empty array of \"kind/assetId\", or [\"*\"] for a site gateway");
    }
    PasswordHash hash = PasswordHash.parse(password).orElseThrow();
    Set<String> granted = new LinkedHashSet<>();
    for (int j = 0; j < assets.size(); j++) {
      String path = at + ".assets[" + j + "]";
      String a = text(file, path, assets.get(j));
      if (a.equals("*")) {
        if (assets.size() != 1) throw new InvalidCredentialsFile(file, path, "\"*\" (a site gateway) stands alone: [\"*\"]");
        return new Entry(hash, DeviceGrant.siteGateway(username, site));
      }
      String reason = assetProblem(a);
      if (reason != null) throw new InvalidCredentialsFile(file, path, reason);
      if (!granted.add(a)) throw new InvalidCredentialsFile(file, path, "'" + a + "' is listed twice");
    }
    return new Entry(hash, DeviceGrant.forAssets(username, site, granted));
  }

  /** What is wrong with {@code kind/assetId}, or null when it is well formed. */
  static String assetProblem(String a) {
    int slash = a.indexOf('/');
    if (slash < 0) return "'" + a + "' is not kind/assetId (e.g. camera/CAM-0005) or \"*\"";
    String kind = a.substring(0, slash), id = a.substring(slash + 1);
    if (AssetKind.fromWireName(kind).isEmpty()) return "unknown kind '" + kind + "'; expected one of " + AssetKind.wireNames();
    if (!AssetId.isValidName(id)) return "asset id '" + id + "' must match " + AssetId.NAME.pattern();
    return null;
  }

  private static String text(Path file, String path, JsonNode v) {
    if (v == null || v.isNull()) throw new InvalidCredentialsFile(file, path, "required");
    if (!v.isTextual()) throw new InvalidCredentialsFile(file, path, "expected a string, found " + v.getNodeType().toString().toLowerCase());
    return v.textValue();
  }

  /**
   * The grant of {@code username} when {@code password} is its password. Unknown names and wrong
   * passwords look alike to the caller and cost the same order of time. CPU-heavy (PBKDF2).
   */
  public Optional<DeviceGrant> verify(String username, String password) {
    if (username == null || password == null) return Optional.empty();
    char[] chars = password.toCharArray();
    Entry e = byUsername.get(username);
    if (e == null) {
      DECOY.matches(chars);
      return Optional.empty();
    }
    return e.hash().matches(chars) ? Optional.of(e.grant()) : Optional.empty();
  }

  public int size() {
    return byUsername.size();
  }

  /** The user names, for logs. */
  public Set<String> usernames() {
    return byUsername.keySet();
  }

  /** A credentials file that cannot be used; the message names the file, the field (JSON path) and the reason. */
  public static final class InvalidCredentialsFile extends IllegalArgumentException {
    private final String field;
    private final String reason;

    public InvalidCredentialsFile(Path file, String field, String reason) {
      super("device credentials " + file + ": " + field + ": " + reason);
      this.field = field;
      this.reason = reason;
    }

    public String field() {
      return field;
    }

    public String reason() {
      return reason;
    }
  }
}
