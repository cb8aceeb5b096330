package atrium.sim.run;

import atrium.sim.control.AtriumZoneController;
import atrium.sim.control.BaselineController;
import atrium.sim.control.PlantController;
import atrium.sim.control.SiteOptimiser;
import atrium.sim.kpi.KpiReport;
import atrium.sim.kpi.KpiSettings;
import atrium.sim.scenario.LoadedScenario;
import atrium.sim.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.time.Duration;
import java.time.ZoneId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Issue 6's comparison: each scenario run twice on the same plant, seed and KPI settings, once under
 * the {@link BaselineController} and once under the {@link AtriumZoneController}, and every KPI of the
 * two set side by side with the change in %.
 *
 * <pre>mvn -q -o -pl simulator -am compile exec:java -Dexec.mainClass=atrium.sim.run.ControllerComparison</pre>
 * (arguments: scenario files; default {@code scenarios/weekday.json scenarios/heatwave.json}).
 */
public final class ControllerComparison {
  private ControllerComparison() {}

  /** One KPI of one scenario under both controllers; {@code changePct} = (atrium − baseline) ÷ baseline × 100, NaN if the baseline is 0 (below 1e-9). */
  public record Row(String scenario, String kpi, String unit, double baseline, double atrium, double changePct) {}

  /** Both runs' KPI reports of one scenario. */
  public record Pair(String scenario, KpiReport baseline, KpiReport atrium) {}

  public static final List<Path> DEFAULT_SCENARIOS = List.of(Path.of("scenarios/weekday.json"), Path.of("scenarios/heatwave.json"));

  /** Runs a scenario to its end under a controller and returns its KPIs. */
  public static KpiReport run(LoadedScenario scenario, PlantController controller, KpiSettings settings) {
    return run(scenario, controller, settings, Duration.ZERO);
  }

  /** The same after a warm-up of the plant under the controller (see {@link Simulation#warmUp}). */
  public static KpiReport run(LoadedScenario scenario, PlantController controller, KpiSettings settings, Duration warmUp) {
    Simulation sim = new Simulation(scenario, null, controller, settings);
    sim.warmUp(warmUp);
    while (!sim.finished()) sim.step();
    return sim.kpis();
  }

  public static Pair compare(String name, LoadedScenario scenario, KpiSettings settings, Supplier<PlantController> atrium) {
    return new Pair(name, run(scenario, new BaselineController(), settings), run(scenario, atrium.get(), settings));
  }

  /** How long the plant warms up under each controller before the measured day (see {@link Simulation#warmUp}). */
  public static final Duration WARM_UP = Duration.ofDays(2);

  /**
   * Issue 6's comparison of one scenario, as {@code docs/energy.md} describes it: measured from local
   * midnight of the scenario's first day to its end (so every controller's pre-start counts), after a
   * {@link #WARM_UP} under the controller itself, with the season's comfort band
   * ({@link KpiSettings#forMonth}) and the season's baseline setpoints
   * ({@link BaselineController.Settings#forMonth}); Atrium gets the same schedule and setpoints and the
   * band's edges as the limits of its pre-cooling and demand limit.
   */
  public static Pair compare(String name, LoadedScenario scenario) {
    int month = scenario.start().atZone(scenario.zone()).getMonthValue();
    return compare(name, scenario, KpiSettings.forMonth(month), BaselineController.Settings.forMonth(month));
  }

  /** The same with a given comfort band (in {@code kpi}) and baseline schedule, e.g. the heating season's on a summer day. */
  public static Pair compare(String name, LoadedScenario scenario, KpiSettings kpi, BaselineController.Settings schedule) {
    ZoneId zone = scenario.zone();
    LoadedScenario day = scenario.from(scenario.start().atZone(zone).toLocalDate().atStartOfDay(zone).toInstant());
    KpiReport baseline = run(day, new BaselineController(schedule), kpi, WARM_UP);
    AtriumZoneController atrium = new AtriumZoneController(schedule, SiteOptimiser.Settings.DEFAULTS, kpi.comfort().occupiedLower(),
        kpi.comfort().occupiedUpper());
    return new Pair(name, baseline, run(day, atrium, kpi, WARM_UP));
  }

  /** The comparison table of scenario files ({@link #compare(String, LoadedScenario)}). */
  public static List<Row> rows(List<Path> scenarioFiles) throws Exception {
    List<Row> rows = new ArrayList<>();
    for (Path f : scenarioFiles) {
      String name = f.getFileName().toString().replaceFirst("\\.json$", "");
      rows.addAll(rows(compare(name, ScenarioLoader.load(f))));
    }
    return rows;
  }

  /** Every KPI of a pair as rows. */
  public static List<Row> rows(Pair p) {
    KpiReport b = p.baseline(), a = p.atrium();
    List<Row> rows = new ArrayList<>();
    String co2 = "ppm·h per zone above " + Math.round(b.co2Threshold()) + " ppm";
    add(rows, p.scenario(), "ener (energy)", "kWh", b.ener().total(), a.ener().total());
    add(rows, p.scenario(), "ener per m²", "kWh/m²", b.ener().perM2(), a.ener().perM2());
    add(rows, p.scenario(), "pele (peak demand, 15-min mean)", "kW", b.pele().total(), a.pele().total());
    add(rows, p.scenario(), "pele per m²", "W/m²", b.pele().perM2() * 1000, a.pele().perM2() * 1000);
    add(rows, p.scenario(), "pele at", "h from start", b.peleAtHours(), a.peleAtHours());
    add(rows, p.scenario(), "tdis (thermal discomfort)", "K·h per zone", b.tdis().perZone(), a.tdis().perZone());
    add(rows, p.scenario(), "idis (indoor air quality)", co2, b.idis().perZone(), a.idis().perZone());
    add(rows, p.scenario(), "cost", "CNY", b.cost().total(), a.cost().total());
    add(rows, p.scenario(), "cost per m²", "CNY/m²", b.cost().perM2(), a.cost().perM2());
    add(rows, p.scenario(), "emis (emissions)", "kg CO2", b.emis().total(), a.emis().total());
    add(rows, p.scenario(), "emis per m²", "kg CO2/m²", b.emis().perM2(), a.emis().perM2());
    add(rows, p.scenario(), "timeRatio (compute ÷ step)", "—", b.timeRatio(), a.timeRatio());
    return rows;
  }

  private static void add(List<Row> rows, String scenario, String kpi, String unit, double baseline, double atrium) {
    double change = Math.abs(baseline) < 1e-9 ? Double.NaN : (atrium - baseline) / Math.abs(baseline) * 100;
    rows.add(new Row(scenario, kpi, unit, baseline, atrium, change));
  }

  /** The rows as a Markdown table. */
  public static String markdown(List<Row> rows) {
    StringBuilder sb = new StringBuilder("| scenario | KPI | unit | baseline | Atrium | change |\n|---|---|---|---:|---:|---:|\n");
    for (Row r : rows) {
      sb.append("| ").append(r.scenario()).append(" | ").append(r.kpi()).append(" | ").append(r.unit()).append(" | ")
          .append(number(r.baseline())).append(" | ").append(number(r.atrium())).append(" | ")
          .append(Double.isNaN(r.changePct()) ? "—" : String.format(Locale.ROOT, "%+.1f %%", r.changePct())).append(" |\n");
    }
    return sb.toString();
  }

  private static String number(double v) {
    if (Math.abs(v) < 1e-9) return "0";
    double a = Math.abs(v);
    return String.format(Locale.ROOT, a >= 100 ? "%.1f" : a >= 1 ? "%.2f" : a >= 0.001 ? "%.4f" : "%.2e", v);
  }

  public static void main(String[] args) throws Exception {
    List<Path> files = new ArrayList<>();
    for (String a : args) files.add(Path.of(a));
    if (files.isEmpty()) {
      for (Path p : DEFAULT_SCENARIOS) files.add(Files.exists(p) ? p : Path.of("..").resolve(p));
    }
    System.out.print(markdown(rows(files)));
    // Sensitivity: every scenario again with the heating season's 20-24 °C band and the 20/24 °C baseline.
    List<Row> fixed = new ArrayList<>();
    for (Path f : files) {
      String name = f.getFileName().toString().replaceFirst("\\.json$", "");
      fixed.addAll(rows(compare(name + " (20-24 °C band)", ScenarioLoader.load(f), KpiSettings.DEFAULTS, BaselineController.Settings.DEFAULTS)));
    }
    System.out.println();
    System.out.print(markdown(fixed));
  }
}
