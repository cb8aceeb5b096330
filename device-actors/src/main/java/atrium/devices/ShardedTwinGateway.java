package atrium.devices;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.json.Json;
import atrium.core.protocol.Envelope;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Site;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import atrium.devices.site.SiteRollup;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;

/**
 * The twin behind the doors: checks an envelope against the site model, hands it to its kind, and
 * translates what comes back. Nothing is sent to an entity for an asset the site lacks.
 */
public final class ShardedTwinGateway implements TwinGateway {
  private final TwinServices services;
  private final Map<AssetKind, TwinKind> kinds = new EnumMap<>(AssetKind.class);
  private final Map<String, ActorRef<SiteRollup.Command>> rollups;
  private final RecentMessages recent;

  public ShardedTwinGateway(TwinServices services, List<TwinKind> kinds, Map<String, ActorRef<SiteRollup.Command>> rollups) {
    this.services = services;
    this.recent = new RecentMessages(services.system().settings().config().getInt("atrium.ingest.recent-message-ids"));
    kinds.forEach(k -> this.kinds.put(k.kind(), k));
    this.rollups = Map.copyOf(rollups);
  }

  @Override
  public CompletionStage<Optional<JsonNode>> site(String siteId) {
    Optional<Site> site = services.sites().site(siteId);
    ActorRef<SiteRollup.Command> rollup = rollups.get(siteId);
    if (site.isEmpty() || rollup == null) return CompletableFuture.completedFuture(Optional.empty());
    Site s = site.get();
    return AskPattern.<SiteRollup.Command, SiteRollup.Rollup>ask(rollup, SiteRollup.GetRollup::new, services.askTimeout(),
            services.system().scheduler())
        .handle((r, e) -> {
          if (e != null) throw translate(AssetId.of(siteId, AssetKind.ZONE, "rollup"), e);
          var n = Json.MAPPER.createObjectNode();
          n.put("id", s.id());
          n.set("name", Json.MAPPER.valueToTree(s.name()));
          n.put("timezone", s.timezone());
          n.set("floors", Json.MAPPER.valueToTree(s.floors()));
          var counts = n.putObject("assets");
          counts.put("zones", s.zones().size());
          counts.put("carParks", s.carParks().size());
          counts.put("parkingBays", s.totalBays());
          counts.put("cameras", s.devices().cameras().size());
          counts.put("hvacZones", s.devices().hvacZones().size());
          counts.put("shelfLabels", s.shelfLabelCount());
          counts.put("kiosks", s.devices().kiosks().size());
          counts.put("couriers", s.devices().courierFleet() == null ? 0 : s.devices().courierFleet().count());
          n.set("rollup", Json.MAPPER.valueToTree(r));
          return Optional.<JsonNode>of(n);
        });
  }

  @Override
  public CompletionStage<Optional<SiteRollup.SiteAlarms>> alarms(String siteId) {
    ActorRef<SiteRollup.Command> rollup = rollups.get(siteId);
    if (services.sites().site(siteId).isEmpty() || rollup == null) return CompletableFuture.completedFuture(Optional.empty());
    return AskPattern.<SiteRollup.Command, SiteRollup.SiteAlarms>ask(rollup, SiteRollup.GetAlarms::new, services.askTimeout(),
            services.system().scheduler())
        .handle((a, e) -> {
          if (e != null) throw translate(AssetId.of(siteId, AssetKind.ALARM, "list"), e);
          return Optional.of(a);
        });
  }

  @Override
  public CompletionStage<Ingested> ingest(Envelope envelope) {
    AssetId asset = envelope.asset();
    try {
      TwinKind kind = kinds.get(asset.kind());
      if (kind == null) {
        throw new TwinException.Rejected("asset kind '" + asset.kind().wireName() + "' takes no device messages on this server yet");
      }
      if (!kind.exists(site(asset), asset.localId())) throw new TwinException.UnknownAsset(asset);
      return recent.once(envelope, () -> kind.ingest(services, envelope)).handle((v, e) -> {
        if (e != null) throw translate(asset, e);
        return v;
      });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<Optional<JsonNode>> state(AssetId asset) {
    Optional<Site> site = services.sites().site(asset.site());
    TwinKind kind = kinds.get(asset.kind());
    if (site.isEmpty() || kind == null || !kind.exists(site.get(), asset.localId())) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return kind.state(services, asset).handle((v, e) -> {
      if (e != null) throw translate(asset, e);
      return v.map(Json.MAPPER::valueToTree);
    });
  }

  @Override
  public List<String> sites() {
    return services.sites().ids();
  }

  private Site site(AssetId asset) {
    return services.sites().site(asset.site())
        .orElseThrow(() -> new TwinException.UnknownAsset("no site '" + asset.site() + "' on this server"));
  }

  private static RuntimeException translate(AssetId asset, Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof StatusReply.ErrorMessage err) return new TwinException.Rejected(err.getMessage());
    if (cause instanceof TimeoutException) {
      return new TwinException.Unavailable("the twin of " + asset + " did not answer in time; retry shortly");
    }
    if (cause instanceof RuntimeException re) return re;
    return new CompletionException(cause);
  }
}
