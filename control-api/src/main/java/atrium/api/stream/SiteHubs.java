package atrium.api.stream;

/** What a session sees of the hubs: joining and leaving a site's fan-out on this node. */
interface SiteHubs {
  /** Asks the site's hub to hand this member the site's deltas; it answers with {@link Member#joined}. */
  void join(String site, Member member, long joinId);

  void leave(String site, Member member);

  /** A receiver of a site's deltas. Both calls come from the hub's thread and must not block. */
  interface Member {
    /** The hub has taken the join: every delta published from now on is offered. */
    void joined(String site, long joinId);

    void offer(StreamDelta delta);
  }
}
