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

  public static Tensor evaluate(String opType, Attributes attributes, long opset, Tensor... inputs) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < inputs.length; i++) {
      names.add("in" + i);
    }
    Node node = new Node("n", "", opType, names, List.of("y"), attributes);
    return OpRegistry.standard().find("", opType).orElseThrow()
        .evaluate(new EvaluationContext(node, opset, Arrays.asList(inputs))).get(0);
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
