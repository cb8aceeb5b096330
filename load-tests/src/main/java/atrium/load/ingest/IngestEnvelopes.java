package atrium.load.ingest;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.protocol.DeviceProtocol;
import atrium.core.protocol.Envelope;
import atrium.core.site.CarPark;
import atrium.core.site.CarParkLevel;
import atrium.core.site.HvacZone;
import atrium.core.site.Site;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The telemetry the ingest benchmark publishes, the same bytes to Mosquitto and to Atrium: the assets
 * taken in turn, each envelope with a fresh id and a device time {@code ts} one millisecond after the
 * same asset's previous envelope: every reading of a twin is newer than the one it holds (the twin
 * folds a reading no newer than its last into the history only), and every point is a point of its
 * own in the history, whose time resolution is the millisecond (points of one asset and name with
 * the same millisecond are one point, the last value kept). At rates above 1,000 a second per asset
 * (the hot twin) device time runs ahead of the wall clock; nothing in the twin refuses that.
 *
 * <ul>
 *   <li>{@link #hvac}: HVAC zones reporting all eight of their points — temperature, humidity, CO₂,
 *       supply air temperature, heating and cooling output, power and the energy meter — each value
 *       moving every round (a run of identical values would raise a stuck-sensor fault), the meter
 *       only forwards (backwards is a meter reset). After a zone's first reading nothing is
 *       persisted: readings are folded into memory and the history.</li>
 *   <li>{@link #bayFlips}: parking bays whose sensor flips occupied / free on each report: every
 *       message is a change of status, a persisted event (QoS 1: PUBACKed after it is stored).</li>
 * </ul>
 */
public final class IngestEnvelopes {
  /** Data points in one {@link #hvac} envelope. */
  public static final int HVAC_POINTS = 8;

  private final List<AssetId> assets;
  private final boolean bays;
  private final String idPrefix;
  private final Instant start;
  private final AtomicLong seq = new AtomicLong();

  private IngestEnvelopes(List<AssetId> assets, boolean bays, String idPrefix, Instant start) {
    if (assets.isEmpty()) throw new IllegalArgumentException("no assets to publish for");
    this.assets = List.copyOf(assets);
    this.bays = bays;
    this.idPrefix = idPrefix;
    this.start = start;
  }

  /** Eight points per envelope to each of {@code zones} in turn; ids {@code <idPrefix><n>}, device times from {@code start}. */
  public static IngestEnvelopes hvac(List<AssetId> zones, String idPrefix, Instant start) {
    for (AssetId z : zones) if (z.kind() != AssetKind.HVAC_ZONE) throw new IllegalArgumentException(z + " is not an HVAC zone");
    return new IngestEnvelopes(zones, false, idPrefix, start);
  }

  /** One point (occupied, flipping) per envelope to each of {@code bays} in turn. */
  public static IngestEnvelopes bayFlips(List<AssetId> bays, String idPrefix, Instant start) {
    for (AssetId b : bays) if (b.kind() != AssetKind.PARKING_BAY) throw new IllegalArgumentException(b + " is not a parking bay");
    return new IngestEnvelopes(bays, true, idPrefix, start);
  }

  public static List<AssetId> hvacZones(Site site) {
    List<AssetId> list = new ArrayList<>();
    for (HvacZone z : site.devices().hvacZones()) list.add(AssetId.of(site.id(), AssetKind.HVAC_ZONE, z.id()));
    return list;
  }

  public static List<AssetId> parkingBays(Site site) {
    List<AssetId> list = new ArrayList<>();
    for (CarPark cp : site.carParks()) for (CarParkLevel l : cp.levels()) l.bays().forEach(b -> list.add(AssetId.of(site.id(), AssetKind.PARKING_BAY, b.id())));
    return list;
  }

  public List<AssetId> assets() {
    return assets;
  }

  public int pointsPerMessage() {
    return bays ? 1 : HVAC_POINTS;
  }

  /** Envelopes made so far. */
  public long made() {
    return seq.get();
  }

  public Envelope.Telemetry next() {
    long n = seq.getAndIncrement();
    AssetId asset = assets.get((int) (n % assets.size()));
    long round = n / assets.size();
    Instant ts = start.plusMillis(round);
    ObjectNode data = DeviceProtocol.mapper().createObjectNode();
    if (bays) {
      data.put("occupied", round % 2 == 0);
    } else {
      data.put("temperature", 20 + (round % 50) / 10.0)
          .put("humidity", 40 + round % 20)
          .put("co2", 450 + round % 300)
          .put("supplyAirTemperature", 14 + (round % 40) / 10.0)
          .put("heatingOutput", round % 100)
          .put("coolingOutput", (round * 7) % 100)
          .put("power", 5 + (round % 60) / 10.0)
          .put("energy", 1000 + round / 1000.0);
    }
    return new Envelope.Telemetry(idPrefix + n, asset, ts, data);
  }
}
