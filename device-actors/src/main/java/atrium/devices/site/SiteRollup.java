package atrium.devices.site;

import atrium.core.alarm.Alarm;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.json.Json;
import atrium.core.live.Delta;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Site;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentPersistenceIdsQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The site's roll-ups that the control room and the energy loops read: occupancy per floor and in
 * all, free bays, active alarms by severity, energy and power per floor (M §7.1.1, §7.4.3, §7.4.9).
 *
 * <p>One per site on every node, a local read model: it follows the site's live deltas (every twin
 * publishes its new state after each persisted change, and its measurements at a bounded rate) and
 * keeps the latest value per asset. Nothing needs persisting: on start it primes itself by asking
 * each zone, car park and HVAC zone of the site model, and each alarm the journal knows, once, with
 * bounded concurrency. See docs/architecture.md for why this and not a projection.
 */
public final class SiteRollup {
  private SiteRollup() {}

  public sealed interface Command {}

  public record GetRollup(ActorRef<Rollup> replyTo) implements Command {}

  /** Every alarm of the site the roll-up knows, each as its {@code Alarm.View}; for the control room's alarm list. */
  public record GetAlarms(ActorRef<SiteAlarms> replyTo) implements Command {}

  /**
   * The site's alarms, each as the JSON of its latest {@code Alarm.View}; {@code primed} is false while the roll-up
   * is still reading the alarms the journal knows (the list may then be short).
   */
  public record SiteAlarms(String site, boolean primed, List<JsonNode> alarms) {}

  private record Update(Delta delta) implements Command {}

  private record Primed(int assets) implements Command {}

  public record Rollup(String site, Instant updatedAt, boolean primed, int occupancy, Map<String, Integer> occupancyByFloor,
      int bays, int freeBays, Map<String, Integer> freeBaysByCarPark, Map<String, Integer> activeAlarmsBySeverity,
      int unacknowledgedAlarms, double energyTodayKwh, Map<String, Double> energyTodayKwhByFloor, double powerKw,
      Map<String, Double> powerKwByFloor) {}

  private record ZoneValue(String floor, int occupancy) {}

  private record CarParkValue(int capacity, int free) {}

  private record AlarmValue(String severity, String state) {}

  private record HvacValue(String floor, double todayKwh, double powerKw) {}

  public static Behavior<Command> create(TwinServices services, Site site, String readJournalId) {
    return Behaviors.setup(ctx -> {
      ActorRef<Delta> deltas = ctx.messageAdapter(Delta.class, Update::new);
      services.deltas().subscribe(site.id(), deltas);
      prime(ctx, services, site, readJournalId);
      return new SiteRollup.Running(site).behavior();
    });
  }

  private static void prime(ActorContext<Command> ctx, TwinServices services, Site site, String readJournalId) {
    Duration timeout = services.askTimeout();
    Source<AssetId, NotUsed> modelAssets = Source.from(List.<AssetId>of())
        .concat(Source.from(site.zones()).map(z -> AssetId.of(site.id(), AssetKind.ZONE, z.id())))
        .concat(Source.from(site.carParks()).map(c -> AssetId.of(site.id(), AssetKind.CAR_PARK, c.id())))
        .concat(Source.from(site.devices().hvacZones()).map(h -> AssetId.of(site.id(), AssetKind.HVAC_ZONE, h.id())));
    String alarmPrefix = Alarm.ENTITY_KEY.name() + "|" + site.id() + "/";
    Source<AssetId, NotUsed> alarms = PersistenceQuery.get(services.system())
        .getReadJournalFor(CurrentPersistenceIdsQuery.class, readJournalId)
        .currentPersistenceIds()
        .filter(pid -> pid.startsWith(alarmPrefix))
        .map(pid -> AssetId.of(site.id(), AssetKind.ALARM, pid.substring(alarmPrefix.length())));
    CompletionStage<Integer> done = modelAssets.concat(alarms)
        .mapAsyncUnordered(16, id -> state(services, id, timeout)
            .thenApply(v -> {
              ctx.getSelf().tell(new Update(new Delta(id, services.clock().now(), Json.MAPPER.valueToTree(v))));
              return 1;
            })
            .exceptionally(e -> 0))
        .runWith(Sink.fold(0, Integer::sum), services.system());
    ctx.pipeToSelf(done, (n, e) -> new Primed(n == null ? 0 : n));
  }

  private static CompletionStage<?> state(TwinServices services, AssetId id, Duration timeout) {
    return switch (id.kind()) {
      case ZONE -> services.entityRef(atrium.devices.zone.Zone.ENTITY_KEY, id).ask(atrium.devices.zone.Zone.GetState::new, timeout);
      case CAR_PARK -> services.entityRef(atrium.devices.parking.CarPark.ENTITY_KEY, id)
          .ask(atrium.devices.parking.CarPark.GetState::new, timeout);
      case HVAC_ZONE -> services.entityRef(atrium.devices.hvac.HvacZone.ENTITY_KEY, id)
          .ask(atrium.devices.hvac.HvacZone.GetState::new, timeout);
      default -> services.entityRef(Alarm.ENTITY_KEY, id).ask(Alarm.GetState::new, timeout);
    };
  }

  private static final class Running {
    private final Site site;
    private final Map<String, ZoneValue> zones = new HashMap<>();
    private final Map<String, CarParkValue> carParks = new HashMap<>();
    private final Map<String, AlarmValue> alarms = new HashMap<>();
    private final Map<String, JsonNode> alarmViews = new HashMap<>();
    private final Map<String, HvacValue> hvac = new HashMap<>();
    private Instant updatedAt;
    private boolean primed;

    Running(Site site) {
      this.site = site;
    }

    Behavior<Command> behavior() {
      return Behaviors.receive(Command.class)
          .onMessage(Update.class, u -> {
            apply(u.delta());
            return Behaviors.same();
          })
          .onMessage(Primed.class, p -> {
            primed = true;
            return Behaviors.same();
          })
          .onMessage(GetRollup.class, g -> {
            g.replyTo().tell(rollup());
            return Behaviors.same();
          })
          .onMessage(GetAlarms.class, g -> {
            g.replyTo().tell(new SiteAlarms(site.id(), primed, List.copyOf(alarmViews.values())));
            return Behaviors.same();
          })
          .build();
    }

    private void apply(Delta d) {
      JsonNode s = d.state();
      String id = d.asset().localId();
      switch (d.asset().kind()) {
        case ZONE -> zones.put(id, new ZoneValue(s.path("floor").asText(), s.path("occupancy").asInt()));
        case CAR_PARK -> carParks.put(id, new CarParkValue(s.path("capacity").asInt(), s.path("free").asInt()));
        case ALARM -> {
          alarms.put(id, new AlarmValue(s.path("severity").asText(), s.path("state").asText()));
          alarmViews.put(id, s);
        }
        case HVAC_ZONE -> hvac.put(id, new HvacValue(s.path("floor").asText(),
            s.path("energy").path("todayKwh").asDouble(), s.path("energy").path("powerKw").asDouble()));
        default -> {
          return;
        }
      }
      if (updatedAt == null || d.at().isAfter(updatedAt)) updatedAt = d.at();
    }

    private Rollup rollup() {
      Map<String, Integer> byFloor = new TreeMap<>();
      zones.values().forEach(z -> byFloor.merge(z.floor(), z.occupancy(), Integer::sum));
      Map<String, Integer> freeByCarPark = new TreeMap<>();
      carParks.forEach((id, c) -> freeByCarPark.put(id, c.free()));
      Map<String, Integer> bySeverity = new TreeMap<>();
      int unacknowledged = 0;
      for (AlarmValue a : alarms.values()) {
        boolean active = a.state().equals("UNACKNOWLEDGED") || a.state().equals("ACKNOWLEDGED");
        if (active) bySeverity.merge(a.severity(), 1, Integer::sum);
        if (a.state().equals("UNACKNOWLEDGED") || a.state().equals("RETURNED_UNACKNOWLEDGED")) unacknowledged++;
      }
      Map<String, Double> energyByFloor = new TreeMap<>();
      Map<String, Double> powerByFloor = new TreeMap<>();
      hvac.values().forEach(h -> {
        energyByFloor.merge(h.floor(), h.todayKwh(), Double::sum);
        powerByFloor.merge(h.floor(), h.powerKw(), Double::sum);
      });
      return new Rollup(site.id(), updatedAt, primed,
          byFloor.values().stream().mapToInt(Integer::intValue).sum(), byFloor,
          carParks.values().stream().mapToInt(CarParkValue::capacity).sum(),
          carParks.values().stream().mapToInt(CarParkValue::free).sum(), freeByCarPark,
          bySeverity, unacknowledged,
          round(energyByFloor.values().stream().mapToDouble(Double::doubleValue).sum()), round(energyByFloor),
          round(powerByFloor.values().stream().mapToDouble(Double::doubleValue).sum()), round(powerByFloor));
    }

    private static double round(double v) {
      return Math.round(v * 100) / 100.0;
    }

    private static Map<String, Double> round(Map<String, Double> m) {
      Map<String, Double> r = new TreeMap<>();
      m.forEach((k, v) -> r.put(k, round(v)));
      return r;
    }
  }
}
