package io.arbiter.graph.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What the public health endpoints may say of a failure. */
class GraphHealthTest {

  @Test
  void failuresLoseTheDirectoriesOfTheFilesTheyName() {
    assertEquals(
        "java.nio.file.AccessDeniedException: …/00000000000000002751.journal",
        GraphHealth.withoutPaths(
            "java.nio.file.AccessDeniedException: /srv/arbiter/data/journal/00000000000000002751.journal"));
    assertEquals(
        "cannot write …/tdb.cfg: No space left on device; then …/Data-0003",
        GraphHealth.withoutPaths(
            "cannot write /var/lib/arbiter/tdb2/tdb.cfg: No space left on device; then /var/lib/arbiter/tdb2/Data-0003"));
    assertEquals(
        "the projection is 12 events behind (timeout after 5 s)",
        GraphHealth.withoutPaths("the projection is 12 events behind (timeout after 5 s)"),
        "nothing else changes");
    assertEquals("ratio 3/4 of 1.5/2", GraphHealth.withoutPaths("ratio 3/4 of 1.5/2"));
  }
}
