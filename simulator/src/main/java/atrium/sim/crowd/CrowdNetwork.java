package atrium.sim.crowd;

import atrium.core.site.Exit;
import atrium.core.site.Floor;
import atrium.core.site.Link;
import atrium.core.site.Site;
import atrium.core.site.Zone;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The walkable network the crowd model moves people on: <em>nodes</em> (areas with a floor area in m²:
 * a site's zones, or the rooms and corridors of a test geometry) and <em>directed links</em> between
 * them (doors, corridors, stairs up or down, escalators, ramps, lifts), each with a clear width and a
 * walking length in metres. Exits are links from their zone to the one {@link #outside() outside}
 * node; each has an entry link back, where visitors come in.
 *
 * <p>Every link end has an attachment point on its node's plan, so the distance walked across a node
 * is the straight line from where one came in (or stood) to the link one leaves by. Each node has a
 * placement box for random positions. Immutable; the model keeps all its state in its own arrays.
 *
 * <p>Built {@link #fromSite from a site} or by hand with {@link #builder()}.
 */
public final class CrowdNetwork {
  /** What a directed link is, with its maximum specific flow (persons per metre of width per second). */
  public enum LinkKind {
    DOOR(1.3, 1.0), CORRIDOR(1.3, 1.0), RAMP(1.3, 1.0),
    /** Walking factors on stairs after Simulex (IES VE) and Kretz et al. 2008; flows IMO MSC.1/Circ.1533. */
    STAIRS_UP(0.88, 0.35), STAIRS_DOWN(1.1, 0.5),
    /** Treated as stairs (a stopped escalator is one) plus a belt of {@link #ESCALATOR_BELT} m/s. */
    ESCALATOR_UP(0.88, 0.35), ESCALATOR_DOWN(1.1, 0.5),
    /** A lift as a slow link: a car of 13 every ~60 s per 1.4 m door; never used in an evacuation. */
    LIFT(0.15, 1.0),
    EXIT(1.3, 1.0), ENTRY(1.3, 1.0);

    final double specificFlow, speedFactor;

    LinkKind(double specificFlow, double speedFactor) {
      this.specificFlow = specificFlow;
      this.speedFactor = speedFactor;
    }

    /** persons/(m·s) */
    public double specificFlow() {
      return specificFlow;
    }

    /** Fraction of the horizontal walking speed kept on this kind of link. */
    public double speedFactor() {
      return speedFactor;
    }

    boolean escalator() {
      return this == ESCALATOR_UP || this == ESCALATOR_DOWN;
    }
  }

  public static final double ESCALATOR_BELT = 0.5;
  /** Lift car speed along the link, m/s, and the time spent waiting for and in a car, s (assumed). */
  public static final double LIFT_SPEED = 1.0, LIFT_WAIT = 30.0;
  public static final String OUTSIDE = "outside";
  /**
   * Route cost of going through any link, m: doors have no length, so without it going back through
   * the door one came in by would cost nothing and routes could loop.
   */
  public static final double LINK_PENALTY = 0.5;

  final String[] nodeIds;
  final double[] area, minX, minY, maxX, maxY;
  final Zone.Category[] category;
  final boolean[] shop;
  /** A floor number per node (0 for hand-built networks), and how many there are. */
  final int[] floor;
  final int floors;
  final int outside;

  final int[] from, to, reverse;
  final LinkKind[] kind;
  final double[] width, length, fx, fy, tx, ty, capacity, routeCost;
  final int[] outStart, outLinks, inStart, inLinks;

  final String[] exitIds;
  final int[] exitLink, entryLink;
  final int[] exitOfLink;

  private final Map<String, Integer> nodeIndex = new HashMap<>();
  private final Map<String, Integer> exitIndex = new HashMap<>();

  private CrowdNetwork(Builder b) {
    int n = b.nodes.size();
    nodeIds = new String[n];
    area = new double[n];
    minX = new double[n];
    minY = new double[n];
    maxX = new double[n];
    maxY = new double[n];
    category = new Zone.Category[n];
    shop = new boolean[n];
    floor = new int[n];
    int highest = 0;
    for (int i = 0; i < n; i++) {
      NodeSpec s = b.nodes.get(i);
      nodeIds[i] = s.id;
      area[i] = s.area;
      minX[i] = s.minX;
      minY[i] = s.minY;
      maxX[i] = s.maxX;
      maxY[i] = s.maxY;
      category[i] = s.category;
      shop[i] = s.shop;
      floor[i] = s.floor;
      highest = Math.max(highest, s.floor);
      nodeIndex.put(s.id, i);
    }
    floors = highest + 1;
    outside = b.index(OUTSIDE);
    int m = b.links.size();
    from = new int[m];
    to = new int[m];
    reverse = new int[m];
    kind = new LinkKind[m];
    width = new double[m];
    length = new double[m];
    fx = new double[m];
    fy = new double[m];
    tx = new double[m];
    ty = new double[m];
    capacity = new double[m];
    routeCost = new double[m];
    exitOfLink = new int[m];
    Arrays.fill(exitOfLink, -1);
    for (int i = 0; i < m; i++) {
      LinkSpec s = b.links.get(i);
      from[i] = s.from;
      to[i] = s.to;
      reverse[i] = s.reverse;
      kind[i] = s.kind;
      width[i] = s.width;
      length[i] = s.length;
      fx[i] = s.fx;
      fy[i] = s.fy;
      tx[i] = s.tx;
      ty[i] = s.ty;
      capacity[i] = s.kind.specificFlow * s.width;
      routeCost[i] = LINK_PENALTY + (s.kind == LinkKind.LIFT
          ? (s.length / LIFT_SPEED + LIFT_WAIT) * 1.34
          : s.length / s.kind.speedFactor);
    }
    int e = b.exits.size();
    exitIds = new String[e];
    exitLink = new int[e];
    entryLink = new int[e];
    for (int i = 0; i < e; i++) {
      ExitSpec s = b.exits.get(i);
      exitIds[i] = s.id;
      exitLink[i] = s.exitLink;
      entryLink[i] = s.entryLink;
      exitOfLink[s.exitLink] = i;
      exitIndex.put(s.id, i);
    }
    outStart = new int[n + 1];
    inStart = new int[n + 1];
    outLinks = new int[m];
    inLinks = new int[m];
    csr(from, outStart, outLinks);
    csr(to, inStart, inLinks);
  }

  private static void csr(int[] end, int[] start, int[] items) {
    for (int node : end) start[node + 1]++;
    for (int i = 1; i < start.length; i++) start[i] += start[i - 1];
    int[] fill = Arrays.copyOf(start, start.length);
    for (int l = 0; l < end.length; l++) items[fill[end[l]]++] = l;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The site's zones as nodes (placement box: a square of the zone's area round its centre), each of
   * its links as two directed links (stairs and escalators up or down by the floors' elevations), and
   * each exit as an exit and an entry link. A door (length 0) is attached on both sides at the
   * midpoint between the two zones' centres; a link with a length at the zones' centres; an exit at its
   * zone's centre.
   */
  public static CrowdNetwork fromSite(Site site) {
    Builder b = builder();
    Map<String, Double> elevation = new HashMap<>();
    Map<String, Integer> floorNumber = new HashMap<>();
    for (Floor f : site.floors()) {
      elevation.put(f.id(), f.elevation());
      floorNumber.put(f.id(), floorNumber.size());
    }
    for (Zone z : site.zones()) {
      double half = Math.sqrt(z.area()) / 2;
      boolean shop = z.kind() == Zone.Kind.SHOP || z.kind() == Zone.Kind.FOOD_COURT;
      Zone.Category category = z.kind() == Zone.Kind.FOOD_COURT && z.category() == null ? Zone.Category.FOOD : z.category();
      b.node(z.id(), z.area(), z.centre().x() - half, z.centre().y() - half, z.centre().x() + half, z.centre().y() + half);
      b.nodes.get(b.nodes.size() - 1).shop = shop;
      b.nodes.get(b.nodes.size() - 1).category = category;
      b.nodes.get(b.nodes.size() - 1).floor = floorNumber.getOrDefault(z.floor(), 0);
    }
    for (Link l : site.links()) {
      Zone a = site.zone(l.from()).orElseThrow(), c = site.zone(l.to()).orElseThrow();
      double ax = a.centre().x(), ay = a.centre().y(), cx = c.centre().x(), cy = c.centre().y();
      if (l.length() == 0) {
        ax = cx = (a.centre().x() + c.centre().x()) / 2;
        ay = cy = (a.centre().y() + c.centre().y()) / 2;
      }
      double up = elevation.getOrDefault(c.floor(), 0.0) - elevation.getOrDefault(a.floor(), 0.0);
      LinkKind forward, backward;
      switch (l.kind()) {
        case STAIRS -> {
          forward = up >= 0 ? LinkKind.STAIRS_UP : LinkKind.STAIRS_DOWN;
          backward = up >= 0 ? LinkKind.STAIRS_DOWN : LinkKind.STAIRS_UP;
        }
        case ESCALATOR -> {
          forward = up >= 0 ? LinkKind.ESCALATOR_UP : LinkKind.ESCALATOR_DOWN;
          backward = up >= 0 ? LinkKind.ESCALATOR_DOWN : LinkKind.ESCALATOR_UP;
        }
        case LIFT -> forward = backward = LinkKind.LIFT;
        case RAMP -> forward = backward = LinkKind.RAMP;
        case CORRIDOR -> forward = backward = LinkKind.CORRIDOR;
        default -> forward = backward = LinkKind.DOOR;
      }
      b.link(l.from(), l.to(), forward, backward, l.width(), l.length(), ax, ay, cx, cy);
    }
    for (Exit e : site.exits()) {
      Zone z = site.zone(e.zone()).orElseThrow();
      b.exit(e.id(), e.zone(), e.width(), z.centre().x(), z.centre().y());
    }
    return b.build();
  }

  public int nodeCount() {
    return nodeIds.length;
  }

  public int linkCount() {
    return from.length;
  }

  public int exitCount() {
    return exitIds.length;
  }

  /** The one node everyone who leaves by an exit ends in. */
  public int outside() {
    return outside;
  }

  public int node(String id) {
    Integer i = nodeIndex.get(id);
    if (i == null) throw new IllegalArgumentException("no node " + id);
    return i;
  }

  public String nodeId(int node) {
    return nodeIds[node];
  }

  public double area(int node) {
    return area[node];
  }

  public int exit(String id) {
    Integer i = exitIndex.get(id);
    if (i == null) throw new IllegalArgumentException("no exit " + id);
    return i;
  }

  public String exitId(int exit) {
    return exitIds[exit];
  }

  /** The link from the exit's zone to the outside. */
  public int exitLink(int exit) {
    return exitLink[exit];
  }

  /**
   * The directed link from one node to the other (for a line camera: crossings of {@code link(from,
   * to)} are entries into {@code to}); a walking link is preferred over a lift. -1 if there is none.
   */
  public int link(String fromNode, String toNode) {
    int a = node(fromNode), c = node(toNode), found = -1;
    for (int k = outStart[a]; k < outStart[a + 1]; k++) {
      int l = outLinks[k];
      if (to[l] == c && (found < 0 || kind[found] == LinkKind.LIFT)) found = l;
    }
    return found;
  }

  public int linkFrom(int link) {
    return from[link];
  }

  public int linkTo(int link) {
    return to[link];
  }

  public LinkKind kind(int link) {
    return kind[link];
  }

  public double width(int link) {
    return width[link];
  }

  public double length(int link) {
    return length[link];
  }

  /** Maximum flow through the link's entrance, persons/s: specific flow × width. */
  public double capacity(int link) {
    return capacity[link];
  }

  public String describe(int link) {
    return nodeIds[from[link]] + "->" + nodeIds[to[link]] + " (" + kind[link] + ")";
  }

  /**
   * For every link, the route cost (equivalent level metres) from its far end to {@code seeds}' far
   * ends, through links whose cost is taken: no lifts when {@code noLifts}, nothing into a node
   * marked in {@code blocked}, never through the outside. A link that cannot reach gets
   * {@code +∞}. Walking across a node costs the straight line between the two attachment points; a
   * link costs its length divided by its walking factor (a lift: its ride and wait at 1.34 m/s), plus
   * {@link #LINK_PENALTY}.
   */
  double[] costs(int[] seeds, boolean[] blocked, boolean noLifts) {
    int m = from.length;
    double[] d = new double[m];
    boolean[] done = new boolean[m];
    Arrays.fill(d, Double.POSITIVE_INFINITY);
    for (int s : seeds) d[s] = 0;
    while (true) {
      int best = -1;
      for (int l = 0; l < m; l++) {
        if (!done[l] && d[l] < Double.POSITIVE_INFINITY && (best < 0 || d[l] < d[best])) best = l;
      }
      if (best < 0) return d;
      done[best] = true;
      int node = from[best];
      if (node == outside || (blocked != null && blocked[node])) continue;
      if (noLifts && kind[best] == LinkKind.LIFT) continue;
      double leave = d[best] + routeCost[best];
      for (int k = inStart[node]; k < inStart[node + 1]; k++) {
        int in = inLinks[k];
        if (done[in]) continue;
        double c = leave + Math.hypot(tx[in] - fx[best], ty[in] - fy[best]);
        if (c < d[in]) d[in] = c;
      }
    }
  }

  /** Builds a network by hand (the test geometries); node ids must be unique, links refer to them. */
  public static final class Builder {
    private final List<NodeSpec> nodes = new ArrayList<>();
    private final List<LinkSpec> links = new ArrayList<>();
    private final List<ExitSpec> exits = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();

    private Builder() {
      node(OUTSIDE, 1e12, 0, 0, 0, 0);
    }

    /** A node of {@code area} m² whose random positions fall in the given box. */
    public Builder node(String id, double area, double minX, double minY, double maxX, double maxY) {
      if (index.containsKey(id)) throw new IllegalArgumentException("duplicate node " + id);
      if (!(area > 0)) throw new IllegalArgumentException("node " + id + ": area must be > 0");
      index.put(id, nodes.size());
      nodes.add(new NodeSpec(id, area, minX, minY, maxX, maxY));
      return this;
    }

    /** A rectangular room or corridor, its plan from (x0, y0) to (x1, y1). */
    public Builder room(String id, double x0, double y0, double x1, double y1) {
      return node(id, (x1 - x0) * (y1 - y0), x0, y0, x1, y1);
    }

    /** Marks a node as a shop of the category, a possible stop of visitors' itineraries. */
    public Builder shop(String id, Zone.Category category) {
      NodeSpec s = nodes.get(index(id));
      s.shop = true;
      s.category = category;
      return this;
    }

    /**
     * A link both ways: {@code forward} from {@code a} to {@code b} and {@code backward} from
     * {@code b} to {@code a}; it is attached at (ax, ay) on a's plan and (bx, by) on b's.
     */
    public Builder link(String a, String b, LinkKind forward, LinkKind backward, double width, double length,
        double ax, double ay, double bx, double by) {
      int f = oneWay(a, b, forward, width, length, ax, ay, bx, by);
      int r = oneWay(b, a, backward, width, length, bx, by, ax, ay);
      links.get(f).reverse = r;
      links.get(r).reverse = f;
      return this;
    }

    /** A door (length 0) at one point of both plans. */
    public Builder door(String a, String b, double width, double x, double y) {
      return link(a, b, LinkKind.DOOR, LinkKind.DOOR, width, 0, x, y, x, y);
    }

    /** A link one way only. */
    public Builder oneWayLink(String a, String b, LinkKind kind, double width, double length, double ax, double ay,
        double bx, double by) {
      oneWay(a, b, kind, width, length, ax, ay, bx, by);
      return this;
    }

    /** An exit of {@code width} m out of {@code node} at (x, y) on its plan. */
    public Builder exit(String id, String node, double width, double x, double y) {
      for (ExitSpec e : exits) if (e.id.equals(id)) throw new IllegalArgumentException("duplicate exit " + id);
      int out = oneWay(node, OUTSIDE, LinkKind.EXIT, width, 0, x, y, 0, 0);
      int in = oneWay(OUTSIDE, node, LinkKind.ENTRY, width, 0, 0, 0, x, y);
      links.get(out).reverse = in;
      links.get(in).reverse = out;
      exits.add(new ExitSpec(id, out, in));
      return this;
    }

    public CrowdNetwork build() {
      return new CrowdNetwork(this);
    }

    private int oneWay(String a, String b, LinkKind kind, double width, double length, double ax, double ay,
        double bx, double by) {
      if (!(width > 0)) throw new IllegalArgumentException(a + "->" + b + ": width must be > 0");
      if (!(length >= 0)) throw new IllegalArgumentException(a + "->" + b + ": length must be >= 0");
      links.add(new LinkSpec(index(a), index(b), kind, width, length, ax, ay, bx, by));
      return links.size() - 1;
    }

    private int index(String id) {
      Integer i = index.get(id);
      if (i == null) throw new IllegalArgumentException("no node " + id);
      return i;
    }
  }

  private static final class NodeSpec {
    final String id;
    final double area, minX, minY, maxX, maxY;
    boolean shop;
    Zone.Category category;
    int floor;

    NodeSpec(String id, double area, double minX, double minY, double maxX, double maxY) {
      this.id = id;
      this.area = area;
      this.minX = minX;
      this.minY = minY;
      this.maxX = maxX;
      this.maxY = maxY;
    }
  }

  private static final class LinkSpec {
    final int from, to;
    final LinkKind kind;
    final double width, length, fx, fy, tx, ty;
    int reverse = -1;

    LinkSpec(int from, int to, LinkKind kind, double width, double length, double fx, double fy, double tx, double ty) {
      this.from = from;
      this.to = to;
      this.kind = kind;
      this.width = width;
      this.length = length;
      this.fx = fx;
      this.fy = fy;
      this.tx = tx;
      this.ty = ty;
    }
  }

  private record ExitSpec(String id, int exitLink, int entryLink) {}
}
