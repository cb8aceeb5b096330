package atrium.api.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atrium.api.chaos.History.Outcome;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryTest {
  @Test
  void anAcknowledgedEventMissingFromTheReadBackIsLost() {
    History h = new History("t");
    h.complete(h.invoke("a", 1), Outcome.ACKNOWLEDGED);
    h.complete(h.invoke("a", 2), Outcome.ACKNOWLEDGED);
    h.complete(h.invoke("b", 1), Outcome.FAILED);
    History.Report r = h.checkSet(Map.of("a", List.of(1L)));
    assertEquals(1, r.lost());
    assertEquals(0, r.unexpected());
    assertEquals(List.of("a: 2 was acknowledged and is missing"), r.problems());
  }

  @Test
  void anEventReadBackThatWasNeverSentIsUnexpectedButAFailedOrUnknownOneThatLandedIsNot() {
    History h = new History("t");
    h.complete(h.invoke("a", 1), Outcome.UNKNOWN);
    h.complete(h.invoke("a", 2), Outcome.FAILED);
    History.Report r = h.checkSet(Map.of("a", List.of(1L, 2L, 3L), "z", List.of(1L)));
    assertEquals(0, r.lost());
    assertEquals(2, r.unexpected());
    assertEquals(2, r.sent());
    assertEquals(1, r.failed());
    assertEquals(1, r.unknown());
    assertEquals(0, r.acknowledged());
  }

  @Test
  void aRegisterShowingAnOlderValueThanAnAcknowledgedWriteHasLostIt() {
    History h = new History("t");
    h.complete(h.invoke("zone", 1), Outcome.ACKNOWLEDGED);
    h.complete(h.invoke("zone", 2), Outcome.ACKNOWLEDGED);
    h.complete(h.invoke("zone", 3), Outcome.UNKNOWN);
    assertEquals(1, h.checkRegister(Map.of("zone", 1L)).lost());
    History.Report later = h.checkRegister(Map.of("zone", 3L));
    assertEquals(0, later.lost(), "a later write that was sent but not acknowledged may supersede");
    assertEquals(0, later.unexpected());
    assertEquals(1, h.checkRegister(Map.of("zone", 7L)).unexpected());
    assertEquals(2, h.checkRegister(Map.of()).lost(), "a register never written lost both acknowledged writes");
  }

  @Test
  void anOperationStillPendingCountsAsUnknown() {
    History h = new History("t");
    h.invoke("a", 1);
    assertEquals(1, h.checkSet(Map.of()).unknown());
  }

  @Test
  void theReportIsWrittenAsJsonUnderTarget() throws Exception {
    History h = new History("history-test");
    h.complete(h.invoke("a", 1), Outcome.ACKNOWLEDGED);
    History.publish(h.checkSet(Map.of("a", List.of(1L))), Map.of("restarts", 1));
    JsonNode json = new ObjectMapper().readTree(Files.readString(Path.of("target", "chaos", "history-test.json")));
    assertEquals(1, json.path("sent").asInt());
    assertEquals(1, json.path("acknowledged").asInt());
    assertEquals(0, json.path("lost").asInt());
    assertEquals(0, json.path("unexpected").asInt());
    assertEquals(1, json.path("figures").path("restarts").asInt());
    assertTrue(json.has("failed") && json.has("unknown"));
  }
}
