package atrium.devices.energy;

import atrium.core.control.OccupancyForecast;
import atrium.devices.energy.EnergySettings.TariffPeriod;
import atrium.devices.energy.SiteEnergyOptimiser.Action;
import atrium.devices.energy.SiteEnergyOptimiser.DecisionTaken;
import atrium.devices.energy.SiteEnergyOptimiser.Held;
import atrium.devices.energy.SiteEnergyOptimiser.PreCoolWindow;
import atrium.devices.energy.SiteEnergyOptimiser.Setting;
import atrium.devices.energy.SiteEnergyOptimiser.State;
import atrium.devices.energy.SiteEnergyOptimiser.ZoneControl;
import atrium.devices.hvac.HvacZone.Mode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The optimiser's decisions for one tick, as a pure function of its state, the zones' readings, the
 * time and the occupancy forecast (see docs/energy-optimiser.md for the rules in words). The entity
 * persists what this returns, then sends it.
 */
final class EnergyPolicy {
  private static final double EPS = 1e-6;
  private static final Duration SLOT = OccupancyForecast.SLOT;

  private final EnergySettings settings;
  private final ZoneId timezone;
  private final OccupancyForecast forecast;

  EnergyPolicy(EnergySettings settings, ZoneId timezone, OccupancyForecast forecast) {
    this.settings = settings;
    this.timezone = timezone;
    this.forecast = forecast;
  }

  /** The limit in force, kW; 0: none. */
  double limitKw(State s) {
    return s.demandLimitKw() != null ? s.demandLimitKw() : settings.demandLimitKw();
  }

  /** Why fixed setpoints cannot be applied, or null: both or neither, within the HVAC limits, the dead band kept. */
  static String overrideError(Double heating, Double cooling, EnergySettings settings) {
    if (heating == null && cooling == null) return null;
    if (heating == null || cooling == null) return "fixed setpoints need both heating and cooling";
    if (!Double.isFinite(heating) || !Double.isFinite(cooling)) return "fixed setpoints must be finite";
    for (double v : new double[] {heating, cooling}) {
      if (v < settings.setpointMin() || v > settings.setpointMax()) {
        return String.format(Locale.ROOT, "a setpoint must be %.1f to %.1f °C, not %.1f", settings.setpointMin(),
            settings.setpointMax(), v);
      }
    }
    if (cooling < heating + settings.deadBand()) {
      return String.format(Locale.ROOT, "the cooling setpoint (%.1f °C) must be at least %.1f K above the heating setpoint (%.1f °C)",
          cooling, settings.deadBand(), heating);
    }
    return null;
  }

  // ---- the tariff and the pre-cooling window

  /**
   * The pre-cooling plan for the first peak period of today that has not ended (null if none): the
   * pull-down of {@code pre-cool.duration} starts where it costs least within the {@code search}
   * before the peak — the mean over its 15-minute slots of price × ((1 − w) + w × carbon ÷ the day's
   * mean carbon), w the carbon weight; on a tie, the latest start — and the cooling is held from
   * there until the peak begins.
   */
  PreCoolWindow preCoolWindow(Instant now) {
    LocalDate today = now.atZone(timezone).toLocalDate();
    for (TariffPeriod p : settings.tariff()) {
      if (!p.peak()) continue;
      Instant peakFrom = today.atTime(p.from()).atZone(timezone).toInstant();
      Instant peakTo = p.to().equals(LocalTime.MIDNIGHT) ? today.plusDays(1).atStartOfDay(timezone).toInstant()
          : today.atTime(p.to()).atZone(timezone).toInstant();
      if (!now.isBefore(peakTo)) continue;
      Instant best = null;
      double bestCost = Double.POSITIVE_INFINITY, bestPrice = 0, bestCarbon = 0;
      Instant latest = peakFrom.minus(settings.preCoolDuration());
      for (Instant s = peakFrom.minus(settings.preCoolSearch()); !s.isAfter(latest); s = s.plus(SLOT)) {
        double cost = 0, price = 0, carbon = 0;
        int n = 0;
        for (Instant t = s; t.isBefore(s.plus(settings.preCoolDuration())); t = t.plus(SLOT), n++) {
          LocalTime local = t.atZone(timezone).toLocalTime();
          double pr = settings.period(local).price(), c = settings.carbon(local);
          cost += pr * ((1 - settings.carbonWeight()) + settings.carbonWeight() * c / meanCarbon());
          price += pr;
          carbon += c;
        }
        cost /= n;
        if (cost <= bestCost + EPS) {
          best = s;
          bestCost = cost;
          bestPrice = price / n;
          bestCarbon = carbon / n;
        }
      }
      boolean active = !now.isBefore(best) && now.isBefore(peakFrom);
      return new PreCoolWindow(best, peakFrom, peakTo, p.price(), round(bestPrice, 3), round(bestCarbon, 1), active);
    }
    return null;
  }

  private double meanCarbon() {
    double sum = 0;
    for (double c : settings.carbonIntensity()) sum += c;
    return sum > 0 ? sum / 24 : 1;
  }

  // ---- decisions

  List<DecisionTaken> decide(State s, List<ZoneReading> zones, Instant now) {
    List<DecisionTaken> out = new ArrayList<>();
    List<ZoneReading> sorted = new ArrayList<>(zones);
    sorted.sort(Comparator.comparing(ZoneReading::zone));
    if (s.evacuation() != null) {
      for (ZoneReading z : sorted) {
        if (z.mode() == Mode.SMOKE_CONTROL) continue;
        out.add(new DecisionTaken(z.zone(), Action.SMOKE_CONTROL, setting(z), new Setting(Mode.SMOKE_CONTROL, z.heating(), z.cooling()),
            "evacuation declared by " + s.evacuation().by() + " (" + s.evacuation().reason() + "): smoke control overrides comfort, "
                + "the demand limit, suspensions and fixed setpoints", 0, now));
      }
      return out;
    }
    Set<String> done = new HashSet<>();
    for (ZoneReading z : sorted) {
      if (!s.smokeZones().contains(z.zone())) continue;
      done.add(z.zone());
      out.add(new DecisionTaken(z.zone(), Action.SMOKE_CLEARED, setting(z), z.mode() == Mode.SMOKE_CONTROL
          ? new Setting(null, z.heating(), z.cooling()) : setting(z),
          z.mode() == Mode.SMOKE_CONTROL ? "evacuation cleared: the zone resumes the mode it had before smoke control"
              : "evacuation cleared: the zone had already left smoke control", 0, now));
    }

    List<ZoneReading> candidates = new ArrayList<>();
    for (ZoneReading z : sorted) {
      if (done.contains(z.zone()) || z.mode() == Mode.SMOKE_CONTROL) continue;
      Held held = s.held().get(z.zone());
      ZoneControl control = s.controls().get(z.zone());
      if (held != null && !SiteEnergyOptimiser.BY.equals(z.setpointsBy()) && Math.abs(z.cooling() - held.cooling()) > EPS) {
        out.add(new DecisionTaken(z.zone(), Action.RELEASE, setting(z), setting(z), String.format(Locale.ROOT,
            "%s changed the setpoints the optimiser held (%.1f °C): the optimiser lets the zone go", z.setpointsBy(), held.cooling()),
            0, now));
        continue;
      }
      if (control != null && control.suspended()) {
        if (held != null) out.add(handBack(z, held, "the zone was suspended by " + control.by(), now));
        continue;
      }
      if (control != null && control.overrides()) {
        if (Math.abs(z.heating() - control.heating()) > EPS || Math.abs(z.cooling() - control.cooling()) > EPS) {
          out.add(new DecisionTaken(z.zone(), Action.OVERRIDE, setting(z), new Setting(z.mode(), control.heating(), control.cooling()),
              "setpoints fixed by " + control.by() + "; the optimiser keeps them until the override is cleared",
              expectedKw(z, z.cooling(), control.cooling()), now));
        }
        continue;
      }
      if (s.suspended()) {
        if (held != null) out.add(handBack(z, held, "the optimiser was suspended by " + s.suspendedBy(), now));
        continue;
      }
      candidates.add(z);
    }
    plan(s, candidates, zones, now, out);
    return out;
  }

  /** Pre-cooling and the demand limit over the zones the optimiser may act on. */
  private void plan(State s, List<ZoneReading> candidates, List<ZoneReading> all, Instant now, List<DecisionTaken> out) {
    PreCoolWindow window = preCoolWindow(now);
    double siteKw = 0;
    for (ZoneReading z : all) siteKw += z.power();
    double limit = limitKw(s);
    Set<String> decided = new HashSet<>();

    // 1. The demand limit: relax (most headroom first, least occupied next hour, least recently relaxed), or restore.
    if (limit > 0 && siteKw > limit + EPS) {
      double excess = siteKw - limit;
      List<ZoneReading> eligible = new ArrayList<>();
      for (ZoneReading z : candidates) {
        double current = current(s, z);
        boolean nearEdge = z.temperature() != null && z.temperature() >= settings.coolingMax() - settings.comfortMargin();
        if (z.power() > 0 && !nearEdge && settings.coolingMax() - current > EPS) eligible.add(z);
      }
      Instant nextHour = now.plus(Duration.ofHours(1));
      eligible.sort(Comparator.<ZoneReading>comparingDouble(z -> -Math.round((settings.coolingMax() - current(s, z)) * 100) / 100.0)
          .thenComparingDouble(z -> forecast.peak(z.zone(), now, nextHour))
          .thenComparing(z -> lastRelaxed(s, z), Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(ZoneReading::zone));
      for (ZoneReading z : eligible) {
        if (excess <= EPS) break;
        double current = current(s, z);
        double to = Math.min(settings.coolingMax(), current + settings.relaxStep());
        double kw = expectedKw(z, current, to);
        out.add(new DecisionTaken(z.zone(), Action.RELAX, new Setting(z.mode(), z.heating(), current), new Setting(z.mode(), z.heating(), to),
            String.format(Locale.ROOT, "site demand %.1f kW is over the %.1f kW limit; this zone had %.1f K headroom to %.1f °C "
                + "and %.0f people forecast in the next hour", siteKw, limit, settings.coolingMax() - current, settings.coolingMax(),
                forecast.peak(z.zone(), now, nextHour)), kw, now));
        decided.add(z.zone());
        excess += kw;
      }
    } else {
      double allowance = limit > 0 ? limit * (1 - settings.restoreBelow()) - siteKw : Double.POSITIVE_INFINITY;
      List<ZoneReading> relaxed = new ArrayList<>();
      for (ZoneReading z : candidates) {
        Held h = s.held().get(z.zone());
        if (h != null && h.lastRelaxedAt() != null && h.cooling() > nominal(s, z, window, now) + EPS) relaxed.add(z);
      }
      // The zones relaxed longest ago come back first.
      relaxed.sort(Comparator.comparing((ZoneReading z) -> lastRelaxed(s, z)).thenComparing(ZoneReading::zone));
      for (ZoneReading z : relaxed) {
        double current = current(s, z), nominal = nominal(s, z, window, now);
        double to = Math.max(nominal, current - settings.relaxStep());
        double kw = expectedKw(z, current, to);
        if (kw > allowance) break;
        allowance -= kw;
        out.add(new DecisionTaken(z.zone(), Action.RESTORE, new Setting(z.mode(), z.heating(), current), new Setting(z.mode(), z.heating(), to),
            limit > 0 ? String.format(Locale.ROOT, "site demand %.1f kW is more than %.0f %% under the %.1f kW limit", siteKw,
                settings.restoreBelow() * 100, limit) : "no demand limit in force", kw, now));
        decided.add(z.zone());
      }
    }

    // 2. Pre-cooling and its end, for the zones the limit left alone and that are not relaxed.
    for (ZoneReading z : candidates) {
      if (decided.contains(z.zone())) continue;
      Held h = s.held().get(z.zone());
      double current = current(s, z), nominal = nominal(s, z, window, now);
      if (h != null && h.lastRelaxedAt() != null && current > nominal + EPS) continue; // relaxed: restored by the limit's rule
      if (Math.abs(current - nominal) <= EPS) continue;
      if (nominal < current) {
        double kw = expectedKw(z, current, nominal);
        if (limit > 0 && siteKw + kw > limit) continue; // pre-cooling must not set a peak of its own
        siteKw += kw;
        out.add(new DecisionTaken(z.zone(), Action.PRE_COOL, new Setting(z.mode(), z.heating(), current),
            new Setting(z.mode(), z.heating(), nominal), preCoolReason(window, z), kw, now));
      } else {
        out.add(new DecisionTaken(z.zone(), Action.PRE_COOL_END, new Setting(z.mode(), z.heating(), current),
            new Setting(z.mode(), z.heating(), nominal), window != null && !now.isBefore(window.peakFrom())
                ? "the tariff peak began: the pre-cooled zone returns to its own setpoint" : "no pre-cooling due now",
            expectedKw(z, current, nominal), now));
      }
    }
  }

  /** The cooling setpoint the optimiser holds the zone at, or the zone's own. */
  private static double current(State s, ZoneReading z) {
    Held h = s.held().get(z.zone());
    return h != null ? h.cooling() : z.cooling();
  }

  private static Instant lastRelaxed(State s, ZoneReading z) {
    Held h = s.held().get(z.zone());
    return h == null ? null : h.lastRelaxedAt();
  }

  /** The zone's own setpoint, or its pre-cooling setpoint while its pre-cooling is due. */
  private double nominal(State s, ZoneReading z, PreCoolWindow window, Instant now) {
    Held h = s.held().get(z.zone());
    double baseHeating = h != null ? h.baseHeating() : z.heating();
    double baseCooling = h != null ? h.baseCooling() : z.cooling();
    if (window == null || !window.active() || !needsCooling(z, baseCooling) || !occupiedInPeak(z, window)) return baseCooling;
    double target = Math.max(Math.max(settings.coolingMin(), baseHeating + settings.deadBand()), baseCooling - settings.preCoolDepth());
    return Math.min(baseCooling, target);
  }

  /** The zone needs cooling today: its air near its cooling setpoint, or its cooling running. */
  private boolean needsCooling(ZoneReading z, double baseCooling) {
    return (z.coolingOutput() != null && z.coolingOutput() > 0)
        || (z.temperature() != null && z.temperature() >= baseCooling - settings.preCoolWarmMargin());
  }

  /** People are expected during the peak; with no history learnt yet, they are assumed. */
  private boolean occupiedInPeak(ZoneReading z, PreCoolWindow w) {
    return forecast.observations() == 0 || forecast.peak(z.zone(), w.peakFrom(), w.peakTo()) >= settings.occupiedPeople();
  }

  private String preCoolReason(PreCoolWindow w, ZoneReading z) {
    LocalTime from = w.from().atZone(timezone).toLocalTime(), peak = w.peakFrom().atZone(timezone).toLocalTime();
    String people = forecast.observations() == 0 ? "no occupancy history yet, people assumed"
        : String.format(Locale.ROOT, "%.0f people forecast at most", forecast.peak(z.zone(), w.peakFrom(), w.peakTo()));
    return String.format(Locale.ROOT, "pre-cooling for the tariff peak from %s (%.2f/kWh): the cheapest price x carbon "
        + "window starts %s (%.2f/kWh, %.0f g/kWh); %s during the peak", peak, w.peakPrice(), from, w.windowPrice(),
        w.windowCarbon(), people);
  }

  private DecisionTaken handBack(ZoneReading z, Held held, String why, Instant now) {
    return new DecisionTaken(z.zone(), Action.HAND_BACK, new Setting(z.mode(), z.heating(), held.cooling()),
        new Setting(z.mode(), held.baseHeating(), held.baseCooling()), why + ": the zone's own setpoints are handed back",
        expectedKw(z, held.cooling(), held.baseCooling()), now);
  }

  /**
   * The expected change of the zone's power when its cooling setpoint moves {@code from} → {@code to}:
   * the zone's power × {@code response-per-kelvin} per kelvin, at most all of it (the cooling loop's
   * proportional response, before the zone's temperature follows). Positive: more power.
   */
  double expectedKw(ZoneReading z, double from, double to) {
    double share = Math.min(1, settings.responsePerKelvin() * Math.abs(to - from));
    double kw = z.power() * share;
    return round(to < from ? kw : -kw, 2);
  }

  private static Setting setting(ZoneReading z) {
    return new Setting(z.mode(), z.heating(), z.cooling());
  }

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
