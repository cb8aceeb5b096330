package atrium.sim.run;

import atrium.core.protocol.Envelope;
import atrium.sim.link.DeviceLink;
import atrium.sim.scenario.LoadedScenario;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scenario feeding a running twin: the models follow the twin's clock (simulated at 1× to many
 * times real time, or the wall clock), their devices' messages go through a {@link DeviceLink} —
 * in-process, HTTP or MQTT — and the twin's commands come back through {@link #command}. At most
 * {@link #MAX_OUTSTANDING} batches are on their way; while the twin is that far behind, the models
 * wait, so a slow twin slows the simulator rather than piling messages up.
 */
public final class InTheLoopRun implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InTheLoopRun.class);
  static final int MAX_OUTSTANDING = 16;
  static final int MAX_BATCH = 500;
  static final long TICK_MILLIS = 100;

  private final Simulation sim;
  private final DeviceLink link;
  private final Supplier<Instant> twinNow;
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "simulator-in-the-loop");
    t.setDaemon(true);
    return t;
  });
  private final List<Envelope> pending = new ArrayList<>();
  private final AtomicInteger outstanding = new AtomicInteger();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile boolean closed;

  /**
   * @param scenario the scenario, already moved to start at the twin's present ({@link LoadedScenario#startingAt})
   * @param twinNow the twin's clock
   */
  public InTheLoopRun(LoadedScenario scenario, DeviceLink link, Supplier<Instant> twinNow) {
    this(scenario, link, twinNow, null);
  }

  /** @param guidance the twin's parking guidance, asked from the simulation's thread (answer quickly, or not at all) */
  public InTheLoopRun(LoadedScenario scenario, DeviceLink link, Supplier<Instant> twinNow, atrium.sim.traffic.TwinGuidance guidance) {
    this.link = link;
    this.twinNow = twinNow;
    this.sim = new Simulation(scenario, pending::addAll, guidance);
  }

  public Simulation simulation() {
    return sim;
  }

  public InTheLoopRun start() {
    ticker.scheduleWithFixedDelay(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    return this;
  }

  /** The cars parked now and when they leave, read on the simulation's own thread. */
  public java.util.Map<String, Instant> parkedCars() {
    try {
      return ticker.submit(sim::parkedCars).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the simulated car parks", e);
    }
  }

  /** Cars already parked when the run starts (before {@link #start}). */
  public void placeCars(java.util.Map<String, Instant> parked) {
    Instant now = sim.now();
    int n = 0;
    for (var e : parked.entrySet()) {
      if (e.getValue().isAfter(now)) sim.placeCar(e.getKey(), "RESUMED" + (++n), e.getValue());
    }
  }

  /** A command the twin sent to one of the simulated devices (any thread). */
  public void command(Envelope.Command c) {
    sim.command(c);
  }

  public long sent() {
    return sent.get();
  }

  public long failed() {
    return failed.get();
  }

  private void tick() {
    if (closed) return;
    try {
      double target = Duration.between(sim.scenario().start(), twinNow.get()).toMillis() / 1000.0;
      while (!closed && sim.time() + Simulation.STEP <= target && !sim.finished()) {
        if (outstanding.get() >= MAX_OUTSTANDING) return;
        sim.step();
        flush();
      }
    } catch (RuntimeException e) {
      log.error("the in-the-loop simulation failed at {} s", sim.time(), e);
    }
  }

  private void flush() {
    for (int from = 0; from < pending.size(); from += MAX_BATCH) {
      List<Envelope> batch = List.copyOf(pending.subList(from, Math.min(pending.size(), from + MAX_BATCH)));
      outstanding.incrementAndGet();
      CompletableFuture<Void> f;
      try {
        f = link.send(batch).toCompletableFuture();
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      f.whenComplete((v, e) -> {
        outstanding.decrementAndGet();
        if (e == null) {
          sent.addAndGet(batch.size());
        } else {
          failed.addAndGet(batch.size());
          if (!closed) log.warn("the twin refused {} simulated device messages: {}", batch.size(), e.getMessage());
        }
      });
    }
    pending.clear();
  }

  @Override
  public void close() {
    closed = true;
    ticker.shutdownNow();
    try {
      ticker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
