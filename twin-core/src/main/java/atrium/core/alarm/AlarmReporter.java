package atrium.core.alarm;

import atrium.core.asset.AssetId;
import java.time.Instant;

/**
 * How a twin reports an abnormal condition of its own (a camera fault, a crowded zone, a failed
 * price change). Report transitions: {@code raise} when the condition starts, {@code clear} when it
 * ends; the alarm entity keeps the ISA-18.2 lifecycle and what operators did with it.
 */
public interface AlarmReporter {

  void raise(AssetId source, String condition, Severity severity, String message, Instant at);

  void clear(AssetId source, String condition, Instant at);
}
