package oclc.ir.exec;

import static oclc.ir.TestOps.graph;
import static oclc.ir.TestOps.node;
import static oclc.ir.TestOps.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.OpRegistry;
import oclc.ir.ShapeAssertion;
import oclc.ir.Tensor;
import oclc.ir.TestOps;
import org.junit.jupiter.api.Test;

class ReferenceExecutorTest {
  private final Dim batch = Dim.symbol("batch_size");
  private final Dim seq = Dim.symbol("sequence_length");
  private final ReferenceExecutor executor =
      new ReferenceExecutor(OpRegistry.of(List.of(TestOps.TWICE)));

  private Graph twiceGraph() {
    return graph(
        List.of(value("hidden", DType.FLOAT32, batch, seq, Dim.of(3))),
        List.of(value("out", DType.FLOAT32, batch, seq, Dim.of(3))),
        List.of(node("double", "Twice", List.of("hidden"), List.of("out"))));
  }

  @Test
  void runsTheNodesAndBindsSymbolsFromInputShapes() {
    Tensor hidden = Tensor.ofFloats(new long[] {1, 2, 3}, 1, -2, 3, 4.5f, 5, 6);
    Map<String, Tensor> out = executor.run(twiceGraph(), Map.of("hidden", hidden));
    assertArrayEquals(new float[] {2, -4, 6, 9, 10, 12}, out.get("out").toFloatArray());
    SymbolBindings symbols = ReferenceExecutor.bindInputs(twiceGraph(), Map.of("hidden", hidden));
    assertEquals(Map.of("batch_size", 1L, "sequence_length", 2L), symbols.values());
  }

  @Test
  void aWrongRankNamesTheInputAndItsSymbolicShape() {
    Tensor wrong = Tensor.ofFloats(new long[] {2, 3}, 1, 2, 3, 4, 5, 6);
    InputShapeException e =
        assertThrows(
            InputShapeException.class, () -> executor.run(twiceGraph(), Map.of("hidden", wrong)));
    assertEquals(
        "input 'hidden' is float32[2, 3], but the model expects "
            + "float32[batch_size, sequence_length, 3]",
        e.getMessage());
  }

  @Test
  void aWrongStaticSizeOrDtypeIsRejected() {
    Tensor wrongSize = Tensor.allocate(DType.FLOAT32, 1, 2, 4);
    assertThrows(
        InputShapeException.class, () -> executor.run(twiceGraph(), Map.of("hidden", wrongSize)));
    Tensor wrongType = Tensor.allocate(DType.FLOAT64, 1, 2, 3);
    InputShapeException e =
        assertThrows(
            InputShapeException.class,
            () -> executor.run(twiceGraph(), Map.of("hidden", wrongType)));
    assertTrue(e.getMessage().contains("float64[1, 2, 3]"), e.getMessage());
  }

  @Test
  void aMissingOrUnknownInputIsNamed() {
    assertTrue(
        assertThrows(InputShapeException.class, () -> executor.run(twiceGraph(), Map.of()))
            .getMessage()
            .contains("input 'hidden' is missing"));
    Map<String, Tensor> extra =
        Map.of(
            "hidden",
            Tensor.allocate(DType.FLOAT32, 1, 1, 3),
            "hiden",
            Tensor.allocate(DType.FLOAT32, 1));
    assertTrue(
        assertThrows(InputShapeException.class, () -> executor.run(twiceGraph(), extra))
            .getMessage()
            .contains("no input named 'hiden'"));
  }

  @Test
  void symbolsMustAgreeAcrossInputs() {
    Graph g =
        graph(
            List.of(value("a", DType.FLOAT32, seq), value("b", DType.FLOAT32, seq)),
            List.of(value("c", DType.FLOAT32, seq)),
            List.of(node("double", "Twice", List.of("a"), List.of("c"))));
    Map<String, Tensor> inputs =
        Map.of("a", Tensor.allocate(DType.FLOAT32, 4), "b", Tensor.allocate(DType.FLOAT32, 5));
    InputShapeException e = assertThrows(InputShapeException.class, () -> executor.run(g, inputs));
    assertTrue(e.getMessage().contains("float32[sequence_length]"), e.getMessage());
  }

  @Test
  void violatedAssumptionsAreReportedWithTheirReason() {
    Graph base = twiceGraph();
    Graph g =
        base.with(
            base.nodes(),
            base.constants(),
            base.valueTypes(),
            List.of(new ShapeAssertion(seq, Dim.of(4), "slice end within dim 2 in Slice 'mask'")));
    executor.run(g, Map.of("hidden", Tensor.allocate(DType.FLOAT32, 1, 4, 3)));
    InputShapeException e =
        assertThrows(
            InputShapeException.class,
            () -> executor.run(g, Map.of("hidden", Tensor.allocate(DType.FLOAT32, 1, 5, 3))));
    assertEquals(
        "the inputs give sequence_length = 5, but the model allows at most 4 "
            + "(slice end within dim 2 in Slice 'mask')",
        e.getMessage());
  }
}
