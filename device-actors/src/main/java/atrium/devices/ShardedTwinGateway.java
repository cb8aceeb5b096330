package atrium.devices;

import atrium.core.asset.AssetId;
import atrium.core.protocol.DataFields;
import atrium.core.protocol.Envelope;
import atrium.core.protocol.ProtocolException;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Site;
import atrium.devices.parking.CarPark;
import atrium.devices.parking.ParkingBay;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.pattern.StatusReply;

/**
 * The twin behind the doors: checks an envelope against the site model, turns it into its kind's
 * command, and asks the sharded entity. Nothing is sent to an entity for an asset the site lacks.
 */
public final class ShardedTwinGateway implements TwinGateway {
  /** JSON for state views: ISO-8601 instants. */
  public static final ObjectMapper JSON = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .build();

  private final TwinServices services;

  public ShardedTwinGateway(TwinServices services) {
    this.services = services;
  }

  @Override
  public CompletionStage<Ingested> ingest(Envelope envelope) {
    try {
      AssetId asset = envelope.asset();
      Site site = site(asset);
      return switch (asset.kind()) {
        case PARKING_BAY -> ingestBay(site, envelope);
        default -> failed(new TwinException.Rejected(
            "asset kind '" + asset.kind().wireName() + "' takes no device messages on this server yet"));
      };
    } catch (RuntimeException e) {
      return failed(e);
    }
  }

  private CompletionStage<Ingested> ingestBay(Site site, Envelope envelope) {
    AssetId asset = envelope.asset();
    if (site.bay(asset.localId()).isEmpty()) throw new TwinException.UnknownAsset(asset);
    if (!(envelope instanceof Envelope.Telemetry t)) {
      throw new ProtocolException("$.type", "a parking-bay sensor sends telemetry only");
    }
    boolean occupied = DataFields.of(t.data()).only("occupied").requireBoolean("occupied");
    return services.entityRef(ParkingBay.ENTITY_KEY, asset)
        .<ParkingBay.View>askWithStatus(r -> new ParkingBay.SensorReading(occupied, t.ts(), r), services.askTimeout())
        .handle((v, e) -> {
          if (e != null) throw translate(asset, e);
          return Ingested.APPLIED;
        });
  }

  @Override
  public CompletionStage<Optional<JsonNode>> state(AssetId asset) {
    Optional<Site> site = services.sites().site(asset.site());
    if (site.isEmpty()) return CompletableFuture.completedFuture(Optional.empty());
    return switch (asset.kind()) {
      case PARKING_BAY -> site.get().bay(asset.localId()).isEmpty()
          ? CompletableFuture.completedFuture(Optional.empty())
          : view(asset, services.entityRef(ParkingBay.ENTITY_KEY, asset)
              .ask(ParkingBay.GetState::new, services.askTimeout()));
      case CAR_PARK -> site.get().carPark(asset.localId()).isEmpty()
          ? CompletableFuture.completedFuture(Optional.empty())
          : view(asset, services.entityRef(CarPark.ENTITY_KEY, asset).ask(CarPark.GetState::new, services.askTimeout()));
      default -> CompletableFuture.completedFuture(Optional.empty());
    };
  }

  @Override
  public List<String> sites() {
    return services.sites().ids();
  }

  private Site site(AssetId asset) {
    return services.sites().site(asset.site())
        .orElseThrow(() -> new TwinException.UnknownAsset("no site '" + asset.site() + "' on this server"));
  }

  private static CompletionStage<Optional<JsonNode>> view(AssetId asset, CompletionStage<?> reply) {
    return reply.handle((v, e) -> {
      if (e != null) throw translate(asset, e);
      return Optional.of(JSON.valueToTree(v));
    });
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

  private static <T> CompletionStage<T> failed(Throwable e) {
    return CompletableFuture.failedFuture(e);
  }
}
