package atrium.api.audit;

import java.time.Instant;
import java.util.List;

/**
 * Where audit entries are kept. Calls block (the {@link AuditLog} runs them on the blocking
 * dispatcher); {@link H2AuditStore} is the embedded profile's, a Cassandra profile brings its own.
 */
public interface AuditStore extends AutoCloseable {

  /** Writes the entries in one transaction; when it returns normally they are durable. */
  void append(List<AuditEntry> entries) throws Exception;

  /** One page of entries matching the query, newest first. */
  AuditLog.Page query(AuditQuery query) throws Exception;

  /** Deletes entries whose {@code at} is before {@code cutoff}; the only deletion a store allows. */
  long deleteOlderThan(Instant cutoff) throws Exception;

  @Override
  void close();
}
