package atrium.api.stream;

import atrium.core.live.Delta;
import atrium.core.live.LiveDeltas;
import atrium.core.site.Site;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * One site's fan-out on this node: follows the site's live-delta topic once, while any client of this
 * node is subscribed to the site, places each delta in the model and writes its JSON once, and hands
 * it to every member. Handing over is putting it into the member's conflation map: the hub never waits
 * for a client, so the twin never does either.
 */
final class SiteHub extends AbstractBehavior<SiteHub.Command> {
  sealed interface Command {}

  record Join(SiteHubs.Member member, long joinId) implements Command {}

  record Leave(SiteHubs.Member member) implements Command {}

  private record Received(Delta delta) implements Command {}

  private final Site site;
  private final LiveDeltas deltas;
  private final ActorRef<Delta> deltaAdapter;
  private final Set<SiteHubs.Member> members = new LinkedHashSet<>();

  static Behavior<Command> create(Site site, LiveDeltas deltas) {
    // Resume keeps the members: a failure handling one delta must not cut every client off.
    return Behaviors.<Command>supervise(Behaviors.setup(ctx -> new SiteHub(ctx, site, deltas)))
        .onFailure(SupervisorStrategy.resume());
  }

  private SiteHub(ActorContext<Command> context, Site site, LiveDeltas deltas) {
    super(context);
    this.site = site;
    this.deltas = deltas;
    this.deltaAdapter = context.messageAdapter(Delta.class, Received::new);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Join.class, this::onJoin)
        .onMessage(Leave.class, this::onLeave)
        .onMessage(Received.class, this::onDelta)
        .build();
  }

  private Behavior<Command> onJoin(Join join) {
    if (members.isEmpty()) deltas.subscribe(site.id(), deltaAdapter);
    members.add(join.member());
    join.member().joined(site.id(), join.joinId());
    return this;
  }

  private Behavior<Command> onLeave(Leave leave) {
    if (members.remove(leave.member()) && members.isEmpty()) deltas.unsubscribe(site.id(), deltaAdapter);
    return this;
  }

  private Behavior<Command> onDelta(Received received) {
    if (members.isEmpty()) return this;
    Delta d = received.delta();
    Placement placement = Placement.of(site, d.asset().kind(), d.asset().localId());
    StreamDelta sd = new StreamDelta(d.asset(), placement, StreamProtocol.delta(d, placement));
    for (SiteHubs.Member m : members) m.offer(sd);
    return this;
  }
}
