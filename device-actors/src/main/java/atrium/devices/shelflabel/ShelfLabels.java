package atrium.devices.shelflabel;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.protocol.DataFields;
import atrium.core.protocol.Envelope;
import atrium.core.protocol.ProtocolException;
import atrium.core.runtime.AtriumRuntime;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Site;
import atrium.devices.TwinKind;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

/**
 * Shelf labels at the doors: a label sends {@code {"battery": 0..100}} telemetry and acknowledges
 * the twin's {@code set-price} and {@code flash} commands with {@code ack} envelopes. Starting the
 * kind also starts the price campaigns' sharding. A campaign's progress is read (and published live)
 * as shelf-label asset {@code campaign.<campaignId>}, which takes no device messages.
 */
public final class ShelfLabels implements TwinKind {

  @Override
  public AssetKind kind() {
    return AssetKind.SHELF_LABEL;
  }

  @Override
  public void start(AtriumRuntime runtime) {
    ShelfLabelSettings settings = ShelfLabelSettings.create(runtime.system().settings().config());
    runtime.register(ShelfLabel.kind(settings));
    TwinServices services = runtime.services();
    services.sharding().init(Entity.of(PriceCampaign.ENTITY_KEY,
        ctx -> PriceCampaign.create(ctx.getEntityId(), services, settings)));
    services.sharding().init(Entity.of(CampaignDirectory.ENTITY_KEY,
        ctx -> CampaignDirectory.create(ctx.getEntityId(), services)));
    watchCampaigns(runtime, settings.campaignWatchInterval(), Duration.ZERO);
  }

  /** Tells every site's campaign directory to watch its running campaigns now and every {@code interval}, while the node runs. */
  private static void watchCampaigns(AtriumRuntime runtime, Duration interval, Duration first) {
    TwinServices services = runtime.services();
    if (runtime.system().whenTerminated().isCompleted()) return;
    try {
      services.clock().schedule(first, () -> {
        if (runtime.system().whenTerminated().isCompleted()) return;
        for (String site : services.sites().ids()) {
          services.sharding().entityRefFor(CampaignDirectory.ENTITY_KEY, site).tell(CampaignDirectory.Watch.INSTANCE);
        }
        watchCampaigns(runtime, interval, interval);
      });
    } catch (IllegalStateException e) {
      // The scheduler is shutting down with the node: nothing left to watch.
    }
  }

  @Override
  public boolean exists(Site site, String localId) {
    return site.hasShelfLabel(localId) || campaignId(localId) != null;
  }

  @Override
  public CompletionStage<?> ingest(TwinServices services, Envelope envelope) {
    var command = command(envelope); // refuses wrong data before anything is sent
    return Stages.plain(label(services, envelope.asset())
        .<ShelfLabel.View>askWithStatus(command::apply, services.askTimeout()));
  }

  /** The label's command for a device envelope, given where to reply; refuses data wrong for a label. */
  static Function<ActorRef<StatusReply<ShelfLabel.View>>, ShelfLabel.Command> command(Envelope envelope) {
    if (campaignId(envelope.asset().localId()) != null) {
      throw new ProtocolException("$.asset", "'" + envelope.asset().localId() + "' is a price campaign; it takes no device messages");
    }
    if (envelope instanceof Envelope.Telemetry t) {
      double battery = DataFields.of(t.data()).only("battery").requireNumber("battery");
      if (battery < 0 || battery > 100) throw new ProtocolException("$.data.battery", "must be from 0 to 100, was " + battery);
      return r -> new ShelfLabel.BatteryReading(battery, t.ts(), r);
    }
    if (envelope instanceof Envelope.Ack a) {
      boolean ok = a.status() == Envelope.AckStatus.OK;
      return r -> new ShelfLabel.DeviceAck(a.ref(), ok, a.reason(), r);
    }
    throw new ProtocolException("$.type", "a shelf label sends telemetry (battery) and acks only, not " + typeOf(envelope));
  }

  private static String typeOf(Envelope e) {
    return e instanceof Envelope.Event ? "events" : "commands";
  }

  @Override
  public CompletionStage<Optional<Object>> state(TwinServices services, AssetId id) {
    String campaignId = campaignId(id.localId());
    if (campaignId != null) {
      return Stages.plain(services.sharding()
              .entityRefFor(PriceCampaign.ENTITY_KEY, PriceCampaign.entityId(id.site(), campaignId))
              .<PriceCampaign.Progress>askWithStatus(PriceCampaign.GetProgress::new, services.askTimeout()))
          .handle((p, e) -> {
            if (e == null) return Optional.<Object>of(p);
            if (e instanceof StatusReply.ErrorMessage || e.getCause() instanceof StatusReply.ErrorMessage) {
              return Optional.empty();
            }
            throw e instanceof CompletionException ce ? ce : new CompletionException(e);
          });
    }
    return Stages.plain(label(services, id).ask(ShelfLabel.GetState::new, services.askTimeout())).thenApply(Optional::of);
  }

  /** The campaign a local id names ({@code campaign.<campaignId>}), or null. */
  static String campaignId(String localId) {
    if (!localId.startsWith(PriceCampaigns.DELTA_PREFIX)) return null;
    String id = localId.substring(PriceCampaigns.DELTA_PREFIX.length());
    return PriceCampaigns.CAMPAIGN_ID.matcher(id).matches() ? id : null;
  }

  private static EntityRef<ShelfLabel.Command> label(TwinServices services, AssetId id) {
    return services.entityRef(ShelfLabel.ENTITY_KEY, id);
  }
}
