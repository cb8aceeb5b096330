package atrium.sim.scenario;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.io.IOException;
import java.time.LocalTime;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local time of day in a daily profile, written {@code "HH:mm"} or {@code "HH:mm:ss"}, from
 * {@code "00:00"} to {@code "24:00"} (the end of the day, which {@link LocalTime} cannot hold).
 */
@JsonDeserialize(using = ClockTime.Reader.class)
public record ClockTime(int secondOfDay) implements Comparable<ClockTime> {
  public static final int DAY = 86_400;
  public static final ClockTime MIDNIGHT = new ClockTime(0);
  public static final ClockTime END_OF_DAY = new ClockTime(DAY);
  static final String FORM = "a time of day like \"09:30\" (00:00 to 24:00)";
  private static final Pattern TEXT = Pattern.compile("(\\d{2}):(\\d{2})(?::(\\d{2}))?");

  public static ClockTime of(int hour, int minute) {
    return new ClockTime(hour * 3600 + minute * 60);
  }

  public static ClockTime parse(String text) {
    return tryParse(text).orElseThrow(() -> new IllegalArgumentException("not " + FORM + ": " + text));
  }

  static Optional<ClockTime> tryParse(String text) {
    Matcher m = TEXT.matcher(text);
    if (!m.matches()) return Optional.empty();
    int h = Integer.parseInt(m.group(1)), min = Integer.parseInt(m.group(2));
    int s = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
    if (min > 59 || s > 59) return Optional.empty();
    int total = h * 3600 + min * 60 + s;
    return total > DAY ? Optional.empty() : Optional.of(new ClockTime(total));
  }

  /** {@code 00:00} to {@code 23:59:59}; {@code 24:00} is the next day's midnight. */
  public LocalTime toLocalTime() {
    return LocalTime.ofSecondOfDay(secondOfDay % DAY);
  }

  public boolean isEndOfDay() {
    return secondOfDay == DAY;
  }

  @JsonValue
  @Override
  public String toString() {
    int h = secondOfDay / 3600, m = secondOfDay / 60 % 60, s = secondOfDay % 60;
    return s == 0 ? String.format(Locale.ROOT, "%02d:%02d", h, m) : String.format(Locale.ROOT, "%02d:%02d:%02d", h, m, s);
  }

  @Override
  public int compareTo(ClockTime o) {
    return Integer.compare(secondOfDay, o.secondOfDay);
  }

  static final class Reader extends JsonDeserializer<ClockTime> {
    @Override
    public ClockTime deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        throw JsonMappingException.from(p, "expected " + FORM + ", found " + ScenarioJson.describe(p));
      }
      String text = p.getText();
      return tryParse(text).orElseThrow(() -> JsonMappingException.from(p, "expected " + FORM + ", found \"" + text + "\""));
    }
  }
}
