package atrium.api.demo;

import atrium.core.protocol.Envelope;
import atrium.sim.link.DeviceLink;
import atrium.sim.link.HttpDeviceLink;
import atrium.sim.link.MqttDeviceLink;
import atrium.sim.report.ReportFiles;
import atrium.sim.report.RunReport;
import atrium.sim.run.InTheLoopRun;
import atrium.sim.run.StandaloneRun;
import atrium.sim.scenario.LoadedScenario;
import atrium.sim.scenario.ScenarioLoader;
import atrium.sim.scenario.ScenarioValidationException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code atrium simulate SCENARIO}: the models alone, as fast as the machine allows, and the run's
 * report; or, with {@code --twin}, the models in the loop with a running twin (local or remote),
 * their devices reporting over HTTP or MQTT at {@code --speed} times real time and the twin's
 * commands fed back.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Run a scenario stand-alone as fast as possible, or in the loop with a running twin, and write its report.")
public final class SimulateCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "the scenario file, e.g. scenarios/evacuation-drill.json")
  Path scenario;

  @Option(names = "--out", description = "folder for report.json and report.html (default: runs/<scenario>)")
  Path out;

  @Option(names = "--record", description = "stand-alone: also record the virtual devices' traffic here (JSON lines, for 'atrium replay')")
  Path record;

  @Option(names = "--twin", description = "in the loop: the twin's HTTP door, e.g. http://127.0.0.1:8080")
  URI twin;

  @Option(names = "--mqtt", description = "in the loop: send over MQTT to this broker (host:port) instead of HTTP")
  String mqtt;

  @Option(names = "--user", description = "in the loop: device credentials of a site gateway")
  String user;

  @Option(names = "--password-file", description = "in the loop: file holding the gateway's password")
  Path passwordFile;

  @Option(names = "--speed", defaultValue = "1", description = "in the loop: simulated seconds per real second (default ${DEFAULT-VALUE})")
  double speed;

  @Option(names = "--now", description = "in the loop: start the scenario's day at the present instant instead of its own start")
  boolean now;

  @Override
  public Integer call() throws Exception {
    String name = scenario.getFileName().toString().replaceFirst("\\.json$", "");
    Path folder = out != null ? out : Path.of("runs", name);
    try {
      if (twin == null && mqtt == null) {
        StandaloneRun.Outcome o = StandaloneRun.run(scenario, folder, record);
        print(name, o.report(), o.files());
        if (record != null) System.out.println("Recorded " + o.recorded() + " device messages in " + record);
        return 0;
      }
      return inTheLoop(name, folder);
    } catch (ScenarioValidationException e) {
      System.err.println(e.getMessage());
      return 2;
    }
  }

  private int inTheLoop(String name, Path folder) throws Exception {
    if (user == null || passwordFile == null) {
      System.err.println("in the loop, give the site gateway's device credentials: --user and --password-file");
      return 2;
    }
    if (!(speed > 0)) {
      System.err.println("--speed must be positive");
      return 2;
    }
    String password = Files.readString(passwordFile, StandardCharsets.UTF_8).trim();
    LoadedScenario loaded = ScenarioLoader.load(scenario);
    LoadedScenario sc = now ? loaded.startingAt(Instant.now()) : loaded;
    AtomicReference<InTheLoopRun> runRef = new AtomicReference<>();
    DeviceLink link;
    if (mqtt != null) {
      String[] hp = mqtt.split(":", 2);
      link = new MqttDeviceLink(new InetSocketAddress(hp[0], hp.length > 1 ? Integer.parseInt(hp[1]) : 1883), "simulator-" + name,
          user, password, sc.site().id(), 256, (Envelope.Command c) -> {
            InTheLoopRun r = runRef.get();
            if (r != null) r.command(c);
          });
    } else {
      link = new HttpDeviceLink(twin, user, password);
    }
    long t0 = System.nanoTime();
    Instant start = sc.start();
    InTheLoopRun run = new InTheLoopRun(sc, link, () -> start.plusNanos((long) ((System.nanoTime() - t0) * speed)));
    runRef.set(run);
    run.start();
    System.out.printf("Feeding %s from %s at %.0fx real time: %s of scenario time takes %.0f s%n", sc.site().id(),
        mqtt != null ? "MQTT " + mqtt : twin.toString(), speed, java.time.Duration.between(sc.start(), sc.end()),
        java.time.Duration.between(sc.start(), sc.end()).toSeconds() / speed);
    while (!run.simulation().finished()) Thread.sleep(500);
    run.close();
    link.close();
    double wall = (System.nanoTime() - t0) / 1e9;
    RunReport report = run.simulation().report(name, wall);
    print(name, report, ReportFiles.write(report, folder));
    System.out.println("Device messages taken by the twin: " + run.sent() + ", refused: " + run.failed());
    return run.failed() == 0 ? 0 : 1;
  }

  private static void print(String name, RunReport report, ReportFiles.Written files) {
    System.out.println("Simulated " + name + ":");
    report.summary().forEach((k, v) -> System.out.println("  " + k + ": " + v));
    System.out.println("Report: " + files.html() + " (and " + files.json().getFileName() + ")");
  }
}
