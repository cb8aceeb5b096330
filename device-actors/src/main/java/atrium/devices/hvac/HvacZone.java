package atrium.devices.hvac;

import atrium.core.CborSerializable;
import atrium.core.alarm.Severity;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.clock.TwinClock;
import atrium.core.control.LightingLoop;
import atrium.core.control.ZoneLoop;
import atrium.core.history.TelemetryPoint;
import atrium.core.json.Json;
import atrium.core.protocol.Envelope;
import atrium.core.runtime.EntityKind;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Site;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HVAC zone of a site (M §5.2.2, M §7.4.9–7.4.10, S §4(1)4): its mode and setpoints (persisted,
 * sent to the zone's controller as device commands and tracked until acknowledged), the readings of
 * its sensors and actuators (folded into memory and the telemetry history, not the journal), the
 * occupancy of the zones it serves, its energy meter, and the health of its sensors — missing, stuck
 * or out of range, judged on the twin's clock, persisted when it changes and alarmed. Under control
 * {@code atrium} it runs the zone's loops itself ({@link ZoneLoop}, {@link LightingLoop}) on the twin
 * clock and sends their outputs, falling back safely (persisted, alarmed) when its air temperature
 * cannot be trusted. See {@code docs/assets/hvac-zone.md} and {@code docs/control.md}.
 *
 * <p>Every HVAC zone of a site stays awake, so what one zone holds is counted (see "Heap per idle twin"
 * in docs/benchmarks.md and {@code ParkingBay}'s class comment): tag sets, the restart strategy, the
 * retention and the event handler are shared; the command handler is one method rather than Pekko's
 * handler builder, whose cases and adapters would be built again for every zone; the id is made of
 * the site model's strings; sensor tracks and occupancy arrays are made at the first report that
 * needs them, and a timer's sharding ref when the timer falls due.
 */
public final class HvacZone
    extends EventSourcedBehaviorWithEnforcedReplies<HvacZone.Command, HvacZone.Event, HvacZone.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "HvacZone");
  /** Events are tagged in this many slices so that projections (energy per zone...) can run in parallel. */
  public static final int TAG_SLICES = 4;
  private static final List<Set<String>> TAG_SETS =
      IntStream.range(0, TAG_SLICES).mapToObj(i -> Set.of("hvac-" + i)).toList();
  private static final RetentionCriteria RETENTION = RetentionCriteria.snapshotEvery(100, 2);
  private static final BackoffSupervisorStrategy ON_PERSIST_FAILURE =
      SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2);
  public static final String SET_MODE = "set-mode";
  public static final String SET_SETPOINTS = "set-setpoints";
  /** Who controls the zone: {@code local} (its own controller follows the setpoints) or {@code atrium}. */
  public static final String SET_CONTROL = "set-control";
  /** The twin's loop outputs, latest value wins: heating %, cooling %, outdoor air L/s. */
  public static final String SET_OUTPUTS = "set-outputs";
  /** The lighting level of the served zones, %, latest value wins. */
  public static final String SET_LIGHTING = "set-lighting";
  /** The alarm condition while the twin's loop runs on its fallback (the zone air temperature is not usable). */
  public static final String CONTROL_FALLBACK = "control-fallback";
  /** The alarm condition of loop outputs the controller refused or left unacknowledged. */
  public static final String OUTPUTS_NOT_APPLIED = "outputs-not-applied";
  /** The alarm condition of lighting levels the controller refused or left unacknowledged. */
  public static final String LIGHTING_NOT_APPLIED = "lighting-not-applied";
  /** The alarm condition of a mode or setpoint change the controller refused or never acknowledged. */
  public static final String COMMAND_NOT_APPLIED = "command-not-applied";

  private static final Logger log = LoggerFactory.getLogger(HvacZone.class);
  private static final java.util.concurrent.atomic.AtomicLong INCARNATIONS = new java.util.concurrent.atomic.AtomicLong();
  private static final Pattern COMMAND_ID = Pattern.compile("(" + SET_MODE + "|" + SET_SETPOINTS + "|" + SET_CONTROL + ")-([0-9]{1,18})");

  /** The zone's operating mode. SMOKE_CONTROL is an override: only {@link ClearSmokeControl} ends it. */
  public enum Mode {
    OFF,
    COMFORT,
    ECONOMY,
    PRE_COOL,
    SMOKE_CONTROL;

    /** The spelling in device commands: {@code off}, {@code comfort}, {@code economy}, {@code pre-cool}, {@code smoke-control}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * Who closes the zone's loops: {@code LOCAL}, its own controller following the setpoints (as before
   * the twin had loops); {@code ATRIUM}, the twin's {@link ZoneLoop} and {@link LightingLoop}, whose
   * outputs are sent as {@code set-outputs} and {@code set-lighting}.
   */
  public enum Control {
    LOCAL,
    ATRIUM;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The zone's sensors, by the telemetry field that reports them. */
  public enum Sensor {
    TEMPERATURE("temperature", "zone air temperature", "°C", true, Severity.HIGH),
    HUMIDITY("humidity", "zone air humidity", "% RH", false, Severity.MEDIUM),
    CO2("co2", "zone CO2", "ppm", false, Severity.MEDIUM),
    SUPPLY_AIR_TEMPERATURE("supplyAirTemperature", "supply air temperature", "°C", true, Severity.MEDIUM);

    private final String field;
    private final String label;
    private final String unit;
    private final boolean respondsToActuation;
    private final Severity severity;

    Sensor(String field, String label, String unit, boolean respondsToActuation, Severity severity) {
      this.field = field;
      this.label = label;
      this.unit = unit;
      this.respondsToActuation = respondsToActuation;
      this.severity = severity;
    }

    /** The telemetry {@code data} field and the telemetry history's measurement name. */
    public String field() {
      return field;
    }

    /** The prefix of its alarm conditions: {@code temperature}, {@code humidity}, {@code co2}, {@code supply-air-temperature}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** How urgent its faults are: a zone without a usable air temperature cannot be controlled. */
    public Severity severity() {
      return severity;
    }
  }

  public enum Fault {
    MISSING,
    STUCK,
    OUT_OF_RANGE;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  public enum CommandStatus {
    PENDING,
    APPLIED,
    FAILED,
    UNACKNOWLEDGED
  }

  public static String condition(Sensor sensor, Fault fault) {
    return sensor.wireName() + "-" + fault.wireName();
  }

  // ---- commands

  public sealed interface Command extends CborSerializable {}

  /** What the zone's controller and sensors measured at {@code at} (device time); null fields were not reported. */
  public record Measurements(Double temperature, Double humidity, Double co2, Double supplyAirTemperature,
      Double heatingOutput, Double coolingOutput, Double power, Double energy) implements CborSerializable {

    public Double of(Sensor s) {
      return switch (s) {
        case TEMPERATURE -> temperature;
        case HUMIDITY -> humidity;
        case CO2 -> co2;
        case SUPPLY_AIR_TEMPERATURE -> supplyAirTemperature;
      };
    }
  }

  public record Readings(Measurements measurements, Instant at, ActorRef<StatusReply<View>> replyTo) implements Command {}

  /** An operator or a loop sets the mode; {@code by} says who, for the audit. */
  public record SetMode(Mode mode, String by, ActorRef<StatusReply<View>> replyTo) implements Command {}

  /** Ends smoke control and resumes the mode the zone had before it. */
  public record ClearSmokeControl(String by, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record SetSetpoints(double heating, double cooling, String by, ActorRef<StatusReply<View>> replyTo)
      implements Command {}

  /** The controller's answer to the device command {@code commandId}. */
  public record DeviceAck(String commandId, boolean ok, String reason, Instant at, ActorRef<StatusReply<View>> replyTo)
      implements Command {}

  /** How many people are in one of the zones this HVAC zone serves (sent by that zone's twin; no reply). */
  public record ServedZoneOccupancy(String zone, int people, Instant at) implements Command {}

  public record GetState(ActorRef<View> replyTo) implements Command {}

  /** An operator hands the zone's loops to the twin ({@code ATRIUM}) or back to its controller ({@code LOCAL}). */
  public record SetControl(Control control, String by, ActorRef<StatusReply<View>> replyTo) implements Command {}

  // Timer messages travel through sharding (they wake a passivated zone), so they must serialize:
  // package-private, not private.

  /** Time to look for silent sensors; {@code lastHeard} is when each was last heard as the sender knew it. */
  record SilenceCheck(Map<Sensor, Instant> lastHeard) implements Command {}

  /** The acknowledgement of the {@code attempt}-th sending of {@code commandId} is due. */
  record AckDue(String commandId, int attempt) implements Command {}

  /**
   * Time for the twin's loops to step (control {@code atrium} only), as of {@code due} on the twin
   * clock; {@code decided}: a decision (mode, setpoints, control, a sensor's health) changed, so the
   * outputs are sent whatever their dead band.
   */
  record ControlTick(Instant due, boolean decided) implements Command {}

  // ---- events

  public sealed interface Event extends CborSerializable {
    Instant at();
  }

  public record ModeChanged(Mode mode, Mode previous, String by, String commandId, Instant at) implements Event {}

  public record SmokeControlCleared(Mode resumed, String by, String commandId, Instant at) implements Event {}

  public record SetpointsChanged(double heating, double cooling, String by, String commandId, Instant at) implements Event {}

  public record CommandResent(String commandId, int attempt, Instant at) implements Event {}

  public record CommandApplied(String commandId, Instant at) implements Event {}

  public record CommandFailed(String commandId, String reason, Instant at) implements Event {}

  public record CommandUnacknowledged(String commandId, int attempts, Instant at) implements Event {}

  public record ControlChanged(Control control, Control previous, String by, String commandId, Instant at) implements Event {}

  /**
   * The twin's loop lost the zone air temperature and holds its fallback: {@code heating}, {@code cooling}
   * (%) and {@code outdoorAir} (L/s) are what it then sent — what was done, for the operator.
   */
  public record ControlFallbackEntered(String reason, double heating, double cooling, double outdoorAir, Instant at)
      implements Event {}

  /** The loop is back on its temperature (or no longer runs): why. */
  public record ControlFallbackExited(String reason, Instant at) implements Event {}

  /** A sensor reported for the first time: from now on its silence is a fault. */
  public record SensorFitted(Sensor sensor, Instant at) implements Event {}

  public record SensorFaultRaised(Sensor sensor, Fault fault, String detail, Instant at) implements Event {}

  public record SensorFaultCleared(Sensor sensor, Fault fault, Instant at) implements Event {}

  /** The first meter reading: energy is counted from it. {@code day} is the site's local date. */
  public record MeterBaselined(double meterKwh, LocalDate day, Instant at) implements Event {}

  /** The meter went backwards (reset or replaced): energy is counted on from {@code meterKwh}. */
  public record MeterReset(double previousKwh, double meterKwh, Instant at) implements Event {}

  /** The site's day {@code day} ended with {@code dayKwh} used; {@code next} begins at meter reading {@code meterKwh}. */
  public record EnergyDayClosed(LocalDate day, double dayKwh, LocalDate next, double meterKwh, Instant at) implements Event {}

  // ---- state

  /** The latest command of one name sent to the controller, and what became of it. */
  public record DeviceCommand(String id, String name, CommandStatus status, int attempts, Instant sentAt,
      Instant settledAt, String reason) implements CborSerializable {

    static DeviceCommand sent(String id, String name, Instant at) {
      return new DeviceCommand(id, name, CommandStatus.PENDING, 1, at, null, null);
    }

    DeviceCommand settled(CommandStatus s, String why, Instant at) {
      return new DeviceCommand(id, name, s, attempts, sentAt, at, why);
    }

    DeviceCommand resent(int attempt, Instant at) {
      return new DeviceCommand(id, name, status, attempt, at, settledAt, reason);
    }

    /** Sent and not refused or given up: sending the same again would add nothing. */
    boolean inEffect() {
      return status == CommandStatus.PENDING || status == CommandStatus.APPLIED;
    }

    boolean troubled() {
      return status == CommandStatus.FAILED || status == CommandStatus.UNACKNOWLEDGED;
    }
  }

  public record SensorFault(Sensor sensor, Fault fault, String detail, Instant since) implements CborSerializable {}

  /** The loop's fallback in force: why, since when, and the outputs it then held. */
  public record Fallback(String reason, Instant since, double heating, double cooling, double outdoorAir)
      implements CborSerializable {}

  /**
   * The energy meter's bookkeeping: energy is the meter's advance from {@code baseMeterKwh}, plus
   * {@code countedKwh} (and {@code dayCountedKwh} for the current site day) counted before that base
   * was set. Only baselines, resets and day ends are persisted; the reading in between is a measurement.
   */
  public record EnergyLedger(Double baseMeterKwh, double countedKwh, LocalDate day, double dayCountedKwh,
      LocalDate previousDay, double previousDayKwh, Instant since) implements CborSerializable {
    static final EnergyLedger EMPTY = new EnergyLedger(null, 0, null, 0, null, 0, null);

    double totalKwh(Double meter) {
      return baseMeterKwh == null ? 0 : countedKwh + advance(meter);
    }

    double dayKwh(Double meter) {
      return baseMeterKwh == null ? 0 : dayCountedKwh + advance(meter);
    }

    private double advance(Double meter) {
      return meter == null ? 0 : Math.max(0, meter - baseMeterKwh);
    }

    EnergyLedger apply(Event e) {
      if (e instanceof MeterBaselined b) return new EnergyLedger(b.meterKwh(), 0, b.day(), 0, null, 0, b.at());
      if (e instanceof MeterReset r) {
        double counted = advance(r.previousKwh());
        return new EnergyLedger(r.meterKwh(), countedKwh + counted, day, dayCountedKwh + counted, previousDay,
            previousDayKwh, since);
      }
      if (e instanceof EnergyDayClosed d) {
        return new EnergyLedger(d.meterKwh(), countedKwh + advance(d.meterKwh()), d.next(), 0, d.day(), d.dayKwh(), since);
      }
      return this;
    }
  }

  /** The persisted state: what operators and loops decided, what the controller confirmed, which sensors are faulty. */
  public record State(Mode mode, Mode resumeMode, String modeBy, Instant modeSince,
      double heatingSetpoint, double coolingSetpoint, String setpointsBy, Instant setpointsSince,
      long commandSeq, DeviceCommand modeCommand, DeviceCommand setpointsCommand,
      Set<Sensor> fitted, List<SensorFault> faults, EnergyLedger energy,
      Control control, String controlBy, Instant controlSince, DeviceCommand controlCommand, Fallback fallback)
      implements CborSerializable {

    public State {
      // A journal written before the twin had loops has no control: the zone's own controller had it.
      if (control == null) control = Control.LOCAL;
    }

    static State initial(HvacSettings settings) {
      return new State(Mode.OFF, null, null, null, settings.setpoints().defaultHeating(),
          settings.setpoints().defaultCooling(), null, null, 0, null, null, Set.of(), List.of(), EnergyLedger.EMPTY,
          Control.LOCAL, null, null, null, null);
    }

    public boolean hasFault(Sensor s, Fault f) {
      for (SensorFault sf : faults) {
        if (sf.sensor() == s && sf.fault() == f) return true;
      }
      return false;
    }

    /** Whether the control loop may use this sensor's value. */
    public boolean usable(Sensor s) {
      if (!fitted.contains(s)) return false;
      for (SensorFault sf : faults) {
        if (sf.sensor() == s) return false;
      }
      return true;
    }

    DeviceCommand command(String commandId) {
      if (modeCommand != null && modeCommand.id().equals(commandId)) return modeCommand;
      if (setpointsCommand != null && setpointsCommand.id().equals(commandId)) return setpointsCommand;
      if (controlCommand != null && controlCommand.id().equals(commandId)) return controlCommand;
      return null;
    }

    /** The first command the controller refused or never acknowledged, if any. */
    DeviceCommand troubled() {
      if (modeCommand != null && modeCommand.troubled()) return modeCommand;
      if (setpointsCommand != null && setpointsCommand.troubled()) return setpointsCommand;
      if (controlCommand != null && controlCommand.troubled()) return controlCommand;
      return null;
    }

    String nextCommandId(String name) {
      return name + "-" + (commandSeq + 1);
    }

    State apply(Event e) {
      if (e instanceof ModeChanged m) {
        Mode resume = m.mode() != Mode.SMOKE_CONTROL ? null : m.previous() == Mode.SMOKE_CONTROL ? resumeMode : m.previous();
        return new State(m.mode(), resume, m.by(), m.at(), heatingSetpoint, coolingSetpoint, setpointsBy, setpointsSince,
            commandSeq + 1, DeviceCommand.sent(m.commandId(), SET_MODE, m.at()), setpointsCommand, fitted, faults, energy,
            control, controlBy, controlSince, controlCommand, fallback);
      }
      if (e instanceof SmokeControlCleared c) {
        return new State(c.resumed(), null, c.by(), c.at(), heatingSetpoint, coolingSetpoint, setpointsBy, setpointsSince,
            commandSeq + 1, DeviceCommand.sent(c.commandId(), SET_MODE, c.at()), setpointsCommand, fitted, faults, energy,
            control, controlBy, controlSince, controlCommand, fallback);
      }
      if (e instanceof SetpointsChanged s) {
        return new State(mode, resumeMode, modeBy, modeSince, s.heating(), s.cooling(), s.by(), s.at(), commandSeq + 1,
            modeCommand, DeviceCommand.sent(s.commandId(), SET_SETPOINTS, s.at()), fitted, faults, energy,
            control, controlBy, controlSince, controlCommand, fallback);
      }
      if (e instanceof ControlChanged c) {
        return new State(mode, resumeMode, modeBy, modeSince, heatingSetpoint, coolingSetpoint, setpointsBy, setpointsSince,
            commandSeq + 1, modeCommand, setpointsCommand, fitted, faults, energy,
            c.control(), c.by(), c.at(), DeviceCommand.sent(c.commandId(), SET_CONTROL, c.at()), fallback);
      }
      if (e instanceof ControlFallbackEntered f) {
        return withFallback(new Fallback(f.reason(), f.at(), f.heating(), f.cooling(), f.outdoorAir()));
      }
      if (e instanceof ControlFallbackExited) {
        return withFallback(null);
      }
      if (e instanceof CommandResent r) return withCommand(r.commandId(), c -> c.resent(r.attempt(), r.at()));
      if (e instanceof CommandApplied a) return withCommand(a.commandId(), c -> c.settled(CommandStatus.APPLIED, null, a.at()));
      if (e instanceof CommandFailed f) return withCommand(f.commandId(), c -> c.settled(CommandStatus.FAILED, f.reason(), f.at()));
      if (e instanceof CommandUnacknowledged u) {
        return withCommand(u.commandId(), c -> c.settled(CommandStatus.UNACKNOWLEDGED,
            "no acknowledgement after " + u.attempts() + " sending(s)", u.at()));
      }
      if (e instanceof SensorFitted f) {
        EnumSet<Sensor> more = fitted.isEmpty() ? EnumSet.noneOf(Sensor.class) : EnumSet.copyOf(fitted);
        more.add(f.sensor());
        return withSensors(Set.copyOf(more), faults);
      }
      if (e instanceof SensorFaultRaised r) {
        if (hasFault(r.sensor(), r.fault())) return this;
        List<SensorFault> more = new ArrayList<>(faults);
        more.add(new SensorFault(r.sensor(), r.fault(), r.detail(), r.at()));
        return withSensors(fitted, List.copyOf(more));
      }
      if (e instanceof SensorFaultCleared c) {
        return withSensors(fitted, faults.stream()
            .filter(f -> f.sensor() != c.sensor() || f.fault() != c.fault()).collect(Collectors.toUnmodifiableList()));
      }
      return new State(mode, resumeMode, modeBy, modeSince, heatingSetpoint, coolingSetpoint, setpointsBy, setpointsSince,
          commandSeq, modeCommand, setpointsCommand, fitted, faults, energy.apply(e),
          control, controlBy, controlSince, controlCommand, fallback);
    }

    private State withFallback(Fallback f) {
      return new State(mode, resumeMode, modeBy, modeSince, heatingSetpoint, coolingSetpoint, setpointsBy, setpointsSince,
          commandSeq, modeCommand, setpointsCommand, fitted, faults, energy, control, controlBy, controlSince, controlCommand, f);
    }

    private State withCommand(String commandId, java.util.function.UnaryOperator<DeviceCommand> change) {
      DeviceCommand m = modeCommand != null && modeCommand.id().equals(commandId) ? change.apply(modeCommand) : modeCommand;
      DeviceCommand s = setpointsCommand != null && setpointsCommand.id().equals(commandId)
          ? change.apply(setpointsCommand) : setpointsCommand;
      DeviceCommand k = controlCommand != null && controlCommand.id().equals(commandId)
          ? change.apply(controlCommand) : controlCommand;
      return new State(mode, resumeMode, modeBy, modeSince, heatingSetpoint, coolingSetpoint, setpointsBy, setpointsSince,
          commandSeq, m, s, fitted, faults, energy, control, controlBy, controlSince, k, fallback);
    }

    private State withSensors(Set<Sensor> f, List<SensorFault> sf) {
      return new State(mode, resumeMode, modeBy, modeSince, heatingSetpoint, coolingSetpoint, setpointsBy, setpointsSince,
          commandSeq, modeCommand, setpointsCommand, f, sf, energy, control, controlBy, controlSince, controlCommand, fallback);
    }
  }

  // ---- view

  /** One sensor as the control room and the control loop see it: its last plausible value and its faults. */
  public record SensorView(Double value, Instant at, Instant lastReportAt, boolean fitted, boolean usable,
      List<SensorFault> faults) implements CborSerializable {}

  public record Setpoints(double heating, double cooling, String by, Instant since, DeviceCommand command)
      implements CborSerializable {}

  public record Outputs(Double heating, Double cooling, Instant at) implements CborSerializable {}

  /** Energy in kWh from the meter's advance; today and yesterday are days of the site's time zone. */
  public record Energy(Double meterKwh, Instant meterAt, Double powerKw, Instant powerAt, double todayKwh,
      double yesterdayKwh, double totalKwh, Instant since, double todayKwhPerM2) implements CborSerializable {}

  /** People in the served zones that have reported ({@code zonesReporting} of {@code zonesServed}). */
  public record Occupancy(int people, boolean occupied, int zonesReporting, int zonesServed) implements CborSerializable {}

  public record View(String site, String hvacZoneId, String floor, double floorArea, List<String> serves,
      Mode mode, Mode resumeMode, String modeBy, Instant modeSince, DeviceCommand modeCommand,
      Setpoints setpoints, SensorView temperature, SensorView humidity, SensorView co2, SensorView supplyAirTemperature,
      Outputs outputs, Energy energy, Occupancy occupancy, Instant lastReadingAt, ControlView control)
      implements CborSerializable {}

  /**
   * What the twin's loop last sent (latest value wins, in memory): heating and cooling %, outdoor air
   * L/s, whether the set-back was in force and the setpoints it controlled to; {@code acknowledged}
   * once the controller confirmed that very command.
   */
  public record LoopOutputs(double heating, double cooling, double outdoorAir, boolean setback, double heatingSetpoint,
      double coolingSetpoint, Instant at, String commandId, boolean acknowledged) implements CborSerializable {}

  /** The lighting level last sent to the served zones, %, and whether it is dimmed for emptiness or closed hours. */
  public record Lighting(double level, boolean dimmed, boolean open, Instant at, String commandId, boolean acknowledged)
      implements CborSerializable {}

  /** Who controls the zone, the last {@code set-control}, the fallback in force, and the loops' last outputs. */
  public record ControlView(Control control, String by, Instant since, DeviceCommand command, Fallback fallback,
      LoopOutputs outputs, Lighting lighting) implements CborSerializable {}

  // ---- creation

  public static EntityKind<Command> kind(HvacSettings settings) {
    return new EntityKind<>(AssetKind.HVAC_ZONE, ENTITY_KEY, (id, services) -> create(id, services, settings));
  }

  public static Behavior<Command> create(AssetId id, TwinServices services, HvacSettings settings) {
    Site site = services.sites().site(id.site())
        .orElseThrow(() -> new IllegalArgumentException("no site " + id.site() + " for " + id));
    atrium.core.site.HvacZone zone = site.hvacZone(id.localId())
        .orElseThrow(() -> new IllegalArgumentException("no hvac zone " + id + " in the site model"));
    // Checked here so that a bad time zone fails the start, as ever; each zone keeps the site's string.
    if (site.timezone() != null) ZoneId.of(site.timezone());
    // The same id made of the site model's strings, which every zone shares, not of the entity id's copies.
    AssetId shared = AssetId.of(site.id(), AssetKind.HVAC_ZONE, zone.id());
    return Behaviors.setup(ctx -> new HvacZone(shared, zone, site.timezone(), services, settings, ctx.getSelf()));
  }

  public static String tagFor(String entityId) {
    return "hvac-" + slice(entityId);
  }

  private static int slice(String entityId) {
    return Math.floorMod(entityId.hashCode(), TAG_SLICES);
  }

  /** What is known of one sensor in this incarnation: measurements, not persisted. */
  private static final class SensorTrack {
    /** The last plausible value and its device time. */
    Double value;
    Instant valueAt;
    /** Device time of the last report, plausible or not. */
    Instant at;
    /** Twin-clock time of the last fresh report; null: not heard in this incarnation. */
    Instant heard;
    boolean inRun;
    double runValue;
    Instant runSince;
    int runCount;
    double runOutputMin;
    double runOutputMax;
  }

  private final AssetId id;
  private final atrium.core.site.HvacZone zone;
  private final String timezone;
  private final TwinServices services;
  private final TwinClock clock;
  private final HvacSettings settings;
  private final ActorRef<Command> self;
  private final Set<String> tags;

  // Made at the first sensor report.
  private SensorTrack[] tracks;
  private Double heatingOutput;
  private Double coolingOutput;
  private Instant outputsAt;
  private Double power;
  private Instant powerAt;
  private Double meter;
  private Instant meterAt;
  // Made at the first occupancy of a served zone: -1 for a zone not heard from.
  private int[] people;
  private Instant[] peopleAt;
  private Instant lastReadingAt;
  private Instant startedAt;
  private Instant lastPublishedAt;
  private TwinClock.Scheduled silenceTimer;
  /** The ack deadlines of the latest set-mode, set-setpoints and set-control; made at the first. */
  private TwinClock.Scheduled[] ackTimers;
  // The twin's loops (control atrium): in memory, made at their first step, gone when control is local.
  /** This incarnation's start on the twin clock (and a JVM-wide count), base 36: in the ids of set-outputs and set-lighting. */
  private String incarnation;
  private ZoneLoop loop;
  private LightingLoop lighting;
  private Instant loopStepAt;
  private ZoneLoop.Mode loopModeWas;
  private Instant lightingStepAt;
  private Sent outputsSent;
  private Sent lightingSent;
  private long loopCommands;
  private Ticker ticker;

  /** A latest-value-wins command (set-outputs, set-lighting) as sent, and what the controller made of it. */
  private static final class Sent {
    String id;
    Instant at;
    double heating, cooling, outdoorAir, level;
    boolean setback, dimmed, open;
    double heatingSetpoint, coolingSetpoint;
    boolean acknowledged;
    /** Sent one after the other without an acknowledgement, this one included. */
    int unacknowledged;
    /** Its not-applied alarm is raised. */
    boolean alarmed;
  }

  /**
   * The loops' step timer: re-arms itself on the clock's thread, so a simulated clock advanced by an
   * hour delivers sixty ticks, each with its own time; stopped when control goes local or the zone stops.
   */
  private final class Ticker implements Runnable {
    private volatile boolean stopped;
    private volatile TwinClock.Scheduled next;

    void start() {
      next = clock.schedule(settings.control().tick(), this);
    }

    @Override
    public void run() {
      if (stopped) return;
      wake(new ControlTick(clock.now(), false));
      next = clock.schedule(settings.control().tick(), this);
    }

    void stop() {
      stopped = true;
      TwinClock.Scheduled n = next;
      if (n != null) n.cancel();
    }
  }

  private HvacZone(AssetId id, atrium.core.site.HvacZone zone, String timezone, TwinServices services,
      HvacSettings settings, ActorRef<Command> self) {
    super(PersistenceId.of(ENTITY_KEY.name(), id.entityId()), ON_PERSIST_FAILURE);
    this.id = id;
    this.zone = zone;
    this.timezone = timezone;
    this.services = services;
    this.clock = services.clock();
    this.settings = settings;
    this.self = self;
    this.tags = TAG_SETS.get(slice(id.entityId()));
    this.startedAt = clock.now();
  }

  @Override
  public State emptyState() {
    return State.initial(settings);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return tags;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RETENTION;
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::onRecovered)
        .onSignal(PostStop.instance(), this::onStopped)
        .build();
  }

  private void onRecovered(State state) {
    startedAt = clock.now();
    // Alarms are fire and forget: re-report what is active (the alarm ignores a raise it already has).
    for (SensorFault f : state.faults()) raise(f.sensor(), f.fault(), f.detail(), f.since());
    DeviceCommand troubled = state.troubled();
    if (troubled != null) raiseCommandTrouble(troubled);
    for (DeviceCommand c : new DeviceCommand[] {state.modeCommand(), state.setpointsCommand(), state.controlCommand()}) {
      if (c != null && c.status() == CommandStatus.PENDING) armAckTimer(c);
    }
    armSilenceCheck(state);
    if (state.fallback() != null) raiseFallback(state.fallback());
    // The loops restart from nothing in memory; their first step takes over bumplessly from the outputs
    // the controller next reports (ZoneLoop.resume).
    if (state.control() == Control.ATRIUM) startTicker();
  }

  /**
   * Passivation stops an idle zone — exactly what a zone whose sensors fell silent becomes. Hand
   * what this incarnation heard to the next one through the silence timer, which wakes it.
   */
  private void onStopped(State state) {
    stopTicker();
    if (silenceTimer != null) silenceTimer.cancel();
    silenceTimer = null;
    armSilenceCheck(state);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return this::onCommand;
  }

  private ReplyEffect<Event, State> onCommand(State state, Command command) {
    if (command instanceof Readings c) return onReadings(state, c);
    if (command instanceof SetMode c) return onSetMode(state, c);
    if (command instanceof ClearSmokeControl c) return onClearSmokeControl(state, c);
    if (command instanceof SetSetpoints c) return onSetSetpoints(state, c);
    if (command instanceof DeviceAck c) return onDeviceAck(state, c);
    if (command instanceof ServedZoneOccupancy c) return onServedZoneOccupancy(state, c);
    if (command instanceof GetState c) return Effect().reply(c.replyTo(), view(state));
    if (command instanceof SilenceCheck c) return onSilenceCheck(state, c);
    if (command instanceof AckDue c) return onAckDue(state, c);
    if (command instanceof SetControl c) return onSetControl(state, c);
    if (command instanceof ControlTick c) return onControlTick(state, c);
    throw new IllegalArgumentException("an hvac zone has no command " + command.getClass().getName());
  }

  // ---- readings

  private ReplyEffect<Event, State> onReadings(State state, Readings cmd) {
    Instant now = clock.now();
    Measurements m = cmd.measurements();
    List<Event> events = new ArrayList<>();
    foldOutputs(m, cmd.at());
    for (Sensor s : Sensor.values()) {
      Double v = m.of(s);
      if (v != null) foldSensor(state, s, v, cmd.at(), now, events);
    }
    if (m.power() != null) foldPower(m.power(), cmd.at());
    if (m.energy() != null) foldMeter(state, m.energy(), cmd.at(), now, events);
    if (lastReadingAt == null || cmd.at().isAfter(lastReadingAt)) lastReadingAt = cmd.at();
    if (events.isEmpty()) {
      armSilenceCheck(state);
      if (lastPublishedAt == null || !now.isBefore(lastPublishedAt.plus(settings.liveInterval()))) publish(state);
      return Effect().reply(cmd.replyTo(), StatusReply.success(view(state)));
    }
    return persist(state, events, cmd.replyTo());
  }

  private void foldOutputs(Measurements m, Instant at) {
    if (m.heatingOutput() == null && m.coolingOutput() == null) return;
    if (m.heatingOutput() != null) services.history().record(TelemetryPoint.of(id, at, "heatingOutput", m.heatingOutput()));
    if (m.coolingOutput() != null) services.history().record(TelemetryPoint.of(id, at, "coolingOutput", m.coolingOutput()));
    if (outputsAt != null && at.isBefore(outputsAt)) return;
    if (m.heatingOutput() != null) heatingOutput = m.heatingOutput();
    if (m.coolingOutput() != null) coolingOutput = m.coolingOutput();
    outputsAt = at;
  }

  private void foldPower(double kw, Instant at) {
    services.history().record(TelemetryPoint.of(id, at, "power", kw));
    if (powerAt != null && at.isBefore(powerAt)) return;
    power = kw;
    powerAt = at;
  }

  /**
   * One sensor's reading: fitted on its first report; missing cleared by any fresh report; out of
   * range when implausible (then neither folded nor kept in the history); stuck after too long a
   * run of exactly the same value (see {@link #stuck}).
   */
  private void foldSensor(State state, Sensor s, double v, Instant at, Instant now, List<Event> events) {
    SensorTrack t = track(s);
    boolean inRange = settings.range(s).contains(v);
    if (t.at != null && !at.isAfter(t.at)) {
      // A late or repeated report: history only (a repeat, same instant, is already there).
      if (inRange && at.isBefore(t.at)) services.history().record(TelemetryPoint.of(id, at, s.field(), v));
      return;
    }
    t.at = at;
    t.heard = now;
    if (!state.fitted().contains(s)) events.add(new SensorFitted(s, now));
    if (state.hasFault(s, Fault.MISSING)) events.add(new SensorFaultCleared(s, Fault.MISSING, now));
    if (!inRange) {
      t.inRun = false;
      if (state.hasFault(s, Fault.STUCK)) events.add(new SensorFaultCleared(s, Fault.STUCK, now));
      if (!state.hasFault(s, Fault.OUT_OF_RANGE)) {
        var r = settings.range(s);
        events.add(new SensorFaultRaised(s, Fault.OUT_OF_RANGE,
            "reported " + v + " " + s.unit + ", outside " + r.min() + " to " + r.max() + " " + s.unit, now));
      }
      return;
    }
    services.history().record(TelemetryPoint.of(id, at, s.field(), v));
    t.value = v;
    t.valueAt = at;
    if (state.hasFault(s, Fault.OUT_OF_RANGE)) events.add(new SensorFaultCleared(s, Fault.OUT_OF_RANGE, now));
    double u = netOutput();
    if (!t.inRun || t.runValue != v) {
      t.inRun = true;
      t.runValue = v;
      t.runSince = now;
      t.runCount = 1;
      t.runOutputMin = u;
      t.runOutputMax = u;
      if (state.hasFault(s, Fault.STUCK)) events.add(new SensorFaultCleared(s, Fault.STUCK, now));
      return;
    }
    t.runCount++;
    if (!Double.isNaN(u)) {
      t.runOutputMin = Double.isNaN(t.runOutputMin) ? u : Math.min(t.runOutputMin, u);
      t.runOutputMax = Double.isNaN(t.runOutputMax) ? u : Math.max(t.runOutputMax, u);
    }
    if (!state.hasFault(s, Fault.STUCK)) {
      String why = stuck(s, t, now);
      if (why != null) events.add(new SensorFaultRaised(s, Fault.STUCK, why, now));
    }
  }

  /**
   * The stuck rule: at least {@code stuck-readings} consecutive reports of exactly the same value,
   * lasting {@code stuck-after}; or, for a temperature (which must answer the actuators), lasting
   * {@code stuck-while-actuating-after} while the net output (heating − cooling) swung by at least
   * {@code actuation-swing} percentage points. Returns why, or null when not stuck.
   */
  private String stuck(Sensor s, SensorTrack t, Instant now) {
    var rules = settings.faults();
    if (t.runCount < rules.stuckReadings()) return null;
    Duration lasted = Duration.between(t.runSince, now);
    String run = "reported exactly " + t.runValue + " " + s.unit + " " + t.runCount + " times over " + minutes(lasted);
    if (lasted.compareTo(rules.stuckAfter()) >= 0) return run;
    double swing = Double.isNaN(t.runOutputMin) ? 0 : t.runOutputMax - t.runOutputMin;
    if (s.respondsToActuation && lasted.compareTo(rules.stuckWhileActuatingAfter()) >= 0 && swing >= rules.actuationSwing()) {
      return run + " while the actuator output moved " + swing + " % points";
    }
    return null;
  }

  private double netOutput() {
    if (heatingOutput == null && coolingOutput == null) return Double.NaN;
    return (heatingOutput == null ? 0 : heatingOutput) - (coolingOutput == null ? 0 : coolingOutput);
  }

  /** The meter: baselined on its first reading, its day closed when the site's day changes, its resets guarded. */
  private void foldMeter(State state, double kwh, Instant at, Instant now, List<Event> events) {
    if (meterAt != null && !at.isAfter(meterAt)) {
      if (at.isBefore(meterAt)) services.history().record(TelemetryPoint.of(id, at, "energy", kwh));
      return;
    }
    services.history().record(TelemetryPoint.of(id, at, "energy", kwh));
    EnergyLedger ledger = state.energy();
    LocalDate today = LocalDate.ofInstant(now, timezone());
    if (ledger.baseMeterKwh() == null) {
      events.add(new MeterBaselined(kwh, today, now));
    } else {
      double last = meter != null ? meter : ledger.baseMeterKwh();
      if (!today.equals(ledger.day())) {
        Event closed = new EnergyDayClosed(ledger.day(), ledger.dayKwh(last), today, last, now);
        events.add(closed);
        ledger = ledger.apply(closed);
      }
      // A meter that goes backwards was reset or replaced: the advance before it is kept, nothing is
      // guessed for its new reading.
      if (kwh < last) events.add(new MeterReset(last, kwh, now));
    }
    meter = kwh;
    meterAt = at;
  }

  // ---- occupancy of the served zones

  private ReplyEffect<Event, State> onServedZoneOccupancy(State state, ServedZoneOccupancy cmd) {
    int i = zone.serves().indexOf(cmd.zone());
    if (i < 0) {
      log.warn("hvac zone {} ignores occupancy of zone '{}': it serves only {}", id, cmd.zone(), zone.serves());
      return Effect().noReply();
    }
    if (cmd.people() < 0 || cmd.at() == null) {
      log.warn("hvac zone {} ignores occupancy {} of zone {} at {}: need people >= 0 and a time", id, cmd.people(),
          cmd.zone(), cmd.at());
      return Effect().noReply();
    }
    if (people == null) {
      people = new int[zone.serves().size()];
      Arrays.fill(people, -1);
      peopleAt = new Instant[zone.serves().size()];
    }
    if (peopleAt[i] != null && cmd.at().isBefore(peopleAt[i])) return Effect().noReply();
    boolean wasOccupied = occupied();
    people[i] = cmd.people();
    peopleAt[i] = cmd.at();
    services.history().record(TelemetryPoint.of(id, cmd.at(), "occupancy", totalPeople()));
    if (wasOccupied != occupied()) {
      publish(state);
      // The first person seen restores comfort and light at once, not at the next tick.
      if (state.control() == Control.ATRIUM) self.tell(new ControlTick(clock.now(), true));
    }
    return Effect().noReply();
  }

  private int totalPeople() {
    int n = 0;
    if (people == null) return n;
    for (int p : people) n += Math.max(0, p);
    return n;
  }

  private boolean occupied() {
    return totalPeople() > 0;
  }

  // ---- mode and setpoints

  private ReplyEffect<Event, State> onSetMode(State state, SetMode cmd) {
    if (cmd.mode() == null) {
      return reject(cmd.replyTo(), "a mode is required: one of " + Arrays.stream(Mode.values()).map(Mode::name)
          .collect(Collectors.joining(", ")));
    }
    if (blank(cmd.by())) return reject(cmd.replyTo(), "a mode change must say who makes it (by)");
    if (state.mode() == Mode.SMOKE_CONTROL && cmd.mode() != Mode.SMOKE_CONTROL) {
      return reject(cmd.replyTo(), "hvac zone " + id.localId() + " is under smoke control (since " + state.modeSince()
          + ", by " + state.modeBy() + "); only clearing smoke control ends it");
    }
    if (cmd.mode() == state.mode() && state.modeCommand() != null && state.modeCommand().inEffect()) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(view(state)));
    }
    Event e = new ModeChanged(cmd.mode(), state.mode(), cmd.by(), state.nextCommandId(SET_MODE), clock.now());
    return persist(state, List.of(e), cmd.replyTo());
  }

  private ReplyEffect<Event, State> onClearSmokeControl(State state, ClearSmokeControl cmd) {
    if (blank(cmd.by())) return reject(cmd.replyTo(), "clearing smoke control must say who does it (by)");
    if (state.mode() != Mode.SMOKE_CONTROL) {
      return reject(cmd.replyTo(), "hvac zone " + id.localId() + " is not under smoke control (it is " + state.mode() + ")");
    }
    Mode resume = state.resumeMode() == null ? Mode.OFF : state.resumeMode();
    Event e = new SmokeControlCleared(resume, cmd.by(), state.nextCommandId(SET_MODE), clock.now());
    return persist(state, List.of(e), cmd.replyTo());
  }

  private ReplyEffect<Event, State> onSetSetpoints(State state, SetSetpoints cmd) {
    String invalid = invalidSetpoints(cmd.heating(), cmd.cooling());
    if (invalid != null) return reject(cmd.replyTo(), invalid);
    if (blank(cmd.by())) return reject(cmd.replyTo(), "a setpoint change must say who makes it (by)");
    if (cmd.heating() == state.heatingSetpoint() && cmd.cooling() == state.coolingSetpoint()
        && state.setpointsCommand() != null && state.setpointsCommand().inEffect()) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(view(state)));
    }
    Event e = new SetpointsChanged(cmd.heating(), cmd.cooling(), cmd.by(), state.nextCommandId(SET_SETPOINTS), clock.now());
    return persist(state, List.of(e), cmd.replyTo());
  }

  private String invalidSetpoints(double heating, double cooling) {
    var limits = settings.setpoints();
    if (!Double.isFinite(heating) || !Double.isFinite(cooling)) return "setpoints must be finite numbers of °C";
    String range = limits.min() + " to " + limits.max() + " °C";
    if (heating < limits.min() || heating > limits.max()) return "the heating setpoint " + heating + " °C is outside " + range;
    if (cooling < limits.min() || cooling > limits.max()) return "the cooling setpoint " + cooling + " °C is outside " + range;
    if (cooling - heating < limits.deadBand()) {
      return "the cooling setpoint (" + cooling + " °C) must be at least " + limits.deadBand()
          + " K above the heating setpoint (" + heating + " °C)";
    }
    return null;
  }

  // ---- device commands and their acknowledgement

  private ReplyEffect<Event, State> onDeviceAck(State state, DeviceAck cmd) {
    String ref = cmd.commandId();
    if (ref != null && (ref.startsWith(SET_OUTPUTS + "-") || ref.startsWith(SET_LIGHTING + "-"))) {
      onLoopAck(cmd);
      return Effect().reply(cmd.replyTo(), StatusReply.success(view(state)));
    }
    DeviceCommand c = cmd.commandId() == null ? null : state.command(cmd.commandId());
    if (c == null) {
      if (superseded(state, cmd.commandId())) return Effect().reply(cmd.replyTo(), StatusReply.success(view(state)));
      return reject(cmd.replyTo(), "hvac zone " + id.localId() + " sent no command '" + cmd.commandId() + "'");
    }
    if (c.status() == CommandStatus.APPLIED || c.status() == CommandStatus.FAILED) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(view(state)));
    }
    Instant now = clock.now();
    Event e = cmd.ok() ? new CommandApplied(c.id(), now)
        : new CommandFailed(c.id(), blank(cmd.reason()) ? "no reason given" : cmd.reason(), now);
    return persist(state, List.of(e), cmd.replyTo());
  }

  /** An id this zone issued before its latest command of that name: a late answer, taken and ignored. */
  private static boolean superseded(State state, String commandId) {
    if (commandId == null) return false;
    Matcher m = COMMAND_ID.matcher(commandId);
    if (!m.matches()) return false;
    long n = Long.parseLong(m.group(2));
    return n >= 1 && n <= state.commandSeq();
  }

  private ReplyEffect<Event, State> onAckDue(State state, AckDue due) {
    DeviceCommand c = state.command(due.commandId());
    if (c == null || c.status() != CommandStatus.PENDING || c.attempts() != due.attempt()) return Effect().noReply();
    Instant now = clock.now();
    if (now.isBefore(c.sentAt().plus(settings.commands().ackTimeout()))) {
      armAckTimer(c);
      return Effect().noReply();
    }
    Event e = c.attempts() < settings.commands().attempts()
        ? new CommandResent(c.id(), c.attempts() + 1, now)
        : new CommandUnacknowledged(c.id(), c.attempts(), now);
    DeviceCommand troubledBefore = state.troubled();
    return Effect().persist(e).thenRun(after -> afterPersist(troubledBefore, List.of(e), after)).thenNoReply();
  }

  private void send(State s, DeviceCommand c) {
    ObjectNode data = Json.MAPPER.createObjectNode();
    if (c.name().equals(SET_MODE)) {
      data.put("mode", s.mode().wireName());
    } else if (c.name().equals(SET_CONTROL)) {
      data.put("control", s.control().wireName());
    } else {
      data.put("heating", s.heatingSetpoint()).put("cooling", s.coolingSetpoint());
    }
    services.commands().send(new Envelope.Command(c.id(), id, clock.now(), c.name(), data));
    armAckTimer(c);
  }

  private void armAckTimer(DeviceCommand c) {
    int slot = ackSlot(c.id());
    if (ackTimers == null) ackTimers = new TwinClock.Scheduled[3];
    if (ackTimers[slot] != null) ackTimers[slot].cancel();
    Duration left = Duration.between(clock.now(), c.sentAt().plus(settings.commands().ackTimeout()));
    AckDue due = new AckDue(c.id(), c.attempts());
    ackTimers[slot] = clock.schedule(left, () -> wake(due));
  }

  private void cancelAckTimer(String commandId) {
    int slot = ackSlot(commandId);
    if (ackTimers != null && ackTimers[slot] != null) {
      ackTimers[slot].cancel();
      ackTimers[slot] = null;
    }
  }

  private static int ackSlot(String commandId) {
    if (commandId.startsWith(SET_MODE + "-")) return 0;
    if (commandId.startsWith(SET_SETPOINTS + "-")) return 1;
    return 2;
  }

  // ---- the twin's loops (control atrium)

  private ReplyEffect<Event, State> onSetControl(State state, SetControl cmd) {
    if (cmd.control() == null) return reject(cmd.replyTo(), "a control is required: local or atrium");
    if (blank(cmd.by())) return reject(cmd.replyTo(), "a control change must say who makes it (by)");
    if (cmd.control() == state.control() && state.controlCommand() != null && state.controlCommand().inEffect()) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(view(state)));
    }
    Instant now = clock.now();
    List<Event> events = new ArrayList<>();
    events.add(new ControlChanged(cmd.control(), state.control(), cmd.by(), state.nextCommandId(SET_CONTROL), now));
    if (cmd.control() == Control.LOCAL && state.fallback() != null) {
      events.add(new ControlFallbackExited("control handed back to the zone's own controller", now));
    }
    return persist(state, events, cmd.replyTo());
  }

  private ReplyEffect<Event, State> onControlTick(State state, ControlTick tick) {
    if (state.control() != Control.ATRIUM) return Effect().noReply();
    Sent outputsBefore = outputsSent, lightingBefore = lightingSent;
    Event change = controlStep(state, tick.due(), tick.decided());
    if (change == null) {
      // New outputs reach the control room like readings: at most once per live interval.
      boolean sent = outputsSent != outputsBefore || lightingSent != lightingBefore;
      if (sent && (lastPublishedAt == null || !clock.now().isBefore(lastPublishedAt.plus(settings.liveInterval())))) {
        publish(state);
      }
      return Effect().noReply();
    }
    DeviceCommand troubledBefore = state.troubled();
    List<Event> events = List.of(change);
    return Effect().persist(change).thenRun(after -> afterPersist(troubledBefore, events, after)).thenNoReply();
  }

  /**
   * One step of the loops as of {@code at}: lighting, then the zone loop on the temperature, CO2 and
   * humidity the entity judges usable (NaN otherwise: the loop's fallbacks), the served zones'
   * occupancy and the opening hours. Outputs go to the controller when they moved past their dead
   * band, when {@code decided}, or when the refresh is due. Returns the fallback's entry or exit.
   */
  private Event controlStep(State s, Instant at, boolean decided) {
    if (s.mode() == Mode.SMOKE_CONTROL) {
      // The controller's smoke sequence overrides everything; the loops wait for it to end.
      return s.fallback() != null ? new ControlFallbackExited("smoke control overrides the loop", at) : null;
    }
    boolean open = settings.control().open(LocalTime.ofInstant(at, timezone()));
    stepLighting(at, open, decided);
    return stepZone(s, at, open, decided);
  }

  private Event stepZone(State s, Instant at, boolean open, boolean decided) {
    SensorTrack t = tracks == null ? null : tracks[Sensor.TEMPERATURE.ordinal()];
    boolean faulty = s.fitted().contains(Sensor.TEMPERATURE) && !s.usable(Sensor.TEMPERATURE);
    // Nothing to control on yet: never reported, or not since a restart (then the next report resumes).
    if (!faulty && (t == null || t.value == null)) return null;
    double dt = seconds(loopStepAt, at, decided);
    if (dt <= 0) return null;
    if (loop == null) {
      var rules = settings.control();
      loop = new ZoneLoop(ZoneLoop.Settings.defaults(zone.floorArea(), rules.heatingGain(), rules.coolingGain(),
          rules.timeConstant().toMillis() / 1000.0));
      // Bumpless from what the controller last reported; with nothing reported, a plain start.
      if (heatingOutput != null || coolingOutput != null) {
        loop.resume(heatingOutput == null ? 0 : heatingOutput, coolingOutput == null ? 0 : coolingOutput);
      }
    }
    loopStepAt = at;
    double cooling = s.coolingSetpoint() - (s.mode() == Mode.PRE_COOL ? settings.control().preCoolOffset() : 0);
    double heating = Math.min(s.heatingSetpoint(), cooling - ZoneLoop.MIN_DEAD_BAND);
    loop.setComfortSetpoints(heating, cooling);
    double temperature = faulty ? Double.NaN : t.value;
    ZoneLoop.Mode mode = loopMode(s.mode());
    // A mode change or the end of a fault takes the loops over from their own outputs through resume,
    // whose idle-loop rule keeps a PI at 0 % from being left ready to start short of its setpoint.
    if (loopModeWas != null && (mode != loopModeWas || loop.temperatureFault())) {
      loop.resume(loop.heatingPct(), loop.coolingPct());
    }
    loopModeWas = mode;
    loop.update(dt, temperature, usable(s, Sensor.CO2), usable(s, Sensor.HUMIDITY), totalPeople(), open, mode);
    boolean fallback = s.mode() != Mode.OFF && loop.temperatureFault();
    Event change = null;
    if (fallback && s.fallback() == null) {
      change = new ControlFallbackEntered(fallbackReason(s, temperature), round(loop.heatingPct()), round(loop.coolingPct()),
          round(loop.outdoorAirLps()), at);
    } else if (!fallback && s.fallback() != null) {
      change = new ControlFallbackExited(s.mode() == Mode.OFF ? "the zone was switched off"
          : "the zone air temperature is usable again (" + temperature + " °C)", at);
    }
    sendOutputs(at, decided || change != null);
    return change;
  }

  /** Seconds since the last step; a decision steps at once (at least 1 s), a late periodic tick not at all. */
  private double seconds(Instant last, Instant at, boolean decided) {
    if (last == null) return settings.control().tick().toMillis() / 1000.0;
    double dt = Duration.between(last, at).toMillis() / 1000.0;
    if (decided) return Math.max(1, Math.min(600, dt));
    return Math.min(600, dt);
  }

  private double usable(State s, Sensor sensor) {
    SensorTrack t = tracks == null ? null : tracks[sensor.ordinal()];
    return s.usable(sensor) && t != null && t.value != null ? t.value : Double.NaN;
  }

  /** The twin's modes as the loop knows them: comfort follows occupancy (set-back after the empty hold). */
  private static ZoneLoop.Mode loopMode(Mode mode) {
    switch (mode) {
      case OFF: return ZoneLoop.Mode.OFF;
      case ECONOMY: return ZoneLoop.Mode.ECONOMY;
      case PRE_COOL: return ZoneLoop.Mode.COMFORT;
      default: return ZoneLoop.Mode.AUTO;
    }
  }

  private String fallbackReason(State s, double temperature) {
    List<String> why = new ArrayList<>();
    for (SensorFault f : s.faults()) {
      if (f.sensor() != Sensor.TEMPERATURE) continue;
      why.add("temperature sensor " + f.fault().wireName().replace('-', ' ') + ": " + f.detail());
    }
    if (why.isEmpty()) {
      var ls = loop.settings();
      why.add("zone air temperature " + temperature + " °C outside the loop's plausible " + ls.minPlausible() + " to "
          + ls.maxPlausible() + " °C");
    }
    return String.join("; ", why);
  }

  private void sendOutputs(Instant at, boolean force) {
    double h = round(loop.heatingPct()), c = round(loop.coolingPct()), oa = round(loop.outdoorAirLps());
    Sent last = outputsSent;
    var rules = settings.control();
    boolean due = force || last == null || !at.isBefore(last.at.plus(rules.refresh()))
        || Math.abs(h - last.heating) > rules.outputDeadBand() || Math.abs(c - last.cooling) > rules.outputDeadBand()
        || Math.abs(oa - last.outdoorAir) > rules.outdoorAirDeadBand() / 100 * loop.settings().maxOutdoorAir()
        || (h == 0) != (last.heating == 0) || (c == 0) != (last.cooling == 0);
    if (!due) return;
    Sent next = next(last, SET_OUTPUTS, at);
    next.heating = h;
    next.cooling = c;
    next.outdoorAir = oa;
    next.setback = loop.setback();
    next.heatingSetpoint = loop.activeHeatingSetpoint();
    next.coolingSetpoint = loop.activeCoolingSetpoint();
    outputsSent = next;
    ObjectNode data = Json.MAPPER.createObjectNode().put("heating", h).put("cooling", c).put("outdoorAir", oa);
    services.commands().send(new Envelope.Command(next.id, id, at, SET_OUTPUTS, data));
    if (next.unacknowledged > settings.commands().attempts() && !next.alarmed) {
      next.alarmed = true;
      services.alarms().raise(id, OUTPUTS_NOT_APPLIED, Severity.MEDIUM, "hvac zone " + id.localId() + ": "
          + (next.unacknowledged - 1) + " set-outputs in a row were not acknowledged", at);
    }
  }

  private void stepLighting(Instant at, boolean open, boolean decided) {
    double dt = seconds(lightingStepAt, at, decided);
    if (dt <= 0) return;
    if (lighting == null) lighting = new LightingLoop(settings.control().lighting());
    lightingStepAt = at;
    lighting.update(dt, occupied(), open);
    double level = round(lighting.level());
    Sent last = lightingSent;
    boolean reached = level == round(lighting.target(open));
    boolean due = last == null || !at.isBefore(last.at.plus(settings.control().refresh()))
        || Math.abs(level - last.level) > settings.control().lightingDeadBand() || reached && level != last.level;
    if (!due) return;
    Sent next = next(last, SET_LIGHTING, at);
    next.level = level;
    next.dimmed = lighting.dimmed(open);
    next.open = open;
    lightingSent = next;
    services.commands().send(new Envelope.Command(next.id, id, at, SET_LIGHTING,
        Json.MAPPER.createObjectNode().put("level", level)));
    if (next.unacknowledged > settings.commands().attempts() && !next.alarmed) {
      next.alarmed = true;
      services.alarms().raise(id, LIGHTING_NOT_APPLIED, Severity.LOW, "hvac zone " + id.localId() + ": "
          + (next.unacknowledged - 1) + " set-lighting in a row were not acknowledged", at);
    }
  }

  /** The next latest-value-wins command after {@code last}: ids unique across restarts (the incarnation's start). */
  private Sent next(Sent last, String name, Instant at) {
    if (incarnation == null) {
      // The twin-clock start, and a count of this JVM's incarnations for two starting in the same millisecond.
      incarnation = Long.toString(startedAt.toEpochMilli(), 36) + "i" + Long.toString(INCARNATIONS.incrementAndGet(), 36);
    }
    Sent next = new Sent();
    next.id = name + "-" + incarnation + "-" + (++loopCommands);
    next.at = at;
    next.unacknowledged = last == null || last.acknowledged ? 1 : last.unacknowledged + 1;
    next.alarmed = last != null && last.alarmed;
    return next;
  }

  /**
   * The controller's answer to a set-outputs or set-lighting. Only the latest counts (an older one
   * was superseded, so its answer changes nothing); not persisted: the next step sends again anyway.
   */
  private void onLoopAck(DeviceAck ack) {
    boolean outputs = ack.commandId().startsWith(SET_OUTPUTS + "-");
    Sent sent = outputs ? outputsSent : lightingSent;
    if (sent == null || !sent.id.equals(ack.commandId()) || sent.acknowledged) return;
    String condition = outputs ? OUTPUTS_NOT_APPLIED : LIGHTING_NOT_APPLIED;
    if (ack.ok()) {
      sent.acknowledged = true;
      sent.unacknowledged = 0;
      if (sent.alarmed) {
        sent.alarmed = false;
        services.alarms().clear(id, condition, clock.now());
      }
    } else if (!sent.alarmed) {
      sent.alarmed = true;
      services.alarms().raise(id, condition, outputs ? Severity.MEDIUM : Severity.LOW, "hvac zone " + id.localId()
          + ": the controller refused " + ack.commandId() + ": " + (blank(ack.reason()) ? "no reason given" : ack.reason()),
          clock.now());
    }
  }

  private void startTicker() {
    if (ticker != null) return;
    ticker = new Ticker();
    ticker.start();
  }

  private void stopTicker() {
    if (ticker != null) ticker.stop();
    ticker = null;
  }

  /** Control went back to the zone's own controller: the loops stop and forget, their alarms clear. */
  private void handBack() {
    stopTicker();
    Instant now = clock.now();
    if (outputsSent != null && outputsSent.alarmed) services.alarms().clear(id, OUTPUTS_NOT_APPLIED, now);
    if (lightingSent != null && lightingSent.alarmed) services.alarms().clear(id, LIGHTING_NOT_APPLIED, now);
    loop = null;
    lighting = null;
    loopStepAt = null;
    loopModeWas = null;
    lightingStepAt = null;
    outputsSent = null;
    lightingSent = null;
  }

  private static boolean decisive(List<Event> events) {
    for (Event e : events) {
      if (e instanceof ModeChanged || e instanceof SmokeControlCleared || e instanceof SetpointsChanged
          || e instanceof ControlChanged || e instanceof SensorFaultRaised || e instanceof SensorFaultCleared) {
        return true;
      }
    }
    return false;
  }

  private void raiseFallback(Fallback f) {
    services.alarms().raise(id, CONTROL_FALLBACK, Severity.MEDIUM, "hvac zone " + id.localId()
        + " runs on its fallback (heating " + f.heating() + " %, cooling " + f.cooling() + " %, outdoor air "
        + f.outdoorAir() + " L/s): " + f.reason(), f.since());
  }

  private ControlView controlView(State s) {
    Sent o = outputsSent;
    Sent l = lightingSent;
    LoopOutputs outputs = o == null ? null : new LoopOutputs(o.heating, o.cooling, o.outdoorAir, o.setback,
        o.heatingSetpoint, o.coolingSetpoint, o.at, o.id, o.acknowledged);
    Lighting light = l == null ? null : new Lighting(l.level, l.dimmed, l.open, l.at, l.id, l.acknowledged);
    return new ControlView(s.control(), s.controlBy(), s.controlSince(), s.controlCommand(), s.fallback(), outputs, light);
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  // ---- silent sensors

  private ReplyEffect<Event, State> onSilenceCheck(State state, SilenceCheck check) {
    if (silenceTimer != null) silenceTimer.cancel();
    silenceTimer = null;
    // What an earlier incarnation heard (handed over when it was passivated) counts as heard.
    check.lastHeard().forEach((s, heard) -> {
      SensorTrack t = track(s);
      if (t.heard == null) t.heard = heard;
    });
    Instant now = clock.now();
    List<Event> events = new ArrayList<>();
    for (Sensor s : Sensor.values()) {
      if (!state.fitted().contains(s) || state.hasFault(s, Fault.MISSING)) continue;
      Instant heard = heard(s);
      if (!now.isBefore(heard.plus(settings.faults().missingAfter()))) {
        events.add(new SensorFaultRaised(s, Fault.MISSING, "no report since " + heard + " (" + minutes(Duration.between(heard, now)) + ")", now));
      }
    }
    if (events.isEmpty()) {
      armSilenceCheck(state);
      return Effect().noReply();
    }
    DeviceCommand troubledBefore = state.troubled();
    return Effect().persist(events).thenRun(after -> afterPersist(troubledBefore, events, after)).thenNoReply();
  }

  /** Arms one timer for the earliest deadline of the fitted sensors not yet missing, unless one is armed. */
  private void armSilenceCheck(State state) {
    if (silenceTimer != null) return;
    Map<Sensor, Instant> heard = new EnumMap<>(Sensor.class);
    Instant earliest = null;
    for (Sensor s : Sensor.values()) {
      if (!state.fitted().contains(s) || state.hasFault(s, Fault.MISSING)) continue;
      Instant h = heard(s);
      heard.put(s, h);
      if (earliest == null || h.isBefore(earliest)) earliest = h;
    }
    if (earliest == null) return;
    SilenceCheck check = new SilenceCheck(Map.copyOf(heard));
    Duration delay = Duration.between(clock.now(), earliest.plus(settings.faults().missingAfter()));
    silenceTimer = clock.schedule(delay, () -> wake(check));
  }

  /** Sends a timer's message through sharding, so that a passivated zone is woken (runs on the clock's thread). */
  private void wake(Command timerMessage) {
    services.wakeRef(ENTITY_KEY, id, self).tell(timerMessage);
  }

  private ZoneId timezone() {
    return timezone == null ? ZoneOffset.UTC : ZoneId.of(timezone);
  }

  private Instant heard(Sensor s) {
    SensorTrack t = tracks == null ? null : tracks[s.ordinal()];
    return t == null || t.heard == null ? startedAt : t.heard;
  }

  private SensorTrack track(Sensor s) {
    if (tracks == null) tracks = new SensorTrack[Sensor.values().length];
    SensorTrack t = tracks[s.ordinal()];
    if (t == null) {
      t = new SensorTrack();
      tracks[s.ordinal()] = t;
    }
    return t;
  }

  // ---- persisting, alarms, deltas

  private ReplyEffect<Event, State> persist(State before, List<Event> events, ActorRef<StatusReply<View>> replyTo) {
    DeviceCommand troubledBefore = before.troubled();
    return Effect().persist(events)
        .thenRun(after -> afterPersist(troubledBefore, events, after))
        .thenReply(replyTo, s -> StatusReply.success(view(s)));
  }

  /** What follows a stored change: alarms for its transitions, device commands, timers, the live delta. */
  private void afterPersist(DeviceCommand troubledBefore, List<Event> events, State after) {
    for (Event e : events) {
      if (e instanceof SensorFaultRaised r) {
        raise(r.sensor(), r.fault(), r.detail(), r.at());
      } else if (e instanceof SensorFaultCleared c) {
        services.alarms().clear(id, condition(c.sensor(), c.fault()), c.at());
      } else if (e instanceof ModeChanged || e instanceof SmokeControlCleared) {
        send(after, after.modeCommand());
      } else if (e instanceof SetpointsChanged) {
        send(after, after.setpointsCommand());
      } else if (e instanceof CommandResent r) {
        send(after, after.command(r.commandId()));
      } else if (e instanceof CommandApplied a) {
        cancelAckTimer(a.commandId());
      } else if (e instanceof CommandFailed f) {
        cancelAckTimer(f.commandId());
      } else if (e instanceof ControlChanged c) {
        send(after, after.controlCommand());
        if (c.control() == Control.ATRIUM) startTicker();
        else handBack();
      } else if (e instanceof ControlFallbackEntered) {
        raiseFallback(after.fallback());
      } else if (e instanceof ControlFallbackExited x) {
        services.alarms().clear(id, CONTROL_FALLBACK, x.at());
      }
    }
    // A decision changed (mode, setpoints, control, a sensor's health): the loops step at once.
    if (after.control() == Control.ATRIUM && decisive(events)) self.tell(new ControlTick(clock.now(), true));
    DeviceCommand troubled = after.troubled();
    if (troubledBefore == null && troubled != null) raiseCommandTrouble(troubled);
    if (troubledBefore != null && troubled == null) services.alarms().clear(id, COMMAND_NOT_APPLIED, clock.now());
    armSilenceCheck(after);
    publish(after);
  }

  private void raise(Sensor s, Fault f, String detail, Instant at) {
    services.alarms().raise(id, condition(s, f), s.severity(),
        s.label + " sensor of hvac zone " + id.localId() + " " + f.wireName().replace('-', ' ') + ": " + detail, at);
  }

  private void raiseCommandTrouble(DeviceCommand c) {
    String what = c.status() == CommandStatus.FAILED
        ? "the controller refused " + c.name() + " (" + c.id() + "): " + c.reason()
        : c.name() + " (" + c.id() + ") was not acknowledged after " + c.attempts() + " sending(s)";
    services.alarms().raise(id, COMMAND_NOT_APPLIED, Severity.MEDIUM, "hvac zone " + id.localId() + ": " + what,
        c.settledAt() == null ? clock.now() : c.settledAt());
  }

  private void publish(State s) {
    lastPublishedAt = clock.now();
    services.deltas().publish(id, view(s));
  }

  private ReplyEffect<Event, State> reject(ActorRef<StatusReply<View>> replyTo, String reason) {
    return Effect().reply(replyTo, StatusReply.error(reason));
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static String minutes(Duration d) {
    return d.toMinutes() + " min";
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return State::apply;
  }

  private View view(State s) {
    Instant now = clock.now();
    EnergyLedger ledger = s.energy();
    LocalDate today = LocalDate.ofInstant(now, timezone());
    double todayKwh = today.equals(ledger.day()) ? ledger.dayKwh(meter) : 0;
    double yesterdayKwh = today.minusDays(1).equals(ledger.day()) ? ledger.dayKwh(meter)
        : today.minusDays(1).equals(ledger.previousDay()) ? ledger.previousDayKwh() : 0;
    Energy energy = new Energy(meter, meterAt, power, powerAt, todayKwh, yesterdayKwh, ledger.totalKwh(meter),
        ledger.since(), zone.floorArea() > 0 ? todayKwh / zone.floorArea() : 0);
    int reporting = 0;
    if (people != null) for (int p : people) if (p >= 0) reporting++;
    return new View(id.site(), id.localId(), zone.floor(), zone.floorArea(), zone.serves(),
        s.mode(), s.resumeMode(), s.modeBy(), s.modeSince(), s.modeCommand(),
        new Setpoints(s.heatingSetpoint(), s.coolingSetpoint(), s.setpointsBy(), s.setpointsSince(), s.setpointsCommand()),
        sensorView(s, Sensor.TEMPERATURE), sensorView(s, Sensor.HUMIDITY), sensorView(s, Sensor.CO2),
        sensorView(s, Sensor.SUPPLY_AIR_TEMPERATURE),
        new Outputs(heatingOutput, coolingOutput, outputsAt), energy,
        new Occupancy(totalPeople(), occupied(), reporting, zone.serves().size()), lastReadingAt, controlView(s));
  }

  private SensorView sensorView(State s, Sensor sensor) {
    SensorTrack t = tracks == null ? null : tracks[sensor.ordinal()];
    List<SensorFault> faults = s.faults().isEmpty() ? List.of()
        : s.faults().stream().filter(f -> f.sensor() == sensor).collect(Collectors.toUnmodifiableList());
    if (t == null) return new SensorView(null, null, null, s.fitted().contains(sensor), s.usable(sensor), faults);
    return new SensorView(t.value, t.valueAt, t.at, s.fitted().contains(sensor), s.usable(sensor), faults);
  }
}
