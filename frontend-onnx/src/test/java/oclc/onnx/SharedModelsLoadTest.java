package oclc.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.Shape;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The GPT-2 exports of ../shared/models load with their dynamic axes as symbols. */
class SharedModelsLoadTest {
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

  @Test
  void everyGpt2ModelLoadsWithSymbolicBatchAndSequence() throws IOException {
    List<Path> folders;
    try (Stream<Path> s = Files.list(models())) {
      folders = s.filter(p -> Files.exists(p.resolve("model.onnx"))).sorted().toList();
    }
    assertEquals(5, folders.size());
    for (Path folder : folders) {
      Graph g = OnnxModelLoader.load(folder.resolve("model.onnx"));
      assertEquals(Shape.of(Dim.symbol("batch_size"), Dim.symbol("sequence_length")), g.inputs().get(0).shape(), folder.toString());
      boolean past = folder.getFileName().toString().contains("-past-");
      if (past) {
        assertEquals(Dim.symbol("past_sequence_length"), g.inputs().get(1).shape().dim(2));
      }
      assertTrue(g.nodes().size() > 100, folder + " has " + g.nodes().size() + " nodes");
      assertTrue(g.opset("") >= 14);
      assertTrue(g.constants().size() > 5, "weights are initializers");
    }
  }
}
