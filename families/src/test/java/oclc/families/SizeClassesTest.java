package oclc.families;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oclc.artifact.Manifest.NodeLaunches;
import oclc.artifact.Manifest.Variant;
import oclc.codegen.cpu.JavaLowering;
import oclc.codegen.opencl.GraphLowering;
import oclc.codegen.opencl.KernelOverrides;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.Constant;
import oclc.ir.DType;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.Shape;
import oclc.ir.Tensor;
import oclc.ir.TensorType;
import oclc.ir.ValueInfo;
import oclc.ir.passes.Passes;
import oclc.lowering.LoweredGraph;
import oclc.lowering.Schedule;
import oclc.lowering.SizeClass;
import oclc.lowering.SizeRanges;
import org.junit.jupiter.api.Test;

/**
 * A family's declared size-class kinds are the schedule choices its variants depend on: a schedule
 * that changes every class of one kind changes, on either backend, only the variants of nodes whose
 * family declares that kind, and on OpenCL it changes some.
 */
class SizeClassesTest {
  private static final Dim B = Dim.symbol("batch");
  private static final Dim S = Dim.symbol("sequence");

  @Test
  void onlyTheFamiliesThatDeclareAKindOfSizeClassVaryWithItsChoices() {
    Graph graph = graph();
    SizeRanges ranges =
        SizeRanges.forGraph(
            graph,
            Map.of(
                "batch", new SizeRanges.Interval(1, 4), "sequence", new SizeRanges.Interval(1, 64)),
            Map.of(),
            false);
    Schedule base = Schedule.defaults();
    for (SizeClass kind : SizeClass.values()) {
      Schedule probe = probe(base, kind);
      List<String> changed =
          changed(
              graph,
              lowerOpenCl(graph, ranges, base),
              lowerOpenCl(graph, ranges, probe),
              kind,
              "OpenCL");
      assertFalse(changed.isEmpty(), kind + " changes no OpenCL variant of the test graph");
      changed(
          graph,
          JavaLowering.lower(KernelFamilies.java(), graph, ranges, base, false),
          JavaLowering.lower(KernelFamilies.java(), graph, ranges, probe, false),
          kind,
          "Java");
    }
  }

  private static LoweredGraph lowerOpenCl(Graph graph, SizeRanges ranges, Schedule schedule) {
    return GraphLowering.lower(
        KernelFamilies.openCl(), graph, ranges, KernelOverrides.none(), schedule);
  }

  /** The nodes whose variants differ, each checked to be of a family that declares {@code kind}. */
  private static List<String> changed(
      Graph graph, LoweredGraph before, LoweredGraph after, SizeClass kind, String backend) {
    Map<String, List<Variant>> was = new LinkedHashMap<>();
    before.nodes().forEach(n -> was.put(n.name(), n.variants()));
    List<String> changed = new ArrayList<>();
    for (NodeLaunches node : after.nodes()) {
      if (!node.variants().equals(was.get(node.name()))) {
        Node source =
            graph.nodes().stream().filter(n -> n.name().equals(node.name())).findFirst().get();
        KernelFamily family = KernelFamilies.of(source).orElseThrow();
        assertTrue(
            family.sizeClasses().contains(kind),
            backend
                + ": "
                + node.name()
                + " ("
                + family
                + ") changes with the "
                + kind.label()
                + " classes, which its family does not declare");
        changed.add(node.name());
      }
    }
    return changed;
  }

  /** {@code schedule} with every class of {@code kind} given other choices. */
  private static Schedule probe(Schedule schedule, SizeClass kind) {
    Schedule probe = schedule;
    switch (kind) {
      case MATMUL_ROWS -> {
        for (int i = 0; i < schedule.matmul().size(); i++) {
          Schedule.MatMulClass c = schedule.matmul().get(i);
          probe =
              probe.withMatMul(
                  i,
                  c.kernel().equals("gemv")
                      ? new Schedule.MatMulClass(
                          c.rows(), "gemv", c.sums() == 1 ? 2 : 1, 1, c.panelsPerItem())
                      : new Schedule.MatMulClass(
                          c.rows(), "gemm", 1, c.rowsPerItem() == 4 ? 2 : 4, c.panelsPerItem()));
        }
      }
      case ATTENTION_KEYS -> {
        for (int i = 0; i < schedule.attention().size(); i++) {
          Schedule.AttentionClass c = schedule.attention().get(i);
          probe =
              probe.withAttention(
                  i,
                  new Schedule.AttentionClass(
                      c.keys(), c.rowsPerItem(), c.columnsPerItem() == 8 ? 4 : 8));
        }
      }
      case ROW_LENGTH -> {
        for (int i = 0; i < schedule.rows().size(); i++) {
          Schedule.RowClass c = schedule.rows().get(i);
          probe = probe.withRows(i, new Schedule.RowClass(c.length(), c.group() == 1 ? 8 : 1));
        }
      }
    }
    return probe.validated();
  }

  /**
   * A node of most families: a dense MatMul (rows), Softmax and ReduceMean (row lengths), an
   * elementwise Add, a Transpose, and the attention product of two activations (keys).
   */
  private static Graph graph() {
    Map<String, Constant> constants = new LinkedHashMap<>();
    constants.put("w", new Constant.Data(Tensor.allocate(DType.FLOAT32, 8, 8)));
    List<Node> nodes =
        List.of(
            node("mm", "MatMul", Attributes.NONE, "x", "w", "m"),
            node("softmax", "Softmax", one("axis", new Attribute.IntValue(-1)), "m", "p"),
            node("mean", "ReduceMean", one("axes", new Attribute.Ints(new long[] {-1})), "p", "r"),
            node("add", "Add", Attributes.NONE, "p", "r", "a"),
            node(
                "transpose",
                "Transpose",
                one("perm", new Attribute.Ints(new long[] {0, 2, 1})),
                "a",
                "t"),
            node("scores", "MatMul", Attributes.NONE, "q", "k", "s"));
    return Passes.runStandard(
        new Graph(
            "size-classes",
            List.of(
                value("x", B, S, Dim.of(8)),
                value("q", B, S, Dim.of(4)),
                value("k", B, Dim.of(4), S)),
            List.of(value("t", B, Dim.of(8), S), value("s", B, S, S)),
            nodes,
            constants,
            Map.of(),
            List.of(),
            Map.of("", 16L)));
  }

  private static Attributes one(String name, Attribute value) {
    return new Attributes(Map.of(name, value));
  }

  private static Node node(
      String name, String op, Attributes attributes, String... inputsThenOutput) {
    List<String> inputs = List.of(inputsThenOutput).subList(0, inputsThenOutput.length - 1);
    return new Node(
        name, "", op, inputs, List.of(inputsThenOutput[inputsThenOutput.length - 1]), attributes);
  }

  private static ValueInfo value(String name, Dim... dims) {
    return new ValueInfo(name, new TensorType(DType.FLOAT32, Shape.of(dims)));
  }
}
