package oclc.ir.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import oclc.ir.Attributes;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import oclc.ir.ValueInfo;
import oclc.ir.exec.Comparison;
import oclc.ir.exec.ReferenceExecutor;
import oclc.ir.ops.MicrosoftOps;
import org.junit.jupiter.api.Test;

/**
 * decompose-ops: a com.microsoft node becomes default-domain nodes that the reference executor
 * evaluates to what the node's own reference evaluation gives.
 */
class DecomposeOpsTest {
  private static final Dim BATCH = Dim.symbol("batch");
  private static final Dim SEQ = Dim.symbol("seq");

  @Test
  void biasAddBecomesTwoAddsThatComputeIt() {
    Graph graph = biasAdd();
    Graph typed = new InferAndFold().apply(graph);
    Graph decomposed = new DecomposeOps().apply(typed);
    GraphVerifier.verify(decomposed, "after decompose-ops");
    assertEquals(
        List.of("Add", "Add"), decomposed.nodes().stream().map(Node::qualifiedOpType).toList());
    assertEquals("y", decomposed.nodes().getLast().outputs().getFirst());
    Random random = new Random(7);
    for (long[] shape : new long[][] {{1, 1, 4}, {2, 5, 4}}) {
      Map<String, Tensor> inputs =
          Map.of(
              "x", gaussian(random, shape),
              "bias", gaussian(random, 4),
              "skip", gaussian(random, shape));
      Tensor expected = new ReferenceExecutor().run(typed, inputs).get("y");
      Tensor actual = new ReferenceExecutor().run(decomposed, inputs).get("y");
      var mismatch = Comparison.allClose(expected, actual, 1e-6, 1e-6);
      assertTrue(mismatch.isEmpty(), mismatch.orElse(""));
    }
  }

  @Test
  void theStandardPassesLeaveNoMicrosoftNode() {
    Graph lowered = Passes.runStandard(biasAdd());
    assertTrue(lowered.nodes().stream().noneMatch(n -> n.domain().equals(MicrosoftOps.DOMAIN)));
  }

  private static Graph biasAdd() {
    Shape rows = Shape.of(BATCH, SEQ, Dim.of(4));
    return new Graph(
        "bias_add",
        List.of(value("x", rows), value("bias", Shape.of(Dim.of(4))), value("skip", rows)),
        List.of(value("y", Shape.scalar())),
        List.of(
            new Node(
                "BiasAdd_0",
                MicrosoftOps.DOMAIN,
                "BiasAdd",
                List.of("x", "bias", "skip"),
                List.of("y"),
                Attributes.NONE)),
        Map.of(),
        Map.of(),
        List.of(),
        Map.of("", 17L, MicrosoftOps.DOMAIN, 1L));
  }

  private static ValueInfo value(String name, Shape shape) {
    return new ValueInfo(name, new TensorType(DType.FLOAT32, shape));
  }

  private static Tensor gaussian(Random random, long... shape) {
    Tensor t = Tensor.allocate(DType.FLOAT32, shape);
    for (int i = 0; i < t.size(); i++) {
      t.setFloat(i, (float) random.nextGaussian());
    }
    return t;
  }
}
