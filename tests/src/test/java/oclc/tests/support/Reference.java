package oclc.tests.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import oclc.compiler.conformance.TestDataSet;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.EvaluationContext;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.OpRegistry;
import oclc.ir.Tensor;
import oclc.ir.exec.Comparison;
import oclc.ir.exec.ReferenceExecutor;

/**
 * One op on the reference executor, random float tensors to feed it, and a shared model's test data
 * sets on it.
 */
public final class Reference {
  private Reference() {}

  /**
   * Every test data set of a model folder run through {@code graph} (the model's, or the model
   * rewritten) on the reference executor: each output within relative L2 1e-4 of the expected.
   */
  public static void assertExpectedOutputs(Path model, Graph graph) {
    for (Path setFolder : TestDataSet.folders(model)) {
      TestDataSet set = TestDataSet.read(setFolder, graph);
      Map<String, Tensor> actual = new ReferenceExecutor().run(graph, set.inputs());
      set.expectedOutputs()
          .forEach(
              (name, expected) -> {
                double error = Comparison.relativeL2(expected, actual.get(name));
                assertTrue(error <= 1e-4, setFolder + " " + name + ": relative L2 " + error);
              });
    }
  }

  public static Tensor evaluate(
      String opType, Attributes attributes, long opset, Tensor... inputs) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < inputs.length; i++) {
      names.add("in" + i);
    }
    Node node = new Node("n", "", opType, names, List.of("y"), attributes);
    return OpRegistry.standard()
        .find("", opType)
        .orElseThrow()
        .evaluate(new EvaluationContext(node, opset, Arrays.asList(inputs)))
        .get(0);
  }

  /**
   * Whether the reference defines {@code opType} for inputs of these types (its type inference
   * accepts them).
   */
  public static boolean accepts(
      String opType, Attributes attributes, long opset, List<DType> types) {
    List<String> names = new ArrayList<>();
    List<oclc.ir.TensorType> inputTypes = new ArrayList<>();
    List<oclc.ir.Constant> known = new ArrayList<>();
    for (int i = 0; i < types.size(); i++) {
      names.add("in" + i);
      inputTypes.add(new oclc.ir.TensorType(types.get(i), oclc.ir.Shape.of(2)));
      known.add(null);
    }
    Node node = new Node("n", "", opType, names, List.of("y"), attributes);
    try {
      OpRegistry.standard()
          .find("", opType)
          .orElseThrow()
          .inferTypes(new oclc.ir.InferenceContext(node, opset, inputTypes, known));
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  public static Tensor random(Random random, boolean positive, long... shape) {
    Tensor t = Tensor.allocate(DType.FLOAT32, shape);
    for (int i = 0; i < t.size(); i++) {
      double v = random.nextGaussian();
      t.setDouble(i, positive ? 0.1 + Math.abs(v) : v);
    }
    return t;
  }
}
