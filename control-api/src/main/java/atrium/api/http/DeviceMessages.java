package atrium.api.http;

import atrium.api.security.Access;
import atrium.api.security.Principal;
import atrium.core.protocol.DeviceProtocol;
import atrium.core.protocol.Envelope;
import atrium.devices.TwinGateway;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/devices/messages}: the HTTP device door, for devices that cannot speak MQTT.
 * One envelope or a batch; each takes an in-flight permit; a device may speak only for the assets
 * its credentials cover, and a batch with one message outside them is refused whole.
 */
public final class DeviceMessages {
  private static final Logger log = LoggerFactory.getLogger(DeviceMessages.class);
  public static final String PATH = "/api/v1/devices/messages";

  private final TwinGateway gateway;
  private final InFlightLimit inFlight;
  private final Duration requestTimeout;

  public DeviceMessages(TwinGateway gateway, InFlightLimit inFlight, Duration requestTimeout) {
    this.gateway = gateway;
    this.inFlight = inFlight;
    this.requestTimeout = requestTimeout;
  }

  public Endpoint endpoint() {
    return new Endpoint("postDeviceMessages", HttpMethod.POST, PATH, Access.DEVICE,
        "Device telemetry, events and acks: one envelope or a batch", true, this::post);
  }

  private CompletionStage<Reply> post(Call call) {
    String mime = call.header("Content-Type").map(t -> t.split(";", 2)[0].trim().toLowerCase(Locale.ROOT)).orElse(null);
    if (mime == null || !HttpHeaderValues.APPLICATION_JSON.contentEqualsIgnoreCase(mime)) {
      throw new ApiException(Problem.of(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
          "Unsupported media type", "device messages must be sent as Content-Type: application/json"
              + (mime == null ? "; the request has no Content-Type" : ", not " + mime)));
    }
    byte[] body = call.body();
    if (body.length > DeviceProtocol.MAX_MESSAGE_BYTES) throw new ApiException(Problem.tooLarge(DeviceProtocol.MAX_MESSAGE_BYTES));
    List<Envelope> envelopes = DeviceProtocol.parseBatch(body);
    Principal device = call.principal();
    for (int i = 0; i < envelopes.size(); i++) {
      Envelope e = envelopes.get(i);
      if (!device.mayActFor(e.asset())) {
        String where = isArray(body) ? "message $[" + i + "]" : "the message";
        throw new ApiException(Problem.forbidden("device credentials '" + device.subject() + "' may not send messages for "
            + e.asset() + " (" + where + "); nothing was applied"));
      }
    }
    if (envelopes.size() > inFlight.max()) {
      throw new ApiException(Problem.of(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "batch-too-large", "Batch too large",
          "a batch of " + envelopes.size() + " messages exceeds this server's in-flight limit of " + inFlight.max()
              + "; send smaller batches"));
    }
    if (!inFlight.tryAcquire(envelopes.size())) throw new ApiException(Problem.overloaded(inFlight.max()));
    return isArray(body) ? batch(call, envelopes) : one(envelopes.get(0));
  }

  private CompletionStage<Reply> one(Envelope envelope) {
    return call(() -> gateway.ingest(envelope)).handle((ingested, failure) -> {
      inFlight.release(1);
      if (failure != null) throw new java.util.concurrent.CompletionException(failure);
      return results(List.of(MessageResult.ingested(envelope.id(), ingested)));
    });
  }

  /** Every envelope goes to the twin at once; the answer waits for all, or for the timeout. */
  private CompletionStage<Reply> batch(Call call, List<Envelope> envelopes) {
    MessageResult[] results = new MessageResult[envelopes.size()];
    int[] pending = {envelopes.size()};
    CompletableFuture<Reply> all = new CompletableFuture<>();
    call.onTimeout(() -> {
      String detail = "no answer from the twin within " + Problem.describe(requestTimeout)
          + "; the message may still be applied: send it again with the same id";
      synchronized (results) {
        MessageResult[] copy = results.clone();
        for (int i = 0; i < copy.length; i++) {
          if (copy[i] == null) copy[i] = MessageResult.timedOut(envelopes.get(i).id(), detail);
        }
        return results(Arrays.asList(copy));
      }
    });
    for (int i = 0; i < envelopes.size(); i++) {
      int index = i;
      Envelope envelope = envelopes.get(i);
      call(() -> gateway.ingest(envelope)).whenComplete((ingested, failure) -> {
        inFlight.release(1);
        synchronized (results) {
          results[index] = failure == null
              ? MessageResult.ingested(envelope.id(), ingested)
              : MessageResult.failed(envelope.id(), logIfUnexpected(failure), "$[" + index + "]");
          if (--pending[0] == 0) all.complete(results(Arrays.asList(results.clone())));
        }
      });
    }
    return all;
  }

  /** 200 when every message succeeded; 503 (retry) if any was unavailable; else 500 or 422. */
  private static Reply results(List<MessageResult> results) {
    HttpResponseStatus status = HttpResponseStatus.OK;
    if (results.stream().anyMatch(r -> r.outcome() == MessageResult.Outcome.UNAVAILABLE)) {
      status = HttpResponseStatus.SERVICE_UNAVAILABLE;
    } else if (results.stream().anyMatch(r -> r.outcome() == MessageResult.Outcome.ERROR)) {
      status = HttpResponseStatus.INTERNAL_SERVER_ERROR;
    } else if (!results.stream().allMatch(MessageResult::succeeded)) {
      status = HttpResponseStatus.UNPROCESSABLE_ENTITY;
    }
    Reply r = Reply.json(status, new MessageResult.Results(new ArrayList<>(results)));
    if (status == HttpResponseStatus.SERVICE_UNAVAILABLE) r = r.withHeader("Retry-After", Integer.toString(Problem.RETRY_AFTER_SECONDS));
    return r;
  }

  private static Throwable logIfUnexpected(Throwable failure) {
    if (Problem.of(failure).isInternal()) log.error("unexpected failure of the twin ingesting a device message", Problem.unwrap(failure));
    return failure;
  }

  /** A gateway call that throws instead of failing its stage fails the stage all the same. */
  static <T> CompletionStage<T> call(Supplier<CompletionStage<T>> call) {
    try {
      CompletionStage<T> stage = call.get();
      return stage != null ? stage : CompletableFuture.failedFuture(new NullPointerException("the gateway returned no stage"));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static boolean isArray(byte[] json) {
    for (byte b : json) {
      if (b == '[') return true;
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n' && b != (byte) 0xEF && b != (byte) 0xBB && b != (byte) 0xBF) return false;
    }
    return false;
  }
}
