package atrium.devices.kiosk;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.protocol.DataFields;
import atrium.core.protocol.Envelope;
import atrium.core.protocol.ProtocolException;
import atrium.core.runtime.AtriumRuntime;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Site;
import atrium.devices.TwinException;
import atrium.devices.TwinKind;
import atrium.devices.kiosk.Kiosk.Component;
import atrium.devices.kiosk.Kiosk.ContentMode;
import atrium.devices.kiosk.Kiosk.Counter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Kiosks at the doors, and the one call the evacuation work needs: {@link #setContentModeEverywhere}.
 *
 * <p>A kiosk sends telemetry {@code {"heartbeat": true}} and/or usage counts since its last report
 * ({@code sessions}, {@code prints}, {@code wayfindingQueries}, {@code merchantQueries},
 * {@code adImpressions}); the event {@code fault} with {@code {"component": "printer"|"screen"|"network",
 * "active": bool, "detail": string?}}; and acks of the {@code set-content-mode} commands it is sent.
 */
public final class Kiosks implements TwinKind {
  /** The largest usage count one report may carry. */
  static final long MAX_COUNT = 1_000_000;
  static final int MAX_DETAIL = 200;

  @Override
  public AssetKind kind() {
    return AssetKind.KIOSK;
  }

  @Override
  public void start(AtriumRuntime runtime) {
    runtime.register(Kiosk.kind(KioskSettings.create(runtime.system().settings().config())));
  }

  @Override
  public boolean exists(Site site, String localId) {
    return site.kiosk(localId).isPresent();
  }

  @Override
  public CompletionStage<?> ingest(TwinServices services, Envelope envelope) {
    var command = toCommand(envelope);
    return services.entityRef(Kiosk.ENTITY_KEY, envelope.asset()).<Kiosk.View>askWithStatus(command::apply, services.askTimeout());
  }

  @Override
  public CompletionStage<Optional<Object>> state(TwinServices services, AssetId id) {
    return services.entityRef(Kiosk.ENTITY_KEY, id).ask(Kiosk.GetState::new, services.askTimeout()).thenApply(Optional::of);
  }

  /** Sets one kiosk's content mode; fails with the kiosk's reason if it refuses. */
  public static CompletionStage<Kiosk.View> setContentMode(TwinServices services, AssetId kiosk, ContentMode mode, String by) {
    return services.entityRef(Kiosk.ENTITY_KEY, kiosk)
        .askWithStatus(r -> new Kiosk.SetContentMode(mode, by, r), services.askTimeout());
  }

  /**
   * Sets {@code mode} on every kiosk of {@code site} (evacuation guidance in a drill or an emergency),
   * asking {@code parallelism} kiosks at a time. Completes when every kiosk has answered or timed out;
   * each one persisted the mode and sent it to its device, and each failure is listed with its reason.
   * Fails with {@link TwinException.UnknownAsset} when the server has no such site.
   */
  public static CompletionStage<FanOut> setContentModeEverywhere(TwinServices services, String site, ContentMode mode,
      String by, int parallelism) {
    Optional<Site> model = services.sites().site(site);
    if (model.isEmpty()) return CompletableFuture.failedFuture(new TwinException.UnknownAsset("no site '" + site + "' on this server"));
    List<String> ids = model.get().devices() == null ? List.of()
        : model.get().devices().kiosks().stream().map(atrium.core.site.Kiosk::id).toList();
    return fanOut(services.system(), site, mode, ids, parallelism,
        id -> setContentMode(services, AssetId.of(site, AssetKind.KIOSK, id), mode, by));
  }

  /** {@link #setContentModeEverywhere(TwinServices, String, ContentMode, String, int)} with the configured parallelism. */
  public static CompletionStage<FanOut> setContentModeEverywhere(TwinServices services, String site, ContentMode mode, String by) {
    int parallelism = KioskSettings.create(services.system().settings().config()).fanOutParallelism();
    return setContentModeEverywhere(services, site, mode, by, parallelism);
  }

  /** How a site-wide content mode went: the kiosks that took it, and the reason of each that did not. */
  public record FanOut(String site, ContentMode mode, int kiosks, List<String> accepted, Map<String, String> failed) {
    public boolean complete() {
      return failed.isEmpty();
    }
  }

  static CompletionStage<FanOut> fanOut(ActorSystem<?> system, String site, ContentMode mode, List<String> kioskIds,
      int parallelism, Function<String, CompletionStage<?>> set) {
    if (parallelism < 1) throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
    return Source.from(kioskIds)
        .mapAsyncUnordered(parallelism, id -> safely(set, id).handle((ok, e) -> Pair.create(id, e == null ? null : reason(e))))
        .runWith(Sink.seq(), system)
        .thenApply(results -> {
          List<String> accepted = new ArrayList<>();
          Map<String, String> failed = new TreeMap<>();
          for (Pair<String, String> r : results) {
            if (r.second() == null) accepted.add(r.first());
            else failed.put(r.first(), r.second());
          }
          accepted.sort(null);
          return new FanOut(site, mode, kioskIds.size(), List.copyOf(accepted), Map.copyOf(failed));
        });
  }

  private static CompletionStage<?> safely(Function<String, CompletionStage<?>> set, String id) {
    try {
      return set.apply(id);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static String reason(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof java.util.concurrent.TimeoutException) return "the kiosk's twin did not answer in time";
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  /**
   * The entity command for a device envelope, read field by field; throws {@link ProtocolException}
   * naming the field for data wrong for a kiosk.
   */
  static Function<ActorRef<StatusReply<Kiosk.View>>, Kiosk.Command> toCommand(Envelope envelope) {
    if (envelope instanceof Envelope.Telemetry t) return telemetry(t);
    if (envelope instanceof Envelope.Event e) {
      if (!"fault".equals(e.name())) throw new ProtocolException("$.name", "unknown kiosk event '" + e.name() + "'; expected fault");
      return fault(e);
    }
    if (envelope instanceof Envelope.Ack a) {
      return r -> new Kiosk.DeviceAck(a.ref(), a.status() == Envelope.AckStatus.OK, a.reason(), a.ts(), r);
    }
    throw new ProtocolException("$.type", "a kiosk sends telemetry, events and acks; commands go from the twin to the kiosk");
  }

  private static Function<ActorRef<StatusReply<Kiosk.View>>, Kiosk.Command> telemetry(Envelope.Telemetry t) {
    List<String> known = new ArrayList<>();
    known.add("heartbeat");
    for (Counter c : Counter.values()) known.add(c.wireName());
    DataFields data = DataFields.of(t.data()).only(known.toArray(String[]::new));
    boolean heartbeat = data.optionalBoolean("heartbeat").orElse(false);
    if (data.has("heartbeat") && !heartbeat) {
      throw new ProtocolException("$.data.heartbeat", "a heartbeat is true; leave the field out of a report that is not one");
    }
    Map<Counter, Long> usage = new EnumMap<>(Counter.class);
    for (Counter c : Counter.values()) data.optionalNumber(c.wireName()).ifPresent(n -> usage.put(c, count(c, n)));
    if (!heartbeat && usage.isEmpty()) {
      throw new ProtocolException("$.data", "empty; a kiosk reports \"heartbeat\": true and/or usage counts (" + Counter.wireNames() + ")");
    }
    return r -> new Kiosk.Report(heartbeat, usage, t.ts(), r);
  }

  private static long count(Counter c, double n) {
    if (n < 0 || n > MAX_COUNT || n != Math.rint(n)) {
      throw new ProtocolException("$.data." + c.wireName(), "a count since the last report: a whole number from 0 to " + MAX_COUNT + ", not " + n);
    }
    return (long) n;
  }

  private static Function<ActorRef<StatusReply<Kiosk.View>>, Kiosk.Command> fault(Envelope.Event e) {
    DataFields data = DataFields.of(e.data()).only("component", "active", "detail");
    String name = data.requireText("component");
    Component component = Component.fromWireName(name).orElseThrow(() -> new ProtocolException("$.data.component",
        "unknown component '" + name + "'; expected printer, screen or network"));
    boolean active = data.requireBoolean("active");
    String detail = data.optionalText("detail").orElse(null);
    if (detail != null && detail.length() > MAX_DETAIL) {
      throw new ProtocolException("$.data.detail", "at most " + MAX_DETAIL + " characters, was " + detail.length());
    }
    return r -> new Kiosk.ReportFault(component, active, detail, e.ts(), r);
  }
}
