package io.arbiter.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads seed documents (policies, model versions) either from a configured folder or, when none is
 * configured, from the demo documents bundled with the application.
 */
public final class SeedFiles {

  private SeedFiles() {}

  /**
   * @param folder a folder of {@code *.yaml}, {@code *.yml} and {@code *.json} files, read in name
   *     order; it must exist when configured
   * @param bundled classpath resources to read when no folder is configured
   */
  public static List<SeedFile> read(Optional<Path> folder, List<String> bundled) {
    return folder.map(SeedFiles::fromFolder).orElseGet(() -> fromClasspath(bundled));
  }

  private static List<SeedFile> fromFolder(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new IllegalStateException("configured folder " + folder + " does not exist");
    }
    try (Stream<Path> files = Files.list(folder)) {
      List<SeedFile> seeds = new ArrayList<>();
      for (Path file : files.filter(SeedFiles::isDocument).sorted().toList()) {
        seeds.add(new SeedFile(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
      }
      return seeds;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + folder, e);
    }
  }

  private static boolean isDocument(Path file) {
    String name = file.getFileName().toString();
    return Files.isRegularFile(file)
        && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
  }

  private static List<SeedFile> fromClasspath(List<String> resources) {
    List<SeedFile> seeds = new ArrayList<>();
    ClassLoader loader = SeedFiles.class.getClassLoader();
    for (String resource : resources) {
      try (InputStream in = loader.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("bundled resource " + resource + " is missing");
        }
        seeds.add(
            new SeedFile(
                "classpath:" + resource, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read bundled " + resource, e);
      }
    }
    return seeds;
  }
}
