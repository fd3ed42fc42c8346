package io.arbiter.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.arbiter.testing.Api;
import io.arbiter.testing.Api.Reply;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The build generates its Java and TypeScript clients before any server runs, from the committed
 * {@code docs/openapi.json}; this test keeps that file equal to what the server serves at {@code
 * /openapi}. A change to a resource that changes the contract therefore fails the build here until
 * the snapshot is refreshed, and the refreshed snapshot regenerates both clients, which must then
 * compile (TypeScript with {@code tsc --strict}) and pass {@link GeneratedJavaClientIT}.
 *
 * <p>Both are compared as text, normalised: {@code servers} names the demo server (Liberty names
 * the host and port that asked), and object keys are sorted, except the media types of a {@code
 * content}: generators take the first one's schema as the method's type (Turtle first makes an RDF
 * read a {@code String}), so their order is part of the contract. On a difference, the served
 * document is written, normalised, to {@code target/openapi/served.json} for copying over the
 * snapshot.
 */
@ExtendWith(ArquillianExtension.class)
class OpenApiSnapshotIT {

  static final Path SNAPSHOT = Path.of("docs/openapi.json");
  private static final Path SERVED = Path.of("target/openapi/served.json");
  private static final String DEMO_SERVER = "http://localhost:9080";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  @Test
  void servedDocument_equalsTheCommittedSnapshotTheClientsAreGeneratedFrom() throws IOException {
    Reply reply = Api.get("/openapi", null, "application/json");
    assertEquals(200, reply.status(), reply.toString());
    JsonObject served = normalised(reply.json());
    String committedText = Files.readString(SNAPSHOT);
    if (pretty(served).equals(committedText)) {
      return;
    }
    JsonObject committed = read(committedText);
    Files.createDirectories(SERVED.getParent());
    Files.writeString(SERVED, pretty(served));
    List<String> differences = new ArrayList<>();
    differences(committed, served, "", differences);
    fail(
        """
        The served /openapi differs from %s, which the clients are generated from, at %s.
        If the change is meant, refresh the snapshot, review its diff and rebuild:
          cp %s %s"""
            .formatted(
                SNAPSHOT,
                differences.size() > 12
                    ? String.join(", ", differences.subList(0, 12)) + " and more"
                    : String.join(", ", differences),
                SERVED,
                SNAPSHOT));
  }

  /** The document with {@code servers} naming the demo server and every object's keys sorted. */
  static JsonObject normalised(JsonObject document) {
    JsonObject withServer =
        Json.createObjectBuilder(document)
            .add(
                "servers",
                Json.createArrayBuilder().add(Json.createObjectBuilder().add("url", DEMO_SERVER)))
            .build();
    return (JsonObject) sorted(withServer, true);
  }

  private static JsonValue sorted(JsonValue value, boolean sortKeys) {
    if (value instanceof JsonObject object) {
      JsonObjectBuilder builder = Json.createObjectBuilder();
      Collection<String> keys = sortKeys ? new TreeSet<>(object.keySet()) : object.keySet();
      keys.forEach(key -> builder.add(key, sorted(object.get(key), !key.equals("content"))));
      return builder.build();
    }
    if (value instanceof JsonArray array) {
      var builder = Json.createArrayBuilder();
      array.forEach(member -> builder.add(sorted(member, true)));
      return builder.build();
    }
    return value;
  }

  private static JsonObject read(String text) {
    try (var reader = Json.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }

  static String pretty(JsonObject document) {
    StringWriter out = new StringWriter();
    try (var writer =
        Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true)).createWriter(out)) {
      writer.writeObject(document);
    }
    return out.toString().strip() + "\n";
  }

  /** JSON Pointers of the members that were added, removed, changed or reordered. */
  private static void differences(JsonValue was, JsonValue is, String at, List<String> sink) {
    if (was instanceof JsonObject a && is instanceof JsonObject b) {
      if (a.keySet().equals(b.keySet())
          && !List.copyOf(a.keySet()).equals(List.copyOf(b.keySet()))) {
        sink.add(at + " (order)");
      }
      TreeSet<String> keys = new TreeSet<>(a.keySet());
      keys.addAll(b.keySet());
      for (String key : keys) {
        String pointer = at + "/" + key.replace("~", "~0").replace("/", "~1");
        if (!a.containsKey(key)) {
          sink.add("+" + pointer);
        } else if (!b.containsKey(key)) {
          sink.add("-" + pointer);
        } else {
          differences(a.get(key), b.get(key), pointer, sink);
        }
      }
    } else if (!was.equals(is)) {
      sink.add(at.isEmpty() ? "/" : at);
    }
  }
}
