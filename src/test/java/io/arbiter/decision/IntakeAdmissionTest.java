package io.arbiter.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IntakeAdmissionTest {

  @Test
  void upToTheSlots_whileTheProjectionKeepsUp_thenOneAtATime_whileItLags() {
    AtomicLong lag = new AtomicLong();
    IntakeAdmission gate = new IntakeAdmission(3, 1000, lag::get, Duration.ofMillis(50));
    List<IntakeAdmission.Slot> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(gate.enter().orElseThrow());
    }
    assertEquals(Optional.empty(), gate.enter(), "a fourth waits, then is refused");
    held.remove(0).close();
    held.add(gate.enter().orElseThrow());

    held.forEach(IntakeAdmission.Slot::close);
    held.clear();
    lag.set(5000);
    IntakeAdmission.Slot only = gate.enter().orElseThrow();
    assertTrue(gate.enter().isEmpty(), "while the graph lags, one at a time");
    only.close();
    only.close(); // twice releases once
    IntakeAdmission.Slot next = gate.enter().orElseThrow();
    assertTrue(gate.enter().isEmpty(), "the double close freed no second slot");
    next.close();
  }

  @Test
  void aWaitingSubmissionIsLetIn_whenASlotFrees() throws Exception {
    IntakeAdmission gate = new IntakeAdmission(1, 1000, () -> 0, Duration.ofSeconds(10));
    IntakeAdmission.Slot first = gate.enter().orElseThrow();
    long[] waited = new long[1];
    Thread second =
        new Thread(
            () -> {
              long t0 = System.nanoTime();
              gate.enter().orElseThrow().close();
              waited[0] = System.nanoTime() - t0;
            });
    second.start();
    Thread.sleep(100);
    first.close();
    second.join(5000);
    assertTrue(waited[0] >= Duration.ofMillis(90).toNanos(), "it waited for the slot");
  }
}
