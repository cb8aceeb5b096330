package atrium.api.stream;

import atrium.api.http.ApiException;
import atrium.api.http.Endpoint;
import atrium.api.http.HttpApi;
import atrium.api.http.Problem;
import atrium.api.security.Access;
import atrium.core.live.LiveDeltas;
import atrium.core.runtime.AtriumRuntime;
import atrium.core.runtime.SiteDirectory;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;

/**
 * The live stream of a node: {@code GET /api/v1/stream}, a WebSocket on which a client subscribes to
 * sites and receives their state deltas (protocol in {@code docs/stream.md}).
 *
 * <p>Wiring: {@link #endpoint()} goes in the endpoint list (router, authorisation matrix, OpenAPI; a
 * plain GET is answered 426), and the hub is the {@link HttpApi}'s {@link HttpApi.Upgrades}, which puts
 * the upgrade handler in every HTTP connection's pipeline. One {@link SiteHub} actor per site on this
 * node, started when the site is first subscribed, follows the site's delta topic once and feeds the
 * sessions of this node.
 */
public final class StreamHub implements SiteHubs, HttpApi.Upgrades {
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final ActorSystem<?> system;
  private final LiveDeltas deltas;
  private final SiteDirectory sites;
  private final StreamSettings settings;
  private final StreamMetrics metrics = new StreamMetrics();
  private final Map<String, ActorRef<SiteHub.Command>> hubs = new ConcurrentHashMap<>();
  private final int instance = INSTANCES.incrementAndGet();

  public StreamHub(ActorSystem<?> system, LiveDeltas deltas, SiteDirectory sites, StreamSettings settings) {
    this.system = Objects.requireNonNull(system, "system");
    this.deltas = Objects.requireNonNull(deltas, "deltas");
    this.sites = Objects.requireNonNull(sites, "sites");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** The node's stream, with {@code atrium.stream} from the runtime's configuration. */
  public static StreamHub create(AtriumRuntime runtime) {
    return new StreamHub(runtime.system(), runtime.services().deltas(), runtime.services().sites(),
        StreamSettings.create(runtime.system().settings().config()));
  }

  /** {@code GET /api/v1/stream} without an upgrade: 426, for the router, the matrix and the OpenAPI document. */
  public Endpoint endpoint() {
    return new Endpoint("stream", HttpMethod.GET, StreamUpgradeHandler.PATH, Access.VIEW,
        "Live state deltas of subscribed sites, over a WebSocket (see docs/stream.md)", true,
        call -> CompletableFuture.failedFuture(new ApiException(Problem.of(HttpResponseStatus.UPGRADE_REQUIRED,
            "upgrade-required", "Upgrade required",
            "the live stream is a WebSocket: send GET " + StreamUpgradeHandler.PATH
                + " with Upgrade: websocket (RFC 6455)"), Map.of("Upgrade", "websocket"))));
  }

  @Override
  public ChannelHandler newHandler(HttpApi api) {
    return new StreamUpgradeHandler(this, sites, api, settings);
  }

  /** Clients connected to the stream on this node now. */
  public int sessions() {
    return metrics.sessions.get();
  }

  /** Clients dropped since start because they could not keep up (too many assets owed, or stalled). */
  public long droppedClients() {
    return metrics.dropped.sum();
  }

  /** Deltas that replaced an older one of the same asset still waiting for its client, since start. */
  public long conflatedDeltas() {
    return metrics.conflated.sum();
  }

  public StreamSettings settings() {
    return settings;
  }

  StreamMetrics metrics() {
    return metrics;
  }

  @Override
  public void join(String site, Member member, long joinId) {
    hub(site).tell(new SiteHub.Join(member, joinId));
  }

  @Override
  public void leave(String site, Member member) {
    ActorRef<SiteHub.Command> hub = hubs.get(site);
    if (hub != null) hub.tell(new SiteHub.Leave(member));
  }

  private ActorRef<SiteHub.Command> hub(String site) {
    return hubs.computeIfAbsent(site, s -> system.systemActorOf(
        SiteHub.create(sites.site(s).orElseThrow(() -> new IllegalArgumentException("no site " + s)), deltas),
        "stream-hub-" + instance + "-" + s, Props.empty()));
  }
}
