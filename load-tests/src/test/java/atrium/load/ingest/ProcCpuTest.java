package atrium.load.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcCpuTest {
  @Test
  void addsUserAndSystemTicksAfterACommandNameWithSpacesAndParentheses() {
    String stat = "4242 (java (bench) x) S 1 4242 4242 0 -1 4194560 5000 0 0 0 1234 567 0 0 20 0 40 0 100 1000000 5000 18446744073709551615";
    assertEquals((1234 + 567) / 100.0, ProcCpu.parse(stat), 1e-9);
  }

  @Test
  void thisProcessHasUsedSomeCpu() {
    double s = ProcCpu.seconds(ProcessHandle.current().pid());
    assertTrue(s > 0, "this JVM has run code: " + s);
  }

  @Test
  void aProcessThatDoesNotExistReadsNaN() {
    assertTrue(Double.isNaN(ProcCpu.seconds(Long.MAX_VALUE)));
  }
}
