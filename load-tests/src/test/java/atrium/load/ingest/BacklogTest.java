package atrium.load.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BacklogTest {
  static final long HOUR = 3_600_000;

  @Test
  void countsWhatIsSentAndNotYetReceivedFromTheReceiversCountAtTheStart() throws Exception {
    AtomicLong receiver = new AtomicLong(1_000);   // messages of an earlier phase
    try (Backlog b = new Backlog(receiver::get, 3, HOUR, HOUR)) {
      b.sent();
      b.sent();
      b.sent();
      assertEquals(3, b.outstanding());
      receiver.addAndGet(2);
      b.poll();
      assertEquals(1, b.outstanding());
      b.awaitRoom();   // 1 < 3: returns at once
      assertEquals(0, b.writtenOff());
    }
  }

  @Test
  void aReceiverWhoseCountStallsHasItsOutstandingMessagesWrittenOffInsteadOfHoldingThePublisherForEver() throws Exception {
    AtomicLong receiver = new AtomicLong();
    try (Backlog b = new Backlog(receiver::get, 2, HOUR, 0)) {
      b.sent();
      b.sent();
      b.awaitRoom();
      assertEquals(2, b.writtenOff());
      assertEquals(0, b.outstanding());
    }
  }

  @Test
  void aPublisherHeldAtTheCapGoesOnOnceTheReceiverCatchesUp() throws Exception {
    AtomicLong receiver = new AtomicLong();
    try (Backlog b = new Backlog(receiver::get, 1, 1, HOUR)) {
      b.sent();
      Thread catchUp = new Thread(() -> receiver.set(1));
      catchUp.start();
      b.awaitRoom();   // returns only once the poller has seen the receiver count the message
      catchUp.join();
      assertEquals(0, b.outstanding());
      assertEquals(0, b.writtenOff());
    }
  }
}
