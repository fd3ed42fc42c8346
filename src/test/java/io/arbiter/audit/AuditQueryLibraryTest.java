package io.arbiter.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class AuditQueryLibraryTest {

  @Test
  void everyQueryFileIsListed_andEveryHeaderReads() throws Exception {
    Set<String> files;
    try (Stream<Path> listing = Files.list(Path.of("ontology/queries"))) {
      files =
          listing
              .map(p -> p.getFileName().toString())
              .filter(name -> name.endsWith(".rq"))
              .map(name -> name.substring(0, name.length() - 3))
              .collect(Collectors.toSet());
    }
    AuditQueryLibrary library = AuditQueryLibrary.bundled();
    assertEquals(files, library.all().stream().map(AuditQuery::name).collect(Collectors.toSet()));
    for (AuditQuery query : library.all()) {
      assertTrue(!query.question().isBlank(), query.name());
      assertTrue(!query.columns().isEmpty(), query.name());
    }
    AuditQuery byRule = library.find("decisions-by-rule").orElseThrow();
    assertEquals(
        List.of(
            new AuditQuery.Parameter(
                "policyVersion", AuditQuery.Type.IRI, false, "an arb:PolicyVersion"),
            new AuditQuery.Parameter(
                "ruleId",
                AuditQuery.Type.STRING,
                false,
                "the rule's id in the policy document, such as \"large-amount\" or \"default\"")),
        byRule.parameters().subList(0, 2));
    assertEquals(
        AuditQuery.Type.DATE_TIME,
        library.find("policy-version-active-at").orElseThrow().parameters().get(1).type());
    assertEquals(
        List.of(
            new AuditQuery.Parameter(
                "from", AuditQuery.Type.DATE_TIME, true, "only decisions submitted at or after it"),
            new AuditQuery.Parameter(
                "to", AuditQuery.Type.DATE_TIME, true, "only decisions submitted before it")),
        library.find("decisions-by-model-version").orElseThrow().parameters().subList(1, 3));
    assertEquals(
        new AuditQuery.Parameter("at", AuditQuery.Type.DATE_TIME, true, "when"),
        AuditQueryParser.parse(
                "x.rq", "# Name: x\n# Question: q\n# Parameters: ?at (dateTime ,  optional) when\n")
            .parameters()
            .get(0));
  }

  @Test
  void aBrokenHeaderIsRefusedNamingTheFile() {
    String body = "SELECT * WHERE { ?s ?p ?o }";
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> AuditQueryParser.parse("x.rq", "# Name: y\n# Question: q\n" + body))
            .getMessage()
            .startsWith("x.rq: its Name must be its file name"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    AuditQueryParser.parse(
                        "x.rq", "# Name: x\n# Question: q\n# Parameters: ?a (date) when\n" + body))
            .getMessage()
            .contains("type iri, string, dateTime"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> AuditQueryParser.parse("x.rq", "# Name: x\n" + body))
            .getMessage()
            .contains("no Question"));
  }
}
