package io.arbiter.graph.prov;

import io.arbiter.event.IriScheme;
import io.arbiter.policy.OutcomeVocabulary;
import io.arbiter.policy.PolicyDocument;
import io.arbiter.policy.ReasonCode;
import io.arbiter.policy.Route;
import java.util.Map;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.vocabulary.RDF;

/**
 * Publishes a policy version's {@link OutcomeVocabulary} as a SKOS concept scheme, in the version's
 * own {@code policy.registered} bundle (so it is as immutable, and under the same ledger digest, as
 * the rules that route to it), and so as Linked Data under {@code /id/}:
 *
 * <pre>
 * &lt;policies/P/versions/V&gt; arb:outcomeScheme &lt;policies/P/versions/V/outcomes&gt; ;
 *     arb:positiveOutcome &lt;outcomes/malignant&gt; ;
 *     arb:labelMapping &lt;policies/P/versions/V/outcomes/labels/M&gt; .
 * &lt;policies/P/versions/V/outcomes&gt; a skos:ConceptScheme ; skos:hasTopConcept &lt;outcomes/benign&gt; , … .
 * &lt;outcomes/benign&gt; a skos:Concept ; skos:inScheme &lt;policies/P/versions/V/outcomes&gt; ;
 *     skos:notation "benign" ; skos:prefLabel "benign" .
 * &lt;…/labels/M&gt; a arb:LabelMapping ; arb:modelLabel "M" ; arb:recommends &lt;outcomes/malignant&gt; .
 * </pre>
 *
 * The concepts are those routes, verdicts and outcomes are written with ({@link
 * ProvMapper#route(IriScheme, Route)}): the demo vocabulary's approve and reject stay {@code
 * arb:RouteApprove} and {@code arb:RouteReject}, which the ontology describes. The version's reason
 * codes are a second scheme beside it.
 */
final class OutcomeSchemes {
  private OutcomeSchemes() {}

  static void publish(Model model, IriScheme iris, Resource version, PolicyDocument document) {
    OutcomeVocabulary vocabulary = document.vocabulary();
    String schemeIri = iris.outcomeScheme(document.id(), document.version());
    Resource scheme = model.createResource(schemeIri);
    scheme.addProperty(RDF.type, Vocab.Skos.ConceptScheme);
    scheme.addProperty(
        Vocab.Skos.prefLabel,
        "Outcomes of policy " + document.id() + " version " + document.version());
    version.addProperty(Vocab.outcomeScheme, scheme);
    for (String outcome : vocabulary.outcomes()) {
      Resource concept = model.createResource(concept(iris, outcome).getURI());
      scheme.addProperty(Vocab.Skos.hasTopConcept, concept);
      concept.addProperty(Vocab.Skos.inScheme, scheme);
      if (concept.getURI().startsWith(iris.base())) {
        // Ours to describe; arb:'s concepts are described by the ontology.
        concept.addProperty(RDF.type, Vocab.Skos.Concept);
        concept.addProperty(Vocab.Skos.notation, outcome);
        concept.addProperty(Vocab.Skos.prefLabel, outcome);
      }
    }
    version.addProperty(Vocab.positiveOutcome, concept(iris, vocabulary.positive()));
    reasonCodes(model, version, document);
    for (Map.Entry<String, String> label : vocabulary.labels().entrySet()) {
      Resource mapping =
          model.createResource(schemeIri + "/labels/" + IriScheme.segment(label.getKey()));
      mapping.addProperty(RDF.type, Vocab.LabelMapping);
      mapping.addProperty(Vocab.modelLabel, label.getKey());
      mapping.addProperty(Vocab.recommends, concept(iris, label.getValue()));
      version.addProperty(Vocab.labelMapping, mapping);
    }
  }

  /**
   * The version's reason codes, when it lists any, as a scheme of their own beside the outcomes
   * ({@code <policies/P/versions/V/reason-codes>}, each code {@code …/reason-codes/{code}} with its
   * code as {@code skos:notation}); the codes stay literals on verdicts ({@code arb:reasonCode}),
   * so a query joins on the notation. A code's {@code skos:prefLabel} is the label the policy gave
   * it, or the code itself (one prefLabel each, as SKOS wants, so a reader always has something to
   * show); {@code skos:definition} only where the policy wrote one. Both are plain literals: a
   * policy does not say what language its words are in, and a guessed tag would be worse than none.
   */
  private static void reasonCodes(Model model, Resource version, PolicyDocument document) {
    if (document.reasonCodes().isEmpty()) {
      return;
    }
    String schemeIri = version.getURI() + "/reason-codes";
    Resource scheme = model.createResource(schemeIri);
    scheme.addProperty(RDF.type, Vocab.Skos.ConceptScheme);
    scheme.addProperty(
        Vocab.Skos.prefLabel,
        "Reason codes of policy " + document.id() + " version " + document.version());
    version.addProperty(Vocab.reasonCodeScheme, scheme);
    for (ReasonCode code : document.reasonCodes()) {
      Resource concept = model.createResource(schemeIri + "/" + IriScheme.segment(code.code()));
      concept.addProperty(RDF.type, Vocab.Skos.Concept);
      concept.addProperty(Vocab.Skos.inScheme, scheme);
      concept.addProperty(Vocab.Skos.notation, code.code());
      concept.addProperty(Vocab.Skos.prefLabel, code.shownLabel());
      code.definition().ifPresent(d -> concept.addProperty(Vocab.Skos.definition, d));
      scheme.addProperty(Vocab.Skos.hasTopConcept, concept);
    }
  }

  private static Resource concept(IriScheme iris, String outcome) {
    return ProvMapper.route(iris, new Route(outcome));
  }
}
