package atrium.sim.scenario;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A moment as written in a scenario, in one of three forms: an instant with its offset
 * ({@code "2026-12-24T06:05:00Z"}, {@code "2026-12-24T14:05+08:00"}); a local date-time in the site's
 * time zone ({@code "2026-12-24T14:05"}); or, for events only, a time of day ({@code "14:05"}), which
 * means the first such time at or after the scenario's start.
 */
@JsonDeserialize(using = TimePoint.Reader.class)
public record TimePoint(String text) {
  static final String FORM =
      "a time like \"14:05\", a local date-time like \"2026-12-24T14:05\" or an instant like \"2026-12-24T06:05:00Z\"";

  public TimePoint {
    if (text == null || !(clock(text).isPresent() || local(text).isPresent() || offset(text).isPresent())) {
      throw new IllegalArgumentException("not " + FORM + ": " + text);
    }
  }

  public static TimePoint of(String text) {
    return new TimePoint(text);
  }

  /** A bare time of day, resolved against the scenario's start. */
  public boolean isTimeOfDay() {
    return clock(text).isPresent();
  }

  /**
   * The instant this names: in {@code zone} for the local forms; a time of day is the first one at or
   * after {@code after}.
   */
  public Instant resolve(ZoneId zone, Instant after) {
    Optional<OffsetDateTime> o = offset(text);
    if (o.isPresent()) return o.get().toInstant();
    Optional<LocalDateTime> l = local(text);
    if (l.isPresent()) return ZonedDateTime.of(l.get(), zone).toInstant();
    ClockTime c = clock(text).orElseThrow();
    ZonedDateTime base = after.atZone(zone);
    ZonedDateTime at = base.toLocalDate().atStartOfDay(zone).plusSeconds(c.secondOfDay());
    if (at.toInstant().isBefore(after)) at = base.toLocalDate().plusDays(1).atStartOfDay(zone).plusSeconds(c.secondOfDay());
    return at.toInstant();
  }

  @JsonValue
  @Override
  public String toString() {
    return text;
  }

  private static Optional<ClockTime> clock(String text) {
    return ClockTime.tryParse(text).filter(c -> !c.isEndOfDay());
  }

  private static Optional<LocalDateTime> local(String text) {
    try {
      return Optional.of(LocalDateTime.parse(text));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<OffsetDateTime> offset(String text) {
    try {
      return Optional.of(OffsetDateTime.parse(text));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  static final class Reader extends JsonDeserializer<TimePoint> {
    @Override
    public TimePoint deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        throw JsonMappingException.from(p, "expected " + FORM + ", found " + ScenarioJson.describe(p));
      }
      try {
        return new TimePoint(p.getText());
      } catch (IllegalArgumentException e) {
        throw JsonMappingException.from(p, "expected " + FORM + ", found \"" + p.getText() + "\"");
      }
    }
  }
}
