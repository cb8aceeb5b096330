package atrium.devices.energy;

import atrium.core.runtime.AtriumRuntime;
import atrium.core.runtime.TwinServices;
import atrium.devices.energy.SiteEnergyOptimiser.Decisions;
import atrium.devices.energy.SiteEnergyOptimiser.Status;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * The site energy optimisers for the doors (the REST API): one per site, sharded. A refusal fails the
 * stage with {@link StatusReply.ErrorMessage} and a reason a person can act on; nothing is stored then.
 */
public final class EnergyOptimisers {
  /** Decisions listed at most per call. */
  public static final int MAX_LISTED = 200;

  private final TwinServices services;

  public EnergyOptimisers(TwinServices services) {
    this.services = services;
  }

  /** Registers the optimisers with sharding and wakes each site's, so that it ticks from the node's start (first after a tick). */
  public static void start(AtriumRuntime runtime) {
    TwinServices services = runtime.services();
    EnergySettings settings = EnergySettings.create(runtime.system().settings().config());
    services.sharding().init(Entity.of(SiteEnergyOptimiser.ENTITY_KEY,
        ctx -> SiteEnergyOptimiser.create(ctx.getEntityId(), services, settings)));
    if (!settings.enabled()) return;
    for (String site : services.sites().ids()) {
      services.sharding().entityRefFor(SiteEnergyOptimiser.ENTITY_KEY, site).tell(SiteEnergyOptimiser.Wake.INSTANCE);
    }
  }

  public CompletionStage<Status> status(String site) {
    if (services.sites().site(site).isEmpty()) return refuse("no site '" + site + "' on this server");
    return plain(optimiser(site).ask(SiteEnergyOptimiser.GetStatus::new, services.askTimeout()));
  }

  public CompletionStage<Decisions> decisions(String site, String zone, int limit) {
    if (services.sites().site(site).isEmpty()) return refuse("no site '" + site + "' on this server");
    int n = Math.max(1, Math.min(MAX_LISTED, limit));
    return plain(optimiser(site).ask(r -> new SiteEnergyOptimiser.GetDecisions(zone, n, r), services.askTimeout()));
  }

  public CompletionStage<Status> configure(String site, Boolean suspended, Double demandLimitKw, String by) {
    return plain(optimiser(site).askWithStatus(r -> new SiteEnergyOptimiser.Configure(suspended, demandLimitKw, by, r),
        services.askTimeout()));
  }

  public CompletionStage<Status> setZone(String site, String zone, boolean suspended, Double heating, Double cooling, String by) {
    return plain(optimiser(site).askWithStatus(
        r -> new SiteEnergyOptimiser.SetZoneControl(zone, suspended, heating, cooling, by, r), services.askTimeout()));
  }

  public CompletionStage<Status> clearZone(String site, String zone, String by) {
    return plain(optimiser(site).askWithStatus(r -> new SiteEnergyOptimiser.ClearZoneControl(zone, by, r), services.askTimeout()));
  }

  public CompletionStage<Status> declareEvacuation(String site, String reason, String by) {
    return plain(optimiser(site).askWithStatus(r -> new SiteEnergyOptimiser.DeclareEvacuation(reason, by, r), services.askTimeout()));
  }

  public CompletionStage<Status> clearEvacuation(String site, String by) {
    return plain(optimiser(site).askWithStatus(r -> new SiteEnergyOptimiser.ClearEvacuation(by, r), services.askTimeout()));
  }

  private EntityRef<SiteEnergyOptimiser.Command> optimiser(String site) {
    return services.sharding().entityRefFor(SiteEnergyOptimiser.ENTITY_KEY, site);
  }

  /** The stage with a completion exception's cause as its failure, as the doors expect. */
  private static <T> CompletionStage<T> plain(CompletionStage<T> stage) {
    CompletableFuture<T> out = new CompletableFuture<>();
    stage.whenComplete((v, e) -> {
      if (e == null) out.complete(v);
      else out.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
    });
    return out;
  }

  private static <T> CompletionStage<T> refuse(String reason) {
    return CompletableFuture.failedFuture(new StatusReply.ErrorMessage(reason));
  }
}
