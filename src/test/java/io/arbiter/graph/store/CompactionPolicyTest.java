package io.arbiter.graph.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CompactionPolicyTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void looksEveryNTransactions_orAfterTheIntervalWhenFewLargeOnesCame() {
    CompactionPolicy policy = new CompactionPolicy(200, 0, 2);
    assertFalse(policy.lookNow(199, SECOND));
    assertTrue(policy.lookNow(200, SECOND));
    assertTrue(policy.lookNow(3, 10 * SECOND), "a lagging projector's few large transactions");
    assertFalse(policy.lookNow(0, 60 * SECOND), "nothing written: nothing grew");
  }

  @Test
  void aDueCompaction_mayWaitForAQuietMoment_untilTheStoreHasGrownTwiceAsFar() {
    CompactionPolicy policy = new CompactionPolicy(1, 100, 2);
    policy.opened(1000);
    assertTrue(policy.due(2001));
    assertTrue(policy.canWait(2001));
    assertTrue(policy.canWait(3999));
    assertFalse(policy.canWait(4000), "four times what the last compaction left: now");
    CompactionPolicy small = new CompactionPolicy(1, 1000, 2);
    small.opened(10);
    assertTrue(small.canWait(1500), "past the minimum, not yet twice it");
    assertFalse(small.canWait(2000));
  }

  @Test
  void neverLooks_whenCompactionIsOff() {
    assertFalse(CompactionPolicy.never().lookNow(1_000_000, 3600 * SECOND));
  }

  @Test
  void isDue_pastTheMinimumAndTheFactorOfWhatTheLastOneLeft() {
    CompactionPolicy policy = new CompactionPolicy(1, 100, 2);
    policy.opened(80);
    assertFalse(policy.due(100), "not past the minimum");
    assertFalse(policy.due(150), "not twice what it was opened at");
    assertTrue(policy.due(161));
    policy.compacted(90);
    assertFalse(policy.due(161));
  }
}
