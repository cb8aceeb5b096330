package atrium.load.drive;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.protocol.DeviceProtocol;
import atrium.core.protocol.Envelope;
import atrium.core.site.CarPark;
import atrium.core.site.CarParkLevel;
import atrium.core.site.HvacZone;
import atrium.core.site.Kiosk;
import atrium.core.site.ShelfLabelGroup;
import atrium.core.site.Site;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The site's devices as the load generator plays them: every asset of the chosen kinds, taken in
 * turn, each message a telemetry envelope of the device protocol with a fresh id and plausible
 * readings (a bay flips occupied, an HVAC zone reports temperature, humidity and CO₂, a label its
 * battery, a kiosk its heartbeat). Remembers when each asset was last sent to, so a stream client
 * can tell how long a change took to reach it.
 */
public final class DeviceFleet {
  /** The kinds a fleet can play; the others take no telemetry of their own or need a camera's type. */
  public static final List<AssetKind> KINDS = List.of(AssetKind.PARKING_BAY, AssetKind.HVAC_ZONE, AssetKind.SHELF_LABEL, AssetKind.KIOSK);

  private final List<AssetId> assets;
  /** Recorded envelopes played in turn instead of made-up readings; empty when the fleet makes its own. */
  private final List<Envelope> recorded;
  private final String idPrefix;
  private final AtomicLong seq = new AtomicLong();
  private final Map<String, Long> lastSent = new ConcurrentHashMap<>();

  public DeviceFleet(Site site, List<AssetKind> kinds) {
    List<AssetId> list = new ArrayList<>();
    for (AssetKind kind : kinds) {
      if (!KINDS.contains(kind)) {
        throw new IllegalArgumentException("the load generator does not play '" + kind.wireName() + "' devices; it plays "
            + String.join(", ", KINDS.stream().map(AssetKind::wireName).toList()));
      }
      if (kind == AssetKind.PARKING_BAY) {
        for (CarPark cp : site.carParks()) for (CarParkLevel l : cp.levels()) l.bays().forEach(b -> list.add(AssetId.of(site.id(), kind, b.id())));
      } else if (kind == AssetKind.HVAC_ZONE) {
        for (HvacZone z : site.devices().hvacZones()) list.add(AssetId.of(site.id(), kind, z.id()));
      } else if (kind == AssetKind.SHELF_LABEL) {
        for (ShelfLabelGroup g : site.devices().shelfLabelGroups()) for (int n = 1; n <= g.count(); n++) list.add(AssetId.of(site.id(), kind, g.labelId(n)));
      } else {
        for (Kiosk k : site.devices().kiosks()) list.add(AssetId.of(site.id(), kind, k.id()));
      }
    }
    if (list.isEmpty()) throw new IllegalArgumentException("site '" + site.id() + "' has no devices of the kinds " + kinds);
    this.assets = List.copyOf(list);
    this.recorded = List.of();
    this.idPrefix = prefix();
  }

  private DeviceFleet(List<Envelope> recorded) {
    this.recorded = List.copyOf(recorded);
    this.assets = recorded.stream().map(Envelope::asset).distinct().toList();
    this.idPrefix = prefix();
  }

  /** At most this many envelopes are read from a recording. */
  public static final int MAX_RECORDED = 500_000;

  /**
   * The devices of a simulated day: the telemetry and events of a recording ({@code bin/atrium
   * simulate --record}: one envelope per line), played in the recorded order and again from the
   * start, each with a fresh id and this machine's time as {@code ts}. Acks are left out (they answer
   * commands of that day's twin, not this one's); so are envelopes of other sites.
   */
  public static DeviceFleet fromRecording(java.nio.file.Path file, String site) {
    List<Envelope> list = new ArrayList<>();
    try (java.io.BufferedReader in = java.nio.file.Files.newBufferedReader(file)) {
      String line;
      int n = 0;
      while ((line = in.readLine()) != null && list.size() < MAX_RECORDED) {
        n++;
        if (line.isBlank()) continue;
        Envelope e;
        try {
          e = DeviceProtocol.parse(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (atrium.core.protocol.ProtocolException x) {
          throw new IllegalArgumentException(file + " line " + n + ": not a device envelope: " + x.getMessage());
        }
        if (e.asset().site().equals(site) && (e instanceof Envelope.Telemetry || e instanceof Envelope.Event)) list.add(e);
      }
    } catch (java.io.IOException x) {
      throw new IllegalArgumentException("cannot read the recording " + file + ": " + x.getMessage(), x);
    }
    if (list.isEmpty()) throw new IllegalArgumentException("the recording " + file + " has no telemetry or events of site '" + site + "'");
    return new DeviceFleet(list);
  }

  private static String prefix() {
    byte[] r = new byte[5];
    new SecureRandom().nextBytes(r);
    return "ld-" + new java.math.BigInteger(1, r).toString(36) + "-";
  }

  public int size() {
    return assets.size();
  }

  public List<AssetId> assets() {
    return assets;
  }

  /** The next device's next envelope: made-up telemetry, or the recording's next one. */
  public Envelope next() {
    long n = seq.getAndIncrement();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    if (!recorded.isEmpty()) {
      Envelope e = recorded.get((int) (n % recorded.size()));
      if (e instanceof Envelope.Event ev) return new Envelope.Event(idPrefix + n, ev.asset(), now, ev.name(), ev.data());
      Envelope.Telemetry t = (Envelope.Telemetry) e;
      return new Envelope.Telemetry(idPrefix + n, t.asset(), now, t.data());
    }
    AssetId asset = assets.get((int) (n % assets.size()));
    long round = n / assets.size();
    ObjectNode data = DeviceProtocol.mapper().createObjectNode();
    switch (asset.kind()) {
      case PARKING_BAY -> data.put("occupied", round % 2 == 0);
      case HVAC_ZONE -> data.put("temperature", 21 + (round % 40) / 10.0).put("humidity", 40 + round % 20).put("co2", 450 + round % 300);
      case SHELF_LABEL -> data.put("battery", 100 - round % 100);
      default -> data.put("heartbeat", true);
    }
    return new Envelope.Telemetry(idPrefix + n, asset, now, data);
  }

  /** Marks the asset as sent to at {@code nanos} (the pacer's clock). */
  public void sent(AssetId asset, long nanos) {
    lastSent.put(key(asset.kind().wireName(), asset.localId()), nanos);
  }

  /** When the asset was last sent to, or null. */
  public Long lastSent(String kind, String id) {
    return lastSent.get(key(kind, id));
  }

  private static String key(String kind, String id) {
    return kind + '/' + id;
  }
}
