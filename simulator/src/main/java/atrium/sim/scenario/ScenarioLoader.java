package atrium.sim.scenario;

import atrium.core.site.CarPark;
import atrium.core.site.Exit;
import atrium.core.site.FieldError;
import atrium.core.site.Site;
import atrium.core.site.SiteLoader;
import atrium.core.site.SiteValidationException;
import atrium.core.site.StrictBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads and checks a scenario file and loads its site. Nothing is returned unless the whole file is
 * right; otherwise a {@link ScenarioValidationException} lists every error found, each at its JSON
 * path ({@code $.events[2].zone}) with what was expected.
 *
 * <p>As {@link SiteLoader} does, in two rounds. The shape (JSON syntax, field names, types, required
 * fields, enum values, event types) is checked by {@link StrictBinding}; when binding fails, the parts
 * are bound one by one so that every shape error is found, not only the first; unknown fields are
 * reported and skipped. Then the site is loaded (the {@code site} path is resolved against the
 * scenario file's folder) and {@link ScenarioValidator} checks the meaning, including every id the
 * scenario names against the site.
 */
public final class ScenarioLoader {
  /** Paths quote odd keys ({@code $.visitors.entrances['north gate']}); the seed is a {@code long}. */
  private static final StrictBinding BINDING = StrictBinding.of(ScenarioJson.MAPPER, OptionalField.class)
      .withMemberPaths(ScenarioValidator::key).withLongIntegers();

  private ScenarioLoader() {}

  public static LoadedScenario load(Path file) throws IOException {
    Path abs = file.toAbsolutePath();
    return parse(Files.readAllBytes(abs), abs.toString(), abs.getParent());
  }

  /**
   * Reads a scenario from bytes; {@code baseDir} is the folder a relative {@code site} path is
   * resolved against (the scenario file's folder).
   */
  public static LoadedScenario parse(byte[] json, String source, Path baseDir) {
    Set<FieldError> errors = new LinkedHashSet<>();
    Scenario scenario = BINDING.read(json, Scenario.class, "a scenario object", errors);
    Site site = null;
    Path siteFile = null;
    if (scenario != null && scenario.site() != null) {
      siteFile = baseDir.resolve(scenario.site()).normalize();
      site = site(siteFile, errors);
    }
    if (scenario != null) errors.addAll(ScenarioValidator.validate(scenario, site));
    if (!errors.isEmpty()) throw new ScenarioValidationException(source, new ArrayList<>(errors));
    return resolve(scenario, site, siteFile);
  }

  private static Site site(Path file, Set<FieldError> errors) {
    if (!Files.isRegularFile(file)) {
      errors.add(new FieldError("$.site", "no site file at " + file + " (a relative path is read from the scenario "
          + "file's folder)"));
      return null;
    }
    try {
      return SiteLoader.load(file);
    } catch (SiteValidationException e) {
      int shown = 10;
      errors.add(new FieldError("$.site", file + " is not a valid site: " + e.errors().size() + " errors, "
          + e.errors().stream().limit(shown).map(FieldError::toString).collect(Collectors.joining("; "))
          + (e.errors().size() > shown ? "; ..." : "")));
    } catch (IOException e) {
      errors.add(new FieldError("$.site", "cannot read " + file + ": " + e.getMessage()));
    }
    return null;
  }

  private static LoadedScenario resolve(Scenario s, Site site, Path siteFile) {
    ZoneId zone = ZoneId.of(site.timezone());
    Instant start = s.start().resolve(zone, Instant.EPOCH);
    Instant end = start.plus(s.duration());
    ProfileRate visitors = s.visitors() == null ? ProfileRate.none(start, end)
        : ProfileRate.of(s.visitors().arrivals(), zone, start, end);
    ProfileRate cars = s.cars() == null ? ProfileRate.none(start, end) : ProfileRate.of(s.cars().arrivals(), zone, start, end);
    List<LoadedScenario.TimedEvent> events = new ArrayList<>();
    for (ScenarioEvent e : s.events()) {
      Instant at = e.at().resolve(zone, start);
      TimePoint until = until(e);
      Instant to = until != null ? until.resolve(zone, at) : lasts(e) ? end : at;
      events.add(new LoadedScenario.TimedEvent(at, to, e));
    }
    events.sort(Comparator.comparing(LoadedScenario.TimedEvent::at)); // stable: ties keep file order
    Map<String, Double> entrances = s.visitors() != null && s.visitors().entrances() != null ? s.visitors().entrances()
        : proportional(site.exits().stream().collect(toMap(Exit::id, Exit::width)));
    Map<String, Double> carParks = s.cars() != null && s.cars().carParks() != null ? s.cars().carParks()
        : proportional(site.carParks().stream().collect(toMap(CarPark::id, c -> (double) c.bayCount())));
    return new LoadedScenario(s, site, siteFile, zone, start, end, visitors, cars, new WeatherProfile(s.weather(), zone),
        Collections.unmodifiableList(events), entrances, carParks);
  }

  private static TimePoint until(ScenarioEvent e) {
    if (e instanceof ScenarioEvent.HvacFailure h) return h.until();
    if (e instanceof ScenarioEvent.KioskFault k) return k.until();
    if (e instanceof ScenarioEvent.CameraFault c) return c.until();
    return null;
  }

  private static boolean lasts(ScenarioEvent e) {
    return e instanceof ScenarioEvent.HvacFailure || e instanceof ScenarioEvent.KioskFault
        || e instanceof ScenarioEvent.CameraFault;
  }

  private static <T> java.util.stream.Collector<T, ?, LinkedHashMap<String, Double>> toMap(
      java.util.function.Function<T, String> key, java.util.function.ToDoubleFunction<T> value) {
    return Collectors.toMap(key, value::applyAsDouble, (a, b) -> a, LinkedHashMap::new);
  }

  private static Map<String, Double> proportional(LinkedHashMap<String, Double> weights) {
    double sum = weights.values().stream().mapToDouble(Double::doubleValue).sum();
    Map<String, Double> shares = new LinkedHashMap<>();
    weights.forEach((k, w) -> shares.put(k, sum > 0 ? w / sum : 0));
    return Collections.unmodifiableMap(shares);
  }
}
