package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import oclc.artifact.Manifest;
import oclc.compiler.LoadedModel;
import oclc.ir.DType;
import oclc.ir.Tensor;
import oclc.ir.exec.InputShapeException;
import oclc.runtime.CompiledModel;
import oclc.runtime.Session;
import oclc.tests.support.Gpt2Inputs;
import oclc.tests.support.JavaDevice;
import oclc.tests.support.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token ids through the Java API: an id outside the embedding's rows is refused when the session
 * plans, naming the input, the element, the table and the range, on both backends (the kernels
 * would clamp it into another row); the ids at both ends of the range, negative ones counted from
 * the end as Gather counts them, run.
 */
class InputIndexBoundsTest {
  private static final Path MODEL =
      SharedData.models().resolve("gpt2-tiny-past-opset16").resolve("model.onnx");

  @TempDir Path folder;

  @Test
  void anIdOutsideTheVocabularyIsRefusedOnOpenCl() {
    try (CompiledModel model = TestDevice.compile(MODEL, folder.resolve("opencl.oclc"))) {
      checkBounds(model);
    }
  }

  @Test
  void anIdOutsideTheVocabularyIsRefusedOnJava() {
    try (CompiledModel model = JavaDevice.compile(MODEL, folder.resolve("java.oclc"))) {
      checkBounds(model);
    }
  }

  private static void checkBounds(CompiledModel model) {
    Manifest.IndexRange range =
        model.manifest().inputs().stream()
            .filter(i -> i.name().equals("input_ids"))
            .findFirst()
            .orElseThrow()
            .indexes();
    assertNotNull(range, "input_ids is recorded as indexing the embedding");
    long vocabulary = range.rows();
    Map<String, Tensor> inputs =
        Gpt2Inputs.random(LoadedModel.load(MODEL).simplified(), new Random(3), 1, 4, 0);
    try (Session session = model.newSession()) {
      inputs.forEach(session::bind);
      session.bind("input_ids", ids(0, vocabulary - 1, -1, -vocabulary)).run();
      session.bind("input_ids", ids(0, 1, vocabulary, 2));
      InputShapeException refused = assertThrows(InputShapeException.class, session::plan);
      String message = refused.getMessage();
      assertTrue(
          message.contains("input 'input_ids' holds " + vocabulary + " at element 2")
              && message.contains(range.table())
              && message.contains(-vocabulary + ".." + (vocabulary - 1)),
          message);
      session.bind("input_ids", ids(-vocabulary - 1, 0, 0, 0));
      assertThrows(InputShapeException.class, session::plan);
      session.bind("input_ids", ids(5, 6, 7, 8)).run();
      assertEquals(1, session.output("logits").shape()[0]);
    }
  }

  private static Tensor ids(long... values) {
    return Tensor.ofLongs(DType.INT64, new long[] {1, values.length}, values);
  }
}
