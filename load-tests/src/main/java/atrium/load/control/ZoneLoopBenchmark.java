package atrium.load.control;

import atrium.core.control.ZoneLoop;
import atrium.sim.control.AtriumZoneController;
import atrium.sim.thermal.ThermalZone;
import atrium.sim.thermal.Weather;
import atrium.sim.thermal.ZoneParams;
import java.util.Locale;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/**
 * The computation time ratio of the zone loops (BOPTEST's {@code time_rat}): {@code zones} HVAC zones,
 * each a {@link ZoneLoop} on the simulator's actuated thermal plant, stepped at {@code step} seconds
 * for {@code hours} of plant time; only the loops' updates are timed (the plant is the world, not the
 * controller). Prints the mean and the 99th percentile of the loops' compute time per step and the
 * ratio mean ÷ step. Arguments: {@code [zones=1000] [step=1] [hours=2]}.
 */
public final class ZoneLoopBenchmark {
  private ZoneLoopBenchmark() {}

  public static void main(String[] args) {
    int zones = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    double step = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
    double hours = args.length > 2 ? Double.parseDouble(args[2]) : 2.0;
    SplittableRandom random = new SplittableRandom(20261123);
    ThermalZone[] plant = new ThermalZone[zones];
    ZoneLoop[] loops = new ZoneLoop[zones];
    double[] people = new double[zones];
    for (int i = 0; i < zones; i++) {
      ZoneParams p = ZoneParams.forFloorArea(100 + 900 * random.nextDouble());
      plant[i] = new ThermalZone("Z" + i, p, 14 + 6 * random.nextDouble(), 450, 45);
      loops[i] = new ZoneLoop(AtriumZoneController.settingsFor(p));
      people[i] = 0.2 * p.floorArea() * random.nextDouble();
    }
    Weather weather = Weather.of(2, 70);
    int steps = (int) Math.round(hours * 3600 / step);
    int warmup = Math.min(steps / 5, 600);
    Histogram perStep = new Histogram(3_600_000_000_000L, 3);
    long total = 0;
    for (int k = 0; k < steps; k++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < zones; i++) {
        ThermalZone z = plant[i];
        loops[i].update(step, z.temperature(), z.co2(), z.relativeHumidity(), people[i], true, ZoneLoop.Mode.AUTO);
      }
      long dt = System.nanoTime() - t0;
      for (int i = 0; i < zones; i++) {
        plant[i].actuate(loops[i].heatingPct(), loops[i].coolingPct(), loops[i].outdoorAirLps());
        plant[i].setOccupants(people[i]);
        plant[i].step(step, weather, 0);
      }
      if (k >= warmup) {
        perStep.recordValue(Math.max(1, dt));
        total += dt;
      }
    }
    double mean = total / (double) (steps - warmup);
    System.out.printf(Locale.ROOT, "zone loops: %d zones at a %.1f s step, %d timed steps (%d warm-up)%n", zones, step,
        steps - warmup, warmup);
    System.out.printf(Locale.ROOT, "compute per step: mean %.1f µs, p99 %.1f µs, max %.1f µs%n", mean / 1e3,
        perStep.getValueAtPercentile(99) / 1e3, perStep.getMaxValue() / 1e3);
    System.out.printf(Locale.ROOT, "computation time ratio (mean / step): %.2e (target ≤ 1e-3)%n", mean / (step * 1e9));
    double t = 0;
    for (ThermalZone z : plant) t += z.temperature();
    System.out.printf(Locale.ROOT, "mean zone temperature at the end: %.2f °C (zones start at 14-20 °C on a 2 °C day; comfort 20 °C)%n", t / zones);
  }
}
