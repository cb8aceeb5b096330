package atrium.api.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.interop.PointCatalog.Point;
import atrium.core.asset.AssetKind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DTDL v3 rules that can be checked here, and Microsoft's own parser over the whole export. */
class DtdlTest {
  // DTDL v3: "dtmi:" segments of letters, digits and underscores, not starting with a digit or ending in "_"; ";" version
  private static final Pattern DTMI = Pattern.compile("^dtmi:[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?(?::[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?)*;[1-9][0-9]{0,8}$");
  private static final Pattern NAME = Pattern.compile("^[a-zA-Z](?:[a-zA-Z0-9_]*[a-zA-Z0-9])?$");
  private static final Set<String> PRIMITIVES = Set.of("boolean", "date", "dateTime", "double", "duration", "float",
      "integer", "long", "string", "time", "byte", "bytes", "decimal", "short", "uuid", "unsignedByte",
      "unsignedInteger", "unsignedLong", "unsignedShort");
  private static final Set<String> CONTENT_TYPES = Set.of("Telemetry", "Property", "Command", "Relationship", "Component");

  private final JsonNode interfaces = Dtdl.interfaces();

  @Test
  void thereIsOneInterfacePerAssetKindPlusSiteAndFloor() {
    assertEquals(AssetKind.values().length + 2, interfaces.size());
    Set<String> ids = new HashSet<>(Dtdl.ids());
    for (AssetKind kind : AssetKind.values()) assertTrue(ids.contains(Dtdl.dtmi(kind)), Dtdl.dtmi(kind));
    assertEquals("dtmi:atrium:HvacZone;1", Dtdl.dtmi(AssetKind.HVAC_ZONE));
    assertTrue(ids.contains("dtmi:atrium:Site;1") && ids.contains("dtmi:atrium:Floor;1"));
  }

  @Test
  void everyInterfaceHasTheV3ContextAValidDtmiAndNamesWithinTheRules() {
    for (JsonNode i : interfaces) {
      String id = i.get("@id").asText();
      assertTrue(DTMI.matcher(id).matches() && id.length() <= 128, "DTMI " + id);
      assertEquals("Interface", i.get("@type").asText());
      assertEquals(Dtdl.CONTEXT, i.get("@context").get(0).asText(), id);
      assertTrue(i.get("contents").size() <= 100_000, id);
      Set<String> names = new HashSet<>();
      for (JsonNode c : i.get("contents")) {
        String name = c.get("name").asText();
        assertTrue(NAME.matcher(name).matches() && name.length() <= 512, id + ": name " + name);
        assertTrue(names.add(name), id + ": name " + name + " used twice");
        String type = c.get("@type").isArray() ? c.get("@type").get(0).asText() : c.get("@type").asText();
        assertTrue(CONTENT_TYPES.contains(type), id + "." + name + ": @type " + type);
        if (c.has("schema")) checkSchema(id + "." + name, c.get("schema"));
        if (c.has("request")) {
          assertTrue(NAME.matcher(c.get("request").get("name").asText()).matches(), id + "." + name + " request");
          checkSchema(id + "." + name + ".request", c.get("request").get("schema"));
        }
        if (c.has("target")) assertTrue(DTMI.matcher(c.get("target").asText()).matches(), id + "." + name + " target");
        c.path("displayName").fields().forEachRemaining(e ->
            assertTrue(e.getValue().asText().length() <= 512 && Set.of("en", "zh-Hans").contains(e.getKey()), id + "." + name));
      }
    }
  }

  @Test
  void measuredPointsAreTelemetryWithSemanticTypesAndPersonalPointsAreNotExported() {
    JsonNode hvac = byId("dtmi:atrium:HvacZone;1");
    JsonNode temperature = content(hvac, "temperature");
    assertEquals("Telemetry", temperature.get("@type").get(0).asText());
    assertEquals("Temperature", temperature.get("@type").get(1).asText());
    assertEquals("degreeCelsius", temperature.get("unit").asText());
    assertEquals("Property", content(hvac, "heatingSetpoint").get("@type").get(0).asText());
    assertEquals("Command", content(hvac, "setSetpoints").get("@type").asText());
    assertEquals("dtmi:atrium:Zone;1", content(hvac, "serves").get("target").asText());
    JsonNode courier = byId("dtmi:atrium:Courier;1");
    for (Point p : PointCatalog.points(AssetKind.COURIER)) {
      boolean exported = false;
      for (JsonNode c : courier.get("contents")) exported |= c.get("name").asText().equals(p.name());
      assertEquals(!p.personal(), exported, p.name());
    }
  }

  @Test
  void microsoftsDtdlParserAcceptsTheWholeExport(@TempDir Path dir) throws Exception {
    Path tool = Path.of("src/test/dtdl").toAbsolutePath();
    assertTrue(Files.isDirectory(tool.resolve("node_modules/@azure/dtdl-parser")),
        "Microsoft's DTDL parser is not installed: run scripts/test-prerequisites.sh (npm ci in " + tool + ")");
    Path file = dir.resolve("interfaces.json");
    new ObjectMapper().writeValue(file.toFile(), interfaces);
    Process p = new ProcessBuilder("node", tool.resolve("validate.js").toString(), file.toString())
        .directory(tool.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the parser did not finish");
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.startsWith("valid "), out);
  }

  @Test
  void microsoftsDtdlParserRejectsAnInvalidName(@TempDir Path dir) throws Exception {
    Path tool = Path.of("src/test/dtdl").toAbsolutePath();
    ObjectNode broken = interfaces.get(0).deepCopy();
    ((ObjectNode) broken.get("contents").get(0)).put("name", "9-not-a-name");
    Path file = dir.resolve("broken.json");
    new ObjectMapper().writeValue(file.toFile(), List.of(broken));
    Process p = new ProcessBuilder("node", tool.resolve("validate.js").toString(), file.toString())
        .directory(tool.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the parser did not finish");
    assertEquals(1, p.exitValue(), out);
    assertTrue(out.contains("9-not-a-name"), out);
  }

  private JsonNode byId(String id) {
    for (JsonNode i : interfaces) if (i.get("@id").asText().equals(id)) return i;
    throw new AssertionError("no interface " + id);
  }

  private static JsonNode content(JsonNode i, String name) {
    for (JsonNode c : i.get("contents")) if (c.get("name").asText().equals(name)) return c;
    throw new AssertionError("no content " + name + " in " + i.get("@id"));
  }

  private static void checkSchema(String where, JsonNode schema) {
    if (schema.isTextual()) {
      assertTrue(PRIMITIVES.contains(schema.asText()), where + ": schema " + schema);
      return;
    }
    String type = schema.get("@type").asText();
    switch (type) {
      case "Enum" -> {
        assertTrue(Set.of("integer", "string").contains(schema.get("valueSchema").asText()), where);
        Set<String> names = new HashSet<>();
        for (JsonNode v : schema.get("enumValues")) {
          assertTrue(NAME.matcher(v.get("name").asText()).matches(), where + ": enum value name " + v.get("name"));
          assertTrue(names.add(v.get("name").asText()), where + ": enum value name twice");
        }
      }
      case "Object" -> {
        Set<String> names = new HashSet<>();
        for (JsonNode f : schema.get("fields")) {
          assertTrue(NAME.matcher(f.get("name").asText()).matches() && names.add(f.get("name").asText()), where + "." + f.get("name"));
          checkSchema(where + "." + f.get("name").asText(), f.get("schema"));
        }
      }
      default -> throw new AssertionError(where + ": schema type " + type);
    }
  }

}
