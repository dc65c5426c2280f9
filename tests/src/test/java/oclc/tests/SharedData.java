package oclc.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The shared test data beside the checkout ({@code ../shared}): the models (their folders: {@code
 * ModelExpectations.folders}) and the ONNX node tests. Tests are skipped, visibly, when it is
 * absent — except under CI ({@code OCLC_REQUIRE_SHARED=true}), where its absence fails them.
 */
final class SharedData {
  private SharedData() {}

  static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared");
      if (Files.isDirectory(candidate.resolve("models"))) {
        return candidate;
      }
    }
    String message =
        "the shared test data (a 'shared' folder with models/ beside the checkout) was not found";
    if ("true".equals(System.getenv("OCLC_REQUIRE_SHARED"))) {
      throw new AssertionError(message);
    }
    Assumptions.abort(message);
    return null;
  }

  static Path models() {
    return root().resolve("models");
  }

  static Path nodeTests() {
    return root().resolve("onnx-node-tests");
  }
}
