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
   * The same scenario run from another instant (the twin's clock, when the simulator joins a running
   * twin): the daily profiles apply to the new days, events keep their distance from the start.
   */
  public LoadedScenario startingAt(Instant newStart) {
    java.time.Duration shift = java.time.Duration.between(start, newStart);
    Instant newEnd = end.plus(shift);
    ProfileRate v = scenario.visitors() == null ? ProfileRate.none(newStart, newEnd)
        : ProfileRate.of(scenario.visitors().arrivals(), zone, newStart, newEnd);
    ProfileRate c = scenario.cars() == null ? ProfileRate.none(newStart, newEnd)
        : ProfileRate.of(scenario.cars().arrivals(), zone, newStart, newEnd);
    List<TimedEvent> moved = events.stream().map(e -> new TimedEvent(e.at().plus(shift), e.until().plus(shift), e.event())).toList();
    return new LoadedScenario(scenario, site, siteFile, zone, newStart, newEnd, v, c, weather, moved, entranceShares, carParkShares);
  }

  /**
   * The same scenario with its start moved to {@code newStart} and its end kept (e.g. from midnight, so
   * that a controller's pre-start before the scenario's own start is measured too); the daily profiles
   * cover the new window, events keep their instants.
   */
  public LoadedScenario from(Instant newStart) {
    if (!newStart.isBefore(end)) throw new IllegalArgumentException("the new start " + newStart + " must be before the end " + end);
    ProfileRate v = scenario.visitors() == null ? ProfileRate.none(newStart, end)
        : ProfileRate.of(scenario.visitors().arrivals(), zone, newStart, end);
    ProfileRate c = scenario.cars() == null ? ProfileRate.none(newStart, end)
        : ProfileRate.of(scenario.cars().arrivals(), zone, newStart, end);
    return new LoadedScenario(scenario, site, siteFile, zone, newStart, end, v, c, weather, events, entranceShares, carParkShares);
  }

  /**
   * An event at its instant. {@code until} is when an event with a duration ends (its {@code until},
   * else the end of the run); for the others it equals {@code at}.
   */
  public record TimedEvent(Instant at, Instant until, ScenarioEvent event) {}
}
