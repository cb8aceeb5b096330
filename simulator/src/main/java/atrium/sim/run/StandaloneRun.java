package atrium.sim.run;

import atrium.core.protocol.Envelope;
import atrium.sim.replay.RecordingDeviceLink;
import atrium.sim.report.ReportFiles;
import atrium.sim.report.RunReport;
import atrium.sim.scenario.LoadedScenario;
import atrium.sim.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A scenario run by the models alone, as fast as the machine allows ({@code atrium simulate}):
 * for drill studies and what-if questions. Optionally records the devices' traffic as JSON lines
 * for a later replay into a twin.
 */
public final class StandaloneRun {
  private StandaloneRun() {}

  /** What a run wrote. */
  public record Outcome(RunReport report, ReportFiles.Written files, long recorded) {}

  /**
   * @param recordTo where to record the device traffic (JSON lines), or null to run without devices
   */
  public static Outcome run(Path scenarioFile, Path outputFolder, Path recordTo) {
    LoadedScenario scenario;
    try {
      scenario = ScenarioLoader.load(scenarioFile);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + scenarioFile, e);
    }
    RecordingDeviceLink recording = recordTo == null ? null : new RecordingDeviceLink(null, recordTo);
    Consumer<List<Envelope>> out = recording == null ? null : batch -> recording.send(batch);
    long started = System.nanoTime();
    Simulation sim = new Simulation(scenario, out);
    while (!sim.finished()) sim.step();
    double wall = (System.nanoTime() - started) / 1e9;
    String name = scenarioFile.getFileName().toString().replaceFirst("\\.json$", "");
    RunReport report = sim.report(name, wall);
    long recorded = 0;
    if (recording != null) {
      recorded = recording.recorded();
      recording.close();
    }
    return new Outcome(report, ReportFiles.write(report, outputFolder), recorded);
  }
}
