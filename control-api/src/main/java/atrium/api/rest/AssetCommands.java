package atrium.api.rest;

import atrium.api.http.ApiException;
import atrium.api.http.Call;
import atrium.api.http.Endpoint;
import atrium.api.http.Problem;
import atrium.api.http.Reply;
import atrium.api.security.Access;
import atrium.core.alarm.Alarm;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.json.Json;
import atrium.core.runtime.TwinServices;
import atrium.devices.TwinGateway;
import atrium.devices.hvac.HvacZone;
import atrium.devices.kiosk.Kiosk;
import atrium.devices.kiosk.Kiosks;
import atrium.devices.parking.ParkingBay;
import atrium.devices.shelflabel.ShelfLabel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.pattern.StatusReply;

/**
 * Operators' commands to single assets, as sub-resources a control room reads and writes: an HVAC
 * zone's setpoints, mode and control (its own controller or the twin's loops), a label's price, a kiosk's content mode, a bay's reservation and
 * service, an alarm's acknowledge, shelve, unshelve and clear. Each setting has a GET with an
 * {@code ETag} over what an operator sets, and a PUT that honours {@code If-Match}: of two operators
 * who read the same setpoints, the second to write gets 412 instead of silently overwriting the first.
 * The twin checks the values (a setpoint out of range is its 422), and the command reaches the
 * device through the twin, which persists it first.
 */
public final class AssetCommands {
  private static final String ASSETS = "/api/v1/sites/{site}/assets/";

  private final TwinServices services;
  private final TwinGateway gateway;

  public AssetCommands(TwinServices services, TwinGateway gateway) {
    this.services = services;
    this.gateway = gateway;
  }

  /** What a setting shows (a part of the asset's state) and what its ETag covers. */
  private record Setting(Function<JsonNode, ObjectNode> show, List<String> tagged) {}

  /** A validated change, ready to send to the asset; parsing it throws the 400s. */
  @FunctionalInterface
  private interface Change {
    CompletionStage<?> send(AssetId asset, String by);
  }

  public List<Endpoint> endpoints() {
    List<Endpoint> out = new ArrayList<>();
    Setting setpoints = new Setting(s -> pick(s.path("setpoints"), "heating", "cooling", "by", "since", "command"),
        List.of("heating", "cooling"));
    settingEndpoints(out, "HvacSetpoints", AssetKind.HVAC_ZONE, "setpoints", setpoints,
        "An HVAC zone's heating and cooling setpoints (°C)", body -> {
          Bodies.only(body, Set.of("heating", "cooling"));
          double heating = Bodies.number(body, "heating");
          double cooling = Bodies.number(body, "cooling");
          return (asset, by) -> services.entityRef(HvacZone.ENTITY_KEY, asset)
              .<HvacZone.View>askWithStatus(r -> new HvacZone.SetSetpoints(heating, cooling, by, r), services.askTimeout());
        });
    Setting mode = new Setting(s -> {
      ObjectNode n = Json.MAPPER.createObjectNode();
      n.set("mode", s.path("mode"));
      n.set("resumeMode", s.path("resumeMode"));
      n.set("by", s.path("modeBy"));
      n.set("since", s.path("modeSince"));
      n.set("command", s.path("modeCommand"));
      return n;
    }, List.of("mode"));
    settingEndpoints(out, "HvacMode", AssetKind.HVAC_ZONE, "mode", mode,
        "An HVAC zone's operating mode (off, comfort, economy, pre-cool, smoke-control)", body -> {
          Bodies.only(body, Set.of("mode"));
          HvacZone.Mode m = Bodies.choice(body, "mode", HvacZone.Mode.class, HvacZone.Mode::wireName);
          return (asset, by) -> services.entityRef(HvacZone.ENTITY_KEY, asset)
              .<HvacZone.View>askWithStatus(r -> new HvacZone.SetMode(m, by, r), services.askTimeout());
        });
    Setting control = new Setting(s -> pick(s.path("control"), "control", "by", "since", "command", "fallback"),
        List.of("control"));
    settingEndpoints(out, "HvacControl", AssetKind.HVAC_ZONE, "control", control,
        "Who closes an HVAC zone's loops: local (its own controller follows the setpoints) or atrium (the twin's loops)",
        body -> {
          Bodies.only(body, Set.of("control"));
          HvacZone.Control c = Bodies.choice(body, "control", HvacZone.Control.class, HvacZone.Control::wireName);
          return (asset, by) -> services.entityRef(HvacZone.ENTITY_KEY, asset)
              .<HvacZone.View>askWithStatus(r -> new HvacZone.SetControl(c, by, r), services.askTimeout());
        });
    Setting price = new Setting(s -> pick(s, "price", "currency", "content", "pending", "last", "priceChangeFailed"),
        List.of("price", "content", "pending"));
    settingEndpoints(out, "LabelPrice", AssetKind.SHELF_LABEL, "price", price,
        "A shelf label's price and content", body -> {
          Bodies.only(body, Set.of("price", "product", "unitPrice", "promotion"));
          BigDecimal p = Bodies.decimal(body, "price");
          ShelfLabel.Content content = new ShelfLabel.Content(Bodies.optionalText(body, "product").orElse(null),
              Bodies.optionalText(body, "unitPrice").orElse(null), Bodies.optionalText(body, "promotion").orElse(null));
          return (asset, by) -> services.entityRef(ShelfLabel.ENTITY_KEY, asset)
              .<ShelfLabel.View>askWithStatus(r -> new ShelfLabel.ChangePrice(p, content, null, by, r), services.askTimeout());
        });
    Setting contentMode = new Setting(s -> pick(s, "contentMode", "contentDelivery", "contentCommandId", "contentSetBy",
        "contentSetAt", "contentRefusal"), List.of("contentMode"));
    settingEndpoints(out, "KioskContentMode", AssetKind.KIOSK, "content-mode", contentMode,
        "A kiosk's content mode (normal, promotion, evacuation-guidance)", body -> {
          Bodies.only(body, Set.of("mode"));
          Kiosk.ContentMode m = Bodies.choice(body, "mode", Kiosk.ContentMode.class, Kiosk.ContentMode::wireName);
          return (asset, by) -> Kiosks.setContentMode(services, asset, m, by);
        });
    Setting reservation = new Setting(s -> pick(s, "status", "reservation", "reservedUntil", "outOfServiceReason"),
        List.of("status", "reservation", "reservedUntil"));
    settingEndpoints(out, "BayReservation", AssetKind.PARKING_BAY, "reservation", reservation,
        "A parking bay's reservation: held free for a reference until it expires", body -> {
          Bodies.only(body, Set.of("reference", "hold"));
          String reference = Bodies.text(body, "reference");
          Duration hold = Bodies.duration(body, "hold").orElseThrow(() -> Bodies.invalid("$.hold", "required"));
          return (asset, by) -> services.entityRef(ParkingBay.ENTITY_KEY, asset)
              .<ParkingBay.View>askWithStatus(r -> new ParkingBay.Reserve(reference, hold, r), services.askTimeout());
        });
    out.add(Endpoint.of("deleteBayReservation", HttpMethod.DELETE, ASSETS + "parking-bay/{id}/reservation", Access.OPERATE,
        "Cancels a bay's reservation (query parameter reference)", call -> {
          String reference = call.query("reference").orElseThrow(() -> Call.badParameter("reference", "is required"));
          return change(call, AssetKind.PARKING_BAY, reservation, (asset, by) -> services.entityRef(ParkingBay.ENTITY_KEY, asset)
              .<ParkingBay.View>askWithStatus(r -> new ParkingBay.CancelReservation(reference, r), services.askTimeout()));
        }));
    settingEndpoints(out, "BayService", AssetKind.PARKING_BAY, "service", reservation,
        "Takes a bay out of service (inService false, with a reason) or returns it", body -> {
          Bodies.only(body, Set.of("inService", "reason"));
          JsonNode in = body.get("inService");
          if (in == null || !in.isBoolean()) throw Bodies.invalid("$.inService", "required, true or false");
          if (in.asBoolean()) {
            return (asset, by) -> services.entityRef(ParkingBay.ENTITY_KEY, asset)
                .<ParkingBay.View>askWithStatus(ParkingBay.ReturnToService::new, services.askTimeout());
          }
          String reason = Bodies.text(body, "reason");
          return (asset, by) -> services.entityRef(ParkingBay.ENTITY_KEY, asset)
              .<ParkingBay.View>askWithStatus(r -> new ParkingBay.TakeOutOfService(reason, r), services.askTimeout());
        });
    out.add(action("flashLabel", AssetKind.SHELF_LABEL, "flash", "Flashes a label (restock or pick) for a while", body -> {
      Bodies.only(body, Set.of("reason", "duration"));
      ShelfLabel.FlashReason reason = Bodies.choice(body, "reason", ShelfLabel.FlashReason.class,
          r -> r.name().toLowerCase(java.util.Locale.ROOT));
      Duration d = Bodies.duration(body, "duration").orElse(Duration.ofMinutes(5));
      return (asset, by) -> services.entityRef(ShelfLabel.ENTITY_KEY, asset)
          .<ShelfLabel.View>askWithStatus(r -> new ShelfLabel.Flash(reason, d, by, r), services.askTimeout());
    }));
    out.add(action("acknowledgeAlarm", AssetKind.ALARM, "acknowledge", "Acknowledges an alarm (ISA-18.2)", body -> {
      Bodies.only(body, Set.of());
      return (asset, by) -> alarm(asset).<Alarm.View>askWithStatus(r -> new Alarm.Acknowledge(by, r), services.askTimeout());
    }));
    out.add(action("shelveAlarm", AssetKind.ALARM, "shelve", "Shelves an alarm for a while, with a reason", body -> {
      Bodies.only(body, Set.of("duration", "reason"));
      Duration d = Bodies.duration(body, "duration").orElseThrow(() -> Bodies.invalid("$.duration", "required"));
      String reason = Bodies.text(body, "reason");
      return (asset, by) -> alarm(asset).<Alarm.View>askWithStatus(r -> new Alarm.Shelve(by, d, reason, r), services.askTimeout());
    }));
    out.add(action("unshelveAlarm", AssetKind.ALARM, "unshelve", "Returns a shelved alarm to the alarm list", body -> {
      Bodies.only(body, Set.of());
      return (asset, by) -> alarm(asset).<Alarm.View>askWithStatus(r -> new Alarm.Unshelve(by, r), services.askTimeout());
    }));
    out.add(action("clearAlarm", AssetKind.ALARM, "clear", "Clears an alarm whose condition has returned to normal", body -> {
      Bodies.only(body, Set.of());
      return (asset, by) -> alarm(asset).<Alarm.View>askWithStatus(r -> new Alarm.Clear(by, r), services.askTimeout());
    }));
    return out;
  }

  private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<Alarm.Command> alarm(AssetId asset) {
    return services.entityRef(Alarm.ENTITY_KEY, asset);
  }

  private void settingEndpoints(List<Endpoint> out, String name, AssetKind kind, String sub, Setting setting, String summary,
      Function<JsonNode, Change> parse) {
    String path = ASSETS + kind.wireName() + "/{id}/" + sub;
    if (!sub.equals("service")) {
      out.add(Endpoint.of("get" + name, HttpMethod.GET, path, Access.VIEW, summary, call -> read(call, kind, setting)));
    }
    out.add(Endpoint.of("put" + name, HttpMethod.PUT, path, Access.OPERATE, "Sets: " + summary,
        call -> change(call, kind, setting, parse.apply(call.jsonBody()))));
  }

  private Endpoint action(String id, AssetKind kind, String action, String summary, Function<JsonNode, Change> parse) {
    Setting whole = new Setting(s -> (ObjectNode) s, List.of());
    return Endpoint.of(id, HttpMethod.POST, ASSETS + kind.wireName() + "/{id}/" + action, Access.OPERATE, summary, call -> {
      JsonNode body = call.body().length == 0 ? Json.MAPPER.createObjectNode() : call.jsonBody();
      return change(call, kind, whole, parse.apply(body));
    });
  }

  private AssetId asset(Call call, AssetKind kind) {
    String site = Assets.validSite(call.param("site"));
    String id = call.param("id");
    if (!AssetId.isValidName(id)) {
      throw new ApiException(Problem.of(HttpResponseStatus.BAD_REQUEST, "invalid-asset-id", "Invalid asset id",
          "asset id '" + id + "' must match " + AssetId.NAME.pattern()));
    }
    return AssetId.of(site, kind, id);
  }

  private CompletionStage<Reply> read(Call call, AssetKind kind, Setting setting) {
    AssetId asset = asset(call, kind);
    return TwinReads.stateOf(gateway, asset).thenApply(state -> {
      ObjectNode shown = setting.show().apply(state);
      String etag = etag(shown, setting);
      if (ETags.noneMatchHits(call, etag)) return Reply.notModified(etag);
      return Reply.json(shown).withHeader("ETag", etag);
    });
  }

  /** Reads the asset (404 if the model lacks it), checks If-Match, sends the change, answers the new setting. */
  private CompletionStage<Reply> change(Call call, AssetKind kind, Setting setting, Change change) {
    AssetId asset = asset(call, kind);
    String by = call.principal().subject();
    return TwinReads.stateOf(gateway, asset).thenCompose(state -> {
      ETags.checkIfMatch(call, etag(setting.show().apply(state), setting), asset + "'s " + call.endpoint().path()
          .substring(call.endpoint().path().lastIndexOf('/') + 1));
      return change.send(asset, by);
    }).handle((view, failure) -> {
      if (failure != null) throw translate(failure);
      ObjectNode shown = setting.show().apply(Json.MAPPER.valueToTree(view));
      return Reply.json(shown).withHeader("ETag", etag(shown, setting));
    });
  }

  private static String etag(ObjectNode shown, Setting setting) {
    if (setting.tagged().isEmpty()) return ETags.of(shown);
    ObjectNode tagged = Json.MAPPER.createObjectNode();
    for (String f : setting.tagged()) tagged.set(f, shown.path(f).isMissingNode() ? null : shown.get(f));
    return ETags.of(tagged);
  }

  private static ObjectNode pick(JsonNode from, String... fields) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    for (String f : fields) {
      JsonNode v = from.get(f);
      n.set(f, v == null ? Json.MAPPER.nullNode() : v);
    }
    return n;
  }

  /** The twin's refusal (a setpoint out of range, a bay already taken) is the caller's 422. */
  static RuntimeException translate(Throwable failure) {
    Throwable t = Problem.unwrap(failure);
    if (t instanceof StatusReply.ErrorMessage e) {
      return new ApiException(Problem.of(HttpResponseStatus.UNPROCESSABLE_ENTITY, "rejected", "Rejected by the twin", e.getMessage()));
    }
    if (t instanceof java.util.concurrent.TimeoutException) {
      return new ApiException(Problem.of(HttpResponseStatus.SERVICE_UNAVAILABLE, "timeout", "Twin did not answer in time",
          "the twin did not answer in time; the command may still be applied: read the asset before sending it again"));
    }
    return t instanceof RuntimeException re ? re : new CompletionException(t);
  }
}
