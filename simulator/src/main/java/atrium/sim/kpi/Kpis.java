package atrium.sim.kpi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accumulates BOPTEST's KPIs (MODELS.md, "Building control") over a run, step by step. Each step the
 * caller reports every zone with {@link #zone} — temperature, the comfort band then in force, CO2 and
 * electric power — and closes the step with {@link #endStep} (its length and the controller's compute
 * time for it). Steps are contiguous from {@code startHourOfDay}; each zone's values are held over
 * the step (the plant's power is constant over a step, so energy, cost, emissions and peak are exact;
 * temperature and CO2 are the step's end values held over it, a rectangle rule).
 *
 * <p>The peak is the highest mean power over 15-minute windows aligned to the clock's quarter-hours
 * (as a utility's demand meter bills it; the alignment is an assumption — MODELS.md says only "highest
 * 15-minute mean"); a window the period covers only in part is averaged over the part covered. Tariff
 * and carbon intensity are integrated over each step, split at their period boundaries.
 *
 * <p>Not thread-safe; allocation-free per step.
 */
public final class Kpis {
  static final double WINDOW = 900;

  private final String[] ids;
  private final double[] areas;
  private final double totalArea;
  private final KpiSettings settings;
  private final double startHourOfDay;

  private final double[] pendingT, pendingLower, pendingUpper, pendingCo2, pendingKw;
  private final boolean[] reported;
  private final double[] tdisKh, idisPpmH;
  private double elapsed;
  private long steps;
  private double computeSeconds;
  private double energyKwh, cost, emissions;
  private long window = Long.MIN_VALUE;
  private double windowKws, windowCovered, windowStart;
  private double peakKw, peakAt;

  public Kpis(List<String> zoneIds, double[] floorAreas, KpiSettings settings, double startHourOfDay) {
    if (zoneIds.size() != floorAreas.length) throw new IllegalArgumentException(zoneIds.size() + " zones, " + floorAreas.length + " floor areas");
    this.ids = zoneIds.toArray(new String[0]);
    this.areas = floorAreas.clone();
    double a = 0;
    for (double x : areas) {
      if (!(x > 0)) throw new IllegalArgumentException("floor areas must be positive");
      a += x;
    }
    this.totalArea = a;
    this.settings = settings;
    this.startHourOfDay = startHourOfDay;
    int n = ids.length;
    pendingT = new double[n];
    pendingLower = new double[n];
    pendingUpper = new double[n];
    pendingCo2 = new double[n];
    pendingKw = new double[n];
    reported = new boolean[n];
    tdisKh = new double[n];
    idisPpmH = new double[n];
  }

  public KpiSettings settings() {
    return settings;
  }

  /** The local hour of day at the start of the next step (hours, may exceed 24 — the profiles wrap). */
  public double hourOfDay() {
    return startHourOfDay + elapsed / 3600;
  }

  /** The comfort band's lower bound now, from the settings (for callers that use the configured band). */
  public double lowerNow() {
    return settings.comfort().lowerAt(hourOfDay());
  }

  public double upperNow() {
    return settings.comfort().upperAt(hourOfDay());
  }

  /** Zone {@code i}'s state over the step being recorded. */
  public void zone(int i, double temperature, double lower, double upper, double co2, double powerKw) {
    pendingT[i] = temperature;
    pendingLower[i] = lower;
    pendingUpper[i] = upper;
    pendingCo2[i] = co2;
    pendingKw[i] = powerKw;
    reported[i] = true;
  }

  /** Closes a step of {@code dtSeconds}, the controller having taken {@code computeSeconds} for it. */
  public void endStep(double dtSeconds, double computeSeconds) {
    if (!(dtSeconds > 0)) throw new IllegalArgumentException("a step must be positive");
    double hours = dtSeconds / 3600;
    double kw = 0;
    for (int i = 0; i < ids.length; i++) {
      if (!reported[i]) throw new IllegalStateException("zone " + ids[i] + " was not reported this step");
      reported[i] = false;
      double t = pendingT[i];
      tdisKh[i] += (Math.max(0, pendingLower[i] - t) + Math.max(0, t - pendingUpper[i])) * hours;
      idisPpmH[i] += Math.max(0, pendingCo2[i] - settings.co2Threshold()) * hours;
      kw += pendingKw[i];
    }
    double h0 = hourOfDay();
    energyKwh += kw * hours;
    cost += kw * settings.tariff().integral(h0, hours);
    emissions += kw * settings.carbon().integral(h0, hours);
    addToWindows(kw, dtSeconds);
    elapsed += dtSeconds;
    steps++;
    this.computeSeconds += Math.max(0, computeSeconds);
  }

  /** Shares a step's constant power among the clock-aligned 15-minute windows it spans. */
  private void addToWindows(double kw, double dt) {
    double clock = startHourOfDay * 3600 + elapsed; // seconds since the start day's midnight
    double end = clock + dt;
    while (clock < end - 1e-9) {
      long w = (long) Math.floor((clock + 1e-9) / WINDOW);
      if (w != window) {
        closeWindow();
        window = w;
        windowStart = clock;
      }
      double next = Math.min(end, (w + 1) * WINDOW);
      windowKws += kw * (next - clock);
      windowCovered += next - clock;
      clock = next;
    }
  }

  private void closeWindow() {
    if (windowCovered > 0) {
      double mean = windowKws / windowCovered;
      if (mean > peakKw) {
        peakKw = mean;
        peakAt = (windowStart - startHourOfDay * 3600) / 3600;
      }
    }
    windowKws = 0;
    windowCovered = 0;
  }

  /** The KPIs of the steps so far (the open 15-minute window counts as far as it goes). */
  public KpiReport report() {
    double peak = peakKw, at = peakAt;
    if (windowCovered > 0 && windowKws / windowCovered > peak) {
      peak = windowKws / windowCovered;
      at = (windowStart - startHourOfDay * 3600) / 3600;
    }
    int n = Math.max(1, ids.length);
    Map<String, Double> tdis = new LinkedHashMap<>(), idis = new LinkedHashMap<>();
    double tSum = 0, iSum = 0;
    for (int i = 0; i < ids.length; i++) {
      tdis.put(ids[i], tdisKh[i]);
      idis.put(ids[i], idisPpmH[i]);
      tSum += tdisKh[i];
      iSum += idisPpmH[i];
    }
    double area = totalArea > 0 ? totalArea : 1; // no zones: every total is 0
    double ratio = steps == 0 ? 0 : (computeSeconds / steps) / (elapsed / steps);
    return new KpiReport(elapsed / 3600, totalArea, new KpiReport.PerZone(tSum / n, tdis), new KpiReport.PerZone(iSum / n, idis),
        settings.co2Threshold(), new KpiReport.PerArea(energyKwh, energyKwh / area), new KpiReport.PerArea(cost, cost / area),
        new KpiReport.PerArea(emissions, emissions / area), new KpiReport.PerArea(peak, peak / area), at, ratio);
  }
}
