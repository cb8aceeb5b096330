package atrium.api.stream;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The stream's counters, for the metrics: clients connected, clients dropped as too slow, deltas conflated. */
final class StreamMetrics {
  final AtomicInteger sessions = new AtomicInteger();
  final LongAdder dropped = new LongAdder();
  final LongAdder conflated = new LongAdder();
}
