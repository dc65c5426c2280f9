package oclc.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The shared test data beside the checkout ({@code ../shared}): the models and the ONNX node tests.
 * Tests are skipped, visibly, when it is absent — except under CI ({@code
 * OCLC_REQUIRE_SHARED=true}), where its absence fails them (as in the tests module).
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

  /**
   * The GPT-2 exports of our exporter: the {@code gpt2-*} folders, as ../shared/models/README.md's
   * first table lists them (the tests module's SharedModelsTest checks that these are exactly the
   * folders whose graphs are such exports). The other models (Llama, ONNX Runtime's optimized
   * GPT-2) do not run on every backend yet: the tests module's checked-in list says where they do.
   */
  static List<Path> gpt2Exports() {
    try (Stream<Path> entries = Files.list(models())) {
      List<Path> exports =
          entries
              .filter(p -> p.getFileName().toString().startsWith("gpt2-"))
              .filter(p -> Files.isRegularFile(p.resolve("model.onnx")))
              .sorted()
              .toList();
      if (exports.isEmpty()) {
        throw new AssertionError("no gpt2-* model folder in " + models());
      }
      return exports;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
