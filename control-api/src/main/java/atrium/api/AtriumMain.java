package atrium.api;

import atrium.api.audit.AuditLog;
import atrium.api.audit.CassandraAuditStore;
import atrium.api.audit.AuditSettings;
import atrium.api.audit.AuditTrail;
import atrium.api.demo.DemoCredentials;
import atrium.api.demo.DemoTraffic;
import atrium.api.device.CachedDeviceLogins;
import atrium.api.device.DeviceCredentialCommand;
import atrium.api.device.DeviceCredentials;
import atrium.api.mqtt.DevicePresence;
import atrium.api.mqtt.MqttServer;
import atrium.api.mqtt.MqttSettings;
import atrium.api.rest.AdminEndpoints;
import atrium.api.security.AuthException;
import atrium.api.security.RateLimitSettings;
import atrium.api.security.RateLimiter;
import atrium.api.security.TokenCommand;
import atrium.api.security.TokenVerifier;
import atrium.core.runtime.EmbeddedDatabase;
import java.time.Clock;
import java.util.OptionalLong;
import atrium.api.http.Authenticator;
import atrium.api.http.DeviceMessages;
import atrium.api.http.Endpoint;
import atrium.api.http.HttpApi;
import atrium.api.http.HttpServer;
import atrium.api.http.HttpSettings;
import atrium.api.http.InFlightLimit;
import atrium.api.http.RateLimit;
import atrium.api.ops.ClusterManagement;
import atrium.api.ops.IngestCounters;
import atrium.api.ops.Metrics;
import atrium.api.ops.OpsEndpoints;
import atrium.api.ops.Readiness;
import atrium.api.rest.Api;
import atrium.api.rest.AssetCommands;
import atrium.api.rest.AssetQueries;
import atrium.api.rest.Health;
import atrium.api.rest.InteropEndpoints;
import atrium.api.rest.SiteCommands;
import atrium.api.rest.TwinOccupancy;
import atrium.api.rest.TwinReads;
import atrium.api.rest.WhatIfEndpoints;
import atrium.api.stream.StreamHub;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.devices.TwinGateway;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import atrium.api.security.HttpAuthenticator;
import java.util.List;
import java.util.Optional;
import atrium.core.runtime.AtriumRuntime;
import atrium.core.runtime.AtriumSettings;
import atrium.devices.Twins;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The server's entry point: {@code serve} a node, or run the {@code demo}. */
@Command(name = "atrium", mixinStandardHelpOptions = true, subcommands = {AtriumMain.Serve.class, AtriumMain.Demo.class, TokenCommand.class, DeviceCredentialCommand.class,
        atrium.api.demo.ReplayCommand.class, atrium.api.demo.SimulateCommand.class},
    description = "Atrium: a live digital twin of a shopping mall.")
public final class AtriumMain {
  private static final Logger log = LoggerFactory.getLogger(AtriumMain.class);

  public static void main(String[] args) {
    System.exit(new CommandLine(new AtriumMain()).execute(args));
  }

  /** Options shared by every way of starting a node; each overrides its configuration key. */
  static class NodeOptions {
    @Option(names = "--port", description = "HTTP port (atrium.http.port)")
    Integer port;

    @Option(names = "--data-dir", description = "data directory (atrium.data-dir)")
    Path dataDir;

    @Option(names = "--site", description = "site file(s) to serve (atrium.site-files)")
    java.util.List<Path> sites;

    @Option(names = "--config", description = "a HOCON file of settings (a cluster node's: docs/operations.md); the options above override it")
    Path config;

    Map<String, Object> overrides() {
      Map<String, Object> o = new HashMap<>();
      if (port != null) o.put("atrium.http.port", port);
      if (dataDir != null) o.put("atrium.data-dir", dataDir.toString());
      if (sites != null) o.put("atrium.site-files", sites.stream().map(Path::toString).toList());
      return o;
    }

    /** The options over the {@code --config} file, if any. */
    Config config(Map<String, Object> overrides) {
      Config options = ConfigFactory.parseMap(overrides);
      if (config == null) return options;
      if (!java.nio.file.Files.isRegularFile(config)) throw new CommandLine.ParameterException(new CommandLine(this), "--config: no such file " + config);
      return options.withFallback(ConfigFactory.parseFile(config.toFile()));
    }
  }

  /** A running node: runtime, twins (behind their gateway) and the doors. */
  public record Node(AtriumRuntime runtime, TwinGateway gateway, HttpServer http, MqttServer mqtt, StreamHub stream,
      List<Endpoint> endpoints, Metrics metrics, AuditLog audit, ExecutorService blocking) implements AutoCloseable {
    public static Node start(Config overrides) {
      AtriumRuntime runtime = AtriumRuntime.start(overrides);
      ExecutorService blocking = Executors.newFixedThreadPool(2, new DefaultThreadFactory("atrium-blocking", true));
      Metrics metrics = new Metrics();
      AuditLog audit = null;
      HttpServer http = null;
      MqttServer mqtt = null;
      try {
        Config config = runtime.system().settings().config();
        Path dataDir = runtime.settings().dataDir();
        var services = runtime.services();
        IngestCounters ingest = new IngestCounters(Twins.start(runtime));
        metrics.bindIngest(ingest);
        TwinGateway gateway = ingest;
        HttpSettings settings = HttpSettings.create(config);
        InFlightLimit inFlight = new InFlightLimit(settings.maxInFlight());
        metrics.gauge("atrium.door.in.flight", "Calls from the doors to the twin outstanding now", inFlight, InFlightLimit::current);
        metrics.bindHistory(services.history());

        TokenVerifier tokens = TokenVerifier.create(config, dataDir, Clock.systemUTC());
        DeviceCredentials devices = DeviceCredentials.fromConfig(config);
        audit = auditLog(runtime, AuditSettings.create(config));
        RateLimiter people = new RateLimiter(RateLimitSettings.create(config), Clock.systemUTC());
        RateLimiter deviceRates = new RateLimiter(RateLimitSettings.create(config, RateLimitSettings.DEVICE_CONFIG_PATH), Clock.systemUTC());
        DevicePresence presence = new DevicePresence();
        metrics.gauge("atrium.mqtt.devices.online", "Devices connected over MQTT now", presence, DevicePresence::onlineCount);

        Optional<AssetId> probe = services.sites().ids().stream().findFirst()
            .flatMap(services.sites()::site)
            .flatMap(site -> site.zones().stream().findFirst().map(z -> AssetId.of(site.id(), AssetKind.ZONE, z.id())));
        StreamHub stream = StreamHub.create(runtime);
        metrics.gauge("atrium.stream.sessions", "Live-stream WebSocket sessions open now", stream, StreamHub::sessions);
        metrics.counter("atrium.stream.dropped.clients", "Live-stream clients dropped for not keeping up", stream,
            StreamHub::droppedClients);
        metrics.counter("atrium.stream.conflated.deltas", "Deltas replaced by a newer one before a slow client read them",
            stream, StreamHub::conflatedDeltas);
        Readiness readiness = new Readiness(runtime.system(), gateway, probe, runtime.database(), blocking, Duration.ofSeconds(3));
        ClusterManagement.start(runtime.system(), readiness);
        var api = new Api()
            .add(Health.endpoint())
            .add(atrium.api.rest.OpenApiDocument.endpoint())
            .addAll(new OpsEndpoints(readiness, metrics).endpoints())
            .addAll(new TwinReads(gateway, InteropEndpoints::describe).endpoints())
            .addAll(new AssetQueries(services, gateway).endpoints())
            .addAll(new atrium.api.rest.AlarmList(gateway).endpoints())
            .addAll(new atrium.api.rest.CarFinder(services).endpoints())
            .addAll(new AssetCommands(services, gateway).endpoints())
            .addAll(new SiteCommands(services).endpoints())
            .addAll(new atrium.api.rest.EnergyEndpoints(services).endpoints())
            .addAll(new InteropEndpoints(services).endpoints())
            .addAll(new AdminEndpoints(audit, presence).endpoints())
            .addAll(new WhatIfEndpoints(services, gateway, runtime.settings().siteFiles(), blocking).endpoints())
            .addAll(new atrium.api.report.RunReportFiles(atrium.api.report.RunReportFiles.Settings.create(config), blocking).endpoints())
            .addAll(new atrium.api.rest.DrillEndpoints(services.clock(), runtime.settings().siteFiles()).endpoints())
            .add(new DeviceMessages(gateway, inFlight, settings.requestTimeout()).endpoint())
            .add(stream.endpoint());
        Authenticator authenticator = new HttpAuthenticator(token -> {
          try {
            return tokens.verify("Bearer " + token);
          } catch (AuthException e) {
            throw new HttpAuthenticator.Refused(e.slug(), e.detail());
          }
        }, new CachedDeviceLogins(devices, Clock.systemUTC()));
        RateLimit rateLimit = client -> {
          RateLimiter.Decision d = (client.startsWith("device:") ? deviceRates : people).tryAcquire(client);
          return d.allowed() ? OptionalLong.empty() : OptionalLong.of(d.retryAfterSeconds());
        };
        http = new HttpServer(settings, new HttpApi(api.router(), authenticator, rateLimit, new AuditTrail(audit, Clock.systemUTC()),
            inFlight, metrics, stream).withPages(new atrium.api.console.ConsoleFiles())).start();
        MqttSettings mqttSettings = MqttSettings.create(config);
        if (mqttSettings.enabled()) {
          mqtt = new MqttServer(mqttSettings, gateway, devices, inFlight, presence, runtime.system(), services.commands()).start();
        }
        return new Node(runtime, gateway, http, mqtt, stream, api.endpoints(), metrics, audit, blocking);
      } catch (RuntimeException e) {
        if (mqtt != null) mqtt.close();
        if (http != null) http.close();
        if (audit != null) audit.close();
        blocking.shutdownNow();
        metrics.close();
        runtime.close();
        throw e;
      }
    }

    /** The audit log in the profile's store: Cassandra's keyspace under the cassandra profile, else H2. */
    private static AuditLog auditLog(AtriumRuntime runtime, AuditSettings settings) {
      if (runtime.cassandra().isPresent()) {
        var cassandra = runtime.cassandra().get();
        return new AuditLog(runtime.system(), new CassandraAuditStore(cassandra.session(), cassandra.keyspace(), settings.retention()),
            settings, runtime.clock());
      }
      return AuditLog.embedded(runtime.system(), auditUrl(runtime), settings, runtime.clock());
    }

    /** The audit log shares the embedded journal's H2 database; other profiles keep it in an H2 file of the node's own. */
    private static String auditUrl(AtriumRuntime runtime) {
      Path dataDir = runtime.settings().dataDir();
      return runtime.database().isPresent() ? EmbeddedDatabase.journalUrl(dataDir)
          : "jdbc:h2:file:" + dataDir.resolve("audit").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    public URI baseUri() {
      return URI.create("http://" + http.address().getHostString() + ":" + http.port());
    }

    @Override
    public void close() {
      if (mqtt != null) mqtt.close();
      http.close();
      audit.close();
      runtime.close();
      blocking.shutdownNow();
      metrics.close();
    }
  }

  @Command(name = "serve", aliases = "node", mixinStandardHelpOptions = true,
      description = "Start a node (wall clock, no demo traffic); with --config, a node of a cluster (docs/operations.md).")
  static final class Serve implements Callable<Integer> {
    @CommandLine.Mixin
    NodeOptions options = new NodeOptions();

    @Override
    public Integer call() throws InterruptedException {
      Node node = Node.start(options.config(options.overrides()));
      System.out.println("Atrium is up: " + node.baseUri() + "/api/v1/sites");
      awaitShutdown(node);
      return 0;
    }
  }

  @Command(name = "demo", mixinStandardHelpOptions = true,
      description = "Start a one-node Atrium with the demo mall and its car traffic on a simulated clock.")
  static final class Demo implements Callable<Integer> {
    @CommandLine.Mixin
    NodeOptions options = new NodeOptions();

    @Option(names = "--speed", description = "simulated seconds per real second (default ${DEFAULT-VALUE})", defaultValue = "60")
    double speed;

    @Override
    public Integer call() throws Exception {
      Map<String, Object> o = options.overrides();
      o.put("atrium.clock.mode", "simulated");
      o.put("atrium.clock.speed", speed);
      o.put("atrium.auth.generate-secret-if-missing", true);
      Config first = atrium.core.runtime.AtriumConfig.load(options.config(o));
      Path dataDir = AtriumSettings.create(first).dataDir();
      var saved = DemoTraffic.load(dataDir);
      saved.ifPresent(s -> o.put("atrium.clock.start", s.clock().toString()));
      String siteId = atrium.core.runtime.SiteDirectory.load(AtriumSettings.create(first).siteFiles()).ids().get(0);
      DemoCredentials.Devices devices = DemoCredentials.devices(dataDir, siteId);
      if (first.getString(DeviceCredentials.CONFIG_KEY).isBlank()) o.put(DeviceCredentials.CONFIG_KEY, devices.file().toString());

      Node node = Node.start(options.config(o));
      Config config = node.runtime().system().settings().config();
      var site = node.runtime().services().sites().site(siteId).orElseThrow();
      String token = DemoCredentials.tokens(config, dataDir, siteId);
      DemoTraffic traffic = DemoTraffic.start(dataDir, site, node.runtime().clock(), node.baseUri(), devices.username(),
          devices.password(), Path.of(config.getString("atrium.demo.scenario")),
          saved.map(DemoTraffic.Saved::parked).orElse(Map.of()),
          saved.isPresent() ? TwinOccupancy.of(node.gateway(), site).toCompletableFuture().get(60, TimeUnit.SECONDS) : Map.of(),
          node.runtime().services());
      printUrls(node, siteId, site, saved.isPresent(), token, devices);
      awaitShutdown(traffic, node);
      return 0;
    }

    private void printUrls(Node node, String siteId, atrium.core.site.Site site, boolean resumed, String token,
        DemoCredentials.Devices devices) {
      String base = node.baseUri() + "/api/v1/sites/" + siteId + "/assets/";
      Path dataDir = node.runtime().settings().dataDir();
      String auth = "-H \"Authorization: Bearer $(cat " + dataDir.resolve("demo-operator.token") + ")\" ";
      var now = node.runtime().clock().now().atZone(ZoneId.of(site.timezone()));
      StringBuilder b = new StringBuilder();
      b.append("\nAtrium demo is up (simulated clock ").append(node.runtime().clock().speed()).append("x, now ")
          .append(now).append(resumed ? ", resumed from " + dataDir : "").append(").\n");
      b.append("  Console:    ").append(node.baseUri()).append("/  (sign in with the token in ")
          .append(dataDir.resolve("demo-operator.token")).append(")\n");
      String label = "  Car parks:  ";
      for (var cp : site.carParks()) {
        b.append(label).append("curl -s ").append(auth).append(base).append("car-park/").append(cp.id()).append('\n');
        label = "              ";
      }
      String bay = site.carParks().get(0).levels().get(0).bays().get(0).id();
      b.append("  A bay:      curl -s ").append(auth).append(base).append("parking-bay/").append(bay).append('\n');
      b.append("  The site:   curl -s ").append(auth).append(node.baseUri()).append("/api/v1/sites/").append(siteId).append('\n');
      b.append("  Health:     curl -s ").append(node.baseUri()).append("/ready\n");
      b.append("  Tokens:     operator in ").append(dataDir.resolve("demo-operator.token")).append(", admin in ")
          .append(dataDir.resolve("demo-admin.token")).append(" (7 days)\n");
      if (node.mqtt() != null) {
        b.append("  MQTT:       mosquitto_pub -h 127.0.0.1 -p ").append(node.mqtt().port()).append(" -u ").append(devices.username())
            .append(" -P \"$(cat ").append(dataDir.resolve("demo-device-password")).append(")\" -t atrium/").append(siteId)
            .append("/parking-bay/").append(bay).append("/telemetry -q 1 -m '...'\n");
      }
      b.append("Stop with Ctrl-C; state stays in ").append(dataDir).append('\n');
      System.out.println(b);
    }
  }

  /** Blocks until the JVM is asked to stop, then closes each in order (traffic before the node it feeds). */
  private static void awaitShutdown(AutoCloseable... inOrder) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("stopping Atrium");
      for (AutoCloseable c : inOrder) {
        try {
          c.close();
        } catch (Exception e) {
          log.warn("error while stopping {}: {}", c, e.getMessage());
        }
      }
      stopped.countDown();
    }, "atrium-stop"));
    stopped.await();
  }
}
