package atrium.sim.scenario;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** docs/scenarios.md names every field, event type and result series the loader accepts. */
class ScenarioDocsTest {
  @Test
  void theFormatPageNamesEveryFieldEventTypeAndSeries() throws IOException {
    String docs = Files.readString(ScenarioLoaderTest.scenariosFolder().resolveSibling("docs/scenarios.md"));
    Set<String> names = new TreeSet<>();
    fields(Scenario.class, names, new ArrayList<>());
    for (JsonSubTypes.Type t : ScenarioEvent.class.getAnnotation(JsonSubTypes.class).value()) {
      names.add(t.name());
      fields(t.value(), names, new ArrayList<>());
    }
    for (Scenario.Series s : Scenario.Series.values()) names.add(s.toString());
    List<String> missing = names.stream().filter(n -> !docs.contains("`" + n + "`") && !docs.contains("." + n + "`")).toList();
    assertTrue(missing.isEmpty(), () -> "not in docs/scenarios.md: " + missing);
  }

  private static void fields(Class<?> type, Set<String> names, List<Class<?>> seen) {
    if (!type.isRecord() || seen.contains(type)) return;
    seen.add(type);
    for (RecordComponent c : type.getRecordComponents()) {
      if (type == ClockTime.class || type == TimePoint.class) return;
      names.add(c.getName());
      fields(c.getType(), names, seen);
      Type g = c.getGenericType();
      if (g instanceof ParameterizedType p) {
        for (Type arg : p.getActualTypeArguments()) if (arg instanceof Class<?> k) fields(k, names, seen);
      }
    }
  }
}
