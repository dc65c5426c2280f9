package oclc.tests.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.EvaluationContext;
import oclc.ir.Node;
import oclc.ir.OpRegistry;
import oclc.ir.Tensor;

/** One op on the reference executor, and random float tensors to feed it. */
public final class Reference {
  private Reference() {}

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
