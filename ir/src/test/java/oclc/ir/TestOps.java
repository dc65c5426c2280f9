package oclc.ir;

import java.util.List;
import java.util.Map;

/** Tiny op definitions and graph builders for tests of passes and the executor. */
public final class TestOps {
  private TestOps() {}

  /** {@code Twice(x) = 2x}, any float shape; stands in for a real op in pass and executor tests. */
  public static final OpDefinition TWICE =
      new OpDefinition() {
        @Override
        public String opType() {
          return "Twice";
        }

        @Override
        public List<TensorType> inferTypes(InferenceContext context) {
          return List.of(context.inputType(0));
        }

        @Override
        public List<Tensor> evaluate(EvaluationContext context) {
          Tensor x = context.input(0);
          Tensor y = Tensor.allocate(x.dtype(), x.shape());
          for (int i = 0; i < x.size(); i++) {
            y.setDouble(i, 2 * x.getDouble(i));
          }
          return List.of(y);
        }
      };

  public static Node node(String name, String opType, List<String> inputs, List<String> outputs) {
    return new Node(name, "", opType, inputs, outputs, Attributes.NONE);
  }

  public static Graph graph(List<ValueInfo> inputs, List<ValueInfo> outputs, List<Node> nodes) {
    return new Graph(
        "test", inputs, outputs, nodes, Map.of(), Map.of(), List.of(), Map.of("", 17L));
  }

  public static ValueInfo value(String name, DType dtype, Dim... dims) {
    return new ValueInfo(name, new TensorType(dtype, Shape.of(dims)));
  }
}
