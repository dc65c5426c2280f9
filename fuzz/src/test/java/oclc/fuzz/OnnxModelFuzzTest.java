package oclc.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import oclc.ir.Graph;
import oclc.ir.OclcException;
import oclc.ir.passes.Passes;
import oclc.onnx.OnnxModelLoader;
import org.junit.jupiter.api.Timeout;

/**
 * The ONNX loader and the standard passes on any bytes (seeded with ONNX node-test models): a model
 * is read and typed, or refused with an {@link OclcException} saying why, within 5 s and the
 * module's heap; anything else is a finding.
 */
class OnnxModelFuzzTest {
  private static final Path FILE = FuzzFiles.scratch("model.onnx");

  @FuzzTest(maxDuration = "20s")
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  void loadsOrSaysWhy(byte[] bytes) throws IOException {
    Files.write(FILE, bytes);
    try {
      Graph graph = OnnxModelLoader.load(FILE);
      Passes.runStandard(graph);
    } catch (OclcException documented) {
      // the documented refusal
    }
  }
}
