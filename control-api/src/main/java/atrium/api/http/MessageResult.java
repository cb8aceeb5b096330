package atrium.api.http;

import atrium.core.protocol.ProtocolException;
import atrium.devices.TwinException;
import atrium.devices.TwinGateway.Ingested;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * What became of one posted device message, as reported in {@code {"results":[...]}}.
 *
 * @param field for an {@code invalid} message, the JSON path of the offending field in the request body
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record MessageResult(String id, Outcome outcome, String detail, String field) {

  enum Outcome {
    APPLIED("applied"),
    DUPLICATE("duplicate"),
    INVALID("invalid"),
    UNKNOWN_ASSET("unknown-asset"),
    REJECTED("rejected"),
    UNAVAILABLE("unavailable"),
    ERROR("error");

    private final String wireName;

    Outcome(String wireName) {
      this.wireName = wireName;
    }

    @JsonValue
    String wireName() {
      return wireName;
    }
  }

  /** The body of a posted batch's response. */
  record Results(List<MessageResult> results) {}

  static MessageResult ingested(String id, Ingested ingested) {
    Outcome o = ingested == Ingested.DUPLICATE ? Outcome.DUPLICATE : Outcome.APPLIED;
    return new MessageResult(id, o, null, null);
  }

  /**
   * The result for a message the twin did not apply. {@code pathPrefix} replaces the leading
   * {@code $} of a protocol error's field, so it points into the batch ({@code $[3].data.occupied}).
   */
  static MessageResult failed(String id, Throwable failure, String pathPrefix) {
    Throwable t = Problem.unwrap(failure);
    if (t instanceof ProtocolException) {
      ProtocolException p = (ProtocolException) t;
      String field = p.field().startsWith("$") ? pathPrefix + p.field().substring(1) : p.field();
      return new MessageResult(id, Outcome.INVALID, p.reason(), field);
    }
    if (t instanceof TwinException.UnknownAsset) return new MessageResult(id, Outcome.UNKNOWN_ASSET, t.getMessage(), null);
    if (t instanceof TwinException.Rejected) return new MessageResult(id, Outcome.REJECTED, t.getMessage(), null);
    if (t instanceof TwinException.Unavailable) return new MessageResult(id, Outcome.UNAVAILABLE, t.getMessage(), null);
    if (t instanceof TimeoutException) {
      return new MessageResult(id, Outcome.UNAVAILABLE, "the twin did not answer in time; retry later", null);
    }
    return new MessageResult(id, Outcome.ERROR, Problem.internal().detail(), null);
  }

  static MessageResult timedOut(String id, String detail) {
    return new MessageResult(id, Outcome.UNAVAILABLE, detail, null);
  }

  boolean succeeded() {
    return outcome == Outcome.APPLIED || outcome == Outcome.DUPLICATE;
  }
}
