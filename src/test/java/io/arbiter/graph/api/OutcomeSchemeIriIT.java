package io.arbiter.graph.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A policy version's outcome scheme stays Linked Data after the version is replaced (issue 18): the
 * IRI of version 1's scheme dereferences under /id/ once version 2, with other outcomes, is active,
 * and each scheme lists its own version's outcomes.
 */
@ExtendWith(ArquillianExtension.class)
class OutcomeSchemeIriIT {

  private static final String TAG = UUID.randomUUID().toString().substring(0, 8);
  private static final String MODEL = "scheme-" + TAG;
  private static final String POLICY = "scheme-policy-" + TAG;
  private static final String SKOS = "http://www.w3.org/2004/02/skos/core#";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  private static String policy(String version, String outcomes) {
    return """
        id: %s
        version: %s
        scope: {models: [%s]}
        vocabulary: {outcomes: [%s]}
        onReviewTimeout: hold
        rules:
          - {id: everything, condition: "true", route: hold}
        default: {route: review, review: {queue: scheme-%s}}
        """
        .formatted(POLICY, version, MODEL, outcomes, TAG);
  }

  private static String scheme(String version) {
    Reply view =
        Api.get(
            "/api/v1/policies/" + POLICY + "/versions/" + version, "auditor", "application/json");
    assertEquals(200, view.status(), view.toString());
    return view.json().getJsonObject("vocabulary").getString("scheme");
  }

  private static String dereferenced(String iri) {
    Reply reply = Api.get(iri.substring(iri.indexOf("/id/")), "auditor", "application/n-triples");
    assertEquals(200, reply.status(), reply.toString());
    return reply.body();
  }

  @Test
  void anOldVersionsOutcomeScheme_dereferencesWithItsOwnOutcomes() {
    Api.activatePolicy(policy("1", "hold, release"), POLICY, "1");
    Api.activatePolicy(policy("2", "hold, release, escalate"), POLICY, "2");
    String first = scheme("1");
    String second = scheme("2");
    assertTrue(first.endsWith("/policies/" + POLICY + "/versions/1/outcomes"), first);

    String old = dereferenced(first);
    String base = first.substring(0, first.indexOf("/id/") + "/id/".length());
    for (String outcome : new String[] {"hold", "release"}) {
      assertTrue(
          old.contains(
              "<"
                  + first
                  + "> <"
                  + SKOS
                  + "hasTopConcept> <"
                  + base
                  + "outcomes/"
                  + outcome
                  + "> ."),
          outcome + " in\n" + old);
    }
    assertTrue(
        !old.contains("outcomes/escalate>"), "version 2's outcome is not version 1's:\n" + old);
    assertTrue(
        dereferenced(second)
            .contains(
                "<" + second + "> <" + SKOS + "hasTopConcept> <" + base + "outcomes/escalate> ."));
  }
}
