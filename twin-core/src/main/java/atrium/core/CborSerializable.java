package atrium.core;

/**
 * Marker for every message that is persisted or crosses the cluster: bound to Pekko's
 * {@code jackson-cbor} serializer in {@code atrium-serialization.conf}. Java serialization is off.
 */
public interface CborSerializable {}
