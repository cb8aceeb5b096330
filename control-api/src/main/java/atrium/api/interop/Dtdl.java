package atrium.api.interop;

import atrium.api.interop.PointCatalog.Attribute;
import atrium.api.interop.PointCatalog.Point;
import atrium.core.asset.AssetKind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The asset kinds as DTDL v3 interfaces (for Azure Digital Twins and other DTDL platforms), generated
 * from {@link PointCatalog}: Telemetry for what devices report into the history, Property for state
 * the twin derives or keeps, Command for what operators and loops tell a twin, Relationship for
 * containment (site → floor → zone → devices, car park → bays). Personal points (a courier's
 * position, a plate) are not exported.
 */
public final class Dtdl {
  public static final String CONTEXT = "dtmi:dtdl:context;3";
  /** DTDL v3 puts semantic types and units in this extension. */
  public static final String QUANTITATIVE_TYPES = "dtmi:dtdl:extension:quantitativeTypes;1";
  public static final String PREFIX = "dtmi:atrium:";

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** DTDL semantic type and unit for a catalog unit, where the quantitative-types extension has one. */
  private static final Map<String, String[]> SEMANTICS = Map.of(
      "Cel", new String[] {"Temperature", "degreeCelsius"},
      "%RH", new String[] {"RelativeHumidity", "percent"},
      "kW", new String[] {"Power", "kilowatt"},
      "kWh", new String[] {"Energy", "kilowattHour"},
      "m/s", new String[] {"Velocity", "metrePerSecond"},
      "min", new String[] {"TimeSpan", "minute"});

  record Field(String name, String schema) {}

  record Cmd(String name, String en, String zh, List<Field> request) {}

  record Rel(String name, String target, String en, String zh) {}

  private static final Map<AssetKind, List<Cmd>> COMMANDS = Map.of(
      AssetKind.PARKING_BAY, List.of(
          new Cmd("reserve", "reserve", "预约", List.of(new Field("reference", "string"), new Field("hold", "duration"))),
          new Cmd("cancelReservation", "cancel reservation", "取消预约", List.of(new Field("reference", "string"))),
          new Cmd("takeOutOfService", "take out of service", "停用", List.of(new Field("reason", "string"))),
          new Cmd("returnToService", "return to service", "恢复使用", List.of())),
      AssetKind.CAR_PARK, List.of(
          new Cmd("guide", "guide to a free bay", "车位引导", List.of(new Field("preference", "string"), new Field("bayKind", "string"))),
          new Cmd("findCar", "find my car", "反向寻车", List.of(new Field("plate", "string"), new Field("fromZone", "string")))),
      AssetKind.CAMERA, List.of(new Cmd("resetFault", "reset fault", "复位故障", List.of())),
      AssetKind.ZONE, List.of(new Cmd("correctOccupancy", "correct occupancy", "修正人数",
          List.of(new Field("occupancy", "integer"), new Field("reason", "string")))),
      AssetKind.HVAC_ZONE, List.of(
          new Cmd("setMode", "set mode", "设置模式", List.of(new Field("mode", "mode"))),
          new Cmd("clearSmokeControl", "clear smoke control", "解除排烟模式", List.of()),
          new Cmd("setSetpoints", "set setpoints", "设置设定温度",
              List.of(new Field("heating", "double"), new Field("cooling", "double")))),
      AssetKind.SHELF_LABEL, List.of(
          new Cmd("setPrice", "set price", "改价", List.of(new Field("price", "double"), new Field("product", "string"),
              new Field("unitPrice", "string"), new Field("promotion", "string"))),
          new Cmd("flash", "flash", "闪烁提醒", List.of(new Field("reason", "flash"), new Field("duration", "duration")))),
      AssetKind.KIOSK, List.of(new Cmd("setContentMode", "set content mode", "设置内容模式",
          List.of(new Field("mode", "contentMode")))),
      AssetKind.COURIER, List.of(
          new Cmd("assignOrder", "assign order", "派单", List.of(new Field("orderId", "string"), new Field("x", "double"),
              new Field("y", "double"), new Field("floor", "string"), new Field("promisedBy", "dateTime"))),
          new Cmd("markDelivered", "mark delivered", "确认送达", List.of(new Field("orderId", "string"))),
          new Cmd("markFailed", "mark failed", "配送失败", List.of(new Field("orderId", "string"), new Field("reason", "string")))),
      AssetKind.ALARM, List.of(
          new Cmd("acknowledge", "acknowledge", "确认", List.of()),
          new Cmd("shelve", "shelve", "搁置", List.of(new Field("duration", "duration"), new Field("reason", "string"))),
          new Cmd("unshelve", "unshelve", "取消搁置", List.of()),
          new Cmd("clear", "clear", "清除", List.of()),
          new Cmd("suppress", "suppress by design", "按设计抑制", List.of(new Field("reason", "string"))),
          new Cmd("unsuppress", "unsuppress", "取消抑制", List.of()),
          new Cmd("removeFromService", "remove from service", "退出服务", List.of(new Field("reason", "string"))),
          new Cmd("returnToService", "return to service", "恢复服务", List.of())));

  private static final Map<AssetKind, List<Rel>> RELATIONSHIPS = Map.of(
      AssetKind.ZONE, List.of(new Rel("cameras", "Camera", "cameras", "摄像机"), new Rel("kiosks", "Kiosk", "kiosks", "自助终端"),
          new Rel("shelfLabels", "ShelfLabel", "shelf labels", "电子价签")),
      AssetKind.HVAC_ZONE, List.of(new Rel("serves", "Zone", "serves", "服务区域")),
      AssetKind.CAR_PARK, List.of(new Rel("bays", "ParkingBay", "bays", "车位"), new Rel("entranceZone", "Zone", "entrance zone", "入口区域")),
      AssetKind.ALARM, List.of(new Rel("source", null, "source asset", "报警来源")));

  private static final Map<AssetKind, String> DISPLAY_ZH = Map.of(AssetKind.PARKING_BAY, "车位", AssetKind.CAR_PARK, "停车场",
      AssetKind.CAMERA, "摄像机", AssetKind.ZONE, "区域", AssetKind.HVAC_ZONE, "空调区域", AssetKind.SHELF_LABEL, "电子价签",
      AssetKind.KIOSK, "自助终端", AssetKind.COURIER, "即时配送员", AssetKind.ALARM, "报警");

  private Dtdl() {}

  /** The DTMI of a kind's interface, e.g. {@code dtmi:atrium:HvacZone;1}. */
  public static String dtmi(AssetKind kind) {
    return PREFIX + typeName(kind) + ";1";
  }

  /** Every interface: Site, Floor and one per asset kind. */
  public static JsonNode interfaces() {
    ArrayNode all = F.arrayNode();
    all.add(site());
    all.add(floor());
    for (AssetKind kind : AssetKind.values()) all.add(assetInterface(kind));
    return all;
  }

  private static ObjectNode site() {
    ObjectNode i = header(PREFIX + "Site;1", "Site", "商场");
    ArrayNode c = i.putArray("contents");
    c.add(property("name", "string", "name", "名称"));
    c.add(property("timezone", "string", "time zone", "时区"));
    c.add(relationship(new Rel("floors", "Floor", "floors", "楼层")));
    c.add(relationship(new Rel("carParks", "CarPark", "car parks", "停车场")));
    c.add(relationship(new Rel("couriers", "Courier", "couriers", "即时配送员")));
    return i;
  }

  private static ObjectNode floor() {
    ObjectNode i = header(PREFIX + "Floor;1", "Floor", "楼层");
    ArrayNode c = i.putArray("contents");
    c.add(property("level", "integer", "level", "层号"));
    c.add(property("elevation", "double", "elevation (m)", "标高（米）"));
    c.add(relationship(new Rel("zones", "Zone", "zones", "区域")));
    c.add(relationship(new Rel("hvacZones", "HvacZone", "HVAC zones", "空调区域")));
    return i;
  }

  private static ObjectNode assetInterface(AssetKind kind) {
    ObjectNode i = header(dtmi(kind), english(kind), DISPLAY_ZH.get(kind));
    ArrayNode c = i.putArray("contents");
    for (Point p : PointCatalog.points(kind)) {
      if (p.personal()) continue;
      c.add(p.telemetry() != null ? telemetry(p) : pointProperty(p));
    }
    for (Attribute a : PointCatalog.attributes(kind)) {
      if (a.schema() != null) c.add(property(a.name(), a.schema(), null, null));
    }
    for (Cmd cmd : COMMANDS.getOrDefault(kind, List.of())) c.add(command(cmd));
    for (Rel r : RELATIONSHIPS.getOrDefault(kind, List.of())) c.add(relationship(r));
    return i;
  }

  private static ObjectNode header(String id, String en, String zh) {
    ObjectNode i = F.objectNode();
    i.putArray("@context").add(CONTEXT).add(QUANTITATIVE_TYPES);
    i.put("@id", id);
    i.put("@type", "Interface");
    i.set("displayName", display(en, zh));
    return i;
  }

  private static ObjectNode telemetry(Point p) {
    ObjectNode t = F.objectNode();
    String[] semantic = p.unit() == null ? null : SEMANTICS.get(p.unit());
    if (semantic != null) t.putArray("@type").add("Telemetry").add(semantic[0]);
    else t.put("@type", "Telemetry");
    t.put("name", p.name());
    t.set("schema", schema(p));
    if (semantic != null) t.put("unit", semantic[1]);
    t.set("displayName", display(p.en(), p.zh()));
    t.put("comment", p.brick() + " · " + p.haystack());
    return t;
  }

  private static ObjectNode pointProperty(Point p) {
    ObjectNode t = F.objectNode();
    String[] semantic = p.unit() == null ? null : SEMANTICS.get(p.unit());
    if (semantic != null) t.putArray("@type").add("Property").add(semantic[0]);
    else t.put("@type", "Property");
    t.put("name", p.name());
    t.set("schema", schema(p));
    if (semantic != null) t.put("unit", semantic[1]);
    t.set("displayName", display(p.en(), p.zh()));
    t.put("comment", p.brick() + " · " + p.haystack());
    return t;
  }

  private static ObjectNode property(String name, String schema, String en, String zh) {
    ObjectNode t = F.objectNode().put("@type", "Property").put("name", name).put("schema", schema);
    if (en != null) t.set("displayName", display(en, zh));
    return t;
  }

  private static ObjectNode relationship(Rel r) {
    ObjectNode t = F.objectNode().put("@type", "Relationship").put("name", r.name());
    if (r.target() != null) t.put("target", PREFIX + r.target() + ";1");
    t.set("displayName", display(r.en(), r.zh()));
    return t;
  }

  private static ObjectNode command(Cmd cmd) {
    ObjectNode t = F.objectNode().put("@type", "Command").put("name", cmd.name());
    t.set("displayName", display(cmd.en(), cmd.zh()));
    if (cmd.request().size() == 1) {
      Field f = cmd.request().get(0);
      t.putObject("request").put("name", f.name()).set("schema", fieldSchema(f.schema()));
    } else if (!cmd.request().isEmpty()) {
      ObjectNode obj = t.putObject("request").put("name", "request").putObject("schema").put("@type", "Object");
      ArrayNode fields = obj.putArray("fields");
      for (Field f : cmd.request()) fields.addObject().put("name", f.name()).set("schema", fieldSchema(f.schema()));
    }
    return t;
  }

  private static JsonNode fieldSchema(String schema) {
    return switch (schema) {
      case "mode" -> enumSchema(pointValues(AssetKind.HVAC_ZONE, "mode"));
      case "contentMode" -> enumSchema(pointValues(AssetKind.KIOSK, "contentMode"));
      case "flash" -> enumSchema(pointValues(AssetKind.SHELF_LABEL, "flashing"));
      default -> F.textNode(schema);
    };
  }

  private static List<String> pointValues(AssetKind kind, String name) {
    return PointCatalog.points(kind).stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow().values();
  }

  private static JsonNode schema(Point p) {
    if (!p.values().isEmpty()) return enumSchema(p.values());
    return F.textNode(switch (p.kind()) {
      case NUMBER -> "double";
      case BOOL -> "boolean";
      case STR -> "string";
    });
  }

  private static ObjectNode enumSchema(List<String> values) {
    ObjectNode e = F.objectNode().put("@type", "Enum").put("valueSchema", "string");
    ArrayNode vs = e.putArray("enumValues");
    for (String v : values) vs.addObject().put("name", enumName(v)).put("enumValue", v);
    return e;
  }

  /** An enum value's spelling made into a DTDL name ({@code evacuation-guidance} → {@code evacuation_guidance}). */
  static String enumName(String value) {
    return value.replaceAll("[^A-Za-z0-9_]", "_");
  }

  private static ObjectNode display(String en, String zh) {
    ObjectNode d = F.objectNode().put("en", en);
    if (zh != null) d.put("zh-Hans", zh);
    return d;
  }

  static String typeName(AssetKind kind) {
    StringBuilder sb = new StringBuilder();
    for (String part : kind.wireName().split("-")) sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    return sb.toString();
  }

  private static String english(AssetKind kind) {
    String s = kind.wireName().replace('-', ' ');
    return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
  }

  /** The interfaces' ids, for tests and docs. */
  static List<String> ids() {
    List<String> ids = new ArrayList<>();
    interfaces().forEach(i -> ids.add(i.get("@id").asText()));
    return ids;
  }
}
