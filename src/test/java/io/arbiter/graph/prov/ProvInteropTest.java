package io.arbiter.graph.prov;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.rdf.model.Property;
import org.apache.jena.rdf.model.RDFNode;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.rdf.model.Statement;
import org.apache.jena.vocabulary.RDF;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What PROV toolkits need of our RDF ({@link ProvInterop}), checked on {@link
 * ShaclConformanceTest}'s history: every event type, recorded through the real write path.
 */
class ProvInteropTest {

  private static final String PROV = "http://www.w3.org/ns/prov#";

  @TempDir Path dir;
  private ShaclConformanceTest history;

  @BeforeEach
  void record() throws Exception {
    history = new ShaclConformanceTest();
    history.dir = dir.resolve("history");
    Files.createDirectories(history.dir);
    history.record();
  }

  @AfterEach
  void close() {
    history.close();
  }

  /**
   * Python {@code prov} reads a named graph as a bundle of its own and does not reason: whatever a
   * PROV relation names must be typed Entity, Activity or Agent in that same graph.
   */
  @Test
  void everyBundleTypesWhatItsProvRelationsName_inItsOwnGraph() {
    List<String> untyped =
        rows(
            """
            PREFIX prov: <http://www.w3.org/ns/prov#>
            SELECT DISTINCT ?g ?node ?class WHERE {
              GRAPH ?g {
                {
                  VALUES (?p ?class) {
                    (prov:wasGeneratedBy prov:Entity) (prov:used prov:Activity)
                    (prov:wasAssociatedWith prov:Activity) (prov:wasAttributedTo prov:Entity)
                    (prov:wasDerivedFrom prov:Entity) (prov:wasRevisionOf prov:Entity)
                    (prov:specializationOf prov:Entity) (prov:wasInformedBy prov:Activity)
                  }
                  ?node ?p ?o
                } UNION {
                  VALUES (?p ?class) {
                    (prov:wasGeneratedBy prov:Activity) (prov:used prov:Entity)
                    (prov:wasAssociatedWith prov:Agent) (prov:wasAttributedTo prov:Agent)
                    (prov:wasDerivedFrom prov:Entity) (prov:wasRevisionOf prov:Entity)
                    (prov:specializationOf prov:Entity) (prov:wasInformedBy prov:Activity)
                  }
                  ?s ?p ?node
                }
                FILTER isIRI(?node)
                FILTER NOT EXISTS { ?node a ?class }
              }
            }""");
    assertEquals(List.of(), untyped);
    List<String> subclassOnly =
        rows(
            """
            PREFIX prov: <http://www.w3.org/ns/prov#>
            SELECT DISTINCT ?g ?node WHERE {
              GRAPH ?g {
                { ?node a prov:SoftwareAgent FILTER NOT EXISTS { ?node a prov:Agent } }
                UNION
                { ?node a prov:Bundle FILTER NOT EXISTS { ?node a prov:Entity } }
              }
            }""");
    assertEquals(List.of(), subclassOnly);
    // PROV-DM allows no role on an attribution; ProvToolbox refuses a document with one.
    assertEquals(
        List.of(),
        rows(
            """
            PREFIX prov: <http://www.w3.org/ns/prov#>
            SELECT ?attribution WHERE { ?attribution a prov:Attribution ; prov:hadRole ?role }"""));
    assertFalse(
        rows("""
                PREFIX prov: <http://www.w3.org/ns/prov#>
                PREFIX arb: <https://w3id.org/arbiter#>
                SELECT ?a WHERE { ?a a prov:Attribution ; arb:attributionRole ?role }""")
            .isEmpty(),
        "the history has policy versions with their authors' attributions");
    assertFalse(
        rows("SELECT ?g WHERE { GRAPH ?g { ?x <" + PROV + "wasAttributedTo> ?a } } LIMIT 1")
            .isEmpty(),
        "the history has PROV relations to check");
  }

  /**
   * ProvToolbox and Python {@code prov} drop {@code prov:generatedAtTime} and read {@code
   * prov:wasRevisionOf} poorly; the merged view adds the qualified forms they read, and remains a
   * valid PROV record.
   */
  @Test
  void theMergedViewQualifiesGenerationsAndRevisions_andStillMeetsTheConstraints() {
    Model stored = union();
    Model view = ProvInterop.forToolkits(ModelFactory.createDefaultModel().add(stored));

    Property generatedAtTime = view.createProperty(PROV, "generatedAtTime");
    Property qualifiedGeneration = view.createProperty(PROV, "qualifiedGeneration");
    Property atTime = view.createProperty(PROV, "atTime");
    Property activity = view.createProperty(PROV, "activity");
    Property wasGeneratedBy = view.createProperty(PROV, "wasGeneratedBy");
    Resource generationClass = view.createResource(PROV + "Generation");
    List<Statement> times = view.listStatements(null, generatedAtTime, (RDFNode) null).toList();
    assertTrue(times.size() > 10, "generation times to qualify: " + times.size());
    for (Statement time : times) {
      Resource generation = time.getSubject().getPropertyResourceValue(qualifiedGeneration);
      assertEquals(time.getSubject().getURI() + "#generation", generation.getURI());
      assertTrue(view.contains(generation, RDF.type, generationClass));
      assertEquals(time.getObject(), generation.getProperty(atTime).getObject());
      List<RDFNode> activities =
          view.listObjectsOfProperty(time.getSubject(), wasGeneratedBy).toList();
      if (activities.size() == 1) {
        assertEquals(activities.get(0), generation.getPropertyResourceValue(activity));
      }
    }

    Property wasRevisionOf = view.createProperty(PROV, "wasRevisionOf");
    Property qualifiedRevision = view.createProperty(PROV, "qualifiedRevision");
    Property entity = view.createProperty(PROV, "entity");
    List<Statement> revisions = view.listStatements(null, wasRevisionOf, (RDFNode) null).toList();
    assertFalse(revisions.isEmpty(), "the history revises decisions (the reviewed outcome)");
    for (Statement revision : revisions) {
      assertTrue(
          view
              .listObjectsOfProperty(revision.getSubject(), qualifiedRevision)
              .mapWith(RDFNode::asResource)
              .toList()
              .stream()
              .anyMatch(q -> view.contains(q, entity, revision.getObject())),
          "qualified: " + revision);
    }

    assertTrue(view.containsAll(stored), "the view only adds");
    assertEquals(Map.of(), ProvConstraintsTest.violations(view));
  }

  private Model union() {
    return history
        .store()
        .store
        .query(
            QueryFactory.create("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"),
            Duration.ofMinutes(1),
            QueryExecution::execConstruct);
  }

  private List<String> rows(String select) {
    return history
        .store()
        .store
        .query(
            QueryFactory.create(select),
            Duration.ofMinutes(1),
            execution -> {
              List<String> rows = new ArrayList<>();
              execution.execSelect().forEachRemaining(row -> rows.add(row.toString()));
              return rows;
            });
  }
}
