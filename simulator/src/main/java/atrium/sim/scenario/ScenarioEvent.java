package atrium.sim.scenario;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Something that happens at a set time during a run, written with its kind in {@code type}. Those
 * with an {@code until} last until then (left out: to the end of the run); exits and car parks stay
 * closed until an {@code exit-opened} or {@code car-park-opened}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ScenarioEvent.FireAlarm.class, name = "fire-alarm"),
    @JsonSubTypes.Type(value = ScenarioEvent.ExitClosed.class, name = "exit-closed"),
    @JsonSubTypes.Type(value = ScenarioEvent.ExitOpened.class, name = "exit-opened"),
    @JsonSubTypes.Type(value = ScenarioEvent.HvacFailure.class, name = "hvac-failure"),
    @JsonSubTypes.Type(value = ScenarioEvent.PriceCampaign.class, name = "price-campaign"),
    @JsonSubTypes.Type(value = ScenarioEvent.KioskFault.class, name = "kiosk-fault"),
    @JsonSubTypes.Type(value = ScenarioEvent.CameraFault.class, name = "camera-fault"),
    @JsonSubTypes.Type(value = ScenarioEvent.CarParkClosed.class, name = "car-park-closed"),
    @JsonSubTypes.Type(value = ScenarioEvent.CarParkOpened.class, name = "car-park-opened")})
public sealed interface ScenarioEvent {
  TimePoint at();

  /**
   * A fire alarm in {@code zone}: everyone in the {@code scope} evacuates, each person starting after
   * a reaction time drawn from {@code reaction}.
   */
  record FireAlarm(String zone, TimePoint at, @OptionalField Scenario.LogNormal reaction, @OptionalField Scope scope)
      implements ScenarioEvent {
    /** Pre-movement times: median 60 s, σ 0.5 (about 90 % start within 2 min 20 s). An assumption. */
    public static final Scenario.LogNormal DEFAULT_REACTION = new Scenario.LogNormal(java.time.Duration.ofSeconds(60), 0.5);

    public FireAlarm {
      if (reaction == null) reaction = DEFAULT_REACTION;
      if (scope == null) scope = Scope.BUILDING;
    }
  }

  /** Who evacuates on a fire alarm: the whole building, or the alarm zone's floor. */
  enum Scope {
    BUILDING, FLOOR;

    @JsonValue
    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** An exit can no longer be used, to leave or to enter. */
  record ExitClosed(String exit, TimePoint at) implements ScenarioEvent {}

  /** An exit closed before is open again. */
  record ExitOpened(String exit, TimePoint at) implements ScenarioEvent {}

  /**
   * The plant of {@code hvacZones} delivers at most {@code capacityFactor} of its heating and cooling
   * capacity (0: none at all) from {@code at} until {@code until}.
   */
  record HvacFailure(List<String> hvacZones, TimePoint at, @OptionalField TimePoint until,
      @OptionalField Double capacityFactor) implements ScenarioEvent {
    public HvacFailure {
      hvacZones = hvacZones == null ? null : Collections.unmodifiableList(hvacZones);
      if (capacityFactor == null) capacityFactor = 0.0;
    }
  }

  /**
   * New prices on shelf labels: every label of the shops in {@code zones} and of the label groups
   * whose id prefix starts with one of {@code labelPrefixes}; prices change by {@code priceChange}
   * (−0.2 is 20 % off).
   */
  record PriceCampaign(TimePoint at, @OptionalField List<String> zones, @OptionalField List<String> labelPrefixes,
      double priceChange) implements ScenarioEvent {
    public PriceCampaign {
      zones = zones == null ? List.of() : Collections.unmodifiableList(zones);
      labelPrefixes = labelPrefixes == null ? List.of() : Collections.unmodifiableList(labelPrefixes);
    }
  }

  /** Kiosks fail: {@code offline} sends nothing, {@code error} keeps its heartbeat but reports a fault. */
  record KioskFault(List<String> kiosks, TimePoint at, @OptionalField TimePoint until, @OptionalField KioskFaultMode mode)
      implements ScenarioEvent {
    public KioskFault {
      kiosks = kiosks == null ? null : Collections.unmodifiableList(kiosks);
      if (mode == null) mode = KioskFaultMode.OFFLINE;
    }
  }

  enum KioskFaultMode {
    OFFLINE, ERROR;

    @JsonValue
    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Cameras fail: {@code offline} sends nothing; {@code noise} sends counts off by a normal error of
   * {@code noise} × the true count (relative standard deviation).
   */
  record CameraFault(List<String> cameras, TimePoint at, @OptionalField TimePoint until, CameraFaultMode mode,
      @OptionalField Double noise) implements ScenarioEvent {
    public static final double DEFAULT_NOISE = 0.3;

    public CameraFault {
      cameras = cameras == null ? null : Collections.unmodifiableList(cameras);
      if (noise == null && mode == CameraFaultMode.NOISE) noise = DEFAULT_NOISE;
    }
  }

  enum CameraFaultMode {
    NOISE, OFFLINE;

    @JsonValue
    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A car park takes no more cars (those inside may leave). */
  record CarParkClosed(String carPark, TimePoint at) implements ScenarioEvent {}

  /** A car park closed before takes cars again. */
  record CarParkOpened(String carPark, TimePoint at) implements ScenarioEvent {}

  /** The {@code type} an event is written with. */
  static String typeName(ScenarioEvent e) {
    for (JsonSubTypes.Type t : ScenarioEvent.class.getAnnotation(JsonSubTypes.class).value()) {
      if (t.value() == e.getClass()) return t.name();
    }
    throw new IllegalStateException(e.getClass().getName());
  }
}
