package atrium.core.runtime;

import atrium.core.alarm.Alarm;
import atrium.core.alarm.ShardedAlarmReporter;
import atrium.core.clock.SimulatedClock;
import atrium.core.live.TopicDeviceCommands;
import atrium.core.live.TopicLiveDeltas;
import atrium.core.clock.TwinClock;
import atrium.core.clock.WallClock;
import atrium.core.history.CassandraTelemetryHistory;
import atrium.core.history.H2TelemetryHistory;
import atrium.core.history.TelemetryHistory;
import atrium.core.history.TelemetryHistorySettings;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.jdbc.testkit.javadsl.SchemaUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Atrium node: the ActorSystem as a cluster member (a one-node cluster that joins itself when no
 * seed nodes are configured), the persistence profile, the clock, the telemetry history, the site
 * model, and Cluster Sharding for the asset kinds registered through {@link #register}.
 */
public final class AtriumRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AtriumRuntime.class);

  private final ActorSystem<Void> system;
  private final AtriumSettings settings;
  private final TwinServices services;
  private final Optional<EmbeddedDatabase> database;
  private final Optional<CassandraStore> cassandra;
  private final TwinClock clock;

  private AtriumRuntime(ActorSystem<Void> system, AtriumSettings settings, TwinServices services,
      Optional<EmbeddedDatabase> database, Optional<CassandraStore> cassandra) {
    this.system = system;
    this.settings = settings;
    this.services = services;
    this.database = database;
    this.cassandra = cassandra;
    this.clock = services.clock();
  }

  /** Starts a node from the configuration (see {@link AtriumConfig}) with these overrides on top. */
  public static AtriumRuntime start(Config overrides) {
    Config config = AtriumConfig.load(overrides);
    AtriumSettings settings = AtriumSettings.create(config);
    SiteDirectory sites = SiteDirectory.load(settings.siteFiles());
    try {
      Files.createDirectories(settings.dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data directory " + settings.dataDir(), e);
    }
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "atrium", config);
    try {
      joinCluster(system, config);
      Optional<EmbeddedDatabase> database = Optional.empty();
      Optional<CassandraStore> cassandra = Optional.empty();
      if (settings.persistenceProfile().equals("embedded")) {
        await(SchemaUtils.createIfNotExists(system).toCompletableFuture(), "create the journal schema");
        database = Optional.of(new EmbeddedDatabase(EmbeddedDatabase.journalUrl(settings.dataDir())));
      } else if (settings.persistenceProfile().equals("cassandra")) {
        cassandra = Optional.of(CassandraStore.connect(system));
      }
      TwinClock clock = clock(system, settings);
      TelemetryHistorySettings historySettings = TelemetryHistorySettings.create(config);
      TelemetryHistory history = cassandra.isPresent()
          ? new CassandraTelemetryHistory(system, cassandra.get().session(), cassandra.get().keyspace(), historySettings, clock)
          : new H2TelemetryHistory(system, EmbeddedDatabase.historyUrl(settings.dataDir()), historySettings, clock);
      ClusterSharding sharding = ClusterSharding.get(system);
      TwinServices services = new TwinServices(system, clock, history, sites, sharding, settings.askTimeout(),
          new ShardedAlarmReporter(sharding), new TopicLiveDeltas(system, clock), new TopicDeviceCommands(system));
      log.info("Atrium node {} up: persistence {}, clock {} ({}x), sites {}, data in {}",
          Cluster.get(system).selfMember().address(), settings.persistenceProfile(), settings.clockMode(),
          clock.speed(), sites.ids(), settings.dataDir());
      AtriumRuntime runtime = new AtriumRuntime(system, settings, services, database, cassandra);
      runtime.register(Alarm.KIND);
      return runtime;
    } catch (RuntimeException e) {
      system.terminate();
      throw e;
    }
  }

  /**
   * Joins the configured cluster, or forms a one-node cluster; in the latter case waits until this
   * node is Up, so that sharding can allocate shards at once and the first asks don't time out.
   */
  private static void joinCluster(ActorSystem<Void> system, Config config) {
    List<String> seeds = config.getStringList("pekko.cluster.seed-nodes");
    // With Cluster Bootstrap (control-api's atrium.management.bootstrap) discovery forms the cluster.
    boolean bootstrap = config.hasPath("atrium.management.bootstrap") && config.getBoolean("atrium.management.bootstrap");
    if (seeds.isEmpty() && !bootstrap) {
      Cluster cluster = Cluster.get(system);
      var up = new java.util.concurrent.CompletableFuture<Void>();
      org.apache.pekko.cluster.Cluster.get(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system))
          .registerOnMemberUp(() -> up.complete(null));
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
      await(up, "join the one-node cluster");
    }
  }

  private static TwinClock clock(ActorSystem<Void> system, AtriumSettings settings) {
    return switch (settings.clockMode()) {
      case WALL -> new WallClock(system.scheduler(), system.executionContext());
      case MANUAL -> new SimulatedClock(settings.clockStart());
      case SIMULATED -> {
        SimulatedClock c = new SimulatedClock(settings.clockStart());
        c.run(settings.clockSpeed(), settings.clockStep());
        yield c;
      }
    };
  }

  /** Registers an asset kind with Cluster Sharding; returns the shard region. */
  public <M> ActorRef<ShardingEnvelope<M>> register(EntityKind<M> kind) {
    return services.sharding().init(Entity.of(kind.key(),
        ctx -> kind.create().apply(atrium.core.asset.AssetId.fromEntityId(kind.kind(), ctx.getEntityId()), services)));
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public AtriumSettings settings() {
    return settings;
  }

  public TwinServices services() {
    return services;
  }

  public TwinClock clock() {
    return clock;
  }

  /** The embedded database's sessions, present under the embedded profile. */
  public Optional<EmbeddedDatabase> database() {
    return database;
  }

  /** The Cassandra session and keyspace, present under the cassandra profile. */
  public Optional<CassandraStore> cassandra() {
    return cassandra;
  }

  @Override
  public void close() {
    try {
      await(services.history().flush().toCompletableFuture(), "flush the telemetry history");
    } catch (RuntimeException e) {
      log.warn("telemetry history not flushed on shutdown: {}", e.getMessage());
    }
    services.history().close();
    if (clock instanceof SimulatedClock s) s.close();
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("actor system did not terminate within 30 s", e);
    }
    database.ifPresent(EmbeddedDatabase::close);
  }

  static <T> T await(java.util.concurrent.CompletableFuture<T> f, String what) {
    try {
      return f.get(Duration.ofSeconds(60).toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not " + what + ": " + e.getMessage(), e);
    }
  }
}
