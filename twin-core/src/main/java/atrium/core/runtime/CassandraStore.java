package atrium.core.runtime;

import com.datastax.oss.driver.api.core.CqlSession;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Cassandra profile's connection: the driver session that pekko-persistence-cassandra's
 * configuration describes ({@code pekko.persistence.cassandra}, {@code datastax-java-driver}), shared by
 * the telemetry history and the audit log, and the keyspace they write to. The actor system owns the
 * session and closes it when it terminates.
 */
public record CassandraStore(CqlSession session, CassandraSettings settings) {
  private static final Logger log = LoggerFactory.getLogger(CassandraStore.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);

  /** Connects (blocking, at start-up) and, if {@code atrium.cassandra.create-schema}, creates what is missing of the schema. */
  public static CassandraStore connect(ActorSystem<?> system) {
    CassandraSettings settings = CassandraSettings.create(system.settings().config());
    CqlSession session;
    try {
      session = CassandraSessionRegistry.get(system).sessionFor("pekko.persistence.cassandra").underlying()
          .toCompletableFuture().get(CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException("cannot connect to Cassandra at " + settings.contactPoints() + " (datacenter "
          + settings.localDatacenter() + "): " + cause.getMessage(), cause);
    }
    if (settings.createSchema()) {
      var statements = CassandraSchema.statements(system, settings);
      CassandraSchema.apply(session, statements);
      log.info("Cassandra schema in keyspace {} checked ({} statements, CREATE ... IF NOT EXISTS)", settings.keyspace(), statements.size());
    }
    return new CassandraStore(session, settings);
  }

  public String keyspace() {
    return settings.keyspace();
  }
}
