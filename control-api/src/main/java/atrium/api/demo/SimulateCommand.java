package atrium.api.demo;

import atrium.sim.run.StandaloneRun;
import atrium.sim.scenario.ScenarioValidationException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code atrium simulate SCENARIO}: the models alone, as fast as the machine allows, and the run's report. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Run a scenario stand-alone (no twin) as fast as possible and write its report (JSON and HTML).")
public final class SimulateCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "the scenario file, e.g. scenarios/evacuation-drill.json")
  Path scenario;

  @Option(names = "--out", description = "folder for report.json and report.html (default: runs/<scenario>)")
  Path out;

  @Option(names = "--record", description = "also record the virtual devices' traffic here (JSON lines, for 'atrium replay')")
  Path record;

  @Override
  public Integer call() {
    String name = scenario.getFileName().toString().replaceFirst("\\.json$", "");
    Path folder = out != null ? out : Path.of("runs", name);
    try {
      StandaloneRun.Outcome o = StandaloneRun.run(scenario, folder, record);
      System.out.println("Simulated " + name + ":");
      o.report().summary().forEach((k, v) -> System.out.println("  " + k + ": " + v));
      System.out.println("Report: " + o.files().html() + " (and " + o.files().json().getFileName() + ")");
      if (record != null) System.out.println("Recorded " + o.recorded() + " device messages in " + record);
      return 0;
    } catch (ScenarioValidationException e) {
      System.err.println(e.getMessage());
      return 2;
    }
  }
}
