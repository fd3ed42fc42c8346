package io.arbiter.graph.prov;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.Property;
import org.apache.jena.rdf.model.RDFNode;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.rdf.model.ResourceFactory;
import org.apache.jena.rdf.model.Statement;
import org.apache.jena.vocabulary.RDF;

/**
 * What PROV toolkits need in order to read our RDF, beyond what a SPARQL query or an RDFS reasoner
 * needs. Checked on 2026-12-06 with ProvToolbox 0.9.29 (Java) and Python {@code prov} 3.1 reading a
 * decision's served provenance (docs/provenance.md, "PROV toolkits"):
 *
 * <ul>
 *   <li>Neither reasons. A resource is a PROV record only if it is typed {@code prov:Entity},
 *       {@code prov:Activity} or {@code prov:Agent} in the same graph: Python {@code prov} skips a
 *       {@code prov:SoftwareAgent} or {@code prov:Bundle} typed with nothing else, and fails
 *       outright on the object of a relation whose type it never saw. {@link #stateBaseClasses}
 *       states what RDFS concludes from PROV-O's domains, ranges and subclasses; every bundle gets
 *       it when it is mapped, so the stored bundles (TriG, N-Quads, the export) read as they are.
 *   <li>Both drop {@code prov:generatedAtTime}, and Python {@code prov} keeps {@code
 *       prov:wasRevisionOf} only as an attribute: they read the qualified forms. {@link
 *       #withQualifiedForms} adds those to a merged view (Turtle, JSON-LD, N-Triples, RDF/XML),
 *       leaving the unqualified statements that queries use; the stored bundles do not carry them,
 *       so that what a ledger entry's digest covers stays what the store holds.
 * </ul>
 */
public final class ProvInterop {
  private ProvInterop() {}

  private static final String PROV = Vocab.PROV;
  private static final Resource ENTITY = Vocab.Prov.Entity;
  private static final Resource ACTIVITY = Vocab.Prov.Activity;
  private static final Resource AGENT = Vocab.Prov.Agent;

  /** A PROV-O relation with the base classes of its domain and range. */
  private record Relation(Property property, Resource subjectClass, Resource objectClass) {
    Relation(String local, Resource subjectClass, Resource objectClass) {
      this(ResourceFactory.createProperty(PROV + local), subjectClass, objectClass);
    }
  }

  private static final List<Relation> RELATIONS =
      List.of(
          new Relation("wasGeneratedBy", ENTITY, ACTIVITY),
          new Relation("used", ACTIVITY, ENTITY),
          new Relation("wasAssociatedWith", ACTIVITY, AGENT),
          new Relation("wasAttributedTo", ENTITY, AGENT),
          new Relation("wasDerivedFrom", ENTITY, ENTITY),
          new Relation("wasRevisionOf", ENTITY, ENTITY),
          new Relation("wasQuotedFrom", ENTITY, ENTITY),
          new Relation("hadPrimarySource", ENTITY, ENTITY),
          new Relation("specializationOf", ENTITY, ENTITY),
          new Relation("alternateOf", ENTITY, ENTITY),
          new Relation("hadMember", ENTITY, ENTITY),
          new Relation("wasInvalidatedBy", ENTITY, ACTIVITY),
          new Relation("wasInformedBy", ACTIVITY, ACTIVITY),
          new Relation("wasStartedBy", ACTIVITY, ENTITY),
          new Relation("wasEndedBy", ACTIVITY, ENTITY),
          new Relation("actedOnBehalfOf", AGENT, AGENT));

  /** PROV-O subclasses, each with the base class a reader without RDFS needs stated beside it. */
  private static final Map<Resource, Resource> BASE_CLASS =
      Map.of(
          Vocab.Prov.SoftwareAgent,
          AGENT,
          Vocab.Prov.Person,
          AGENT,
          ResourceFactory.createResource(PROV + "Organization"),
          AGENT,
          Vocab.Prov.Bundle,
          ENTITY,
          Vocab.Prov.Plan,
          ENTITY,
          ResourceFactory.createResource(PROV + "Collection"),
          ENTITY);

  /**
   * Adds to {@code model} the PROV base class ({@code prov:Entity}, {@code prov:Activity} or {@code
   * prov:Agent}) of every IRI that a PROV relation or a PROV subclass makes one, where the model
   * does not say so already. It adds only what RDFS entails under PROV-O.
   */
  public static void stateBaseClasses(Model model) {
    List<Statement> missing = new ArrayList<>();
    for (Relation relation : RELATIONS) {
      model
          .listStatements(null, relation.property(), (RDFNode) null)
          .forEachRemaining(
              s -> {
                typed(model, s.getSubject(), relation.subjectClass(), missing);
                if (s.getObject().isResource()) {
                  typed(model, s.getObject().asResource(), relation.objectClass(), missing);
                }
              });
    }
    BASE_CLASS.forEach(
        (subclass, base) ->
            model
                .listResourcesWithProperty(RDF.type, subclass)
                .forEachRemaining(r -> typed(model, r, base, missing)));
    model.add(missing);
  }

  private static void typed(Model model, Resource node, Resource type, List<Statement> missing) {
    if (node.isURIResource() && !model.contains(node, RDF.type, type)) {
      Statement statement = model.createStatement(node, RDF.type, type);
      if (!missing.contains(statement)) {
        missing.add(statement);
      }
    }
  }

  private static final Property QUALIFIED_GENERATION = property("qualifiedGeneration");
  private static final Property QUALIFIED_REVISION = property("qualifiedRevision");
  private static final Property AT_TIME = property("atTime");
  private static final Property ACTIVITY_OF = property("activity");
  private static final Property ENTITY_OF = property("entity");
  private static final Resource GENERATION = ResourceFactory.createResource(PROV + "Generation");
  private static final Resource REVISION = ResourceFactory.createResource(PROV + "Revision");

  /**
   * Adds the qualified form of each {@code prov:generatedAtTime} (a {@code prov:Generation} with
   * its {@code prov:atTime}, and its activity when the entity names exactly one) and of each {@code
   * prov:wasRevisionOf} (a {@code prov:Revision}), named {@code <entity>#generation} and {@code
   * <entity>#revision-<n>}: fragments of the entity's own document, where they are described.
   */
  public static void withQualifiedForms(Model model) {
    List<Statement> added = new ArrayList<>();
    model
        .listStatements(null, Vocab.Prov.generatedAtTime, (RDFNode) null)
        .toList()
        .forEach(
            s -> {
              Resource entity = s.getSubject();
              if (!entity.isURIResource() || entity.getURI().contains("#")) {
                return;
              }
              Resource generation = model.createResource(entity.getURI() + "#generation");
              added.add(model.createStatement(entity, QUALIFIED_GENERATION, generation));
              added.add(model.createStatement(generation, RDF.type, GENERATION));
              added.add(model.createStatement(generation, AT_TIME, s.getObject()));
              List<RDFNode> activities =
                  model.listObjectsOfProperty(entity, Vocab.Prov.wasGeneratedBy).toList();
              if (activities.size() == 1) {
                added.add(model.createStatement(generation, ACTIVITY_OF, activities.get(0)));
              }
            });
    model
        .listSubjectsWithProperty(Vocab.Prov.wasRevisionOf)
        .toList()
        .forEach(
            revised -> {
              if (!revised.isURIResource() || revised.getURI().contains("#")) {
                return;
              }
              List<String> originals =
                  model.listObjectsOfProperty(revised, Vocab.Prov.wasRevisionOf).toList().stream()
                      .filter(RDFNode::isURIResource)
                      .map(o -> o.asResource().getURI())
                      .sorted()
                      .toList();
              for (int i = 0; i < originals.size(); i++) {
                Resource revision = model.createResource(revised.getURI() + "#revision-" + (i + 1));
                added.add(model.createStatement(revised, QUALIFIED_REVISION, revision));
                added.add(model.createStatement(revision, RDF.type, REVISION));
                added.add(
                    model.createStatement(
                        revision, ENTITY_OF, model.createResource(originals.get(i))));
              }
            });
    model.add(added);
  }

  /**
   * A merged view for PROV toolkits: base classes stated (bundles stored before they were) and the
   * qualified forms added.
   *
   * @return {@code merged}, completed
   */
  public static Model forToolkits(Model merged) {
    stateBaseClasses(merged);
    withQualifiedForms(merged);
    return merged;
  }

  private static Property property(String local) {
    return ResourceFactory.createProperty(PROV + local);
  }
}
