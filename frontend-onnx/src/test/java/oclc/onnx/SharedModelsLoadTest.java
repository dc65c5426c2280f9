package oclc.onnx;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.Shape;
import oclc.ir.UnsupportedFeatureException;
import oclc.ir.ValueInfo;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every model folder of ../shared/models loads with its dynamic axes as symbols (the exports' names
 * for the exports; ONNX Runtime's optimizer output keeps its own), or fails at import with the
 * error that the checked-in list names: its {@code MODEL import:} lines, in the tests module's
 * {@code src/test/resources/conformance/models.txt} (which the tests module checks and blesses; it
 * is read here, not written).
 */
class SharedModelsLoadTest {
  private static final Path LIST =
      Path.of("..", "tests", "src", "test", "resources", "conformance", "models.txt");

  private static Path models() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("shared/models"))) {
        return dir.resolve("shared/models");
      }
    }
    if ("true".equals(System.getenv("OCLC_REQUIRE_SHARED"))) {
      throw new AssertionError("shared/models not found beside the checkout");
    }
    Assumptions.abort("shared/models not found beside the checkout");
    return null;
  }

  /** Each model's listed import outcome. */
  private static Map<String, String> importLines() throws IOException {
    return lines(" import: ");
  }

  /** Each model's listed lines of one kind ({@code " import: "}, {@code " kind: "}). */
  private static Map<String, String> lines(String key) throws IOException {
    assertTrue(
        Files.exists(LIST),
        "the list of the shared models' outcomes is missing: " + LIST.toAbsolutePath());
    Map<String, String> lines = new TreeMap<>();
    for (String line : Files.readAllLines(LIST)) {
      int at = line.indexOf(key);
      if (!line.startsWith("#") && at > 0) {
        lines.put(line.substring(0, at), line.substring(at + key.length()));
      }
    }
    return lines;
  }

  @Test
  void everyModelFolderLoadsOrFailsAtImportAsTheListSays() throws IOException {
    List<Path> folders;
    try (Stream<Path> s = Files.list(models())) {
      folders = s.filter(p -> Files.exists(p.resolve("model.onnx"))).sorted().toList();
    }
    assertFalse(folders.isEmpty(), "no model folder in " + models());
    Map<String, String> expected = importLines();
    Map<String, String> kinds = lines(" kind: ");
    // Every folder is checked, each failure named, rather than stopping at the first.
    assertAll(
        folders.stream()
            .map(
                folder ->
                    (Executable)
                        () -> {
                          String outcome = expected.get(folder.getFileName().toString());
                          if (outcome == null) {
                            fail(
                                "a new model in ../shared/models: "
                                    + folder.getFileName()
                                    + " has no import line in "
                                    + LIST
                                    + "; add it with its outcomes (the list's header says how)");
                          } else if (outcome.equals("pass")
                              && "ort-optimized"
                                  .equals(kinds.get(folder.getFileName().toString()))) {
                            loadsAsOptimized(folder);
                          } else if (outcome.equals("pass")) {
                            loadsWithSymbolicAxes(folder);
                          } else if (outcome.startsWith("unsupported: ")) {
                            failsWithTheListedReason(
                                folder, outcome.substring("unsupported: ".length()));
                          } else {
                            fail(
                                LIST
                                    + ": "
                                    + folder.getFileName()
                                    + " import: '"
                                    + outcome
                                    + "' is neither pass nor unsupported");
                          }
                        }));
  }

  private static ValueInfo inputIds(Graph g, Path folder) {
    return g.inputs().stream()
        .filter(in -> in.name().equals("input_ids"))
        .findFirst()
        .orElseThrow(() -> new AssertionError(folder + " has no input_ids input"));
  }

  /**
   * ONNX Runtime's optimizer output keeps the exporter's few dynamic axes under its own names and
   * fuses most nodes into its com.microsoft ops: input_ids has symbolic dims, every past a symbolic
   * length, the weights are initializers.
   */
  private static void loadsAsOptimized(Path folder) {
    Graph g = OnnxModelLoader.load(folder.resolve("model.onnx"));
    ValueInfo ids = inputIds(g, folder);
    assertTrue(
        ids.shape().dims().stream().allMatch(d -> d.asSymbol().isPresent()),
        folder + ": input_ids " + ids.shape());
    for (ValueInfo past : g.inputs().stream().filter(in -> in.name().startsWith("past")).toList()) {
      assertTrue(
          past.shape().dims().stream().anyMatch(d -> d.asSymbol().isPresent()),
          folder + " " + past.name() + " " + past.shape());
    }
    assertTrue(g.constants().size() > 5, "weights are initializers");
  }

  /**
   * input_ids is [batch_size, sequence_length]; every past is [.., .., past_sequence_length, ..].
   */
  private static void loadsWithSymbolicAxes(Path folder) {
    Graph g = OnnxModelLoader.load(folder.resolve("model.onnx"));
    ValueInfo ids = inputIds(g, folder);
    assertEquals(
        Shape.of(Dim.symbol("batch_size"), Dim.symbol("sequence_length")),
        ids.shape(),
        folder.toString());
    List<ValueInfo> pasts = g.inputs().stream().filter(in -> in.name().startsWith("past")).toList();
    assertEquals(
        folder.getFileName().toString().contains("-past-"),
        !pasts.isEmpty(),
        folder + ": past inputs");
    for (ValueInfo past : pasts) {
      assertEquals(
          Dim.symbol("past_sequence_length"), past.shape().dim(2), folder + " " + past.name());
    }
    assertTrue(g.nodes().size() > 100, folder + " has " + g.nodes().size() + " nodes");
    assertTrue(g.opset("") >= 14, folder.toString());
    assertTrue(g.constants().size() > 5, "weights are initializers");
  }

  /**
   * The import fails as unsupported, saying which file, with the listed reason: for an unknown
   * domain, the domain sentence and each op type the list names (it keeps the distinct types).
   */
  private static void failsWithTheListedReason(Path folder, String reason) {
    Path file = folder.resolve("model.onnx");
    UnsupportedFeatureException e =
        assertThrows(
            UnsupportedFeatureException.class,
            () -> OnnxModelLoader.load(file),
            folder + " is listed as unsupported at import: " + reason);
    String message = e.getMessage();
    assertTrue(message.startsWith(file + ": "), "the error names the file: " + message);
    int usedBy = reason.indexOf("; used by ");
    if (usedBy < 0) {
      String stem = reason.endsWith("...") ? reason.substring(0, reason.length() - 3) : reason;
      assertTrue(
          message.replaceAll("\\s+", " ").contains(stem),
          "expected '" + reason + "' in: " + message);
      return;
    }
    assertTrue(
        message.contains(reason.substring(0, usedBy) + "; used by "),
        "expected '" + reason + "' in: " + message);
    for (String op : reason.substring(usedBy + "; used by ".length()).split(", ")) {
      String opType = op.replaceFirst(" x\\d+$", "");
      assertTrue(
          message.contains("by " + opType + " '") || message.contains(", " + opType + " '"),
          "the error names the " + opType + " nodes: " + message);
    }
  }
}
