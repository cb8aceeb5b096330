package atrium.api.http;

import atrium.core.asset.AssetId;
import atrium.core.protocol.Envelope;
import atrium.devices.TwinGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * A scripted twin for the HTTP door's tests: by default it applies every message at once. Failures
 * are scripted per message id or per asset; {@link #hold()} keeps answers back until the test
 * completes them.
 */
final class FakeGateway implements TwinGateway {
  final List<Envelope> ingested = Collections.synchronizedList(new ArrayList<>());
  final List<CompletableFuture<Ingested>> heldIngests = Collections.synchronizedList(new ArrayList<>());
  final List<CompletableFuture<Optional<JsonNode>>> heldStates = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, RuntimeException> failures = new ConcurrentHashMap<>();
  private final Map<String, Boolean> duplicates = new ConcurrentHashMap<>();
  private final Map<AssetId, JsonNode> states = new ConcurrentHashMap<>();
  private volatile List<String> sites = List.of("demo-mall");
  private volatile boolean hold;
  private volatile Executor executor;
  private volatile RuntimeException thrown;

  /** The message with this id fails with {@code failure}. */
  FakeGateway failing(String messageId, RuntimeException failure) {
    failures.put(messageId, failure);
    return this;
  }

  FakeGateway duplicate(String messageId) {
    duplicates.put(messageId, true);
    return this;
  }

  FakeGateway withState(AssetId asset, JsonNode state) {
    states.put(asset, state);
    return this;
  }

  FakeGateway withSites(String... ids) {
    sites = List.of(ids);
    return this;
  }

  /** Every call throws {@code failure} instead of returning a stage, as a buggy gateway might. */
  FakeGateway throwing(RuntimeException failure) {
    thrown = failure;
    return this;
  }

  /** Answers are kept back in {@link #heldIngests} and {@link #heldStates}. */
  FakeGateway hold() {
    hold = true;
    return this;
  }

  /** Answers are completed on {@code executor}, as an actor system would, not on the caller's thread. */
  FakeGateway answeringOn(Executor executor) {
    this.executor = executor;
    return this;
  }

  @Override
  public CompletionStage<Ingested> ingest(Envelope envelope) {
    if (thrown != null) throw thrown;
    ingested.add(envelope);
    if (hold) {
      CompletableFuture<Ingested> f = new CompletableFuture<>();
      heldIngests.add(f);
      return f;
    }
    RuntimeException failure = failures.get(envelope.id());
    Ingested outcome = duplicates.containsKey(envelope.id()) ? Ingested.DUPLICATE : Ingested.APPLIED;
    return answer(() -> {
      if (failure != null) throw failure;
      return outcome;
    });
  }

  @Override
  public CompletionStage<Optional<JsonNode>> state(AssetId asset) {
    if (hold) {
      CompletableFuture<Optional<JsonNode>> f = new CompletableFuture<>();
      heldStates.add(f);
      return f;
    }
    RuntimeException failure = failures.get(asset.localId());
    return answer(() -> {
      if (failure != null) throw failure;
      return Optional.ofNullable(states.get(asset));
    });
  }

  @Override
  public List<String> sites() {
    return sites;
  }

  @Override
  public CompletionStage<Optional<atrium.devices.site.SiteRollup.SiteAlarms>> alarms(String site) {
    return answer(() -> sites.contains(site)
        ? Optional.of(new atrium.devices.site.SiteRollup.SiteAlarms(site, true, List.of()))
        : Optional.empty());
  }

  @Override
  public CompletionStage<Optional<JsonNode>> site(String site) {
    return answer(() -> sites.contains(site)
        ? Optional.of(atrium.core.protocol.DeviceProtocol.mapper().createObjectNode().put("id", site))
        : Optional.empty());
  }

  private <T> CompletionStage<T> answer(java.util.function.Supplier<T> value) {
    Executor e = executor;
    if (e != null) return CompletableFuture.supplyAsync(value, e);
    try {
      return CompletableFuture.completedFuture(value.get());
    } catch (RuntimeException failure) {
      return CompletableFuture.failedFuture(failure);
    }
  }
}
