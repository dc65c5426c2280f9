package oclc.ir.passes;

import static oclc.ir.TestOps.graph;
import static oclc.ir.TestOps.node;
import static oclc.ir.TestOps.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.OpRegistry;
import oclc.ir.TestOps;
import org.junit.jupiter.api.Test;

class UnsupportedOpsTest {
  private final OpRegistry registry = OpRegistry.of(List.of(TestOps.TWICE));

  @Test
  void everyUnsupportedOpIsListedOnceWithAllItsNodes() {
    Graph g =
        graph(
            List.of(value("x", DType.FLOAT32, Dim.symbol("n"))),
            List.of(value("d", DType.FLOAT32, Dim.symbol("n"))),
            List.of(
                node("first_fft", "FFT", List.of("x"), List.of("a")),
                node("double", "Twice", List.of("a"), List.of("b")),
                node("second_fft", "FFT", List.of("b"), List.of("c")),
                node("the_loop", "Loop", List.of("c"), List.of("d"))));
    UnsupportedOpsException e =
        assertThrows(UnsupportedOpsException.class, () -> UnsupportedOps.check(g, registry));
    assertEquals(2, e.problems().size());
    assertTrue(
        e.problems().get(0).startsWith("FFT (opset 17) at 2 nodes: first_fft, second_fft"),
        e.problems().get(0));
    assertTrue(
        e.problems().get(1).startsWith("Loop (opset 17) at node the_loop"), e.problems().get(1));
    assertTrue(e.getMessage().contains("2 unsupported ops"), e.getMessage());
  }

  @Test
  void aGraphOfKnownOpsPasses() {
    Graph g =
        graph(
            List.of(value("x", DType.FLOAT32, Dim.of(2))),
            List.of(value("y", DType.FLOAT32, Dim.of(2))),
            List.of(node("double", "Twice", List.of("x"), List.of("y"))));
    UnsupportedOps.check(g, registry);
  }
}
