package atrium.core.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SiteLoaderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static ObjectNode example() {
    try (InputStream in = SiteLoaderTest.class.getResourceAsStream("example-site.json")) {
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static byte[] bytes(JsonNode site) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(site);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static List<FieldError> errorsOf(byte[] json) {
    return assertThrows(SiteValidationException.class, () -> SiteLoader.parse(json)).errors();
  }

  static List<FieldError> errorsAfter(Consumer<ObjectNode> change) {
    ObjectNode site = example();
    change.accept(site);
    return errorsOf(bytes(site));
  }

  static ObjectNode at(JsonNode root, String pointer) {
    return (ObjectNode) root.at(pointer);
  }

  static void assertError(List<FieldError> errors, String path, String messagePart) {
    assertTrue(errors.stream().anyMatch(e -> e.path().equals(path) && e.message().contains(messagePart)),
        () -> "expected an error at " + path + " containing \"" + messagePart + "\", got " + errors);
  }

  @Test
  void theExampleSiteLoads() {
    Site site = SiteLoader.parse(bytes(example()));
    assertEquals("example-plaza", site.id());
    assertEquals(7, site.zones().size());
    assertEquals(0.9, site.carParks().get(0).overflowFill());
  }

  @Test
  void theExampleInTheFormatDocIsTheExampleSite() throws IOException {
    String doc = Files.readString(Path.of("../docs/site-format.md"), StandardCharsets.UTF_8);
    int start = doc.indexOf("```json\n") + "```json\n".length();
    String block = doc.substring(start, doc.indexOf("```", start));
    assertEquals(example(), JSON.readTree(block));
  }

  @Test
  void aWrittenSiteLoadsBackEqual() {
    Site site = SiteLoader.parse(bytes(example()));
    assertEquals(site, SiteLoader.parse(SiteJson.write(site).getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aLoadedSiteCannotBeChanged() {
    Site site = SiteLoader.parse(bytes(example()));
    assertThrows(UnsupportedOperationException.class, () -> site.zones().clear());
    assertThrows(UnsupportedOperationException.class, () -> site.carParks().get(0).levels().get(0).bays().clear());
  }

  /** Each bad input, the path it must be reported at, and part of the message. */
  static Stream<Arguments> badInputs() {
    return Stream.of(
        bad("an unknown field is refused and the known ones are named",
            s -> at(s, "/zones/2").put("colour", "red"), "$.zones[2].colour", "unknown field; expected id, floor, kind"),
        bad("an unknown field at the top is refused",
            s -> s.put("owner", "someone"), "$.owner", "unknown field"),
        bad("an unknown field deep in a bay is refused",
            s -> at(s, "/carParks/0/levels/0/bays/1").put("charger", true), "$.carParks[0].levels[0].bays[1].charger", "unknown field"),
        bad("a string where a number belongs is refused",
            s -> at(s, "/zones/1").put("area", "480"), "$.zones[1].area", "expected a number, found a string"),
        bad("a decimal where an integer belongs is refused",
            s -> at(s, "/floors/0").put("level", 1.5), "$.floors[0].level", "expected an integer, found 1.5"),
        bad("a number where a string belongs is refused",
            s -> at(s, "/carParks/0/levels/0/bays/1").put("id", 7), "$.carParks[0].levels[0].bays[1].id", "expected a string, found 7"),
        bad("a string where true or false belongs is refused",
            s -> at(s, "/carParks/0/levels/0/bays/2").put("shared", "yes"), "$.carParks[0].levels[0].bays[2].shared", "expected true or false"),
        bad("an object where an array belongs is refused",
            s -> s.putObject("links"), "$.links", "expected an array, found an object"),
        bad("a missing field is required",
            s -> at(s, "/zones/3").remove("area"), "$.zones[3].area", "required"),
        bad("a missing object is required",
            s -> s.remove("devices"), "$.devices", "required"),
        bad("a null field is required",
            s -> at(s, "/zones/0").putNull("name"), "$.zones[0].name", "required"),
        bad("a negative area is refused",
            s -> at(s, "/zones/1").put("area", -5), "$.zones[1].area", "must be greater than 0, was -5.0"),
        bad("a zero link width is refused",
            s -> at(s, "/links/0").put("width", 0), "$.links[0].width", "must be greater than 0"),
        bad("a negative bay distance is refused",
            s -> at(s, "/carParks/0/levels/0/bays/0").put("toLift", -1), "$.carParks[0].levels[0].bays[0].toLift", "must be 0 or more"),
        bad("an overflow fill above 1 is refused",
            s -> at(s, "/carParks/0").put("overflowFill", 1.5), "$.carParks[0].overflowFill", "fraction"),
        bad("an unknown enum value is refused with the accepted values",
            s -> at(s, "/zones/1").put("kind", "plaza"), "$.zones[1].kind",
            "unknown value 'plaza'; expected one of shop, corridor, atrium, food-court, car-park-level, plant-room, entrance, lift-lobby, stairs"),
        bad("an enum value in another case is refused",
            s -> at(s, "/links/0").put("kind", "DOOR"), "$.links[0].kind", "unknown value 'DOOR'"),
        bad("a number for an enum is refused",
            s -> at(s, "/devices/cameras/1").put("mode", 1), "$.devices.cameras[1].mode", "expected one of line, headcount, plate-gate"),
        bad("a malformed id is refused",
            s -> at(s, "/zones/1").put("id", "C L1!"), "$.zones[1].id", "is not a valid id"),
        bad("a site id that is not an asset-id name is refused",
            s -> s.put("id", "-plaza"), "$.id", "is not a valid id"),
        bad("an unknown time zone is refused",
            s -> s.put("timezone", "China/Beijing"), "$.timezone", "not an IANA time zone"),
        bad("a blank name is refused",
            s -> at(s, "/zones/2/name").put("en", " "), "$.zones[2].name.en", "must not be blank"),
        bad("a duplicate zone id is refused",
            s -> at(s, "/zones/4").put("id", "S-101"), "$.zones[4].id", "duplicate id 'S-101', already used at $.zones[2].id"),
        bad("a duplicate floor level is refused",
            s -> at(s, "/floors/1").put("level", -1), "$.floors[1].level", "already used by $.floors[0]"),
        bad("a floor below a lower level is refused",
            s -> at(s, "/floors/1").put("elevation", -6), "$.floors[1].elevation", "must be above floor 'B1'"),
        bad("a zone on an unknown floor is refused",
            s -> at(s, "/zones/0").put("floor", "L9"), "$.zones[0].floor", "unknown floor 'L9'"),
        bad("a category on a zone that is not a shop is refused",
            s -> at(s, "/zones/1").put("category", "food"), "$.zones[1].category", "only shops have a category"),
        bad("an outline of two points is refused",
            s -> {
              ((ArrayNode) s.at("/zones/1/outline")).remove(0);
              ((ArrayNode) s.at("/zones/1/outline")).remove(0);
            }, "$.zones[1].outline", "at least 3 points, this one 2"),
        bad("a link to an unknown zone is refused",
            s -> at(s, "/links/2").put("to", "S-999"), "$.links[2].to", "unknown zone 'S-999'"),
        bad("a link from a zone to itself is refused",
            s -> at(s, "/links/0").put("to", "ENT-1"), "$.links[0].to", "two different zones"),
        bad("a door between floors is refused",
            s -> at(s, "/links/4").put("kind", "door"), "$.links[4].kind", "joins zones on one floor"),
        bad("the same link twice is refused",
            s -> ((ArrayNode) s.get("links")).add(JSON.createObjectNode().put("from", "S-101").put("to", "C-L1")
                .put("kind", "door").put("width", 2).put("length", 0)), "$.links[6]", "already at $.links[1]"),
        bad("an exit in an unknown zone is refused",
            s -> at(s, "/exits/0").put("zone", "GATE"), "$.exits[0].zone", "unknown zone 'GATE'"),
        bad("a car-park level whose zone is not a car-park level is refused",
            s -> at(s, "/carParks/0/levels/0").put("zone", "LL-B1"), "$.carParks[0].levels[0].zone", "not a car-park-level"),
        bad("a car-park level whose zone is on another floor is refused",
            s -> at(s, "/carParks/0/levels/0").put("floor", "L1"), "$.carParks[0].levels[0].zone", "not on L1"),
        bad("a duplicate bay id is refused",
            s -> at(s, "/carParks/0/levels/0/bays/2").put("id", "P1-B1-001"), "$.carParks[0].levels[0].bays[2].id",
            "duplicate id 'P1-B1-001', already used at $.carParks[0].levels[0].bays[0].id"),
        bad("a line camera without its border zones is refused",
            s -> at(s, "/devices/cameras/0").remove("to"), "$.devices.cameras[0].to", "required for a line camera"),
        bad("a line camera across zones with no link between them is refused",
            s -> at(s, "/devices/cameras/0").put("to", "S-102"), "$.devices.cameras[0]", "no link joins 'ENT-1' and 'S-102'"),
        bad("a headcount camera with a direction is refused",
            s -> at(s, "/devices/cameras/1").put("direction", "entry"), "$.devices.cameras[1].direction", "not used by a headcount camera"),
        bad("a plate-gate camera at an unknown car park is refused",
            s -> at(s, "/devices/cameras/2").put("carPark", "P9"), "$.devices.cameras[2].carPark", "unknown car park 'P9'"),
        bad("an HVAC zone serving a zone on another floor is refused",
            s -> ((ArrayNode) s.at("/devices/hvacZones/1/serves")).add("CP-B1"), "$.devices.hvacZones[1].serves[1]", "is on floor B1"),
        bad("an HVAC zone serving nothing is refused",
            s -> ((ArrayNode) s.at("/devices/hvacZones/1/serves")).removeAll(), "$.devices.hvacZones[1].serves", "at least one zone"),
        bad("shelf labels outside a shop are refused",
            s -> at(s, "/devices/shelfLabelGroups/0").put("zone", "C-L1"), "$.devices.shelfLabelGroups[0].zone", "shelf labels are in shops"),
        bad("a shelf-label count above five digits is refused",
            s -> at(s, "/devices/shelfLabelGroups/0").put("count", 100_000), "$.devices.shelfLabelGroups[0].count", "must be 1 to 99999"),
        bad("a kiosk in an unknown zone is refused",
            s -> at(s, "/devices/kiosks/0").put("zone", "X"), "$.devices.kiosks[0].zone", "unknown zone 'X'"),
        bad("a courier hub in an unknown zone is refused",
            s -> at(s, "/devices/courierFleet").put("hubZone", "DOCK"), "$.devices.courierFleet.hubZone", "unknown zone 'DOCK'"),
        bad("a null list element is refused",
            s -> ((ArrayNode) s.get("zones")).addNull(), "$.zones[7]", "required"));
  }

  private static Arguments bad(String behaviour, Consumer<ObjectNode> change, String path, String messagePart) {
    return Arguments.of(behaviour, change, path, messagePart);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void badInputIsReportedAtItsPath(String behaviour, Consumer<ObjectNode> change, String path, String messagePart) {
    assertError(errorsAfter(change), path, messagePart);
  }

  @Test
  void malformedJsonIsReportedWithItsLineAndColumn() {
    String text = "{\n  \"id\": \"x\",\n  \"name\": {\"zh\": \"甲\" \"en\": \"A\"}\n}\n";
    List<FieldError> errors = errorsOf(text.getBytes(StandardCharsets.UTF_8));
    assertEquals(1, errors.size(), errors::toString);
    assertEquals("$.name.zh", errors.get(0).path());
    assertTrue(errors.get(0).message().startsWith("not valid JSON at line 3, column "), errors.get(0).message());
  }

  @Test
  void aDuplicateKeyIsRefused() {
    String text = "{\"id\": \"a\", \"id\": \"b\"}";
    List<FieldError> errors = errorsOf(text.getBytes(StandardCharsets.UTF_8));
    assertEquals("$.id", errors.get(0).path());
    assertTrue(errors.get(0).message().contains("Duplicate field 'id'"), errors::toString);
  }

  @Test
  void anEmptyFileIsRefused() {
    assertError(errorsOf(new byte[0]), "$", "empty");
  }

  @Test
  void aFileThatIsNotAnObjectIsRefused() {
    assertError(errorsOf("[1, 2]".getBytes(StandardCharsets.UTF_8)), "$", "expected an object, found an array");
  }

  @Test
  void severalErrorsOfMeaningAreAllReported() {
    List<FieldError> errors = errorsAfter(s -> {
      s.put("timezone", "Mars/Olympus");
      at(s, "/zones/1").put("area", -1);
      at(s, "/links/2").put("to", "S-999");
      at(s, "/carParks/0/levels/0/bays/2").put("id", "P1-B1-001");
      at(s, "/devices/kiosks/0").put("zone", "nowhere");
    });
    assertEquals(List.of("$.timezone", "$.zones[1].area", "$.links[2].to", "$.carParks[0].levels[0].bays[2].id",
        "$.devices.kiosks[0].zone"), errors.stream().map(FieldError::path).toList(), errors::toString);
  }

  @Test
  void severalErrorsOfShapeAreAllReportedEvenInOneObject() {
    List<FieldError> errors = errorsAfter(s -> {
      at(s, "/floors/0").remove("elevation");
      at(s, "/zones/1").put("area", "big");
      at(s, "/zones/1").put("kind", "hall");
      at(s, "/carParks/0/levels/0/bays/2").put("colour", "blue");
      at(s, "/devices/cameras/1").put("mode", "thermal");
    });
    // each reported once; the order follows how the parts were bound
    assertEquals(Set.of("$.floors[0].elevation", "$.zones[1].area", "$.zones[1].kind",
        "$.carParks[0].levels[0].bays[2].colour", "$.devices.cameras[1].mode"),
        errors.stream().map(FieldError::path).collect(Collectors.toSet()), errors::toString);
    assertEquals(5, errors.size(), errors::toString);
  }

  @Test
  void unknownFieldsDoNotHideErrorsOfMeaning() {
    List<FieldError> errors = errorsAfter(s -> {
      s.put("owner", "someone");
      at(s, "/zones/1").put("area", 0);
    });
    assertEquals(List.of("$.owner", "$.zones[1].area"), errors.stream().map(FieldError::path).toList(), errors::toString);
  }

  @Test
  void optionalFieldsMayBeLeftOut() {
    ObjectNode s = example();
    at(s, "/carParks/0").remove("overflowFill");
    at(s, "/zones/1").remove("outline");
    at(s, "/zones/2").remove("category");
    at(s, "/devices").remove("courierFleet");
    Site site = SiteLoader.parse(bytes(s));
    assertEquals(CarPark.DEFAULT_OVERFLOW_FILL, site.carParks().get(0).overflowFill());
    assertEquals(null, site.zones().get(1).outline());
    assertFalse(site.hasCourier("RIDER-0001"));
  }

  @Test
  void theMessageListsTheFirstFiftyErrorsAndCountsTheRest() {
    ObjectNode s = example();
    ArrayNode bays = (ArrayNode) s.at("/carParks/0/levels/0/bays");
    for (int i = 0; i < 60; i++) {
      bays.addObject().put("id", "X-" + i).put("kind", "standard").put("shared", false).put("toEntrance", -1).put("toLift", 1);
    }
    SiteValidationException e = assertThrows(SiteValidationException.class, () -> SiteLoader.parse(bytes(s)));
    assertEquals(60, e.errors().size());
    assertTrue(e.getMessage().startsWith("site JSON is not a valid site: 60 errors\n  $.carParks[0].levels[0].bays[3].toEntrance: "),
        e.getMessage());
    assertEquals(50, e.getMessage().lines().filter(l -> l.startsWith("  $.")).count());
    assertTrue(e.getMessage().endsWith("\n  ... and 10 more"), e.getMessage());
  }

  @Test
  void aStreamIsNamedInTheMessage() {
    ObjectNode s = example();
    s.remove("id");
    SiteValidationException e = assertThrows(SiteValidationException.class,
        () -> SiteLoader.load(new ByteArrayInputStream(bytes(s)), "upload.json"));
    assertEquals("upload.json is not a valid site: 1 error\n  $.id: required", e.getMessage());
  }

  @Test
  void aFileLoadsFromItsPath(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("example.json");
    Files.write(file, bytes(example()));
    assertEquals("example-plaza", SiteLoader.load(file).id());
  }
}
