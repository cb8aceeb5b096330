package atrium.core.runtime;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;
import org.apache.pekko.projection.jdbc.JdbcSession;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The embedded H2 database under {@code atrium.data-dir}: the journal's URL, and JDBC sessions on
 * the same database for projections (their offsets and read models live beside the journal).
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private final JdbcConnectionPool pool;

  public EmbeddedDatabase(String url) {
    this.pool = JdbcConnectionPool.create(url, "sa", "");
    this.pool.setMaxConnections(8);
  }

  public static String journalUrl(Path dataDir) {
    return "jdbc:h2:file:" + dataDir.resolve("atrium").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
  }

  public static String historyUrl(Path dataDir) {
    return "jdbc:h2:file:" + dataDir.resolve("history").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
  }

  /** A session factory for Pekko Projections' JDBC offset store and handlers. */
  public Supplier<Session> sessions() {
    return () -> new Session(pool);
  }

  @Override
  public void close() {
    pool.dispose();
  }

  /** One transaction on one pooled connection. */
  public static final class Session implements JdbcSession {
    private final Connection connection;

    Session(JdbcConnectionPool pool) {
      try {
        this.connection = pool.getConnection();
        this.connection.setAutoCommit(false);
      } catch (SQLException e) {
        throw new IllegalStateException("cannot open a connection to the embedded database", e);
      }
    }

    @Override
    public <R> R withConnection(org.apache.pekko.japi.function.Function<Connection, R> func) throws Exception {
      return func.apply(connection);
    }

    @Override
    public void commit() throws SQLException {
      connection.commit();
    }

    @Override
    public void rollback() throws SQLException {
      connection.rollback();
    }

    @Override
    public void close() throws SQLException {
      connection.close();
    }
  }
}
