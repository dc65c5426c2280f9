package oclc.codegen.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import oclc.artifact.Manifest.NodeLaunches;
import oclc.families.KernelFamilies;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.Constant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.Tensor;
import oclc.ir.ValueInfo;
import oclc.ir.passes.Passes;
import oclc.lowering.Schedule;
import oclc.lowering.SizeRanges;
import org.junit.jupiter.api.Test;

/**
 * Which nodes fusion puts in one launch, and how an epilogue addresses its leaves (no device
 * needed).
 */
class FusionTest {
  private static final Dim B = Dim.symbol("batch");
  private static final Dim S = Dim.symbol("sequence");
  private static final Dim T = Dim.symbol("keys");

  @Test
  void anEpilogueLeafIsBroadcastOrWholeAlongEachOfTheProductsAxes() {
    Fusion.ProductSpace dense = new Fusion.ProductSpace(Dim.of(1), B.times(S), Dim.of(64));
    List<Dim> reader = List.of(B, S, Dim.of(64));
    assertEquals(
        Optional.of(List.of(Dim.of(0), Dim.of(0), Dim.of(1))),
        Fusion.productStrides(dense, List.of(Dim.of(64)), reader),
        "a bias");
    assertEquals(
        Optional.of(List.of(Dim.of(0), Dim.of(64), Dim.of(1))),
        Fusion.productStrides(dense, reader, reader),
        "a residual");
    assertEquals(
        Optional.of(List.of(Dim.of(0), Dim.of(1), Dim.of(0))),
        Fusion.productStrides(dense, List.of(B, S, Dim.of(1)), reader),
        "a value per row");
    assertEquals(
        Optional.empty(),
        Fusion.productStrides(dense, List.of(Dim.of(1), S, Dim.of(64)), reader),
        "one row per position for every batch: not a multiple of the merged row index");
    Fusion.ProductSpace scores = new Fusion.ProductSpace(B.times(Dim.of(4)), S, T);
    assertEquals(
        Optional.of(List.of(Dim.of(0), T, Dim.of(1))),
        Fusion.productStrides(
            scores, List.of(Dim.of(1), Dim.of(1), S, T), List.of(B, Dim.of(4), S, T)),
        "attention's mask");
  }

  @Test
  void aValueAnotherNodeReadsIsStoredAndTheRestStayInRegisters() {
    // h = x·W + bias; y = tanh(h); z = ReduceSum(h): h is read outside the group, so stored.
    Map<String, Constant> constants = new LinkedHashMap<>();
    constants.put("w", new Constant.Data(Tensor.allocate(DType.FLOAT32, 16, 8)));
    constants.put("bias", new Constant.Data(Tensor.allocate(DType.FLOAT32, 8)));
    List<Node> nodes =
        List.of(
            Node.of("mm", "MatMul", "x", "w", "m"),
            Node.of("add", "Add", "m", "bias", "h"),
            Node.of("tanh", "Tanh", "h", "y"),
            new Node(
                "sum",
                "",
                "ReduceSum",
                List.of("h"),
                List.of("z"),
                new Attributes(Map.of("keepdims", new Attribute.IntValue(0)))));
    Graph graph =
        simplified(
            List.of(ValueInfo.float32("x", B, Dim.of(16))),
            List.of(ValueInfo.float32("y", B, Dim.of(8)), ValueInfo.float32("z")),
            nodes,
            constants);
    List<NodeLaunches> fused = lower(graph, true);
    assertEquals(List.of("mm", "sum"), fused.stream().map(NodeLaunches::name).toList());
    assertEquals(List.of("add", "tanh"), fused.get(0).fused());
    assertEquals(List.of("h", "y"), fused.get(0).outputs());
    assertEquals(List.of("m"), fused.get(0).internal());
    List<NodeLaunches> alone = lower(graph, false);
    assertEquals(
        List.of("mm", "add", "tanh", "sum"), alone.stream().map(NodeLaunches::name).toList());
    assertTrue(alone.stream().allMatch(n -> n.fused().isEmpty()));
  }

  @Test
  void theDecomposedLayerNormIsOneLaunchUnlessAnInnerValueIsReadOutside() {
    Map<String, Constant> constants = new LinkedHashMap<>();
    constants.put("two", Constant.scalar(2f));
    constants.put("eps", Constant.scalar(1e-5f));
    constants.put("gamma", new Constant.Data(Tensor.allocate(DType.FLOAT32, 32)));
    constants.put("beta", new Constant.Data(Tensor.allocate(DType.FLOAT32, 32)));
    Attributes lastAxis = new Attributes(Map.of("axes", new Attribute.Ints(new long[] {-1})));
    List<Node> layerNorm =
        List.of(
            new Node("mean", "", "ReduceMean", List.of("x"), List.of("m"), lastAxis),
            Node.of("sub", "Sub", "x", "m", "d"),
            Node.of("pow", "Pow", "d", "two", "p"),
            new Node("variance", "", "ReduceMean", List.of("p"), List.of("v"), lastAxis),
            Node.of("plus_eps", "Add", "v", "eps", "e"),
            Node.of("sqrt", "Sqrt", "e", "s"),
            Node.of("div", "Div", "d", "s", "n"),
            Node.of("scale", "Mul", "n", "gamma", "g"),
            Node.of("shift", "Add", "g", "beta", "y"));
    Graph graph =
        simplified(
            List.of(ValueInfo.float32("x", B, S, Dim.of(32))),
            List.of(ValueInfo.float32("y", B, S, Dim.of(32))),
            layerNorm,
            constants);
    List<NodeLaunches> fused = lower(graph, true);
    assertEquals(1, fused.size());
    assertEquals("mean", fused.get(0).name());
    assertEquals(8, fused.get(0).fused().size());
    assertTrue(
        fused.get(0).variants().get(0).name().startsWith("layer_norm"),
        fused.get(0).variants().toString());

    // The deviation also read by an output: the pattern does not match; the Sub and Pow chain
    // stores it.
    Graph exposed =
        simplified(
            List.of(ValueInfo.float32("x", B, S, Dim.of(32))),
            List.of(
                ValueInfo.float32("y", B, S, Dim.of(32)), ValueInfo.float32("d", B, S, Dim.of(32))),
            layerNorm,
            constants);
    List<NodeLaunches> parts = lower(exposed, true);
    assertEquals(
        List.of("mean", "sub", "variance", "plus_eps"),
        parts.stream().map(NodeLaunches::name).toList());
    assertEquals(List.of("d", "p"), parts.get(1).outputs());
    assertEquals(List.of("sqrt", "div", "scale", "shift"), parts.get(3).fused());
    assertEquals(
        List.of("e", "s", "n", "g"),
        parts.get(3).internal(),
        "per-row values recomputed per element");
  }

  private static List<NodeLaunches> lower(Graph graph, boolean fuse) {
    Map<String, SizeRanges.Interval> dims =
        new LinkedHashMap<>(Map.of("batch", new SizeRanges.Interval(1, 4)));
    if (graph.inputs().stream().anyMatch(in -> in.shape().dims().contains(S))) {
      dims.put("sequence", new SizeRanges.Interval(1, 8));
    }
    SizeRanges ranges = SizeRanges.forGraph(graph, dims, Map.of(), false);
    return GraphLowering.lower(
            KernelFamilies.openCl(),
            graph,
            ranges,
            KernelOverrides.none(),
            Schedule.defaults(),
            fuse)
        .nodes();
  }

  private static Graph simplified(
      List<ValueInfo> inputs,
      List<ValueInfo> outputs,
      List<Node> nodes,
      Map<String, Constant> constants) {
    return Passes.runStandard(
        new Graph(
            "fusion", inputs, outputs, nodes, constants, Map.of(), List.of(), Map.of("", 16L)));
  }
}
