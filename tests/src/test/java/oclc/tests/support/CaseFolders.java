package oclc.tests.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Backend-test case folders: those holding a model.onnx. */
public final class CaseFolders {
  private CaseFolders() {}

  public static List<Path> under(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))).sorted().toList();
    }
  }
}
