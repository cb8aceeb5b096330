package atrium.sim.scenario;

import atrium.core.site.Site;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * A scenario that {@link ScenarioLoader} accepted, with its site and everything the runner needs
 * worked out once: the run's start and end as instants, the arrival rates, the weather, the events
 * in order of time, and how arrivals split over entrances and car parks.
 *
 * @param siteFile the site file, resolved against the scenario file's folder
 * @param events every event with its instants, in order of time (ties in file order)
 * @param entranceShares each exit's share of the visitors (the file's, else in proportion to width)
 * @param carParkShares each car park's share of the cars (the file's, else in proportion to bays)
 */
public record LoadedScenario(
    Scenario scenario,
    Site site,
    Path siteFile,
    ZoneId zone,
    Instant start,
    Instant end,
    ProfileRate visitorRate,
    ProfileRate carRate,
    WeatherProfile weather,
    List<TimedEvent> events,
    Map<String, Double> entranceShares,
    Map<String, Double> carParkShares) {

  public long seed() {
    return scenario.seed();
  }

  /**
   * An event at its instant. {@code until} is when an event with a duration ends (its {@code until},
   * else the end of the run); for the others it equals {@code at}.
   */
  public record TimedEvent(Instant at, Instant until, ScenarioEvent event) {}
}
