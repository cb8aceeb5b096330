package atrium.api.interop;

import atrium.core.alarm.Alarm;
import atrium.core.alarm.Severity;
import atrium.core.asset.AssetKind;
import atrium.core.json.Json;
import atrium.devices.hvac.HvacZone;
import atrium.devices.kiosk.Kiosk;
import atrium.devices.parking.ParkingBay;
import atrium.devices.shelflabel.ShelfLabel;
import atrium.devices.zone.Zone;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every asset kind measures, reports and is commanded with, each point with its Brick class and
 * Project Haystack 4 tags, so building engineers' tools can read the twin in their own vocabulary.
 * One table, the single source for the REST asset view's point list ({@link #describe}) and the DTDL
 * export ({@link Dtdl}). Brick names are checked against Brick 1.4 (see docs/interop.md); where Brick
 * has no exact class the point names the closest superclass and says so in its {@code note}.
 *
 * <p>{@code telemetry} is the name in the device protocol's {@code data} and in the telemetry
 * history (null for points the twin derives); {@code state} is the JSON pointer of the value in the
 * kind's state view (null where the view does not show it, e.g. a courier's position).
 */
public final class PointCatalog {

  public enum Role { SENSOR, SETPOINT, COMMAND, STATUS }

  /** Haystack's point kinds. */
  public enum ValueKind {
    NUMBER("Number"), BOOL("Bool"), STR("Str");

    private final String haystack;

    ValueKind(String haystack) {
      this.haystack = haystack;
    }

    public String haystack() {
      return haystack;
    }
  }

  /**
   * One point. {@code unit} is UCUM-like ({@code Cel}, {@code %RH}, {@code ppm}, {@code kW},
   * {@code kWh}, {@code 1} for counts), null for Bool and Str points. {@code personal} points carry
   * personal data (M §7.6.3): they are listed so the catalog is complete, but never exported to DTDL
   * or shown by {@link #describe}.
   */
  public record Point(AssetKind asset, String name, String telemetry, String state, Role role, ValueKind kind,
      String unit, String brick, String haystack, List<String> values, String en, String zh, String note,
      boolean personal) {
    public Point {
      values = values == null ? List.of() : List.copyOf(values);
    }

    /** The unit as Haystack's unit database spells it, if it has one. */
    public Optional<String> haystackUnit() {
      return Optional.ofNullable(unit).map(u -> HAYSTACK_UNITS.getOrDefault(u, null));
    }
  }

  /**
   * Descriptive state that is not a point (where the asset is, what it serves, who set something):
   * exported as a DTDL Property when {@code schema} is a DTDL primitive, else shown only over REST.
   */
  public record Attribute(String name, String state, String schema, String en) {}

  private static final Map<String, String> HAYSTACK_UNITS = Map.of(
      "Cel", "°C", "%RH", "%RH", "ppm", "ppm", "kW", "kW", "kWh", "kWh", "%", "%", "m/s", "m/s", "m", "m", "min", "min", "L/s", "L/s");

  private static final Map<AssetKind, List<Point>> POINTS = new EnumMap<>(AssetKind.class);
  private static final Map<AssetKind, List<Attribute>> ATTRIBUTES = new EnumMap<>(AssetKind.class);

  static {
    parking();
    camera();
    zone();
    hvac();
    shelfLabel();
    kiosk();
    courier();
    alarm();
    POINTS.replaceAll((k, v) -> List.copyOf(v));
  }

  private PointCatalog() {}

  public static List<Point> points(AssetKind kind) {
    return POINTS.getOrDefault(kind, List.of());
  }

  public static List<Attribute> attributes(AssetKind kind) {
    return ATTRIBUTES.getOrDefault(kind, List.of());
  }

  /** The whole catalog: {@code {"kinds":[{"kind":"hvac-zone","points":[...]}]}}. */
  public static JsonNode toJson() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ArrayNode kinds = root.putArray("kinds");
    for (AssetKind kind : AssetKind.values()) {
      ObjectNode k = kinds.addObject().put("kind", kind.wireName());
      ArrayNode points = k.putArray("points");
      for (Point p : points(kind)) points.add(toJson(p));
    }
    return root;
  }

  /**
   * One asset's state view annotated with its points: {@code {"points":[{"name":"temperature",
   * "value":21.5,"unit":"Cel","brick":"Zone_Air_Temperature_Sensor","haystack":"zone air temp sensor
   * point",...}]}}. Points the view does not show, and personal points, are left out; a point whose
   * value is absent from this view (a sensor that never reported) has {@code "value":null}.
   */
  public static JsonNode describe(AssetKind kind, JsonNode state) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ArrayNode out = root.putArray("points");
    for (Point p : points(kind)) {
      if (p.personal() || p.state() == null) continue;
      JsonNode v = state == null ? null : state.at(p.state());
      ObjectNode o = out.addObject().put("name", p.name());
      o.set("value", v == null || v.isMissingNode() ? JsonNodeFactory.instance.nullNode() : v);
      putMeta(o, p);
    }
    return root;
  }

  private static ObjectNode toJson(Point p) {
    ObjectNode o = JsonNodeFactory.instance.objectNode().put("name", p.name());
    o.put("telemetry", p.telemetry());
    o.put("state", p.state());
    putMeta(o, p);
    if (p.personal()) o.put("personal", true);
    return o;
  }

  private static void putMeta(ObjectNode o, Point p) {
    o.put("role", p.role().name().toLowerCase(java.util.Locale.ROOT));
    o.put("kind", p.kind().haystack());
    o.put("unit", p.unit());
    p.haystackUnit().ifPresent(u -> o.put("haystackUnit", u));
    o.put("brick", p.brick());
    o.put("haystack", p.haystack());
    if (!p.values().isEmpty()) p.values().forEach(o.putArray("values")::add);
    o.put("en", p.en());
    o.put("zh", p.zh());
    if (p.note() != null) o.put("note", p.note());
  }

  // ---- the table

  private static void parking() {
    AssetKind k = AssetKind.PARKING_BAY;
    add(k, "occupied", "occupied", "/sensorOccupied", Role.SENSOR, ValueKind.BOOL, null, "Occupancy_Sensor",
        "occupied sensor point", "bay sensor: a car is in the bay", "车位占用", null);
    add(k, "status", null, "/status", Role.STATUS, ValueKind.STR, null, "Occupancy_Status",
        "occupied sensor point", "bay status", "车位状态",
        "Brick's Occupancy_Status is the closest class; Atrium's status also says reserved or out of service",
        enumValues(ParkingBay.Status.class));
    personal(k, "plate", "plate", null, ValueKind.STR, "licence plate read by a bay camera", "车牌",
        "personal data: pseudonymised at the door, only a token reaches the twin");
    attrs(k, attr("carPark", "/carPark", "string"), attr("level", "/level", "string"),
        attr("bayKind", "/bayKind", "string"), attr("shared", "/shared", "boolean"),
        attr("plateToken", "/plateToken", "string"), attr("reservation", "/reservation", "string"),
        attr("outOfServiceReason", "/outOfServiceReason", "string"));

    k = AssetKind.CAR_PARK;
    add(k, "free", null, "/free", Role.SENSOR, ValueKind.NUMBER, "1", "Sensor", "parking free sensor point",
        "free bays", "空余车位", "Brick has no parking-count point; Sensor is the closest class");
    add(k, "occupied", null, "/occupied", Role.SENSOR, ValueKind.NUMBER, "1", "Occupancy_Count_Sensor",
        "occupancy sensor point", "occupied bays", "已占车位", "counts cars, not people");
    add(k, "reserved", null, "/reserved", Role.SENSOR, ValueKind.NUMBER, "1", "Sensor", "sensor point",
        "reserved bays", "预约车位", "no Brick class for reservations; Sensor is the closest class");
    add(k, "outOfService", null, "/outOfService", Role.SENSOR, ValueKind.NUMBER, "1", "Sensor", "sensor point",
        "bays out of service", "停用车位", "no Brick class; Sensor is the closest class");
    add(k, "fillLevel", null, "/fillLevel", Role.SENSOR, ValueKind.NUMBER, "1", "Sensor", "sensor point",
        "fill level (occupied / capacity)", "占用率", "a fraction 0-1; Brick has no occupancy-percentage point");
    add(k, "overflowing", null, "/overflowing", Role.STATUS, ValueKind.BOOL, null, "Status", "sensor point",
        "overflowing to other car parks", "溢出引导", "Brick has no parking-overflow status; Status is the closest class");
    add(k, "openStays", null, "/openStays", Role.SENSOR, ValueKind.NUMBER, "1", "Sensor", "sensor point",
        "cars inside by the gates", "场内车辆", "entries minus exits at the plate gates; Sensor is the closest class");
    attrs(k, attr("name", "/name", null), attr("capacity", "/capacity", "integer"),
        attr("overflowFill", "/overflowFill", "double"), attr("levels", "/levels", null), attr("flows", "/flows", null));
  }

  private static void camera() {
    AssetKind k = AssetKind.CAMERA;
    add(k, "in", "in", "/lastIn", Role.SENSOR, ValueKind.NUMBER, "1", "Sensor", "occupants sensor point",
        "people in across the line (last report)", "进入人数",
        "Brick has no point for line crossings (the camera is Brick's People_Count_Sensor_Equipment); Sensor is the closest class");
    add(k, "out", "out", "/lastOut", Role.SENSOR, ValueKind.NUMBER, "1", "Sensor", "occupants sensor point",
        "people out across the line (last report)", "离开人数",
        "Brick has no point for line crossings; Sensor is the closest class");
    add(k, "count", "count", "/lastCount", Role.SENSOR, ValueKind.NUMBER, "1", "Occupancy_Count_Sensor",
        "occupancy sensor point", "people counted in the zone", "区域人数", null);
    add(k, "offline", null, "/offline", Role.STATUS, ValueKind.BOOL, null, "Communication_Loss_Alarm",
        "alarm sensor point", "offline", "离线", null);
    add(k, "implausible", null, "/implausible", Role.STATUS, ValueKind.BOOL, null, "Fault_Status",
        "sensor point", "counts implausible", "计数异常", null);
    attrs(k, attr("mode", "/mode", "string"), attr("zone", "/zone", "string"), attr("from", "/from", "string"),
        attr("to", "/to", "string"), attr("fault", "/fault", "string"), attr("reports", "/reports", "long"),
        attr("ignoredReports", "/ignoredReports", "long"), attr("countedIn", "/countedIn", "long"),
        attr("countedOut", "/countedOut", "long"));
  }

  private static void zone() {
    AssetKind k = AssetKind.ZONE;
    add(k, "occupancy", "occupancy", "/occupancy", Role.SENSOR, ValueKind.NUMBER, "1", "Occupancy_Count_Sensor",
        "zone occupancy sensor point", "people in the zone", "区域人数", null);
    add(k, "density", "density", "/density", Role.SENSOR, ValueKind.NUMBER, "/m2", "Sensor", "zone sensor point",
        "people per square metre", "人员密度", "Brick has no crowd-density point; Sensor is the closest class");
    add(k, "crowding", null, "/crowding", Role.STATUS, ValueKind.STR, null, "Status", "zone sensor point",
        "crowding level", "拥挤等级", "Brick has no crowding status; Status is the closest class",
        enumValues(Zone.Crowding.class));
    add(k, "dwellMinutes", null, "/dwellMinutes", Role.SENSOR, ValueKind.NUMBER, "min", "Sensor", "zone sensor point",
        "mean dwell time (Little's law)", "平均停留时间", "derived, not measured; Sensor is the closest class");
    add(k, "entriesPerHour", null, "/entriesPerHour", Role.SENSOR, ValueKind.NUMBER, "/h", "Sensor",
        "zone occupants sensor point", "entries per hour", "每小时进入人数", "no Brick class for people flow; Sensor is the closest class");
    add(k, "exitsPerHour", null, "/exitsPerHour", Role.SENSOR, ValueKind.NUMBER, "/h", "Sensor",
        "zone occupants sensor point", "exits per hour", "每小时离开人数", "no Brick class for people flow; Sensor is the closest class");
    attrs(k, attr("kind", "/kind", "string"), attr("floor", "/floor", "string"), attr("area", "/area", "double"),
        attr("windowSeconds", "/windowSeconds", "long"), attr("flows", "/flows", null),
        attr("observedHeadcount", "/observedHeadcount", "integer"), attr("headcountCameras", "/headcountCameras", "integer"),
        attr("fullyCounted", "/fullyCounted", "boolean"), attr("refusedReports", "/refusedReports", "long"));
  }

  private static void hvac() {
    AssetKind k = AssetKind.HVAC_ZONE;
    add(k, "temperature", "temperature", "/temperature/value", Role.SENSOR, ValueKind.NUMBER, "Cel",
        "Zone_Air_Temperature_Sensor", "zone air temp sensor point", "zone air temperature", "区域温度", null);
    add(k, "humidity", "humidity", "/humidity/value", Role.SENSOR, ValueKind.NUMBER, "%RH",
        "Zone_Air_Humidity_Sensor", "zone air humidity sensor point", "zone air humidity", "区域湿度", null);
    add(k, "co2", "co2", "/co2/value", Role.SENSOR, ValueKind.NUMBER, "ppm", "CO2_Level_Sensor",
        "zone air co2 concentration sensor point", "zone CO2", "区域二氧化碳浓度",
        "Brick 1.4 has no zone-air CO2 subclass; CO2_Level_Sensor is the class");
    add(k, "supplyAirTemperature", "supplyAirTemperature", "/supplyAirTemperature/value", Role.SENSOR, ValueKind.NUMBER,
        "Cel", "Supply_Air_Temperature_Sensor", "discharge air temp sensor point", "supply air temperature", "送风温度",
        "Haystack 4 calls supply air discharge air");
    add(k, "heatingOutput", "heatingOutput", "/outputs/heating", Role.COMMAND, ValueKind.NUMBER, "%", "Heating_Command",
        "heating cmd point", "heating output", "供热输出", "the controller's actuator output as it reports it");
    add(k, "coolingOutput", "coolingOutput", "/outputs/cooling", Role.COMMAND, ValueKind.NUMBER, "%", "Cooling_Command",
        "cooling cmd point", "cooling output", "供冷输出", "the controller's actuator output as it reports it");
    add(k, "power", "power", "/energy/powerKw", Role.SENSOR, ValueKind.NUMBER, "kW", "Electric_Power_Sensor",
        "elec power sensor point", "electric power", "电功率", null);
    add(k, "energy", "energy", "/energy/meterKwh", Role.SENSOR, ValueKind.NUMBER, "kWh", "Electric_Energy_Sensor",
        "elec energy sensor point", "energy meter", "电能表读数", "cumulative meter reading");
    add(k, "heatingSetpoint", null, "/setpoints/heating", Role.SETPOINT, ValueKind.NUMBER, "Cel",
        "Heating_Zone_Air_Temperature_Setpoint", "zone air temp heating sp point", "heating setpoint", "供热设定温度", null);
    add(k, "coolingSetpoint", null, "/setpoints/cooling", Role.SETPOINT, ValueKind.NUMBER, "Cel",
        "Cooling_Zone_Air_Temperature_Setpoint", "zone air temp cooling sp point", "cooling setpoint", "供冷设定温度", null);
    add(k, "mode", null, "/mode", Role.COMMAND, ValueKind.STR, null, "Mode_Command", "zone hvacMode sp point",
        "operating mode", "运行模式", null, enumValues(HvacZone.Mode.class));
    add(k, "occupancy", "occupancy", "/occupancy/people", Role.SENSOR, ValueKind.NUMBER, "1", "Occupancy_Count_Sensor",
        "zone occupancy sensor point", "people in the served zones", "服务区域人数", "the sum over the zones it serves");
    add(k, "occupied", null, "/occupancy/occupied", Role.STATUS, ValueKind.BOOL, null, "Occupancy_Status",
        "zone occupied sensor point", "occupied", "有人", null);
    add(k, "control", null, "/control/control", Role.COMMAND, ValueKind.STR, null, "Command", "cmd point",
        "control", "控制方", "who closes the zone's loops (its own controller or the twin); Brick has no class for it, "
            + "Command is the closest", enumValues(HvacZone.Control.class));
    add(k, "loopHeating", null, "/control/outputs/heating", Role.COMMAND, ValueKind.NUMBER, "%", "Heating_Command",
        "heating cmd point", "twin loop heating output", "孪生回路供热输出", "the twin's loop output as sent (set-outputs)");
    add(k, "loopCooling", null, "/control/outputs/cooling", Role.COMMAND, ValueKind.NUMBER, "%", "Cooling_Command",
        "cooling cmd point", "twin loop cooling output", "孪生回路供冷输出", "the twin's loop output as sent (set-outputs)");
    add(k, "loopOutdoorAir", null, "/control/outputs/outdoorAir", Role.SETPOINT, ValueKind.NUMBER, "L/s",
        "Outside_Air_Flow_Setpoint", "outside air flow sp point", "twin loop outdoor air", "孪生回路新风量",
        "the twin's demand-controlled ventilation as sent (set-outputs)");
    add(k, "lightingLevel", null, "/control/lighting/level", Role.COMMAND, ValueKind.NUMBER, "%", "Command",
        "light cmd point", "lighting level", "照明亮度", "the twin's lighting level as sent (set-lighting); Brick 1.4 "
            + "has no lighting level command, Command is the closest");
    attrs(k, attr("floor", "/floor", "string"), attr("floorArea", "/floorArea", "double"), attr("serves", "/serves", null),
        attr("controlBy", "/control/by", "string"), attr("controlCommand", "/control/command", null),
        attr("controlFallback", "/control/fallback", null), attr("loopOutputs", "/control/outputs", null),
        attr("lighting", "/control/lighting", null),
        attr("resumeMode", "/resumeMode", "string"), attr("modeBy", "/modeBy", "string"),
        attr("modeCommand", "/modeCommand", null), attr("setpointsBy", "/setpoints/by", "string"),
        attr("setpointsCommand", "/setpoints/command", null),
        attr("temperatureSensor", "/temperature", null), attr("humiditySensor", "/humidity", null),
        attr("co2Sensor", "/co2", null), attr("supplyAirTemperatureSensor", "/supplyAirTemperature", null),
        attr("energyTodayKwh", "/energy/todayKwh", "double"), attr("energyYesterdayKwh", "/energy/yesterdayKwh", "double"),
        attr("energyTotalKwh", "/energy/totalKwh", "double"), attr("energyTodayKwhPerM2", "/energy/todayKwhPerM2", "double"),
        attr("zonesReporting", "/occupancy/zonesReporting", "integer"), attr("zonesServed", "/occupancy/zonesServed", "integer"));
  }

  private static void shelfLabel() {
    AssetKind k = AssetKind.SHELF_LABEL;
    add(k, "battery", "battery", "/battery", Role.SENSOR, ValueKind.NUMBER, "%", "Sensor",
        "battery stateOfCharge sensor point", "battery", "电池电量",
        "Brick 1.4 has a battery voltage sensor but no state-of-charge point; Sensor is the closest class");
    add(k, "batteryLow", null, "/batteryLow", Role.STATUS, ValueKind.BOOL, null, "Low_Battery_Alarm",
        "battery alarm sensor point", "battery low", "电量低", null);
    add(k, "price", null, "/price", Role.STATUS, ValueKind.NUMBER, "CNY", "Status", "point",
        "displayed price", "显示价格", "not a building point: no Brick class or Haystack tag; Status is the closest class");
    add(k, "priceChangeFailed", null, "/priceChangeFailed", Role.STATUS, ValueKind.BOOL, null, "Alarm",
        "alarm sensor point", "price change failed", "改价失败", "Brick has no price alarm; Alarm is the closest class");
    add(k, "flashing", null, "/flash", Role.COMMAND, ValueKind.STR, null, "Command", "cmd point",
        "flash reminder", "闪烁提醒", "no Brick class for a reminder; Command is the closest class",
        enumValues(ShelfLabel.FlashReason.class));
    attrs(k, attr("zone", "/zone", "string"), attr("currency", "/currency", "string"), attr("content", "/content", null),
        attr("pending", "/pending", null), attr("last", "/last", null));
  }

  private static void kiosk() {
    AssetKind k = AssetKind.KIOSK;
    add(k, "heartbeat", "heartbeat", null, Role.SENSOR, ValueKind.BOOL, null, "Status", "sensor point",
        "heartbeat", "心跳", "kept in the history; the view shows the connectivity it decides. Status is the closest class");
    add(k, "connectivity", null, "/connectivity", Role.STATUS, ValueKind.STR, null, "Communication_Loss_Alarm",
        "alarm sensor point", "online / offline", "在线状态", null, enumValues(Kiosk.Connectivity.class));
    for (Kiosk.Counter c : Kiosk.Counter.values()) {
      add(k, c.wireName(), c.wireName(), "/usage/" + c.wireName(), Role.SENSOR, ValueKind.NUMBER, "1", "Sensor",
          "sensor point", "usage: " + c.wireName(), "使用量：" + c.wireName(),
          "a count since the last report in telemetry, a total since usageSince in the view; no Brick class for usage counts");
    }
    add(k, "contentMode", null, "/contentMode", Role.COMMAND, ValueKind.STR, null, "Mode_Command", "cmd point",
        "content mode", "内容模式", null, enumValues(Kiosk.ContentMode.class));
    attrs(k, attr("zone", "/zone", "string"), attr("faults", "/faults", null),
        attr("contentDelivery", "/contentDelivery", "string"), attr("contentCommandId", "/contentCommandId", "string"),
        attr("contentSetBy", "/contentSetBy", "string"), attr("contentRefusal", "/contentRefusal", "string"));
  }

  private static void courier() {
    AssetKind k = AssetKind.COURIER;
    add(k, "speed", "speed", "/observedSpeed", Role.SENSOR, ValueKind.NUMBER, "m/s", "Speed_Sensor", "speed sensor point",
        "speed", "速度", "the view shows the smoothed observed speed");
    personal(k, "x", "x", "m", ValueKind.NUMBER, "position x on the site plan", "位置 x", "personal data: tracked view only, never in the history");
    personal(k, "y", "y", "m", ValueKind.NUMBER, "position y on the site plan", "位置 y", "personal data: tracked view only, never in the history");
    personal(k, "floor", "floor", null, ValueKind.STR, "floor", "楼层", "personal data: tracked view only, never in the history");
    add(k, "late", null, "/late", Role.STATUS, ValueKind.BOOL, null, "Alarm", "alarm sensor point",
        "an order is late", "订单超时", "no Brick class for deliveries; Alarm is the closest class");
    attrs(k, attr("orders", "/orders", null), attr("delivered", "/delivered", "long"), attr("failed", "/failed", "long"),
        attr("recent", "/recent", null));
  }

  private static void alarm() {
    AssetKind k = AssetKind.ALARM;
    add(k, "active", null, "/active", Role.STATUS, ValueKind.BOOL, null, "Alarm", "alarm sensor point",
        "condition active", "报警激活", "the alarm is itself a Brick Alarm point; active is its value");
    add(k, "state", null, "/state", Role.STATUS, ValueKind.STR, null, "Alarm", "alarm sensor point",
        "alarm state (ISA-18.2)", "报警状态", "Brick has no alarm-state point; Alarm is the closest class",
        enumValues(Alarm.AlarmState.class));
    add(k, "severity", null, "/severity", Role.STATUS, ValueKind.STR, null, "Alarm", "alarm sensor point",
        "severity", "严重程度", "Brick has no severity point; Alarm is the closest class", enumValues(Severity.class));
    attrs(k, attr("source", "/source", null), attr("condition", "/condition", "string"), attr("message", "/message", "string"),
        attr("count", "/count", "long"), attr("lastBy", "/lastBy", "string"), attr("lastAction", "/lastAction", "string"));
  }

  // ---- helpers

  private static void add(AssetKind k, String name, String telemetry, String state, Role role, ValueKind kind, String unit,
      String brick, String haystack, String en, String zh, String note) {
    add(k, name, telemetry, state, role, kind, unit, brick, haystack, en, zh, note, List.of());
  }

  private static void add(AssetKind k, String name, String telemetry, String state, Role role, ValueKind kind, String unit,
      String brick, String haystack, String en, String zh, String note, List<String> values) {
    POINTS.computeIfAbsent(k, x -> new ArrayList<>())
        .add(new Point(k, name, telemetry, state, role, kind, unit, brick, haystack, values, en, zh, note, false));
  }

  private static void personal(AssetKind k, String name, String telemetry, String unit, ValueKind kind, String en,
      String zh, String note) {
    POINTS.computeIfAbsent(k, x -> new ArrayList<>()).add(new Point(k, name, telemetry, null, Role.SENSOR, kind, unit,
        "Sensor", "sensor point", List.of(), en, zh, note, true));
  }

  private static Attribute attr(String name, String state, String schema) {
    return new Attribute(name, state, schema, null);
  }

  private static void attrs(AssetKind k, Attribute... attributes) {
    ATTRIBUTES.put(k, List.of(attributes));
  }

  /** The spellings of an enum's constants in the state views (what the REST view and live deltas carry). */
  private static List<String> enumValues(Class<? extends Enum<?>> type) {
    return Arrays.stream(type.getEnumConstants()).map(c -> Json.MAPPER.valueToTree(c).asText()).toList();
  }
}
