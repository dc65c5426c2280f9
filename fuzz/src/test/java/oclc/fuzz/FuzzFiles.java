package oclc.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A scratch folder per JVM for the files a target writes its input to. */
final class FuzzFiles {
  private static final Path FOLDER = create();

  private FuzzFiles() {}

  static Path scratch(String name) {
    return FOLDER.resolve(name);
  }

  private static Path create() {
    try {
      Path folder = Files.createTempDirectory("oclc-fuzz");
      folder.toFile().deleteOnExit();
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
