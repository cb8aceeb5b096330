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
    byte[] r = new byte[5];
    new SecureRandom().nextBytes(r);
    this.idPrefix = "ld-" + new java.math.BigInteger(1, r).toString(36) + "-";
  }

  public int size() {
    return assets.size();
  }

  public List<AssetId> assets() {
    return assets;
  }

  /** The next device's next telemetry envelope. */
  public Envelope.Telemetry next() {
    long n = seq.getAndIncrement();
    AssetId asset = assets.get((int) (n % assets.size()));
    long round = n / assets.size();
    ObjectNode data = DeviceProtocol.mapper().createObjectNode();
    switch (asset.kind()) {
      case PARKING_BAY -> data.put("occupied", round % 2 == 0);
      case HVAC_ZONE -> data.put("temperature", 21 + (round % 40) / 10.0).put("humidity", 40 + round % 20).put("co2", 450 + round % 300);
      case SHELF_LABEL -> data.put("battery", 100 - round % 100);
      default -> data.put("heartbeat", true);
    }
    return new Envelope.Telemetry(idPrefix + n, asset, Instant.now().truncatedTo(ChronoUnit.MILLIS), data);
  }

  /** Data points in an envelope: its measurements. */
  public static int points(Envelope.Telemetry t) {
    return t.data().size();
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
