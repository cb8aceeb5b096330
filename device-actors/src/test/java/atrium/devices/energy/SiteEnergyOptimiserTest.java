package atrium.devices.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.SimulatedClock;
import atrium.core.history.TelemetryPoint;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Site;
import atrium.core.testkit.TestTwins;
import atrium.devices.energy.EnergySettings.TariffPeriod;
import atrium.devices.energy.SiteEnergyOptimiser.Action;
import atrium.devices.energy.SiteEnergyOptimiser.Command;
import atrium.devices.energy.SiteEnergyOptimiser.DecisionTaken;
import atrium.devices.energy.SiteEnergyOptimiser.Event;
import atrium.devices.energy.SiteEnergyOptimiser.State;
import atrium.devices.energy.SiteEnergyOptimiser.Status;
import atrium.devices.hvac.HvacZone.Mode;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SiteEnergyOptimiserTest {
  private static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config()
      .withFallback(ConfigFactory.load()));
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  /** A Thursday of the demo mall. */
  private static final LocalDate DAY = LocalDate.of(2026, 12, 24);
  static final EnergySettings DEFAULTS = EnergySettings.create(ConfigFactory.load());
  private static final String A = "AHU-L1-01", B = "AHU-L1-02", C = "AHU-L1-03", D = "AHU-L1-04";

  private SimulatedClock clock;
  private TwinServices services;
  private FakeZones zones;
  private EventSourcedBehaviorTestKit<Command, Event, State> optimiser;

  @AfterEach
  void clear() {
    if (optimiser != null) optimiser.clear();
    if (services != null) services.history().close();
    if (clock != null) clock.close();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static Instant at(int hour, int minute) {
    return DAY.atTime(hour, minute).atZone(SHANGHAI).toInstant();
  }

  private void start(Instant now, EnergySettings settings) {
    clock = new SimulatedClock(now);
    services = TestTwins.unsharded(testKit.system(), clock);
    Site site = services.sites().site("demo-mall").orElseThrow();
    optimiser = EventSourcedBehaviorTestKit.create(testKit.system(), SiteEnergyOptimiser.create(site, services, settings, zones));
    settle(); // recovered: its tick timer is armed
  }

  /** A zone cooling on a warm day: 23.6 °C against 20 / 24 °C, cooling at 40 %, {@code kw} drawn. */
  private static FakeZones.Zone warm(String id, double kw) {
    return new FakeZones.Zone(id, Mode.COMFORT, 20, 24, "operator", 23.6, kw, 40.0, 50);
  }

  /**
   * Ticks as the clock does, then waits until the optimiser has read its zones (after learning its
   * forecast from the history, at the day's first tick) and persisted what it decided.
   */
  private void tick() {
    clock.advance(DEFAULTS.tick());
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      assertEquals(clock.now(), settle().lastEvaluatedAt(), "evaluated at this tick");
      return null;
    });
  }

  /** The fake zones answer at once, so the read is queued behind the first status read and done before the second. */
  private Status settle() {
    optimiser.runCommand(SiteEnergyOptimiser.GetStatus::new);
    return optimiser.<Status>runCommand(SiteEnergyOptimiser.GetStatus::new).reply();
  }

  private List<DecisionTaken> decisions() {
    return optimiser.getState().decisions();
  }

  private List<DecisionTaken> decisions(Action action) {
    return decisions().stream().filter(d -> d.action() == action).collect(Collectors.toList());
  }

  private static TariffPeriod period(String from, String to, double price, boolean peak) {
    return new TariffPeriod(LocalTime.parse(from), LocalTime.parse(to), price, peak);
  }

  /** Cheap 10:00–12:00, dear 12:00–14:00, peak 14:00–17:00. */
  private static final List<TariffPeriod> CHEAP_MORNING = List.of(period("00:00", "10:00", 0.35, false),
      period("10:00", "12:00", 0.40, false), period("12:00", "14:00", 0.90, false), period("14:00", "17:00", 1.25, true),
      period("17:00", "00:00", 0.75, false));

  // ---- pre-cooling

  @Test
  void warmZonesArePreCooledInTheCheapestWindowBeforeTheTariffPeakAndCoolOnesAreNot() {
    zones = new FakeZones(warm(A, 50), warm(B, 50), new FakeZones.Zone(C, Mode.COMFORT, 20, 24, "operator", 19.0, 10.0, 0.0, 50));
    start(at(10, 30), DEFAULTS.withTariff(CHEAP_MORNING));
    tick();
    List<DecisionTaken> pre = decisions(Action.PRE_COOL);
    assertEquals(List.of(A, B), pre.stream().map(DecisionTaken::zone).toList(), "C is cold: no cooling needed today");
    for (DecisionTaken d : pre) {
      assertEquals(24, d.from().cooling());
      assertEquals(22, d.to().cooling(), "2 K deep, inside the 21–25 °C band");
      assertTrue(d.reason().contains("tariff peak from 14:00") && d.reason().contains("starts 10:00"), d.reason());
      assertTrue(d.expectedKw() > 0, "pre-cooling costs power now: " + d.expectedKw());
    }
    assertEquals(22, zones.get(A).cooling);
    assertEquals(SiteEnergyOptimiser.BY, zones.get(A).by);
    assertEquals(24, zones.get(C).cooling);
    Status status = settle();
    assertTrue(status.preCool().active());
    assertEquals(at(10, 0), status.preCool().from());
    assertEquals(at(14, 0), status.preCool().peakFrom());
  }

  @Test
  void withAFlatMorningTariffPreCoolingWaitsForTheLatestWindowAndEndsWhenThePeakBegins() {
    zones = new FakeZones(warm(A, 50));
    start(at(11, 50), DEFAULTS); // 08:00–14:00 all at 0.75; the carbon is lowest 12:00–14:00
    tick(); // 11:55
    assertTrue(decisions().isEmpty(), "not yet: " + decisions());
    tick(); // 12:00
    assertEquals(1, decisions(Action.PRE_COOL).size());
    assertEquals(22, zones.get(A).cooling);
    for (int i = 0; i < 24; i++) tick(); // to 14:00
    assertEquals(List.of(Action.PRE_COOL, Action.PRE_COOL_END), decisions().stream().map(DecisionTaken::action).toList());
    DecisionTaken end = decisions(Action.PRE_COOL_END).get(0);
    assertEquals(at(14, 0), end.at());
    assertEquals(24, end.to().cooling());
    assertEquals(24, zones.get(A).cooling);
    assertTrue(optimiser.getState().held().isEmpty());
  }

  @Test
  void carbonIntensityMovesThePreCoolingWindowWhenPricesAreEqual() {
    List<Double> carbon = new ArrayList<>();
    for (int h = 0; h < 24; h++) carbon.add(h == 10 || h == 11 ? 300.0 : 600.0);
    zones = new FakeZones(warm(A, 50));
    start(at(10, 5), DEFAULTS.withCarbon(carbon, 0.5));
    tick();
    assertEquals(1, decisions(Action.PRE_COOL).size(), "the low-carbon 10:00–12:00 window is chosen");
    assertEquals(at(10, 0), settle().preCool().from());
  }

  // ---- the demand limit

  @Test
  void overTheLimitCoolingIsRelaxedAZoneAtATimeRoundRobinAndNeverAboveTheBand() {
    zones = new FakeZones(warm(A, 100), warm(B, 100), warm(C, 100));
    start(at(18, 0), DEFAULTS.withDemandLimitKw(270)); // after the peak: no pre-cooling
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 8; i++) tick();
    for (DecisionTaken d : decisions(Action.RELAX)) {
      order.add(d.zone());
      assertTrue(d.to().cooling() <= 25 + 1e-9, "never above the band: " + d);
      assertEquals(d.from().cooling() + 0.5, d.to().cooling(), 1e-9);
      assertEquals(-30, d.expectedKw(), 1e-9, "0.6 of the zone's 100 kW per kelvin, for 0.5 K");
      assertTrue(d.reason().contains("300.0 kW is over the 270.0 kW limit"), d.reason());
    }
    assertEquals(List.of(A, B, C, A, B, C), order, "30 kW over: one zone a tick, spread; then the band's edge stops it");
    for (String z : List.of(A, B, C)) assertEquals(25, zones.get(z).cooling);
  }

  @Test
  void relaxationTakesTheZonesWithMostHeadroomFirstAndSparesOneAtTheBandsEdge() {
    zones = new FakeZones(
        new FakeZones.Zone(A, Mode.COMFORT, 20, 24, "operator", 23.8, 100.0, 50.0, 10),
        new FakeZones.Zone(B, Mode.COMFORT, 20, 23, "operator", 22.8, 100.0, 50.0, 10),
        new FakeZones.Zone(C, Mode.COMFORT, 20, 22, "operator", 21.8, 100.0, 50.0, 10),
        new FakeZones.Zone(D, Mode.COMFORT, 20, 24, "operator", 24.9, 100.0, 90.0, 10));
    start(at(18, 0), DEFAULTS.withDemandLimitKw(320));
    tick();
    assertEquals(List.of(C, B, A), decisions(Action.RELAX).stream().map(DecisionTaken::zone).toList(),
        "80 kW over: 3, 2 and 1 K headroom; D's air is within 0.2 K of 25 °C and gives nothing");
  }

  @Test
  void underTheLimitAgainRelaxedZonesAreRestoredStepByStep() {
    zones = new FakeZones(warm(A, 100), warm(B, 100));
    start(at(18, 0), DEFAULTS.withDemandLimitKw(180));
    tick();
    assertEquals(1, decisions(Action.RELAX).size());
    zones.get(A).kw = 40; // the relaxed zone draws less
    zones.get(B).kw = 40;
    tick();
    assertEquals(1, decisions(Action.RESTORE).size());
    assertEquals(24, zones.get(A).cooling);
    assertTrue(optimiser.getState().held().isEmpty());
  }

  // ---- engineers

  @Test
  void aSuspendedZoneIsLeftAloneAndFixedSetpointsAreAppliedAndKept() {
    zones = new FakeZones(warm(A, 100), warm(B, 100), warm(C, 100));
    start(at(18, 0), DEFAULTS);
    assertTrue(optimiser.<StatusReply<Status>>runCommand(r -> new SiteEnergyOptimiser.SetZoneControl(A, true, null, null, "eng", r))
        .reply().isSuccess());
    assertTrue(optimiser.<StatusReply<Status>>runCommand(r -> new SiteEnergyOptimiser.SetZoneControl(B, false, 21.0, 23.0, "eng", r))
        .reply().isSuccess());
    assertEquals(200, optimiser.<StatusReply<Status>>runCommand(r -> new SiteEnergyOptimiser.Configure(null, 200.0, "eng", r))
        .reply().getValue().demandLimitKw());
    for (int i = 0; i < 4; i++) tick();
    assertTrue(decisions().stream().noneMatch(d -> d.zone().equals(A)), "A suspended: " + decisions());
    List<DecisionTaken> b = decisions().stream().filter(d -> d.zone().equals(B)).toList();
    assertEquals(1, b.size(), "B's override applied once, never relaxed: " + b);
    assertEquals(Action.OVERRIDE, b.get(0).action());
    assertEquals(21, zones.get(B).heating);
    assertEquals(23, zones.get(B).cooling);
    assertTrue(decisions(Action.RELAX).stream().allMatch(d -> d.zone().equals(C)));
    assertEquals(24, zones.get(A).cooling);

    var status = optimiser.<StatusReply<Status>>runCommand(r -> new SiteEnergyOptimiser.ClearZoneControl(A, "eng", r)).reply();
    assertEquals(List.of(B), status.getValue().zones().stream().map(SiteEnergyOptimiser.ZoneControlView::zone).toList());
  }

  @Test
  void suspendingAZoneTheOptimiserHoldsHandsItsOwnSetpointsBack() {
    zones = new FakeZones(warm(A, 100));
    start(at(18, 0), DEFAULTS.withDemandLimitKw(80));
    tick();
    assertEquals(24.5, zones.get(A).cooling);
    optimiser.<StatusReply<Status>>runCommand(r -> new SiteEnergyOptimiser.SetZoneControl(A, true, null, null, "eng", r));
    settle();
    DecisionTaken back = decisions(Action.HAND_BACK).get(0);
    assertEquals(24, back.to().cooling());
    assertTrue(back.reason().contains("suspended by eng"), back.reason());
    assertEquals(24, zones.get(A).cooling);
  }

  @Test
  void anOperatorsNewSetpointsReleaseAZoneTheOptimiserHeld() {
    zones = new FakeZones(warm(A, 100));
    start(at(18, 0), DEFAULTS.withDemandLimitKw(80));
    tick();
    zones.get(A).cooling = 23;
    zones.get(A).by = "operator:bob";
    zones.get(A).kw = 10;
    tick();
    DecisionTaken release = decisions(Action.RELEASE).get(0);
    assertTrue(release.reason().startsWith("operator:bob changed the setpoints"), release.reason());
    assertTrue(optimiser.getState().held().isEmpty());
    assertEquals(23, zones.get(A).cooling);
  }

  @Test
  void badEngineerCommandsAreRefusedWithAReasonAndChangeNothing() {
    zones = new FakeZones(warm(A, 100));
    start(at(18, 0), DEFAULTS);
    var unknown = optimiser.<StatusReply<Status>>runCommand(r -> new SiteEnergyOptimiser.SetZoneControl("AHU-X", true, null, null, "eng", r));
    assertEquals("no HVAC zone 'AHU-X' in site demo-mall", unknown.reply().getError().getMessage());
    assertTrue(unknown.hasNoEvents());
    var band = optimiser.<StatusReply<Status>>runCommand(r -> new SiteEnergyOptimiser.SetZoneControl(A, false, 22.0, 22.5, "eng", r));
    assertTrue(band.reply().getError().getMessage().contains("at least 1.0 K above the heating setpoint"), band.reply().toString());
    assertTrue(band.hasNoEvents());
    var half = optimiser.<StatusReply<Status>>runCommand(r -> new SiteEnergyOptimiser.SetZoneControl(A, false, 22.0, null, "eng", r));
    assertEquals("fixed setpoints need both heating and cooling", half.reply().getError().getMessage());
    var nothing = optimiser.<StatusReply<Status>>runCommand(r -> new SiteEnergyOptimiser.SetZoneControl(A, false, null, null, "eng", r));
    assertTrue(nothing.reply().isError());
    var limit = optimiser.<StatusReply<Status>>runCommand(r -> new SiteEnergyOptimiser.Configure(null, -5.0, "eng", r));
    assertTrue(limit.reply().getError().getMessage().startsWith("the demand limit must be 0 (none)"));
    assertTrue(limit.hasNoEvents());
    var clear = optimiser.<StatusReply<Status>>runCommand(r -> new SiteEnergyOptimiser.ClearEvacuation("op", r));
    assertEquals("no evacuation is declared in site demo-mall", clear.reply().getError().getMessage());
    assertTrue(clear.hasNoEvents());
    assertEquals(State.EMPTY, optimiser.getState());
  }

  @Test
  void aSuspendedOptimiserDecidesNothingAndResumesOnRequest() {
    zones = new FakeZones(warm(A, 100));
    start(at(18, 0), DEFAULTS.withDemandLimitKw(80));
    var r = optimiser.<StatusReply<Status>>runCommand(x -> new SiteEnergyOptimiser.Configure(true, null, "eng", x));
    assertEquals("suspended", r.reply().getValue().mode());
    for (int i = 0; i < 3; i++) tick();
    assertTrue(decisions().isEmpty());
    optimiser.<StatusReply<Status>>runCommand(x -> new SiteEnergyOptimiser.Configure(false, 0.0, "eng", x));
    assertEquals(0, settle().demandLimitKw(), "0: no limit");
    tick();
    assertTrue(decisions().isEmpty(), "no limit, no peak: nothing to do");
  }

  // ---- evacuation

  @Test
  void anEvacuationPutsEveryZoneInSmokeControlOverEverythingAndClearingItEndsOnlyTheOptimisersOwn() {
    zones = new FakeZones(warm(A, 100), warm(B, 100), warm(C, 100),
        new FakeZones.Zone(D, Mode.SMOKE_CONTROL, 20, 24, "fire-panel", 23.0, 5.0, 0.0, 0));
    start(at(12, 30), DEFAULTS.withDemandLimitKw(150));
    optimiser.<StatusReply<Status>>runCommand(r -> new SiteEnergyOptimiser.SetZoneControl(A, true, null, null, "eng", r));
    optimiser.<StatusReply<Status>>runCommand(r -> new SiteEnergyOptimiser.SetZoneControl(B, false, 21.0, 23.0, "eng", r));
    settle();
    var declared = optimiser.<StatusReply<Status>>runCommand(r -> new SiteEnergyOptimiser.DeclareEvacuation("fire alarm L1", "op:ann", r));
    assertEquals("evacuation", declared.reply().getValue().mode());
    settle();
    List<DecisionTaken> smoke = decisions(Action.SMOKE_CONTROL);
    assertEquals(List.of(A, B, C), smoke.stream().map(DecisionTaken::zone).toList(), "D was already in smoke control");
    assertTrue(smoke.get(0).reason().contains("fire alarm L1"), smoke.get(0).reason());
    for (String z : List.of(A, B, C, D)) assertEquals(Mode.SMOKE_CONTROL, zones.get(z).mode);
    long before = optimiser.getState().decisionCount();
    for (int i = 0; i < 3; i++) tick();
    assertEquals(before, optimiser.getState().decisionCount(), "no pre-cooling, relaxing or override during the evacuation");

    optimiser.<StatusReply<Status>>runCommand(r -> new SiteEnergyOptimiser.ClearEvacuation("op:ann", r));
    settle();
    assertEquals(List.of(A, B, C), decisions(Action.SMOKE_CLEARED).stream().map(DecisionTaken::zone).toList());
    assertEquals(Mode.COMFORT, zones.get(A).mode);
    assertEquals(Mode.SMOKE_CONTROL, zones.get(D).mode, "the fire panel's smoke control is the fire panel's to end");
    assertTrue(optimiser.getState().smokeZones().isEmpty());
    assertNull(optimiser.getState().evacuation());
  }

  // ---- persistence

  @Test
  void everyDecisionIsPersistedWithItsReasonBoundedAndSurvivesRecovery() {
    zones = new FakeZones(warm(A, 100), warm(B, 100), warm(C, 100));
    EnergySettings few = new EnergySettings(true, DEFAULTS.tick(), 21, 25, 0.2, 1.0, 16, 30, 2, Duration.ofHours(2),
        Duration.ofHours(4), 2, 1, 270, 0.5, 0.1, 0.6, DEFAULTS.tariff(), DEFAULTS.carbonIntensity(), 0.5, 0.3, 28, 4);
    start(at(18, 0), few);
    for (int i = 0; i < 6; i++) tick();
    State before = optimiser.getState();
    assertEquals(6, before.decisionCount());
    assertEquals(4, before.decisions().size(), "the newest 4 kept");
    before.decisions().forEach(d -> assertFalse(d.reason().isBlank()));
    optimiser.restart();
    assertEquals(before, optimiser.getState());
    var listed = optimiser.<SiteEnergyOptimiser.Decisions>runCommand(r -> new SiteEnergyOptimiser.GetDecisions(null, 10, r)).reply();
    assertEquals(6, listed.total());
    assertEquals(before.decisions().get(3), listed.decisions().get(0), "newest first");
    var ofA = optimiser.<SiteEnergyOptimiser.Decisions>runCommand(r -> new SiteEnergyOptimiser.GetDecisions(A, 10, r)).reply();
    assertTrue(ofA.decisions().stream().allMatch(d -> d.zone().equals(A)));
  }

  // ---- the forecast from the history

  @Test
  void theForecastIsLearntFromTheHistoryAndPreCoolingSkipsAZoneExpectedEmptyInThePeak() throws Exception {
    zones = new FakeZones(warm(A, 50), warm(B, 50));
    clock = new SimulatedClock(at(11, 55));
    services = TestTwins.unsharded(testKit.system(), clock);
    for (int d = 1; d <= 14; d++) {
      for (int slot = 0; slot < 96; slot++) {
        Instant t = DAY.minusDays(d).atStartOfDay(SHANGHAI).toInstant().plus(Duration.ofMinutes(15L * slot));
        boolean open = slot >= 40 && slot < 88;
        services.history().record(TelemetryPoint.of(AssetId.of("demo-mall", AssetKind.HVAC_ZONE, A), t, "occupancy", open ? 120 : 0));
        services.history().record(TelemetryPoint.of(AssetId.of("demo-mall", AssetKind.HVAC_ZONE, B), t, "occupancy", 0));
      }
    }
    services.history().flush().toCompletableFuture().get(30, TimeUnit.SECONDS);
    Site site = services.sites().site("demo-mall").orElseThrow();
    optimiser = EventSourcedBehaviorTestKit.create(testKit.system(), SiteEnergyOptimiser.create(site, services, DEFAULTS, zones));
    settle();
    assertEquals(0, settle().forecast().observations(), "learnt at the first tick");
    tick(); // 12:00: the day's first tick learns, then decides; pre-cooling is due
    Status status = settle();
    assertEquals(2 * 14 * 96, status.forecast().observations());
    assertEquals(120, status.forecast().next().get(0).people(), 1e-9, "13:00: A's 120 and B's 0");
    assertEquals(List.of(A), decisions(Action.PRE_COOL).stream().map(DecisionTaken::zone).toList(), "B has been empty every day");
    assertTrue(decisions(Action.PRE_COOL).get(0).reason().contains("120 people forecast"), decisions().toString());
  }

  /** HVAC zones as the optimiser sees them: readings it may change, and commands that change them at once. */
  static final class FakeZones implements SiteEnergyOptimiser.Zones {
    static final class Zone {
      final String id;
      Mode mode;
      Mode resume;
      double heating;
      double cooling;
      String by;
      Double temperature;
      double kw;
      Double coolingOutput;
      int people;

      Zone(String id, Mode mode, double heating, double cooling, String by, Double temperature, double kw, Double coolingOutput,
          int people) {
        this.id = id;
        this.mode = mode;
        this.heating = heating;
        this.cooling = cooling;
        this.by = by;
        this.temperature = temperature;
        this.kw = kw;
        this.coolingOutput = coolingOutput;
        this.people = people;
      }
    }

    final Map<String, Zone> zones = new TreeMap<>();
    final List<String> commands = new CopyOnWriteArrayList<>();

    FakeZones(Zone... zs) {
      for (Zone z : zs) zones.put(z.id, z);
    }

    Zone get(String id) {
      return zones.get(id);
    }

    @Override
    public synchronized CompletionStage<List<ZoneReading>> read() {
      List<ZoneReading> out = new ArrayList<>();
      for (Zone z : zones.values()) {
        out.add(new ZoneReading(z.id, 1000, z.mode, z.heating, z.cooling, z.by, z.temperature, z.kw, z.coolingOutput, z.people));
      }
      return CompletableFuture.completedFuture(out);
    }

    @Override
    public synchronized CompletionStage<?> setSetpoints(String zone, double heating, double cooling, String by) {
      commands.add("set-setpoints " + zone + " " + heating + "/" + cooling);
      Zone z = zones.get(zone);
      z.heating = heating;
      z.cooling = cooling;
      z.by = by;
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<?> setMode(String zone, Mode mode, String by) {
      commands.add("set-mode " + zone + " " + mode);
      Zone z = zones.get(zone);
      if (mode == Mode.SMOKE_CONTROL && z.mode != Mode.SMOKE_CONTROL) z.resume = z.mode;
      z.mode = mode;
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<?> clearSmokeControl(String zone, String by) {
      commands.add("clear-smoke-control " + zone);
      Zone z = zones.get(zone);
      if (z.mode != Mode.SMOKE_CONTROL) return CompletableFuture.failedFuture(new StatusReply.ErrorMessage("not under smoke control"));
      z.mode = z.resume;
      return CompletableFuture.completedFuture(null);
    }
  }
}
