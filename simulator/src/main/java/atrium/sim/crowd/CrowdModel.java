package atrium.sim.crowd;

import atrium.sim.crowd.CrowdNetwork.LinkKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A mesoscopic crowd model with individual agents on a {@link CrowdNetwork}: each person has a free
 * walking speed, a reaction time and a route, and is at any moment waiting (before reacting, or in a
 * shop), walking across a node towards the link they leave by, queued at that link's entrance, or
 * walking along a link.
 *
 * <ul>
 *   <li><b>Speed.</b> Walking across node {@code n}: {@code v = v_free · f(ρ_n)}, with {@code ρ_n} the
 *       people walking in the node over its area (those queued at its doors stand apart, in the crowd
 *       at the door) and {@code f} Weidmann's fundamental diagram ({@link FundamentalDiagram}).
 *       Along a link of length {@code L} and width {@code w}: {@code v = v_free · k · f(k·ρ) + belt},
 *       with {@code ρ} the people on it in both directions over {@code w·L}, {@code k} the kind's
 *       walking factor (0.35 up stairs, 0.5 down, 1 level) and a belt on escalators. Stretching the
 *       diagram by {@code 1/k} keeps its peak flow at the level value, so that on stairs, as in the
 *       hydraulic model, the entrance's specific flow (0.88 or 1.1) is what limits the flow. A lift
 *       moves at {@link CrowdNetwork#LIFT_SPEED}.
 *   <li><b>Capacity.</b> A link's entrance lets through at most {@code F_s · w} persons/s
 *       ({@link LinkKind#specificFlow()}: 1.3 doors and corridors, 1.1 stairs down, 0.88 up), metered by
 *       a token bucket of one person; nobody passes into a node already at
 *       {@link FundamentalDiagram#RHO_MAX}, nor onto a link past the
 *       {@link FundamentalDiagram#CRITICAL_DENSITY critical density}. Those who cannot pass queue in order: the queues are the
 *       jams, recorded per link ({@link #queueStats}).
 *   <li><b>Shopping.</b> Visitors come in through an exit's entry link, visit {@link VisitorMix#drawStops
 *       a number} of shops each for a dwell, then leave by the exit they came in by (or the nearest,
 *       for people placed inside). Routes are shortest by {@link CrowdNetwork#costs route cost}.
 *   <li><b>Evacuation.</b> From {@link #startEvacuation} each person, once their reaction time has
 *       passed, walks out: at each node they take the link and exit with the least estimated time
 *       {@code (d_walk + d_route)/v_free + q_link/c_link + q_exit/c_exit} (walking time plus the time
 *       for the queues at the first link and at the exit to clear at their capacities); walking
 *       evacuees look again every {@link #REVIEW_SECONDS} and change if another option promises to
 *       be {@link #REVIEW_MARGIN} s quicker. So the nearest exit is preferred, and the others are used
 *       as its queue grows. Closed exits, blocked nodes and lifts are avoided; an assigned exit is the
 *       only one considered. Turning straight back through the link one came by counts as
 *       {@link #U_TURN_METRES} more walking (doors have no length: without it people could dither).
 * </ul>
 *
 * <p>{@link #step} advances a fixed step; it is deterministic (seeded {@link SplittableRandom}, people
 * handled in index order, no clock) and allocates nothing: state is in arrays indexed by person,
 * node and link. A person's id (from the spawn methods) is reused once they have left.
 */
public final class CrowdModel {
  private static final byte FREE = 0, WAITING = 1, DWELLING = 2, WALKING = 3, QUEUED = 4, ON_LINK = 5, OUT = 6,
      TRAPPED = 7;
  private static final double INF = Double.POSITIVE_INFINITY;
  /** How often a walking evacuee looks again at the queues, s, and how much quicker a change must promise, s. */
  static final double REVIEW_SECONDS = 2.0, REVIEW_MARGIN = 2.0;
  /** A shopper weighs a second in the queue at the next link like this many metres of walking. */
  static final double QUEUE_METRES_PER_SECOND = 1.34;
  /** Going straight back through the link one came by counts as this much more walking (m). */
  static final double U_TURN_METRES = 20.0;

  private final CrowdNetwork net;
  private final VisitorMix mix;
  private final SplittableRandom random;
  private double time;

  // nodes
  private final int[] people, queued;
  private final double[] density, factor, maxDensity;
  // links
  private final int[] onLink, queueHead, queueTail, queueLen, maxQueue;
  private final double[] linkFactor, tokens, queueSeconds, queuePersonSeconds;
  private final long[] crossings;
  // exits
  private final int[] committed, exitedVia;
  private final boolean[] closed;
  private final double[][] homeRoutes;
  private double[][] evacRoutes;
  private boolean[] blocked;
  // shops
  private final int[] shops;
  /** Per floor the visitor is on, the cumulative weights of the shops. */
  private final double[][] shopCumulative;
  private final double[][] nodeRoutes;

  private boolean evacuating;
  private double evacuationStart = Double.NaN, lastExit = Double.NaN;
  private long exited, exitedSinceAlarm;
  private int inside, trapped;

  // people
  private int size, freeCount;
  private int[] freeIds = new int[64];
  private byte[] state = new byte[64], group = new byte[64];
  private boolean[] evacuee = new boolean[64];
  private int[] node = new int[64], link = new int[64], next = new int[64], arrivedBy = new int[64], assignedExit = new int[64],
      chosenExit = new int[64], homeExit = new int[64], target = new int[64], stopsLeft = new int[64],
      exitUsed = new int[64];
  private double[] remaining = new double[64], px = new double[64], py = new double[64], freeSpeed = new double[64],
      reaction = new double[64], readyAt = new double[64], reviewAt = new double[64], walked = new double[64],
      startedAt = new double[64], leftAt = new double[64];
  // the best option found by bestExit
  private int bestLink, bestExit;
  private double bestCost;

  public CrowdModel(CrowdNetwork network, VisitorMix mix, long seed) {
    this.net = network;
    this.mix = mix;
    this.random = new SplittableRandom(seed);
    int n = net.nodeCount(), m = net.linkCount(), e = net.exitCount();
    people = new int[n];
    queued = new int[n];
    density = new double[n];
    factor = new double[n];
    maxDensity = new double[n];
    onLink = new int[m];
    queueHead = new int[m];
    queueTail = new int[m];
    queueLen = new int[m];
    maxQueue = new int[m];
    linkFactor = new double[m];
    tokens = new double[m];
    queueSeconds = new double[m];
    queuePersonSeconds = new double[m];
    crossings = new long[m];
    Arrays.fill(queueHead, -1);
    Arrays.fill(queueTail, -1);
    Arrays.fill(tokens, 1.0);
    committed = new int[e];
    exitedVia = new int[e];
    closed = new boolean[e];
    homeRoutes = new double[e][];
    for (int x = 0; x < e; x++) homeRoutes[x] = net.costs(new int[] {net.exitLink[x]}, null, false);
    evacRoutes = new double[e][];
    for (int x = 0; x < e; x++) evacRoutes[x] = net.costs(new int[] {net.exitLink[x]}, null, true);
    blocked = new boolean[n];
    nodeRoutes = new double[n][];
    int count = 0;
    for (int i = 0; i < n; i++) if (net.shop[i]) count++;
    shops = new int[count];
    for (int i = 0, k = 0; i < n; i++) if (net.shop[i]) shops[k++] = i;
    shopCumulative = new double[net.floors][count];
    for (int f = 0; f < net.floors; f++) {
      double sum = 0;
      for (int k = 0; k < count; k++) {
        int shop = shops[k];
        sum += net.area[shop] * mix.weight(net.category[shop]) * (net.floor[shop] == f ? 1 : mix.otherFloorWeight());
        shopCumulative[f][k] = sum;
      }
    }
  }

  public CrowdNetwork network() {
    return net;
  }

  /** Seconds since the model started. */
  public double time() {
    return time;
  }

  // ---------------------------------------------------------------- spawning

  /**
   * A person placed at (x, y) in {@code node}, who waits their reaction time and then walks out by
   * the best exit (or their assigned one), whether or not an evacuation has been started.
   */
  public int spawnEvacuee(String nodeId, double x, double y, Pedestrian p) {
    int a = place(net.node(nodeId), x, y, p.group(), p.freeSpeed(), p.reactionSeconds());
    evacuee[a] = true;
    assignedExit[a] = p.assignedExit() == null ? -1 : net.exit(p.assignedExit());
    readyAt[a] = time + p.reactionSeconds();
    state[a] = WAITING;
    return a;
  }

  /** {@link #spawnEvacuee(String, double, double, Pedestrian)} at a random point of the node's box. */
  public int spawnEvacuee(String nodeId, Pedestrian p) {
    int n = net.node(nodeId);
    return spawnEvacuee(nodeId, randomX(n), randomY(n), p);
  }

  /**
   * A visitor drawn from the mix coming in through the exit's entry link: they walk to their first
   * shop now. -1 once an evacuation has started (nobody comes in then).
   */
  public int spawnVisitor(String entranceExit) {
    if (evacuating) return -1;
    int e = net.exit(entranceExit), entry = net.entryLink[e], n = net.to[entry];
    AgeGroup g = mix.drawGroup(random);
    int a = place(n, net.tx[entry], net.ty[entry], g, g.drawSpeed(random), mix.drawPreMovement(random));
    crossings[entry]++;
    homeExit[a] = e;
    stopsLeft[a] = mix.drawStops(random);
    nextStop(a);
    return a;
  }

  /**
   * A visitor drawn from the mix already inside, at a random point of the zone (a run started from the
   * twin's present occupancy): in a shop they start with a dwell there, elsewhere they walk to a shop.
   * They leave by the nearest exit. In an evacuation they are evacuees at once.
   */
  public int spawnVisitorIn(String zone) {
    int n = net.node(zone);
    AgeGroup g = mix.drawGroup(random);
    int a = place(n, randomX(n), randomY(n), g, g.drawSpeed(random), mix.drawPreMovement(random));
    homeExit[a] = -1;
    if (evacuating) {
      evacuee[a] = true;
      readyAt[a] = time + reaction[a];
      state[a] = WAITING;
      return a;
    }
    stopsLeft[a] = mix.drawStops(random);
    if (net.shop[n]) {
      stopsLeft[a]--;
      target[a] = n;
      state[a] = DWELLING;
      readyAt[a] = time + mix.drawDwell(random) * random.nextDouble();
    } else {
      nextStop(a);
    }
    return a;
  }

  private int place(int n, double x, double y, AgeGroup g, double speed, double reactionTime) {
    int a = freeCount > 0 ? freeIds[--freeCount] : grow();
    state[a] = WAITING;
    group[a] = (byte) g.ordinal();
    evacuee[a] = false;
    node[a] = n;
    link[a] = -1;
    next[a] = -1;
    arrivedBy[a] = -1;
    assignedExit[a] = -1;
    chosenExit[a] = -1;
    homeExit[a] = -1;
    target[a] = -1;
    stopsLeft[a] = 0;
    exitUsed[a] = -1;
    remaining[a] = 0;
    px[a] = x;
    py[a] = y;
    freeSpeed[a] = speed;
    reaction[a] = reactionTime;
    readyAt[a] = time;
    walked[a] = 0;
    startedAt[a] = Double.NaN;
    leftAt[a] = Double.NaN;
    people[n]++;
    inside++;
    return a;
  }

  private int grow() {
    if (size == state.length) {
      int c = size * 2;
      state = Arrays.copyOf(state, c);
      group = Arrays.copyOf(group, c);
      evacuee = Arrays.copyOf(evacuee, c);
      node = Arrays.copyOf(node, c);
      link = Arrays.copyOf(link, c);
      next = Arrays.copyOf(next, c);
      arrivedBy = Arrays.copyOf(arrivedBy, c);
      reviewAt = Arrays.copyOf(reviewAt, c);
      assignedExit = Arrays.copyOf(assignedExit, c);
      chosenExit = Arrays.copyOf(chosenExit, c);
      homeExit = Arrays.copyOf(homeExit, c);
      target = Arrays.copyOf(target, c);
      stopsLeft = Arrays.copyOf(stopsLeft, c);
      exitUsed = Arrays.copyOf(exitUsed, c);
      remaining = Arrays.copyOf(remaining, c);
      px = Arrays.copyOf(px, c);
      py = Arrays.copyOf(py, c);
      freeSpeed = Arrays.copyOf(freeSpeed, c);
      reaction = Arrays.copyOf(reaction, c);
      readyAt = Arrays.copyOf(readyAt, c);
      walked = Arrays.copyOf(walked, c);
      startedAt = Arrays.copyOf(startedAt, c);
      leftAt = Arrays.copyOf(leftAt, c);
    }
    return size++;
  }

  private double randomX(int n) {
    return net.minX[n] + (net.maxX[n] - net.minX[n]) * random.nextDouble();
  }

  private double randomY(int n) {
    return net.minY[n] + (net.maxY[n] - net.minY[n]) * random.nextDouble();
  }

  // ---------------------------------------------------------------- evacuation

  /** {@link #startEvacuation(Set, Set)} with no zone blocked. */
  public void startEvacuation(Set<String> closedExits) {
    startEvacuation(closedExits, Set.of());
  }

  /**
   * The alarm, now: everyone inside becomes an evacuee who moves off once their reaction time (from
   * now) has passed. Those walking across a node or queued stop where they are; those on a link (a
   * corridor, stairs) walk on to its end. Closed exits are not used;
   * nobody walks into a blocked node (those in one walk out of it).
   */
  public void startEvacuation(Set<String> closedExits, Set<String> blockedNodes) {
    evacuating = true;
    evacuationStart = time;
    Arrays.fill(closed, false);
    for (String id : closedExits) closed[net.exit(id)] = true;
    blocked = new boolean[net.nodeCount()];
    for (String id : blockedNodes) blocked[net.node(id)] = true;
    for (int x = 0; x < closed.length; x++) {
      evacRoutes[x] = closed[x] ? null : net.costs(new int[] {net.exitLink[x]}, blocked, true);
    }
    Arrays.fill(committed, 0);
    for (int l = 0; l < queueLen.length; l++) {
      for (int a = queueHead[l]; a >= 0; a = next[a]) {
        px[a] = net.fx[l];
        py[a] = net.fy[l];
        queued[node[a]]--;
        state[a] = WAITING;
      }
      queueHead[l] = queueTail[l] = -1;
      queueLen[l] = 0;
    }
    for (int a = 0; a < size; a++) {
      byte s = state[a];
      if (s == FREE || s == OUT) continue;
      chosenExit[a] = -1;
      if (!evacuee[a]) readyAt[a] = time + reaction[a];
      evacuee[a] = true;
      if (s == DWELLING || s == TRAPPED) state[a] = WAITING;
      if (s == WALKING) halt(a);
    }
    trapped = 0;
  }

  /** Stops someone walking where they are, to choose again once they have reacted. */
  private void halt(int a) {
    int l = link[a];
    double total = Math.hypot(net.fx[l] - px[a], net.fy[l] - py[a]);
    if (total > 0) {
      double f = remaining[a] / total;
      px[a] = net.fx[l] + (px[a] - net.fx[l]) * f;
      py[a] = net.fy[l] + (py[a] - net.fy[l]) * f;
    }
    remaining[a] = 0;
    state[a] = WAITING;
  }

  public boolean evacuating() {
    return evacuating;
  }

  // ---------------------------------------------------------------- the step

  /** Advances the model by {@code dt} seconds. */
  public void step(double dt) {
    for (int n = 0; n < people.length; n++) {
      double rho = people[n] / net.area[n];
      density[n] = rho;
      factor[n] = FundamentalDiagram.speedFactor((people[n] - queued[n]) / net.area[n]);
      if (rho > maxDensity[n]) maxDensity[n] = rho;
    }
    for (int l = 0; l < onLink.length; l++) {
      if (net.length[l] > 0 && onLink[l] > 0) {
        int r = net.reverse[l];
        int count = onLink[l] + (r >= 0 ? onLink[r] : 0);
        linkFactor[l] = FundamentalDiagram.speedFactor(count * net.kind[l].speedFactor / (net.width[l] * net.length[l]));
      }
    }
    for (int a = 0; a < size; a++) {
      switch (state[a]) {
        case WAITING, DWELLING -> {
          if (time >= readyAt[a]) {
            if (state[a] == DWELLING && !evacuee[a]) nextStop(a);
            decide(a);
            if (state[a] == WALKING) walk(a, dt);
          }
        }
        case WALKING -> {
          if (evacuee[a] && time >= reviewAt[a]) review(a);
          walk(a, dt);
        }
        case ON_LINK -> ride(a, dt);
        default -> { }
      }
    }
    for (int l = 0; l < queueLen.length; l++) {
      if (queueLen[l] == 0) continue;
      if (queueLen[l] > maxQueue[l]) maxQueue[l] = queueLen[l];
      tokens[l] += net.capacity[l] * dt;
      while (queueHead[l] >= 0 && tokens[l] >= 1 && room(l)) {
        int a = queueHead[l];
        queueHead[l] = next[a];
        if (queueHead[l] < 0) queueTail[l] = -1;
        queueLen[l]--;
        tokens[l] -= 1;
        pass(a, l, dt);
      }
      if (queueLen[l] > 0) {
        queueSeconds[l] += dt;
        queuePersonSeconds[l] += queueLen[l] * dt;
      } else if (tokens[l] > 1) {
        tokens[l] = 1;
      }
    }
    time += dt;
  }

  private void walk(int a, double dt) {
    double d = freeSpeed[a] * factor[node[a]] * dt;
    if (d >= remaining[a]) {
      walked[a] += remaining[a];
      remaining[a] = 0;
      int l = link[a];
      state[a] = QUEUED;
      next[a] = -1;
      if (queueTail[l] >= 0) next[queueTail[l]] = a;
      else queueHead[l] = a;
      queueTail[l] = a;
      queueLen[l]++;
      queued[node[a]]++;
    } else {
      walked[a] += d;
      remaining[a] -= d;
    }
  }

  private void ride(int a, double dt) {
    int l = link[a];
    LinkKind k = net.kind[l];
    double v = k == LinkKind.LIFT ? CrowdNetwork.LIFT_SPEED
        : freeSpeed[a] * linkFactor[l] * k.speedFactor + (k.escalator() ? CrowdNetwork.ESCALATOR_BELT : 0);
    double d = Math.min(remaining[a], v * dt);
    remaining[a] -= d;
    walked[a] += d;
    if (remaining[a] <= 0) {
      int n = net.to[l];
      if (n == net.outside || people[n] < FundamentalDiagram.RHO_MAX * net.area[n]) {
        onLink[l]--;
        arrive(a, l, dt);
      }
    }
  }

  /**
   * Whether someone at the head of l's queue may go through: a link takes people while its density
   * (both ways, stretched like its diagram) is below the critical density, a node while below ρ_max.
   */
  private boolean room(int l) {
    if (net.length[l] > 0) {
      int r = net.reverse[l];
      return (onLink[l] + (r >= 0 ? onLink[r] : 0)) * net.kind[l].speedFactor
          < FundamentalDiagram.CRITICAL_DENSITY * net.width[l] * net.length[l];
    }
    int n = net.to[l];
    return n == net.outside || people[n] < FundamentalDiagram.RHO_MAX * net.area[n];
  }

  private void pass(int a, int l, double dt) {
    crossings[l]++;
    people[node[a]]--;
    queued[node[a]]--;
    if (net.length[l] > 0) {
      state[a] = ON_LINK;
      remaining[a] = net.length[l];
      onLink[l]++;
    } else {
      arrive(a, l, dt);
    }
  }

  private void arrive(int a, int l, double dt) {
    int n = net.to[l];
    if (n == net.outside) {
      int e = net.exitOfLink[l];
      state[a] = OUT;
      exitUsed[a] = e;
      leftAt[a] = time + dt;
      if (chosenExit[a] >= 0) committed[chosenExit[a]]--;
      chosenExit[a] = -1;
      if (e >= 0) exitedVia[e]++;
      exited++;
      if (evacuating) exitedSinceAlarm++;
      lastExit = time + dt;
      inside--;
      freeIds = freeCount == freeIds.length ? Arrays.copyOf(freeIds, freeCount * 2) : freeIds;
      freeIds[freeCount++] = a;
      return;
    }
    node[a] = n;
    people[n]++;
    arrivedBy[a] = l;
    px[a] = net.tx[l];
    py[a] = net.ty[l];
    decide(a);
  }

  // ---------------------------------------------------------------- choices

  /** Sets the person off towards their next link, or to wait, dwell, or be trapped. */
  private void decide(int a) {
    if (evacuee[a]) {
      if (time < readyAt[a]) {
        state[a] = WAITING;
        return;
      }
      chooseExit(a);
    } else {
      chooseRoute(a);
    }
    if (state[a] == WALKING && Double.isNaN(startedAt[a])) startedAt[a] = time;
  }

  private void chooseExit(int a) {
    bestExit(a);
    if (bestLink < 0) {
      state[a] = TRAPPED;
      trapped++;
      return;
    }
    commit(a, bestExit);
    setOff(a, bestLink);
    reviewAt[a] = time + REVIEW_SECONDS;
  }

  /**
   * A walking evacuee looks again from where they are now, and turns to another link or exit if it
   * promises to be {@link #REVIEW_MARGIN} seconds quicker than the one they are heading for.
   */
  private void review(int a) {
    int m = link[a];
    double total = Math.hypot(net.fx[m] - px[a], net.fy[m] - py[a]);
    if (total > 0) {
      double f = remaining[a] / total;
      px[a] = net.fx[m] + (px[a] - net.fx[m]) * f;
      py[a] = net.fy[m] + (py[a] - net.fy[m]) * f;
    }
    reviewAt[a] = time + REVIEW_SECONDS;
    if (chosenExit[a] < 0 || closed[chosenExit[a]]) return;
    double current = cost(a, m, chosenExit[a]);
    bestExit(a);
    if (bestLink >= 0 && bestCost < current - REVIEW_MARGIN) {
      commit(a, bestExit);
      setOff(a, bestLink);
    }
  }

  /** The quickest (link, exit) from where the person stands, in bestLink/bestExit/bestCost; -1 if none. */
  private void bestExit(int a) {
    int n = node[a];
    bestLink = -1;
    bestExit = -1;
    bestCost = INF;
    for (int k = net.outStart[n]; k < net.outStart[n + 1]; k++) {
      int m = net.outLinks[k];
      LinkKind kind = net.kind[m];
      if (kind == LinkKind.LIFT || kind == LinkKind.ENTRY) continue;
      int through = net.to[m];
      if (through != net.outside && blocked[through]) continue;
      for (int e = 0; e < closed.length; e++) {
        if (closed[e] || (assignedExit[a] >= 0 && e != assignedExit[a])) continue;
        double c = cost(a, m, e);
        if (c < bestCost) {
          bestCost = c;
          bestLink = m;
          bestExit = e;
        }
      }
    }
  }

  /**
   * Estimated time out through link m and exit e: walking time at the free speed, plus the time for
   * the queue at m (if it is not the exit itself) and the queue at the exit to clear at their capacities.
   */
  private double cost(int a, int m, int e) {
    double route = evacRoutes[e][m];
    if (route == INF) return INF;
    double walk = Math.hypot(net.fx[m] - px[a], net.fy[m] - py[a]) + net.routeCost[m] + route;
    int exit = net.exitLink[e];
    double wait = queueLen[exit] / net.capacity[exit];
    if (m != exit) wait += queueLen[m] / net.capacity[m];
    if (arrivedBy[a] >= 0 && m == net.reverse[arrivedBy[a]]) walk += U_TURN_METRES;
    return walk / freeSpeed[a] + wait;
  }

  private void commit(int a, int e) {
    if (chosenExit[a] == e) return;
    if (chosenExit[a] >= 0) committed[chosenExit[a]]--;
    committed[e]++;
    chosenExit[a] = e;
  }

  private void chooseRoute(int a) {
    int n = node[a];
    if (n == target[a]) {
      arrivedBy[a] = -1;
      state[a] = DWELLING;
      readyAt[a] = time + mix.drawDwell(random);
      return;
    }
    int pick = -1;
    double least = INF;
    int uTurn = arrivedBy[a] >= 0 ? net.reverse[arrivedBy[a]] : -1;
    for (int k = net.outStart[n]; k < net.outStart[n + 1]; k++) {
      int m = net.outLinks[k];
      double route;
      int e = net.exitOfLink[m];
      if (target[a] == net.outside) {
        if (homeExit[a] >= 0) route = homeRoutes[homeExit[a]][m];
        else {
          route = INF;
          for (double[] r : homeRoutes) route = Math.min(route, r[m]);
        }
      } else {
        if (e >= 0) continue;
        route = nodeRoutes(target[a])[m];
      }
      double cost = Math.hypot(net.fx[m] - px[a], net.fy[m] - py[a]) + net.routeCost[m] + route
          + queueLen[m] / net.capacity[m] * QUEUE_METRES_PER_SECOND + (m == uTurn ? U_TURN_METRES : 0);
      if (cost < least) {
        least = cost;
        pick = m;
      }
    }
    if (pick < 0) {
      state[a] = TRAPPED;
      trapped++;
      return;
    }
    setOff(a, pick);
  }

  private void setOff(int a, int m) {
    link[a] = m;
    remaining[a] = Math.hypot(net.fx[m] - px[a], net.fy[m] - py[a]);
    state[a] = WALKING;
  }

  /** The next shop of the itinerary, or the way out when there is none left. */
  private void nextStop(int a) {
    if (stopsLeft[a] <= 0 || shops.length == 0) {
      target[a] = net.outside;
      return;
    }
    stopsLeft[a]--;
    int previous = target[a], s = previous;
    for (int tries = 0; tries < 3 && s == previous; tries++) {
      double[] cumulative = shopCumulative[net.floor[node[a]]];
      double u = random.nextDouble() * cumulative[cumulative.length - 1];
      int k = Arrays.binarySearch(cumulative, u);
      s = shops[Math.min(shops.length - 1, k >= 0 ? k + 1 : -k - 1)];
    }
    target[a] = s;
  }

  private double[] nodeRoutes(int target) {
    double[] r = nodeRoutes[target];
    if (r == null) {
      int count = 0;
      for (int l = 0; l < net.linkCount(); l++) if (net.to[l] == target) count++;
      int[] seeds = new int[count];
      for (int l = 0, k = 0; l < net.linkCount(); l++) if (net.to[l] == target) seeds[k++] = l;
      r = nodeRoutes[target] = net.costs(seeds, null, false);
    }
    return r;
  }

  // ---------------------------------------------------------------- observations

  /** People in the node now (walking, waiting, shopping or queued there); not those on its links. */
  public int people(int node) {
    return people[node];
  }

  /** Copies the people per node into {@code into} (length {@link CrowdNetwork#nodeCount()}). */
  public void copyPeople(int[] into) {
    System.arraycopy(people, 0, into, 0, people.length);
  }

  /** People per m² in the node at the start of the last step. */
  public double density(int node) {
    return density[node];
  }

  public double maxDensity(int node) {
    return maxDensity[node];
  }

  /** People walking along the link now. */
  public int onLink(int link) {
    return onLink[link];
  }

  /** Everyone who has gone through the link's entrance so far (a line camera's count). */
  public long crossings(int link) {
    return crossings[link];
  }

  public QueueStats queueStats(int link) {
    return new QueueStats(net.describe(link), maxQueue[link], queueSeconds[link], queuePersonSeconds[link], queueLen[link]);
  }

  public int maxQueue(int link) {
    return maxQueue[link];
  }

  /** The links where anyone queued, longest queue first (ties: longest queue time), at most {@code top}. */
  public List<QueueStats> bottlenecks(int top) {
    List<Integer> ls = new ArrayList<>();
    for (int l = 0; l < maxQueue.length; l++) if (maxQueue[l] > 0) ls.add(l);
    ls.sort(Comparator.<Integer>comparingInt(l -> -maxQueue[l]).thenComparingDouble(l -> -queueSeconds[l]).thenComparingInt(l -> l));
    return ls.stream().limit(top).map(this::queueStats).toList();
  }

  /** People inside the building (anywhere but outside). */
  public int inside() {
    return inside;
  }

  /** Everyone who has left by an exit since the start. */
  public long exited() {
    return exited;
  }

  /** Everyone who has left by an exit since the alarm (the evacuation curve). */
  public long exitedSinceAlarm() {
    return exitedSinceAlarm;
  }

  /** People heading for the exit now (chosen in an evacuation, not yet out). */
  public int headingFor(String exitId) {
    return committed[net.exit(exitId)];
  }

  public int exitedVia(String exitId) {
    return exitedVia[net.exit(exitId)];
  }

  /** When the last person so far went out, seconds since the start; NaN if nobody has. */
  public double lastExitTime() {
    return lastExit;
  }

  public double evacuationStart() {
    return evacuationStart;
  }

  /** People who found no open way out (or to their shop). */
  public int trapped() {
    return trapped;
  }

  public AgeGroup group(int person) {
    return AgeGroup.values()[group[person]];
  }

  public double freeSpeed(int person) {
    return freeSpeed[person];
  }

  public double reaction(int person) {
    return reaction[person];
  }

  /** When the person first set off walking, seconds; NaN if they have not. */
  public double startedAt(int person) {
    return startedAt[person];
  }

  /** When the person went out, seconds; NaN if they have not. */
  public double leftAt(int person) {
    return leftAt[person];
  }

  /** The exit the person went out by, or null. */
  public String exitUsed(int person) {
    return exitUsed[person] < 0 ? null : net.exitIds[exitUsed[person]];
  }

  public double walkedMetres(int person) {
    return walked[person];
  }

  public boolean hasLeft(int person) {
    return state[person] == OUT || state[person] == FREE;
  }
}
