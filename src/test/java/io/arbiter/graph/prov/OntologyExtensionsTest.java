package io.arbiter.graph.prov;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.audit.AuditQueryLibrary;
import io.arbiter.config.OntologyExtensionFiles;
import io.arbiter.config.SeedFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading governance teams' ontology extensions: the worked example, and files that stop start-up.
 */
class OntologyExtensionsTest {

  static final Path EXAMPLE = Path.of("docs/examples/ontology-extensions");
  static final String EUAI = "https://example.org/ns/euai#";

  @TempDir Path dir;

  @Test
  void load_workedExample_declaresItsPropertiesPrefixesAndShapes() {
    OntologyExtensions loaded =
        OntologyExtensions.load(OntologyExtensionFiles.read(EXAMPLE).turtle());

    assertEquals(1, loaded.files().size());
    var riskClass = loaded.properties().get(EUAI + "riskClass");
    assertTrue(riskClass.iriValued(), "an owl:ObjectProperty takes IRIs");
    var point = loaded.properties().get(EUAI + "annexIIIPoint");
    assertEquals(Optional.of("http://www.w3.org/2001/XMLSchema#string"), point.datatype());
    assertEquals(2, loaded.properties().size());
    assertEquals(EUAI, loaded.prefixes().get("euai"));
    assertEquals("euai:riskClass", loaded.shortForm(EUAI + "riskClass"));
    assertEquals(Optional.of(EUAI + "HighRisk"), loaded.expand("euai:HighRisk"));
    assertTrue(loaded.shapes().isPresent());
  }

  @Test
  void read_folder_takesTurtleAndQueriesInNameOrder_andIgnoresOtherFiles() throws Exception {
    Files.writeString(dir.resolve("b.ttl"), "");
    Files.writeString(dir.resolve("a.ttl"), "");
    Files.writeString(dir.resolve("q.rq"), "");
    Files.writeString(dir.resolve("README.md"), "# notes");

    OntologyExtensionFiles files = OntologyExtensionFiles.read(dir);

    assertEquals(
        List.of("a.ttl", "b.ttl"),
        files.turtle().stream().map(f -> Path.of(f.name()).getFileName().toString()).toList());
    assertEquals(1, files.queries().size());
  }

  @Test
  void read_missingFolder_stopsStartUp() {
    var e =
        assertThrows(
            IllegalStateException.class, () -> OntologyExtensionFiles.read(dir.resolve("none")));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void load_badTurtle_namesFileLineAndColumn() {
    String text =
        """
        PREFIX ex: <https://example.org/ns#>
        ex:a a ex:B .
        ex:c ex:d ex:e ex:f .
        """;

    var e =
        assertThrows(
            IllegalStateException.class,
            () -> OntologyExtensions.load(List.of(new SeedFile("/x/broken.ttl", text))));

    assertTrue(e.getMessage().contains("/x/broken.ttl, line 3, column"), e.getMessage());
    assertTrue(e.getMessage().contains("not valid Turtle"), e.getMessage());
  }

  @Test
  void load_undeclaredPrefix_namesFileAndLine() {
    var e =
        assertThrows(
            IllegalStateException.class,
            () -> OntologyExtensions.load(List.of(new SeedFile("p.ttl", "\n\nex:a a ex:B .\n"))));

    assertTrue(e.getMessage().startsWith("ontology extension p.ttl, line 3"), e.getMessage());
  }

  @Test
  void load_badShape_namesFile() {
    String text =
        """
        PREFIX sh: <http://www.w3.org/ns/shacl#>
        PREFIX ex: <https://example.org/ns#>
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
          sh:property [ sh:path ex:p ; sh:minCount "one" ] .
        """;

    var e =
        assertThrows(
            IllegalStateException.class,
            () -> OntologyExtensions.load(List.of(new SeedFile("shapes.ttl", text))));

    assertTrue(
        e.getMessage().startsWith("ontology extension shapes.ttl: invalid SHACL"), e.getMessage());
  }

  @Test
  void load_propertyInArbitersNamespace_isRefused() {
    String text =
        """
        PREFIX arb: <https://w3id.org/arbiter#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        arb:riskClass a rdf:Property .
        """;

    var e =
        assertThrows(
            IllegalStateException.class,
            () -> OntologyExtensions.load(List.of(new SeedFile("mine.ttl", text))));

    assertTrue(e.getMessage().contains("mine.ttl"), e.getMessage());
    assertTrue(e.getMessage().contains("your own namespace"), e.getMessage());
  }

  @Test
  void load_samePrefixForTwoNamespaces_isRefused() {
    var e =
        assertThrows(
            IllegalStateException.class,
            () ->
                OntologyExtensions.load(
                    List.of(
                        new SeedFile("a.ttl", "PREFIX ex: <https://a.example/#>\n"),
                        new SeedFile("b.ttl", "PREFIX ex: <https://b.example/#>\n"))));

    assertTrue(e.getMessage().contains("b.ttl"), e.getMessage());
    assertTrue(e.getMessage().contains("a.ttl"), e.getMessage());
  }

  @Test
  void library_withWorkedExampleQuery_listsItAfterTheBundledOnes() {
    var library = AuditQueryLibrary.bundled().with(OntologyExtensionFiles.read(EXAMPLE).queries());

    var last = library.all().get(library.all().size() - 1);
    assertEquals("decisions-by-risk-class", last.name());
    assertEquals("riskClass", last.parameters().get(0).name());
    library.all().forEach(OntologyWiring::requireValidSparql);
  }

  @Test
  void library_extensionQueryWithBrokenHeader_namesTheFile() {
    var e =
        assertThrows(
            IllegalStateException.class,
            () ->
                AuditQueryLibrary.bundled()
                    .with(List.of(new SeedFile("/ext/mine.rq", "# Name: other\nSELECT * {}"))));

    assertTrue(e.getMessage().contains("/ext/mine.rq"), e.getMessage());
  }

  @Test
  void library_extensionQueryTakingABundledName_isRefused() {
    String text = "# Name:     who-decided\n# Question: again?\nSELECT * {}\n";

    var e =
        assertThrows(
            IllegalStateException.class,
            () ->
                AuditQueryLibrary.bundled()
                    .with(List.of(new SeedFile("/ext/who-decided.rq", text))));

    assertTrue(e.getMessage().contains("another audit query is named who-decided"), e.getMessage());
  }

  @Test
  void requireValidSparql_badQuery_namesQueryAndLine() {
    String text = "# Name:     broken\n# Question: what?\nSELECT ?x WHERE {\n  ?x ?y\n}\n";
    var query =
        AuditQueryLibrary.bundled().with(List.of(new SeedFile("broken.rq", text))).find("broken");

    var e =
        assertThrows(
            IllegalStateException.class, () -> OntologyWiring.requireValidSparql(query.get()));

    assertTrue(
        e.getMessage().startsWith("audit query broken: not valid SPARQL at line 4"),
        e.getMessage());
  }
}
