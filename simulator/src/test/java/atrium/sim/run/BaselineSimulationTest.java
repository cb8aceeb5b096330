package atrium.sim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.core.testkit.TestTwins;
import atrium.sim.control.BaselineController;
import atrium.sim.kpi.KpiReport;
import atrium.sim.kpi.KpiSettings;
import atrium.sim.report.RunReport;
import atrium.sim.scenario.LoadedScenario;
import atrium.sim.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The baseline controller on the demo mall's plant over a whole day, scored by the KPIs. */
class BaselineSimulationTest {
  @TempDir
  Path dir;

  /** A 24 h hot July day from midnight, a modest crowd, power sampled every 15 minutes. */
  private LoadedScenario hotDay() throws Exception {
    String json = "{\"site\":\"" + TestTwins.demoMallFile().toAbsolutePath().toString().replace("\\", "/") + "\","
        + "\"start\":\"2026-07-22T00:00\",\"duration\":\"PT24H\",\"seed\":7,"
        + "\"visitors\":{\"arrivals\":[{\"from\":\"10:00\",\"to\":\"22:00\",\"perHour\":600}]},"
        + "\"cars\":{\"arrivals\":[{\"from\":\"10:00\",\"to\":\"22:00\",\"perHour\":60}]},"
        + "\"weather\":{\"points\":[{\"at\":\"05:00\",\"temperature\":29.0,\"humidity\":80},"
        + "{\"at\":\"15:00\",\"temperature\":37.0,\"humidity\":45},{\"at\":\"23:00\",\"temperature\":31.0,\"humidity\":70}]},"
        + "\"results\":{\"series\":[\"energy-comfort\"],\"every\":\"PT15M\"}}";
    Path file = dir.resolve("hot-day.json");
    Files.writeString(file, json);
    return ScenarioLoader.load(file);
  }

  private static double powerAt(RunReport r, double seconds) {
    RunReport.TimeSeries power = r.series().stream().filter(s -> s.id().equals("power")).findFirst().orElseThrow();
    int best = 0;
    for (int i = 0; i < power.times().length; i++) {
      if (Math.abs(power.times()[i] - seconds) < Math.abs(power.times()[best] - seconds)) best = i;
    }
    return power.lines().get("power")[best];
  }

  @Test
  void theBaselineOnAHotDayIsScoredAndItsScheduleShowsInThePower() throws Exception {
    Simulation sim = new Simulation(hotDay(), null, new BaselineController(), KpiSettings.DEFAULTS);
    while (!sim.finished()) sim.step();
    RunReport r = sim.report("hot-day", 1);
    KpiReport k = sim.kpis();

    assertEquals(24, k.hours(), 1e-9, "1,440 plant steps of a minute");
    double[] figures = {k.tdis().perZone(), k.idis().perZone(), k.ener().total(), k.ener().perM2(), k.cost().total(), k.emis().total(),
        k.pele().total(), k.pele().perM2(), k.timeRatio()};
    for (double f : figures) assertTrue(Double.isFinite(f) && f >= 0, "finite and not negative: " + k);
    assertTrue(k.ener().total() > 0, "the plant used energy");
    assertTrue(k.pele().total() >= k.ener().total() / k.hours(), "the peak is at least the mean power: " + k.pele() + " vs " + k.ener());
    assertTrue(k.timeRatio() < 1, "a schedule takes far less than a step to compute");

    double night = powerAt(r, 3 * 3600), afternoon = powerAt(r, 15 * 3600);
    assertEquals(0, night, 1e-12, "the plant is off at 03:00");
    assertTrue(afternoon > 0.5 * k.pele().total(), "cooling hard at 15:00 on a 37 °C day: " + afternoon + " kW, peak " + k.pele().total());
    assertTrue(powerAt(r, 9.5 * 3600) > 0, "running by 09:30, the pre-start");
    assertEquals(0, powerAt(r, 23 * 3600), 1e-12, "off again after closing");

    assertEquals("baseline (typical BMS schedule)", r.summary().get("HVAC control"));
    assertEquals(Math.round(k.ener().total() * 10) / 10.0, r.summary().get("HVAC energy (kWh)"));
    assertTrue(r.summary().containsKey("thermal discomfort (K·h per zone)"));
    assertTrue(r.summary().containsKey("CO2 above 1000 ppm (ppm·h per zone)"));
    assertTrue(r.summary().containsKey("peak electric demand, highest 15-minute mean (kW)"));
  }

  @Test
  void withoutAControllerThePlantKeepsItsBuiltInBehaviourAndStillGetsScored() throws Exception {
    Simulation sim = new Simulation(hotDay(), null);
    sim.advanceTo(4 * 3600);
    KpiReport k = sim.kpis();
    assertEquals(0, k.timeRatio(), "no controller, no compute time");
    assertTrue(k.ener().total() > 0, "the plant's default is comfort mode day and night, so it runs at 03:00: " + k.ener());
    assertEquals("the plant's own (setpoints as commanded)", sim.report("x", 1).summary().get("HVAC control"));
  }
}
