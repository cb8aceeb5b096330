package atrium.load.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import atrium.core.runtime.AtriumRuntime;
import atrium.core.runtime.EmbeddedDatabase;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The raw insert writes every row, in the batches asked for, into the product's journal table. */
@ExtendWith(LogCapturingExtension.class)
class RawInsertTest {
  @Test
  void everyRowLandsInTheJournalInWholeBatchesAndALastPartOne(@TempDir Path dir) throws Exception {
    Map<String, Object> m = Map.of("atrium.data-dir", dir.resolve("data").toString(), "atrium.site-files",
        List.of(atrium.core.testkit.TestTwins.demoMallFile().toString()), "atrium.clock.mode", "manual", "pekko.remote.artery.canonical.port", 0);
    try (AtriumRuntime runtime = AtriumRuntime.start(ConfigFactory.parseMap(m))) {
      String url = EmbeddedDatabase.journalUrl(runtime.settings().dataDir());
      RawInsert.Result r = RawInsert.run(url, 1_001, 100, CommandBenchmark.payload(runtime.system()), 0);
      assertEquals(1_001, r.rows());
      assertEquals(11, r.batches());
      assertEquals(1_001, RawInsert.count(url));
      assertThrows(IllegalArgumentException.class, () -> RawInsert.run(url, 0, 100, CommandBenchmark.payload(runtime.system()), 0));
    }
  }
}
