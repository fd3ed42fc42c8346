package io.arbiter.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The files of a governance team's ontology extensions folder ({@code
 * arbiter.ontology.extensions-dir}): Turtle ({@code *.ttl}: vocabularies and SHACL shapes) and
 * extra audit queries ({@code *.rq}), each kind in file-name order. Other files (a README) are
 * ignored; so are subfolders.
 *
 * @param folder where they were read from; empty when no folder is configured
 */
public record OntologyExtensionFiles(
    Optional<Path> folder, List<SeedFile> turtle, List<SeedFile> queries) {

  public static final OntologyExtensionFiles NONE =
      new OntologyExtensionFiles(Optional.empty(), List.of(), List.of());

  public OntologyExtensionFiles {
    turtle = List.copyOf(turtle);
    queries = List.copyOf(queries);
  }

  /**
   * @throws IllegalStateException when the folder does not exist
   */
  public static OntologyExtensionFiles read(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new IllegalStateException(
          "ontology extensions folder "
              + folder
              + " (arbiter.ontology.extensions-dir) does not exist");
    }
    List<SeedFile> turtle = new ArrayList<>();
    List<SeedFile> queries = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(".ttl")) {
          turtle.add(new SeedFile(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
        } else if (name.endsWith(".rq")) {
          queries.add(
              new SeedFile(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + folder, e);
    }
    return new OntologyExtensionFiles(Optional.of(folder), turtle, queries);
  }
}
