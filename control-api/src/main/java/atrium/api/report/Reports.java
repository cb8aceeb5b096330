package atrium.api.report;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.history.TelemetryHistory;
import atrium.core.history.TelemetryHistory.Bucket;
import atrium.core.history.TelemetryPoint;
import atrium.core.site.Bay;
import atrium.core.site.Camera;
import atrium.core.site.CarPark;
import atrium.core.site.CarParkLevel;
import atrium.core.site.HvacZone;
import atrium.core.site.Site;
import atrium.core.site.Zone;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * CSV reports for the control room and management (S §4(4)2: statistics by zone, time slot and
 * merchant category), computed from the telemetry history and the site model. Slots are counted from
 * {@code from}: pass a {@code from} on the hour (or local midnight) for aligned slots. Times in the CSV
 * are ISO-8601 local date-times of {@code tz}; the text is RFC 4180 (CRLF, quoted where needed);
 * encode it as UTF-8, and prefix {@link #EXCEL_BOM} for Excel ({@link #withExcelBom}).
 * Bad arguments fail with an {@link IllegalArgumentException} whose message starts with the
 * parameter's name ({@code from}, {@code to}, {@code slot}, {@code tz}, {@code kind}, {@code site}).
 */
public final class Reports {
  public static final Duration MIN_SLOT = Duration.ofMinutes(1);
  public static final Duration MAX_SLOT = Duration.ofDays(1);
  public static final Duration MAX_RANGE = Duration.ofDays(31);
  public static final int MAX_ROWS = 10_000;
  /** The UTF-8 byte-order mark as a character: Excel reads a CSV as UTF-8 only with it. */
  public static final String EXCEL_BOM = "\uFEFF";
  /** How far before {@code from} a bay's last reading is looked for, to know its state at the start. */
  public static final Duration BAY_LOOKBACK = Duration.ofDays(1);

  private static final int PARALLELISM = 4;
  private static final int PAGE = 10_000;
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ISO_LOCAL_DATE_TIME;
  /** Quotes a cell only when RFC 4180 needs it (separator, quote, line break), not for every space. */
  private static final CsvMapper CSV = CsvMapper.builder().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();

  private final TelemetryHistory history;

  public Reports(TelemetryHistory history) {
    this.history = history;
  }

  /** The columns of a report, in order (the CSV's header row). */
  public static List<String> columns(ReportKind kind) {
    return switch (kind) {
      case FOOTFALL_BY_ZONE -> List.of("slot_start", "slot_end", "zone", "name_zh", "name_en", "floor", "zone_kind",
          "category", "entries", "exits", "peak_occupancy");
      case FOOTFALL_BY_CATEGORY -> List.of("slot_start", "slot_end", "category", "shops", "entries", "exits");
      case CAR_PARK_OCCUPANCY -> List.of("slot_start", "slot_end", "car_park", "level", "floor", "capacity",
          "bays_reporting", "occupied_at_end", "arrivals", "departures");
      case HVAC_ENERGY -> List.of("slot_start", "slot_end", "hvac_zone", "floor", "floor_area_m2", "energy_kwh",
          "kwh_per_m2", "mean_power_kw");
    };
  }

  public static String withExcelBom(String csv) {
    return EXCEL_BOM + csv;
  }

  /**
   * The report as CSV text. Throws {@link IllegalArgumentException} at once for bad arguments (the
   * message starts with the parameter's name); the stage fails only if the history does.
   */
  public CompletionStage<String> csv(ReportKind kind, Site site, Instant from, Instant to, Duration slot, ZoneId tz) {
    if (kind == null) throw new IllegalArgumentException("kind: required; one of " + ReportKind.wireNames());
    if (site == null) throw new IllegalArgumentException("site: required");
    Slots slots = Slots.of(from, to, slot, tz);
    long groups = switch (kind) {
      case FOOTFALL_BY_ZONE -> countedZones(site).size();
      case FOOTFALL_BY_CATEGORY -> byCategory(site).size();
      case CAR_PARK_OCCUPANCY -> site.carParks().stream().mapToLong(c -> c.levels().size()).sum();
      case HVAC_ENERGY -> site.devices().hvacZones().size();
    };
    long rows = groups * slots.count();
    if (rows > MAX_ROWS) {
      throw new IllegalArgumentException("slot: " + slots.count() + " slots of " + slot + " for " + groups + " rows each make "
          + rows + " rows, more than " + MAX_ROWS + "; choose a longer slot or a shorter range");
    }
    CompletionStage<List<List<Object>>> body = switch (kind) {
      case FOOTFALL_BY_ZONE -> footfallByZone(site, slots);
      case FOOTFALL_BY_CATEGORY -> footfallByCategory(site, slots);
      case CAR_PARK_OCCUPANCY -> carParkOccupancy(site, slots);
      case HVAC_ENERGY -> hvacEnergy(site, slots);
    };
    return body.thenApply(r -> write(columns(kind), r));
  }

  // ---- the slots

  /** {@code count} slots of {@code length} from {@code from}; the last one ends at {@code to} (it may be shorter). */
  record Slots(Instant from, Instant to, Duration length, ZoneId tz, int count) {
    static Slots of(Instant from, Instant to, Duration slot, ZoneId tz) {
      if (from == null) throw new IllegalArgumentException("from: required, an ISO-8601 instant");
      if (to == null) throw new IllegalArgumentException("to: required, an ISO-8601 instant");
      if (!from.isBefore(to)) throw new IllegalArgumentException("to: must be after from (" + from + "), was " + to);
      if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
        throw new IllegalArgumentException("to: the range from " + from + " to " + to + " is longer than " + MAX_RANGE.toDays() + " days");
      }
      if (slot == null) throw new IllegalArgumentException("slot: required, e.g. PT1H");
      if (slot.compareTo(MIN_SLOT) < 0 || slot.compareTo(MAX_SLOT) > 0) {
        throw new IllegalArgumentException("slot: must be from 1 minute to 1 day, was " + slot);
      }
      if (tz == null) throw new IllegalArgumentException("tz: required, e.g. Asia/Shanghai");
      long n = (Duration.between(from, to).toMillis() + slot.toMillis() - 1) / slot.toMillis();
      return new Slots(from, to, slot, tz, (int) n);
    }

    Instant start(int i) {
      return from.plus(length.multipliedBy(i));
    }

    Instant end(int i) {
      Instant e = start(i + 1);
      return e.isAfter(to) ? to : e;
    }

    int index(Instant t) {
      return (int) (Duration.between(from, t).toMillis() / length.toMillis());
    }

    String local(Instant t) {
      return LocalDateTime.ofInstant(t, tz).format(LOCAL);
    }

    List<Object> prefix(int i) {
      List<Object> row = new ArrayList<>();
      row.add(local(start(i)));
      row.add(local(end(i)));
      return row;
    }
  }

  // ---- footfall

  /** Entries and exits per slot of one zone, from the line cameras on its borders. */
  private record Flow(long[] entries, long[] exits) {
    Flow(int n) {
      this(new long[n], new long[n]);
    }
  }

  /** Zones with a counting camera: a line camera on their border or a headcount camera in them, in site order. */
  private static List<Zone> countedZones(Site site) {
    List<Zone> zones = new ArrayList<>();
    for (Zone z : site.zones()) {
      boolean counted = site.devices().cameras().stream().anyMatch(c -> c.mode() == Camera.Mode.LINE
          ? z.id().equals(c.from()) || z.id().equals(c.to())
          : c.mode() == Camera.Mode.HEADCOUNT && z.id().equals(c.zone()));
      if (counted) zones.add(z);
    }
    return zones;
  }

  private static Map<Zone.Category, List<Zone>> byCategory(Site site) {
    Map<Zone.Category, List<Zone>> m = new TreeMap<>();
    for (Zone z : countedZones(site)) {
      if (z.kind() == Zone.Kind.SHOP && z.category() != null) m.computeIfAbsent(z.category(), c -> new ArrayList<>()).add(z);
    }
    return m;
  }

  /** Every zone's entries and exits per slot, from the sums of the line cameras' {@code in} and {@code out}. */
  private CompletionStage<Map<String, Flow>> flows(Site site, Slots slots) {
    List<Camera> lines = site.devices().cameras().stream().filter(c -> c.mode() == Camera.Mode.LINE).toList();
    return traverse(lines, c -> {
      AssetId id = AssetId.of(site.id(), AssetKind.CAMERA, c.id());
      return sums(id, "in", slots).thenCombine(sums(id, "out", slots), (in, out) -> new long[][] {in, out});
    }).thenApply(results -> {
      Map<String, Flow> flows = new HashMap<>();
      for (int k = 0; k < lines.size(); k++) {
        Camera c = lines.get(k);
        long[] in = results.get(k)[0];
        long[] out = results.get(k)[1];
        Flow into = flows.computeIfAbsent(c.to(), z -> new Flow(slots.count()));
        Flow outOf = flows.computeIfAbsent(c.from(), z -> new Flow(slots.count()));
        for (int i = 0; i < slots.count(); i++) {
          into.entries()[i] += in[i];
          into.exits()[i] += out[i];
          outOf.entries()[i] += out[i];
          outOf.exits()[i] += in[i];
        }
      }
      return flows;
    });
  }

  /** The sum of a count per slot (mean × count of each bucket, computed by the history). */
  private CompletionStage<long[]> sums(AssetId id, String name, Slots slots) {
    return history.downsample(id, name, slots.from(), slots.to(), slots.length()).thenApply(buckets -> {
      long[] s = new long[slots.count()];
      for (Bucket b : buckets) s[slots.index(b.start())] += Math.round(b.mean() * b.count());
      return s;
    });
  }

  private CompletionStage<List<List<Object>>> footfallByZone(Site site, Slots slots) {
    List<Zone> zones = countedZones(site);
    CompletionStage<List<Double[]>> peaks = traverse(zones,
        z -> maxima(AssetId.of(site.id(), AssetKind.ZONE, z.id()), "occupancy", slots));
    return flows(site, slots).thenCombine(peaks, (flows, peak) -> {
      List<List<Object>> rows = new ArrayList<>();
      for (int i = 0; i < slots.count(); i++) {
        for (int k = 0; k < zones.size(); k++) {
          Zone z = zones.get(k);
          Flow f = flows.getOrDefault(z.id(), new Flow(slots.count()));
          List<Object> row = slots.prefix(i);
          row.add(z.id());
          row.add(z.name() == null ? null : z.name().zh());
          row.add(z.name() == null ? null : z.name().en());
          row.add(z.floor());
          row.add(z.kind().toString());
          row.add(z.category() == null ? null : z.category().toString());
          row.add(f.entries()[i]);
          row.add(f.exits()[i]);
          Double p = peak.get(k)[i];
          row.add(p == null ? null : Math.round(p));
          rows.add(row);
        }
      }
      return rows;
    });
  }

  private CompletionStage<Double[]> maxima(AssetId id, String name, Slots slots) {
    return history.downsample(id, name, slots.from(), slots.to(), slots.length()).thenApply(buckets -> {
      Double[] m = new Double[slots.count()];
      for (Bucket b : buckets) m[slots.index(b.start())] = b.max();
      return m;
    });
  }

  private CompletionStage<List<List<Object>>> footfallByCategory(Site site, Slots slots) {
    Map<Zone.Category, List<Zone>> categories = byCategory(site);
    return flows(site, slots).thenApply(flows -> {
      List<List<Object>> rows = new ArrayList<>();
      for (int i = 0; i < slots.count(); i++) {
        for (Map.Entry<Zone.Category, List<Zone>> e : categories.entrySet()) {
          long entries = 0;
          long exits = 0;
          for (Zone z : e.getValue()) {
            Flow f = flows.get(z.id());
            if (f != null) {
              entries += f.entries()[i];
              exits += f.exits()[i];
            }
          }
          List<Object> row = slots.prefix(i);
          row.add(e.getKey().toString());
          row.add(e.getValue().size());
          row.add(entries);
          row.add(exits);
          rows.add(row);
        }
      }
      return rows;
    });
  }

  // ---- car parks

  /** Per slot: bays whose state is known at its end, occupied among them, arrivals (0→1) and departures (1→0). */
  private record LevelCounts(int[] reporting, int[] occupied, int[] arrivals, int[] departures) {
    LevelCounts(int n) {
      this(new int[n], new int[n], new int[n], new int[n]);
    }
  }

  private CompletionStage<List<List<Object>>> carParkOccupancy(Site site, Slots slots) {
    List<CarPark> carParks = site.carParksById();
    List<CarParkLevel> levels = new ArrayList<>();
    List<String> levelCarPark = new ArrayList<>();
    for (CarPark cp : carParks) {
      for (CarParkLevel l : cp.levels()) {
        levels.add(l);
        levelCarPark.add(cp.id());
      }
    }
    return traverse(levels, l -> levelCounts(site, l, slots)).thenApply(counts -> {
      List<List<Object>> rows = new ArrayList<>();
      for (int i = 0; i < slots.count(); i++) {
        for (int k = 0; k < levels.size(); k++) {
          CarParkLevel l = levels.get(k);
          LevelCounts c = counts.get(k);
          List<Object> row = slots.prefix(i);
          row.add(levelCarPark.get(k));
          row.add(l.id());
          row.add(l.floor());
          row.add(l.bays().size());
          row.add(c.reporting()[i]);
          row.add(c.occupied()[i]);
          row.add(c.arrivals()[i]);
          row.add(c.departures()[i]);
          rows.add(row);
        }
      }
      return rows;
    });
  }

  /** One level's counts: each bay's readings from {@link #BAY_LOOKBACK} before the range, replayed slot by slot. */
  private CompletionStage<LevelCounts> levelCounts(Site site, CarParkLevel level, Slots slots) {
    LevelCounts counts = new LevelCounts(slots.count());
    CompletionStage<Void> done = CompletableFuture.completedFuture(null);
    for (Bay bay : level.bays()) {
      AssetId id = AssetId.of(site.id(), AssetKind.PARKING_BAY, bay.id());
      done = done.thenCompose(x -> allPoints(id, "occupied", slots.from().minus(BAY_LOOKBACK), slots.to()))
          .thenAccept(points -> replay(points, slots, counts));
    }
    return done.thenApply(x -> counts);
  }

  private static void replay(List<TelemetryPoint> points, Slots slots, LevelCounts counts) {
    Boolean state = null;
    int p = 0;
    for (int i = 0; i < slots.count(); i++) {
      Instant end = slots.end(i);
      while (p < points.size() && points.get(p).ts().isBefore(end)) {
        TelemetryPoint tp = points.get(p++);
        boolean occupied = tp.value() >= 0.5;
        if (!tp.ts().isBefore(slots.from()) && state != null && state != occupied) {
          int slot = slots.index(tp.ts());
          if (occupied) counts.arrivals()[slot]++;
          else counts.departures()[slot]++;
        }
        state = occupied;
      }
      if (state != null) {
        counts.reporting()[i]++;
        if (state) counts.occupied()[i]++;
      }
    }
  }

  private CompletionStage<List<TelemetryPoint>> allPoints(AssetId id, String name, Instant from, Instant to) {
    return history.query(id, Optional.of(name), from, to, PAGE).thenCompose(page -> {
      if (page.size() < PAGE) return CompletableFuture.completedFuture(page);
      Instant next = page.get(page.size() - 1).ts().plusMillis(1);
      return allPoints(id, name, next, to).thenApply(rest -> {
        List<TelemetryPoint> all = new ArrayList<>(page);
        all.addAll(rest);
        return all;
      });
    });
  }

  // ---- energy

  private CompletionStage<List<List<Object>>> hvacEnergy(Site site, Slots slots) {
    List<HvacZone> zones = site.devices().hvacZones();
    return traverse(zones, h -> {
      AssetId id = AssetId.of(site.id(), AssetKind.HVAC_ZONE, h.id());
      return energy(id, slots).thenCombine(history.downsample(id, "power", slots.from(), slots.to(), slots.length()),
          (kwh, power) -> {
            Double[] mean = new Double[slots.count()];
            for (Bucket b : power) mean[slots.index(b.start())] = b.mean();
            return new Double[][] {kwh, mean};
          });
    }).thenApply(results -> {
      List<List<Object>> rows = new ArrayList<>();
      for (int i = 0; i < slots.count(); i++) {
        for (int k = 0; k < zones.size(); k++) {
          HvacZone h = zones.get(k);
          Double kwh = results.get(k)[0][i];
          Double kw = results.get(k)[1][i];
          List<Object> row = slots.prefix(i);
          row.add(h.id());
          row.add(h.floor());
          row.add(decimal(h.floorArea(), 1));
          row.add(kwh == null ? null : decimal(kwh, 3));
          row.add(kwh == null || h.floorArea() <= 0 ? null : decimal(kwh / h.floorArea(), 4));
          row.add(kw == null ? null : decimal(kw, 2));
          rows.add(row);
        }
      }
      return rows;
    });
  }

  /**
   * kWh per slot from the cumulative meter: the last reading in the slot minus the last reading
   * before it (looked for in the slot before the range too). A slot without a reading, or without
   * one before it, is unknown (null). A meter that went backwards (reset or replaced) counts the
   * advance within the slot since its lowest reading.
   */
  private CompletionStage<Double[]> energy(AssetId id, Slots slots) {
    Instant start = slots.from().minus(slots.length());
    return history.downsample(id, "energy", start, slots.to(), slots.length()).thenApply(buckets -> {
      Double[] kwh = new Double[slots.count()];
      Double previous = null;
      Map<Integer, Bucket> byIndex = new LinkedHashMap<>();
      for (Bucket b : buckets) byIndex.put((int) (Duration.between(start, b.start()).toMillis() / slots.length().toMillis()), b);
      Bucket before = byIndex.get(0);
      if (before != null) previous = before.max();
      for (int i = 0; i < slots.count(); i++) {
        Bucket b = byIndex.get(i + 1);
        if (b == null) continue;
        if (previous != null) kwh[i] = b.max() >= previous ? b.max() - previous : b.max() - b.min();
        previous = b.max();
      }
      return kwh;
    });
  }

  // ---- helpers

  /** Applies {@code f} to every item, at most {@link #PARALLELISM} at a time, results in the items' order. */
  private static <T, R> CompletionStage<List<R>> traverse(List<T> items, Function<T, CompletionStage<R>> f) {
    List<CompletableFuture<R>> results = new ArrayList<>();
    List<CompletableFuture<Void>> lanes = new ArrayList<>();
    for (int lane = 0; lane < PARALLELISM; lane++) lanes.add(CompletableFuture.completedFuture(null));
    for (int k = 0; k < items.size(); k++) {
      T item = items.get(k);
      int lane = k % PARALLELISM;
      CompletableFuture<R> r = lanes.get(lane).thenCompose(x -> f.apply(item).toCompletableFuture());
      results.add(r);
      lanes.set(lane, r.thenApply(x -> null));
    }
    return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
        .thenApply(x -> results.stream().map(CompletableFuture::join).toList());
  }

  private static BigDecimal decimal(double v, int scale) {
    return BigDecimal.valueOf(v).setScale(scale, RoundingMode.HALF_UP).stripTrailingZeros();
  }

  private static String write(List<String> columns, List<List<Object>> rows) {
    if (rows.isEmpty()) return String.join(",", columns) + "\r\n"; // the writer writes the header with the first row
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true).setLineSeparator("\r\n");
    columns.forEach(schema::addColumn);
    StringWriter out = new StringWriter();
    try (var writer = CSV.writer(schema.build()).writeValues(out)) {
      for (List<Object> row : rows) writer.write(row.stream().map(Reports::cell).toArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static Object cell(Object v) {
    if (v instanceof BigDecimal d) return d.toPlainString();
    return v == null ? "" : v.toString();
  }
}
