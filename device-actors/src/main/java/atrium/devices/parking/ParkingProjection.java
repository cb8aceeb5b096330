package atrium.devices.parking;

import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.runtime.EmbeddedDatabase;
import atrium.core.runtime.TwinServices;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.AtLeastOnceProjection;
import org.apache.pekko.projection.javadsl.Handler;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;
import org.apache.pekko.projection.cassandra.javadsl.CassandraProjection;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;

/**
 * Feeds each bay's status changes to its car park: a projection of the bays' tagged events, one
 * instance per tag slice spread over the cluster by Sharded Daemon Process, at least once (the car
 * park ignores what it has already seen).
 */
public final class ParkingProjection {
  private ParkingProjection() {}

  /** The embedded profile: offsets in the H2 database, events from the JDBC read journal. */
  public static void init(TwinServices services, EmbeddedDatabase database) {
    ActorSystem<?> system = services.system();
    Supplier<EmbeddedDatabase.Session> sessions = database.sessions();
    awaitTables(JdbcProjection.createTablesIfNotExists(sessions, system));
    start(system, tag -> projection(services, sessions, tag));
  }

  /**
   * The Cassandra profile: offsets in Atrium's keyspace (its {@code offset_store}, created with the
   * schema), events from Cassandra's events-by-tag query. That query delivers an event only once it is
   * older than its eventual-consistency delay, so car parks follow their bays a few seconds late here.
   */
  public static void initCassandra(TwinServices services) {
    ActorSystem<?> system = services.system();
    start(system, tag -> CassandraProjection.atLeastOnce(ProjectionId.of("parking", tag),
        EventSourcedProvider.<ParkingBay.Event>eventsByTag(system, CassandraReadJournal.Identifier(), tag), () -> new ToCarPark(services)));
  }

  private static void start(ActorSystem<?> system, java.util.function.Function<String, AtLeastOnceProjection<Offset, EventEnvelope<ParkingBay.Event>>> projection) {
    String[] tags = IntStream.range(0, ParkingBay.TAG_SLICES).mapToObj(i -> "parking-" + i).toArray(String[]::new);
    ShardedDaemonProcess.get(system).init(ProjectionBehavior.Command.class, "parking-projection", tags.length,
        i -> ProjectionBehavior.create(projection.apply(tags[i])),
        ProjectionBehavior.stopMessage());
  }

  private static AtLeastOnceProjection<Offset, EventEnvelope<ParkingBay.Event>> projection(
      TwinServices services, Supplier<EmbeddedDatabase.Session> sessions, String tag) {
    SourceProvider<Offset, EventEnvelope<ParkingBay.Event>> source =
        EventSourcedProvider.eventsByTag(services.system(), JdbcReadJournal.Identifier(), tag);
    return JdbcProjection.atLeastOnceAsync(ProjectionId.of("parking", tag), source, sessions,
        () -> new ToCarPark(services), services.system());
  }

  private static void awaitTables(CompletionStage<Done> created) {
    try {
      created.toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not create the projection tables: " + e.getMessage(), e);
    }
  }

  /** Tells the bay's car park its new status and completes when the car park has stored it. */
  static final class ToCarPark extends Handler<EventEnvelope<ParkingBay.Event>> {
    private final TwinServices services;

    ToCarPark(TwinServices services) {
      this.services = services;
    }

    @Override
    public CompletionStage<Done> process(EventEnvelope<ParkingBay.Event> envelope) {
      ParkingBay.Event e = envelope.event();
      var bay = e.bay();
      var carPark = services.entityRef(CarPark.ENTITY_KEY, AssetId.of(bay.site(), AssetKind.CAR_PARK, bay.carPark()));
      String plateToken = e instanceof ParkingBay.Occupied o ? o.plateToken()
          : e instanceof ParkingBay.PlateRecognised p ? p.plateToken() : null;
      Instant occupiedSince = e instanceof ParkingBay.Vacated v ? v.occupiedSince() : null;
      return carPark.ask(replyTo -> new CarPark.ApplyBayStatus(bay.bayId(), bay.level(), e.statusAfter(),
          envelope.sequenceNr(), plateToken, occupiedSince, e.at(), replyTo), services.askTimeout());
    }
  }
}
