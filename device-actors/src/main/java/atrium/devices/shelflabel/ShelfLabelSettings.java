package atrium.devices.shelflabel;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;

/** Shelf labels' and price campaigns' settings, read once from {@code atrium.shelf-label}. */
public record ShelfLabelSettings(
    String currency,
    Duration firstRetry,
    double backoffFactor,
    Duration maxRetryInterval,
    Duration deadline,
    int batteryLowBelow,
    int batteryClearAt,
    Duration maxFlash,
    int campaignParallelism,
    int campaignBatchSize,
    Duration campaignProgressInterval,
    int campaignMaxLabels,
    int campaignChunkSize,
    Duration campaignReconcileMargin,
    Duration campaignWatchInterval) {

  /** Bounds how often one change is sent: the deadline holds at most this many first-retry intervals. */
  public static final int MAX_SENDINGS = 1000;

  public ShelfLabelSettings {
    require(currency != null && currency.matches("[A-Z]{3}"), "currency: an ISO 4217 code such as CNY, not " + currency);
    require(positive(firstRetry) && positive(maxRetryInterval) && firstRetry.compareTo(maxRetryInterval) <= 0,
        "price-change: need 0 < first-retry <= max-retry-interval, got " + firstRetry + ", " + maxRetryInterval);
    require(backoffFactor >= 1.0, "price-change.backoff-factor: at least 1.0, got " + backoffFactor);
    require(deadline.compareTo(firstRetry) > 0, "price-change.deadline: longer than first-retry, got " + deadline);
    require(deadline.dividedBy(firstRetry) <= MAX_SENDINGS,
        "price-change: a deadline of at most " + MAX_SENDINGS + " first-retry intervals, got " + deadline + " / " + firstRetry);
    require(0 < batteryLowBelow && batteryLowBelow <= batteryClearAt && batteryClearAt <= 100,
        "battery: need 0 < low-below <= clear-at <= 100, got " + batteryLowBelow + ", " + batteryClearAt);
    require(positive(maxFlash), "max-flash: positive, got " + maxFlash);
    require(campaignParallelism >= 1 && campaignBatchSize >= 1 && campaignMaxLabels >= 1 && campaignChunkSize >= 1,
        "campaign: parallelism, batch-size, max-labels and chunk-size must be at least 1");
    require(positive(campaignProgressInterval), "campaign.progress-interval: positive, got " + campaignProgressInterval);
    require(!campaignReconcileMargin.isNegative(), "campaign.reconcile-margin: not negative, got " + campaignReconcileMargin);
    require(positive(campaignWatchInterval), "campaign.watch-interval: positive, got " + campaignWatchInterval);
  }

  /** The defaults of {@code atrium-shelflabel.conf}. */
  public static ShelfLabelSettings defaults() {
    return create(ConfigFactory.empty());
  }

  /** Reads {@code atrium.shelf-label}; keys the configuration lacks take the defaults of {@code atrium-shelflabel.conf}. */
  public static ShelfLabelSettings create(Config config) {
    Config c = config.withFallback(ConfigFactory.parseResources(ShelfLabelSettings.class.getClassLoader(),
        "atrium-shelflabel.conf").resolve()).getConfig("atrium.shelf-label");
    Config pc = c.getConfig("price-change");
    Config campaign = c.getConfig("campaign");
    return new ShelfLabelSettings(c.getString("currency"), pc.getDuration("first-retry"), pc.getDouble("backoff-factor"),
        pc.getDuration("max-retry-interval"), pc.getDuration("deadline"), c.getInt("battery.low-below"),
        c.getInt("battery.clear-at"), c.getDuration("max-flash"), campaign.getInt("parallelism"),
        campaign.getInt("batch-size"), campaign.getDuration("progress-interval"), campaign.getInt("max-labels"),
        campaign.getInt("chunk-size"), campaign.getDuration("reconcile-margin"), campaign.getDuration("watch-interval"));
  }

  /**
   * When the {@code n}-th sending of a change falls due, counted from 0 (the first sending, at the
   * request): {@code first-retry} after it, then intervals growing by {@code backoff-factor} up to
   * {@code max-retry-interval}. A fixed schedule from the request time, so that a label that was
   * stopped and woken again knows where in it it is.
   */
  public Duration sendingOffset(int n) {
    Duration offset = Duration.ZERO;
    double interval = firstRetry.toMillis();
    for (int i = 1; i <= n; i++) {
      offset = offset.plusMillis((long) Math.min(interval, maxRetryInterval.toMillis()));
      interval *= backoffFactor;
    }
    return offset;
  }

  private static boolean positive(Duration d) {
    return d != null && !d.isNegative() && !d.isZero();
  }

  private static void require(boolean ok, String message) {
    if (!ok) throw new IllegalArgumentException("atrium.shelf-label." + message);
  }
}
