package atrium.api.ops;

import atrium.api.http.HttpApi;
import atrium.core.history.TelemetryHistory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The node's metrics in Prometheus text format, with Prometheus naming: base units (seconds, bytes),
 * {@code _total} counters, and labels of bounded cardinality — endpoint ids, methods, status
 * classes, kinds — never asset ids.
 */
public final class Metrics implements HttpApi.HttpObserver, AutoCloseable {
  /** The content type of the text exposition format the registry writes. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public Metrics() {
    // Prometheus naming: promtool refuses abbreviated units (process.cpu.time is in ns) and a plain
    // gauge ending in _count (system.cpu.count); both are said better by the metrics kept.
    registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
      }
    });
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void answered(String endpoint, String method, int status, long nanos) {
    String e = endpoint == null ? "none" : endpoint;
    String statusClass = (status / 100) + "xx";
    Counter.builder("atrium.http.requests").description("HTTP requests answered")
        .tag("endpoint", e).tag("method", method).tag("status", statusClass).register(registry).increment();
    Timer.builder("atrium.http.request.duration").description("Time from a request's arrival to its answer")
        .tag("endpoint", e).publishPercentileHistogram(false)
        .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100), Duration.ofMillis(500),
            Duration.ofSeconds(2), Duration.ofSeconds(10))
        .register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A value read when scraped (calls in flight, connected devices). */
  public <T> void gauge(String name, String description, T obj, ToDoubleFunction<T> value) {
    Gauge.builder(name, obj, value).description(description).register(registry);
  }

  /** A count kept elsewhere, read when scraped; its name gets {@code _total}. */
  public <T> void counter(String name, String description, T obj, ToDoubleFunction<T> value) {
    FunctionCounter.builder(name, obj, value).description(description).register(registry);
  }

  /** A counter incremented by the caller; its name gets {@code _total}. */
  public Counter counter(String name, String description, String... tags) {
    return Counter.builder(name).description(description).tags(tags).register(registry);
  }

  /**
   * The telemetry history's counters: points recorded, written, dropped and failed. (Micrometer
   * holds the object it reads weakly: pass the history itself, which the runtime keeps alive.)
   */
  public void bindHistory(TelemetryHistory history) {
    FunctionCounter.builder("atrium.history.points", history, h -> h.stats().recorded()).tag("outcome", "recorded")
        .description("Telemetry points offered to the history").register(registry);
    FunctionCounter.builder("atrium.history.points", history, h -> h.stats().written()).tag("outcome", "written")
        .description("Telemetry points offered to the history").register(registry);
    FunctionCounter.builder("atrium.history.points", history, h -> h.stats().dropped()).tag("outcome", "dropped")
        .description("Telemetry points offered to the history").register(registry);
    FunctionCounter.builder("atrium.history.points", history, h -> h.stats().failed()).tag("outcome", "failed")
        .description("Telemetry points offered to the history").register(registry);
  }

  /** Device messages the doors handed the twin, by outcome, and the data points of the telemetry applied. */
  public void bindIngest(IngestCounters ingest) {
    FunctionCounter.builder("atrium.ingest.messages", ingest, IngestCounters::applied).tag("outcome", "applied")
        .description("Device messages handed to the twin, by how it answered").register(registry);
    FunctionCounter.builder("atrium.ingest.messages", ingest, IngestCounters::duplicates).tag("outcome", "duplicate")
        .description("Device messages handed to the twin, by how it answered").register(registry);
    FunctionCounter.builder("atrium.ingest.messages", ingest, IngestCounters::failed).tag("outcome", "failed")
        .description("Device messages handed to the twin, by how it answered").register(registry);
    FunctionCounter.builder("atrium.ingest.points", ingest, IngestCounters::points)
        .description("Data points (fields of data) of the telemetry the twin applied").register(registry);
  }

  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
