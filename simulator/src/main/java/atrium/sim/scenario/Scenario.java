package atrium.sim.scenario;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one simulator run replays: the site, when and for how long, the seed, who arrives and how
 * they behave, the weather, timed events, the results to report and how the devices behave. Read one
 * with {@link ScenarioLoader} (which also loads the site and gives a {@link LoadedScenario} with the
 * times resolved); the format, its defaults and the bundled scenarios are in {@code docs/scenarios.md}.
 *
 * <p>Fields marked {@link OptionalField} get their default in the constructor, so a loaded scenario
 * has every value filled in, except {@code visitors}, {@code cars} (left out: nobody arrives) and the
 * few optional fields whose absence means something ({@code until}: to the end of the run).
 */
public record Scenario(
    String site,
    @OptionalField String description,
    TimePoint start,
    Duration duration,
    long seed,
    @OptionalField Visitors visitors,
    @OptionalField Cars cars,
    @OptionalField Weather weather,
    @OptionalField List<ScenarioEvent> events,
    @OptionalField Results results,
    @OptionalField DeviceBehaviour devices) {

  public Scenario {
    if (weather == null) weather = Weather.DEFAULT;
    events = events == null ? List.of() : Collections.unmodifiableList(events);
    if (results == null) results = Results.DEFAULT;
    if (devices == null) devices = DeviceBehaviour.DEFAULT;
  }

  /**
   * A period of a daily arrival profile, in the site's local time: {@code perHour} arrivals an hour
   * from {@code from} to {@code to}, or, with {@code rampTo}, a rate rising (or falling) linearly from
   * {@code perHour} at {@code from} to {@code rampTo} at {@code to}. Outside every period the rate is 0.
   */
  public record Stage(ClockTime from, ClockTime to, double perHour, @OptionalField Double rampTo) {
    /** The rate at the end of the period. */
    public double endPerHour() {
      return rampTo == null ? perHour : rampTo;
    }

    /** Arrivals over the whole period. */
    public double total() {
      return (perHour + endPerHour()) / 2 * (to.secondOfDay() - from.secondOfDay()) / 3600.0;
    }
  }

  /** A log-normal distribution of durations: half are shorter than {@code median}; {@code sigma} of the log. */
  public record LogNormal(Duration median, double sigma) {
    public double mu() {
      return Math.log(median.toNanos() / 1e9);
    }

    /** The mean in seconds, exp(μ + σ²/2). */
    public double meanSeconds() {
      return Math.exp(mu() + sigma * sigma / 2);
    }

    /** A draw in seconds from a standard normal draw {@code z}. */
    public double seconds(double z) {
      return Math.exp(mu() + sigma * z);
    }
  }

  /** Shares of the visitors by age group (Weidmann's groups, as RiMEA uses them); they sum to 1. */
  public record AgeGroups(double under30, double from30To50, double over50, double reducedMobility) {
    /** An assumption for a Chinese city mall, not a published figure. */
    public static final AgeGroups DEFAULT = new AgeGroups(0.35, 0.35, 0.25, 0.05);

    public double sum() {
      return under30 + from30To50 + over50 + reducedMobility;
    }
  }

  /** Free walking speeds in m/s, drawn uniformly between {@code min} and {@code max}. */
  public record SpeedRange(double min, double max) {}

  /** Free walking speeds by age group; defaults are Weidmann's ranges (MODELS.md). */
  public record WalkingSpeeds(
      @OptionalField SpeedRange under30,
      @OptionalField SpeedRange from30To50,
      @OptionalField SpeedRange over50,
      @OptionalField SpeedRange reducedMobility) {
    public static final SpeedRange UNDER_30 = new SpeedRange(0.58, 1.61);
    public static final SpeedRange FROM_30_TO_50 = new SpeedRange(1.41, 1.54);
    public static final SpeedRange OVER_50 = new SpeedRange(0.68, 1.41);
    public static final SpeedRange REDUCED_MOBILITY = new SpeedRange(0.46, 0.76);
    public static final WalkingSpeeds DEFAULT = new WalkingSpeeds(null, null, null, null);

    public WalkingSpeeds {
      if (under30 == null) under30 = UNDER_30;
      if (from30To50 == null) from30To50 = FROM_30_TO_50;
      if (over50 == null) over50 = OVER_50;
      if (reducedMobility == null) reducedMobility = REDUCED_MOBILITY;
    }
  }

  /**
   * People arriving on foot through the site's exits (which are also its entrances): everyone who
   * enters the mall, however they came. {@code entrances} gives each exit's share of the arrivals;
   * left out, arrivals are spread over all exits in proportion to their width.
   */
  public record Visitors(
      List<Stage> arrivals,
      @OptionalField Map<String, Double> entrances,
      @OptionalField AgeGroups ageGroups,
      @OptionalField Double shopsPerVisit,
      @OptionalField LogNormal dwell,
      @OptionalField WalkingSpeeds walkingSpeeds) {
    public static final double DEFAULT_SHOPS_PER_VISIT = 3.0;
    public static final LogNormal DEFAULT_DWELL = new LogNormal(Duration.ofMinutes(90), 0.6);

    public Visitors {
      arrivals = arrivals == null ? null : Collections.unmodifiableList(arrivals);
      entrances = frozen(entrances);
      if (ageGroups == null) ageGroups = AgeGroups.DEFAULT;
      if (shopsPerVisit == null) shopsPerVisit = DEFAULT_SHOPS_PER_VISIT;
      if (dwell == null) dwell = DEFAULT_DWELL;
      if (walkingSpeeds == null) walkingSpeeds = WalkingSpeeds.DEFAULT;
    }
  }

  /**
   * Cars arriving at the site's car parks. {@code carParks} gives each car park's share of the
   * arrivals (left out: in proportion to bays). {@code patience}: how long a car queues at a full car
   * park before it tries another (or leaves, when none has room). {@code guidedShare}: the share of
   * drivers who follow the twin's guidance; the others pick a car park by the local rule.
   */
  public record Cars(
      List<Stage> arrivals,
      @OptionalField Map<String, Double> carParks,
      @OptionalField LogNormal dwell,
      @OptionalField Duration patience,
      @OptionalField Double guidedShare) {
    public static final LogNormal DEFAULT_DWELL = new LogNormal(Duration.ofMinutes(100), 0.5);
    public static final Duration DEFAULT_PATIENCE = Duration.ofMinutes(5);
    public static final double DEFAULT_GUIDED_SHARE = 0.7;

    public Cars {
      arrivals = arrivals == null ? null : Collections.unmodifiableList(arrivals);
      carParks = frozen(carParks);
      if (dwell == null) dwell = DEFAULT_DWELL;
      if (patience == null) patience = DEFAULT_PATIENCE;
      if (guidedShare == null) guidedShare = DEFAULT_GUIDED_SHARE;
    }
  }

  /** Outdoor air at a time of day: temperature in °C, relative humidity in %. */
  public record WeatherPoint(ClockTime at, double temperature, double humidity) {}

  /**
   * The outdoor weather, the same every day of the run: {@code points} interpolated linearly (and
   * from the last point of a day round to the first of the next); global horizontal solar irradiance
   * a half-sine from {@code sunrise} to {@code sunset} peaking at {@code solarPeak} W/m².
   */
  public record Weather(
      List<WeatherPoint> points,
      @OptionalField Double solarPeak,
      @OptionalField ClockTime sunrise,
      @OptionalField ClockTime sunset) {
    public static final double DEFAULT_SOLAR_PEAK = 600;
    public static final ClockTime DEFAULT_SUNRISE = ClockTime.of(6, 0);
    public static final ClockTime DEFAULT_SUNSET = ClockTime.of(18, 0);
    /** A mild spring day: 14 °C before dawn, 22 °C mid-afternoon. */
    public static final Weather DEFAULT = new Weather(List.of(
        new WeatherPoint(ClockTime.of(5, 0), 14, 80), new WeatherPoint(ClockTime.of(15, 0), 22, 50)), null, null, null);

    public Weather {
      points = points == null ? null : Collections.unmodifiableList(points);
      if (solarPeak == null) solarPeak = DEFAULT_SOLAR_PEAK;
      if (sunrise == null) sunrise = DEFAULT_SUNRISE;
      if (sunset == null) sunset = DEFAULT_SUNSET;
    }
  }

  /** A series the run's report holds. */
  public enum Series {
    /** People per zone over time. */
    OCCUPANCY,
    /** People per m² per zone over time, drawn as a heat map on the plan. */
    DENSITY_HEAT_MAP,
    /** Occupied bays per car park and level, queues, and cars refused. */
    CAR_PARK_FILL,
    /** People out against time, total evacuation time, and where queues formed and for how long. */
    EVACUATION,
    /** Energy per HVAC zone, temperatures, CO2, and the BOPTEST discomfort figures. */
    ENERGY_COMFORT,
    /** Shelf labels updated and acknowledged against time, for each price campaign. */
    LABEL_CAMPAIGN;

    @JsonValue
    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** The series to report, each sampled {@code every} so long of simulated time. */
  public record Results(@OptionalField List<Series> series, @OptionalField Duration every) {
    public static final Duration DEFAULT_EVERY = Duration.ofMinutes(1);
    public static final Results DEFAULT = new Results(null, null);

    public Results {
      series = series == null ? List.of(Series.values()) : Collections.unmodifiableList(series);
      if (every == null) every = DEFAULT_EVERY;
    }
  }

  /** People-counting cameras: each count is off by a normal error of {@code countNoise} × the true count. */
  public record CameraBehaviour(@OptionalField Double countNoise) {
    public static final double DEFAULT_COUNT_NOISE = 0.05;

    public CameraBehaviour {
      if (countNoise == null) countNoise = DEFAULT_COUNT_NOISE;
    }
  }

  /**
   * Electronic shelf labels: each radio base station serves {@code labelsPerBaseStation} labels and
   * sends at most {@code updatesPerMinute} updates a minute; each acknowledgement is lost with
   * probability {@code ackLoss} (the update is then retried); each update costs
   * {@code batteryPerUpdate} percentage points of battery, and idling {@code batteryPerDay} a day.
   */
  public record ShelfLabelBehaviour(
      @OptionalField Integer labelsPerBaseStation,
      @OptionalField Double updatesPerMinute,
      @OptionalField Double ackLoss,
      @OptionalField Double batteryPerUpdate,
      @OptionalField Double batteryPerDay) {
    public static final int DEFAULT_LABELS_PER_BASE_STATION = 2000;
    public static final double DEFAULT_UPDATES_PER_MINUTE = 300;
    public static final double DEFAULT_ACK_LOSS = 0.01;
    public static final double DEFAULT_BATTERY_PER_UPDATE = 0.002;
    public static final double DEFAULT_BATTERY_PER_DAY = 0.01;

    public ShelfLabelBehaviour {
      if (labelsPerBaseStation == null) labelsPerBaseStation = DEFAULT_LABELS_PER_BASE_STATION;
      if (updatesPerMinute == null) updatesPerMinute = DEFAULT_UPDATES_PER_MINUTE;
      if (ackLoss == null) ackLoss = DEFAULT_ACK_LOSS;
      if (batteryPerUpdate == null) batteryPerUpdate = DEFAULT_BATTERY_PER_UPDATE;
      if (batteryPerDay == null) batteryPerDay = DEFAULT_BATTERY_PER_DAY;
    }
  }

  /** Kiosks send a heartbeat every {@code heartbeatEvery}. */
  public record KioskBehaviour(@OptionalField Duration heartbeatEvery) {
    public static final Duration DEFAULT_HEARTBEAT_EVERY = Duration.ofSeconds(30);

    public KioskBehaviour {
      if (heartbeatEvery == null) heartbeatEvery = DEFAULT_HEARTBEAT_EVERY;
    }
  }

  /** Couriers on a delivery report their position every {@code reportEvery}. */
  public record CourierBehaviour(@OptionalField Duration reportEvery) {
    public static final Duration DEFAULT_REPORT_EVERY = Duration.ofSeconds(5);

    public CourierBehaviour {
      if (reportEvery == null) reportEvery = DEFAULT_REPORT_EVERY;
    }
  }

  /** How the simulated devices behave. */
  public record DeviceBehaviour(
      @OptionalField CameraBehaviour cameras,
      @OptionalField ShelfLabelBehaviour shelfLabels,
      @OptionalField KioskBehaviour kiosks,
      @OptionalField CourierBehaviour couriers) {
    public static final DeviceBehaviour DEFAULT = new DeviceBehaviour(null, null, null, null);

    public DeviceBehaviour {
      if (cameras == null) cameras = new CameraBehaviour(null);
      if (shelfLabels == null) shelfLabels = new ShelfLabelBehaviour(null, null, null, null, null);
      if (kiosks == null) kiosks = new KioskBehaviour(null);
      if (couriers == null) couriers = new CourierBehaviour(null);
    }
  }

  private static <V> Map<String, V> frozen(Map<String, V> map) {
    return map == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
