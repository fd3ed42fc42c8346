package io.arbiter.slo;

import java.util.Map;

/** What the graph already holds about objectives, read at start-up. */
public interface SloRecords {

  /** The id of the breach that began and has not ended, per objective id. */
  Map<String, String> openBreaches();
}
