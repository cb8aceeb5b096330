package atrium.core.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SiteLookupTest {
  private static Site demo;

  @BeforeAll
  static void loadDemoMall() throws IOException {
    demo = SiteLoader.load(Path.of("../sites/demo-mall.json"));
  }

  @Test
  void aBayIsFoundWithItsCarParkAndLevel() {
    BayLocation first = demo.bay("PN-B1-0001").orElseThrow();
    assertEquals("P-north", first.carParkId());
    assertEquals("PN-B1", first.levelId());
    assertEquals("PN-B1-0001", first.bay().id());
    BayLocation last = demo.bay("PS-B2-0500").orElseThrow();
    assertEquals(List.of("P-south", "PS-B2"), List.of(last.carParkId(), last.levelId()));
  }

  @Test
  void anUnknownBayIsNotFound() {
    assertEquals(Optional.empty(), demo.bay("PN-B1-0501"));
    assertEquals(Optional.empty(), demo.bay("pn-b1-0001"));
  }

  @Test
  void zonesCarParksAndDevicesAreFoundById() {
    assertEquals(Zone.Kind.FOOD_COURT, demo.zone("FC-L3").orElseThrow().kind());
    assertEquals("CP-N-B1", demo.carPark("P-north").orElseThrow().entranceZone());
    assertEquals(Camera.Mode.PLATE_GATE, demo.camera("CAM-0001").orElseThrow().mode());
    assertEquals("L2", demo.hvacZone("AHU-L2-07").orElseThrow().floor());
    assertTrue(demo.kiosk("KIOSK-40").isPresent());
    assertEquals("B1", demo.floor("B1").orElseThrow().id());
    assertEquals(Optional.empty(), demo.zone("nowhere"));
    assertEquals(Optional.empty(), demo.camera("CAM-0201"));
    assertEquals(Optional.empty(), demo.kiosk("KIOSK-41"));
  }

  @Test
  void carParksComeInOrderOfIdWhateverTheFileOrder() {
    ObjectNode s = SiteLoaderTest.example();
    ObjectNode second = ((ArrayNode) s.get("carParks")).insertObject(0);
    second.put("id", "P0").putObject("name").put("zh", "零号停车场").put("en", "Car Park 0");
    second.put("entranceZone", "CP-B1");
    ObjectNode level = second.putArray("levels").addObject().put("id", "P0-B1").put("floor", "B1").put("zone", "CP-B1");
    level.putArray("bays").addObject().put("id", "P0-B1-001").put("kind", "family").put("shared", false)
        .put("toEntrance", 5).put("toLift", 5);
    Site site = SiteLoader.parse(SiteLoaderTest.bytes(s));
    assertEquals(List.of("P0", "P1"), site.carParks().stream().map(CarPark::id).toList());
    ((ArrayNode) s.get("carParks")).add(((ArrayNode) s.get("carParks")).remove(0)); // now P1, P0 in the file
    site = SiteLoader.parse(SiteLoaderTest.bytes(s));
    assertEquals(List.of("P1", "P0"), site.carParks().stream().map(CarPark::id).toList());
    assertEquals(List.of("P0", "P1"), site.carParksById().stream().map(CarPark::id).toList());
    assertEquals(4, site.totalBays());
  }

  @Test
  void countsCoverTheWholeSite() {
    assertEquals(2_000, demo.totalBays());
    assertEquals(20_000, demo.shelfLabelCount());
  }

  @Test
  void aLabelIdInsideItsGroupsCountExistsAndOneOutsideDoesNot() {
    ShelfLabelGroup group = demo.devices().shelfLabelGroups().get(0);
    assertTrue(demo.hasShelfLabel(group.labelId(1)));
    assertTrue(demo.hasShelfLabel(group.labelId(group.count())));
    assertEquals(group.zone(), demo.shelfLabelGroupOf(group.labelId(group.count())).orElseThrow().zone());
    assertFalse(demo.hasShelfLabel(group.labelId(group.count() + 1)));
    assertFalse(demo.hasShelfLabel(group.labelId(0)));
  }

  @Test
  void aLabelIdOfTheWrongShapeIsNotALabel() {
    ShelfLabelGroup group = demo.devices().shelfLabelGroups().get(0);
    assertEquals(group.idPrefix() + "-00001", group.labelId(1));
    assertFalse(demo.hasShelfLabel(group.idPrefix() + "-1"));
    assertFalse(demo.hasShelfLabel(group.idPrefix() + "-0001"));
    assertFalse(demo.hasShelfLabel(group.idPrefix() + "-000001"));
    assertFalse(demo.hasShelfLabel(group.idPrefix() + "-0000x"));
    assertFalse(demo.hasShelfLabel("ESL-NOWHERE-00001"));
    assertFalse(demo.hasShelfLabel("-00001"));
    assertFalse(demo.hasShelfLabel(null));
  }

  @Test
  void aCourierIdInsideTheFleetExistsAndOneOutsideDoesNot() {
    assertTrue(demo.hasCourier("COURIER-0001"));
    assertTrue(demo.hasCourier("COURIER-0150"));
    assertFalse(demo.hasCourier("COURIER-0151"));
    assertFalse(demo.hasCourier("COURIER-0000"));
    assertFalse(demo.hasCourier("COURIER-001"));
    assertFalse(demo.hasCourier("RIDER-0001"));
  }
}
