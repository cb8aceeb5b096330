package atrium.api.drill;

import atrium.core.clock.TwinClock;
import atrium.core.site.Exit;
import atrium.sim.crowd.QueueStats;
import atrium.sim.run.Simulation;
import atrium.sim.scenario.LoadedScenario;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One drill: a bundled scenario's crowd run by the simulator beside the twin (never fed into it), its
 * time paced by the twin's clock — {@code speed} scenario seconds for each real second, a real second
 * being the twin clock's {@link TwinClock#speed()} seconds of its time.
 * From {@code from} on: the part of the scenario before it is run first as fast as the machine allows
 * (so the mall is as full as the scenario makes it), then the drill is paced. It ends when the
 * scenario does, or — once a fire alarm has gone off — when the last person is out; or when stopped.
 * The stepping runs on {@code worker}, never on the clock's thread; {@link #state()} is a snapshot
 * readable from any thread.
 */
public final class Drill {
  private static final Logger log = LoggerFactory.getLogger(Drill.class);
  /** The evacuation curve's spacing in scenario seconds. */
  static final double CURVE_EVERY = 10;
  static final int BOTTLENECKS = 5;
  /** How often the preparation publishes its progress, in scenario seconds. */
  static final double PREPARE_PUBLISH_EVERY = 600;

  public enum Phase {
    PREPARING, RUNNING, FINISHED, STOPPED, FAILED;

    @com.fasterxml.jackson.annotation.JsonValue
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean ended() {
      return this == FINISHED || this == STOPPED || this == FAILED;
    }
  }

  /** A point of the evacuation curve: seconds since the alarm, people out since it, people inside. */
  public record CurvePoint(double t, long out, int inside) {}

  /** An exit: whether the scenario closed it, and how many went out by it since the alarm. */
  public record ExitCount(String id, String nameZh, String nameEn, boolean closed, int evacuated) {}

  /** Everything a watcher sees of the drill at one moment. */
  public record State(String id, String site, String scenario, String description, double speed, String startedBy,
      Phase phase, String reason, String scenarioStart, String scenarioEnd, String from, String simTime, double elapsedSeconds,
      int inside, String alarmAt, long evacuated, List<ExitCount> exits, List<CurvePoint> curve, List<QueueStats> bottlenecks,
      Double evacuationSeconds, int trapped) {}

  private final String id;
  private final String site;
  private final String scenarioId;
  private final LoadedScenario scenario;
  private final double speed;
  private final String startedBy;
  private final Instant from;
  private final TwinClock clock;
  private final Executor worker;
  private final Simulation sim;
  private final List<Exit> exits;
  private final List<String> closedExits;
  private final List<CurvePoint> curve = new ArrayList<>();
  private final Map<String, Integer> atAlarm = new LinkedHashMap<>();
  private final Duration tick;
  private volatile State state;
  private volatile boolean stopRequested;
  private double nextCurve = -1;
  private double fromSeconds;
  private Instant pacedSince;
  private TwinClock.Scheduled pending;

  /**
   * @param scenario the scenario as loaded, from its own start
   * @param from where the paced drill begins, at or after the scenario's start and before its end
   * @param closedExits the exits the scenario closes (shown as closed)
   */
  public Drill(String id, String scenarioId, LoadedScenario scenario, Instant from, double speed, String startedBy, TwinClock clock,
      Executor worker, List<String> closedExits) {
    this.id = id;
    this.site = scenario.site().id();
    this.scenarioId = scenarioId;
    this.scenario = scenario;
    this.from = from;
    this.speed = speed;
    this.startedBy = startedBy;
    this.clock = clock;
    this.worker = worker;
    this.sim = new Simulation(scenario, null);
    this.exits = scenario.site().exits();
    this.closedExits = List.copyOf(closedExits);
    // A tick about twice a real second whatever the clock's speed; at least a second of the clock.
    this.tick = Duration.ofMillis(Math.max(1000, Math.round(clock.speed() * 500)));
    this.state = snapshot(Phase.PREPARING, null);
  }

  /** Runs the part before {@code from} on the worker, then starts pacing on the twin's clock. */
  public void start() {
    worker.execute(this::prepare);
  }

  /** Stops the drill where it is; false if it had already ended. */
  public synchronized boolean stop() {
    if (state.phase().ended()) return false;
    stopRequested = true;
    if (pending != null) pending.cancel();
    State s = state;
    // The worker may be inside a step: the last snapshot, marked stopped, rather than a read of the run.
    state = new State(s.id(), s.site(), s.scenario(), s.description(), s.speed(), s.startedBy(), Phase.STOPPED,
        "stopped by an operator", s.scenarioStart(), s.scenarioEnd(), s.from(), s.simTime(), s.elapsedSeconds(), s.inside(),
        s.alarmAt(), s.evacuated(), s.exits(), s.curve(), s.bottlenecks(), s.evacuationSeconds(), s.trapped());
    return true;
  }

  public State state() {
    return state;
  }

  public String id() {
    return id;
  }

  private void prepare() {
    try {
      fromSeconds = Duration.between(scenario.start(), from).toMillis() / 1000.0;
      double published = 0;
      while (sim.time() + Simulation.STEP <= fromSeconds + 1e-9 && !stopRequested) {
        stepOnce();
        if (sim.time() - published >= PREPARE_PUBLISH_EVERY) {
          published = sim.time();
          publish(Phase.PREPARING, null);
        }
      }
      synchronized (this) {
        if (stopRequested) return;
        pacedSince = clock.now();
        state = snapshot(Phase.RUNNING, null);
        pending = clock.schedule(tick, () -> worker.execute(this::advance));
      }
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  private void advance() {
    try {
      // The clock's seconds since pacing began, in real seconds at the clock's speed (a clock moved by
      // hand, speed 0, counts as real time).
      double realSeconds = Duration.between(pacedSince, clock.now()).toMillis() / 1000.0 / (clock.speed() > 0 ? clock.speed() : 1);
      double target = Math.min(sim.duration(), fromSeconds + realSeconds * speed);
      while (sim.time() + Simulation.STEP <= target + 1e-9 && !stopRequested && !evacuated()) stepOnce();
      synchronized (this) {
        if (stopRequested) return;
        if (sim.finished() || evacuated()) {
          state = snapshot(Phase.FINISHED, evacuated() ? "everyone is out" : "the scenario ended");
          return;
        }
        state = snapshot(Phase.RUNNING, null);
        pending = clock.schedule(tick, () -> worker.execute(this::advance));
      }
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  private synchronized void fail(RuntimeException e) {
    log.error("drill {} of {} failed", id, site, e);
    state = snapshot(Phase.FAILED, "the simulation failed: " + e.getMessage());
  }

  private synchronized void publish(Phase phase, String reason) {
    if (!stopRequested) state = snapshot(phase, reason);
  }

  private boolean evacuated() {
    return sim.alarmAt() >= 0 && sim.inside() == 0;
  }

  /** One step of the simulation, noting the exits' counts at the alarm and the curve after it. */
  private void stepOnce() {
    boolean before = sim.alarmAt() < 0;
    sim.step();
    if (before && sim.alarmAt() >= 0) {
      for (Exit e : exits) atAlarm.put(e.id(), sim.exitedVia(e.id()));
      nextCurve = sim.alarmAt();
    }
    if (nextCurve >= 0 && (sim.time() >= nextCurve || sim.inside() == 0)) {
      synchronized (curve) {
        curve.add(new CurvePoint(Math.round(sim.time() - sim.alarmAt()), sim.exitedSinceAlarm(), sim.inside()));
      }
      nextCurve = sim.time() >= nextCurve ? nextCurve + CURVE_EVERY : nextCurve;
    }
  }

  private State snapshot(Phase phase, String reason) {
    boolean alarmed = sim.alarmAt() >= 0;
    List<ExitCount> counts = new ArrayList<>();
    for (Exit e : exits) {
      int out = alarmed ? sim.exitedVia(e.id()) - atAlarm.getOrDefault(e.id(), 0) : 0;
      counts.add(new ExitCount(e.id(), e.name().zh(), e.name().en(), closedExits.contains(e.id()), out));
    }
    List<CurvePoint> points;
    synchronized (curve) {
      points = List.copyOf(curve);
    }
    double evac = sim.evacuationSeconds();
    return new State(id, site, scenarioId, scenario.scenario().description(), speed, startedBy, phase, reason,
        local(scenario.start()), local(scenario.end()), local(from), local(sim.now()), sim.time(), sim.inside(),
        alarmed ? local(scenario.start().plusMillis(Math.round(sim.alarmAt() * 1000))) : null,
        alarmed ? sim.exitedSinceAlarm() : 0, counts, points, alarmed ? sim.bottlenecks(BOTTLENECKS) : List.of(),
        evac >= 0 && !Double.isNaN(evac) ? (double) Math.round(evac) : null, sim.trapped());
  }

  private String local(Instant at) {
    return java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(at.atZone(scenario.zone()));
  }
}
