package oclc.codegen.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import oclc.artifact.Manifest.NodeLaunches;
import oclc.families.KernelFamilies;
import oclc.ir.Attribute;
import oclc.ir.Attributes;
import oclc.ir.Constant;
import oclc.ir.Dim;
import oclc.ir.Graph;
import oclc.ir.Node;
import oclc.ir.Tensor;
import oclc.ir.ValueInfo;
import oclc.ir.exec.Comparison;
import oclc.ir.exec.ReferenceExecutor;
import oclc.ir.passes.GraphText;
import oclc.ir.passes.GraphVerifier;
import oclc.ir.passes.Passes;
import oclc.lowering.Schedule;
import oclc.lowering.SizeRanges;
import oclc.lowering.passes.FusionGroups;
import oclc.lowering.passes.LoweringPasses;
import org.junit.jupiter.api.Test;

/**
 * The fusion-groups pass with OpenCL's planner: the graph's text before and after it against golden
 * files (bless with {@code -Doclc.bless=true}), the annotated graph still computing the same on the
 * reference executor, and the lowering reading back the launches the plan made.
 */
class FusionGroupsPassTest {
  private static final Path GOLDEN = Path.of("src", "test", "resources", "passes");
  private static final Dim B = Dim.symbol("batch");

  @Test
  void theOpenClPlanIsRecordedOnTheNodesAndReadBackAsTheSameLaunches() throws IOException {
    // h = x·W + bias, stored for the ReduceSum; y = tanh(reshape(h)) · 2 + 1 in the epilogue;
    // u = sigmoid(x) · x + 1, a chain.
    Map<String, Constant> constants = new LinkedHashMap<>();
    constants.put("w", random(16, 8));
    constants.put("bias", random(8));
    constants.put("two", new Constant.Data(Tensor.ofFloats(new long[0], 2f)));
    constants.put("one", new Constant.Data(Tensor.ofFloats(new long[0], 1f)));
    constants.put("shape", new Constant.Data(Tensor.ofLongs(new long[] {2}, -1, 8)));
    List<Node> nodes =
        List.of(
            Node.of("mm", "MatMul", "x", "w", "m"),
            Node.of("add", "Add", "m", "bias", "h"),
            Node.of("view", "Reshape", "h", "shape", "r"),
            Node.of("tanh", "Tanh", "r", "t"),
            Node.of("double", "Mul", "t", "two", "t2"),
            Node.of("plus", "Add", "t2", "one", "y"),
            new Node(
                "sum",
                "",
                "ReduceSum",
                List.of("h"),
                List.of("z"),
                new Attributes(Map.of("keepdims", new Attribute.IntValue(0)))),
            Node.of("gate", "Sigmoid", "x", "g"),
            Node.of("gated", "Mul", "g", "x", "gx"),
            Node.of("shifted", "Add", "gx", "one", "u"));
    Graph graph =
        Passes.runStandard(
            new Graph(
                "fusion-groups",
                List.of(ValueInfo.float32("x", B, Dim.of(16))),
                List.of(
                    ValueInfo.float32("y", B, Dim.of(8)),
                    ValueInfo.float32("z"),
                    ValueInfo.float32("u", B, Dim.of(16))),
                nodes,
                constants,
                Map.of(),
                List.of(),
                Map.of("", 17L)));
    SizeRanges ranges =
        SizeRanges.forGraph(graph, Map.of("batch", new SizeRanges.Interval(1, 4)), Map.of(), false);
    var options =
        GraphLowering.passOptions(ranges, KernelOverrides.none(), Schedule.defaults(), true);
    Graph after = new FusionGroups(options).apply(graph);
    GraphVerifier.verify(after, "after fusion-groups");
    golden("fusion-groups.before.txt", GraphText.of(graph));
    golden("fusion-groups.after.txt", GraphText.of(after));

    Map<String, Tensor> inputs = Map.of("x", random(3, 16).tensor());
    ReferenceExecutor executor = new ReferenceExecutor();
    Map<String, Tensor> expected = executor.run(graph, inputs);
    Map<String, Tensor> actual = executor.run(after, inputs);
    for (String output : List.of("y", "z", "u")) {
      assertEquals(0, Comparison.relativeL2(expected.get(output), actual.get(output)), output);
    }

    List<NodeLaunches> launches =
        GraphLowering.lowerPassed(
                KernelFamilies.openCl(),
                LoweringPasses.run(graph, options),
                ranges,
                KernelOverrides.none(),
                Schedule.defaults())
            .nodes();
    assertEquals(List.of("mm", "sum", "gate"), launches.stream().map(NodeLaunches::name).toList());
    assertEquals(List.of("add", "view", "tanh", "double", "plus"), launches.get(0).fused());
    assertEquals(List.of("h", "y"), launches.get(0).outputs());
    assertEquals(List.of("gated", "shifted"), launches.get(2).fused());
    assertTrue(launches.get(1).fused().isEmpty());
    assertEquals(
        launches,
        GraphLowering.lower(
                KernelFamilies.openCl(),
                graph,
                ranges,
                KernelOverrides.none(),
                Schedule.defaults(),
                true)
            .nodes(),
        "the convenience runs the same passes");
  }

  private static void golden(String name, String text) throws IOException {
    Path file = GOLDEN.resolve(name);
    if (Boolean.getBoolean("oclc.bless")) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    }
    assertEquals(Files.readString(file), text, file + " changed; review and bless");
  }

  private static Constant.Data random(long... shape) {
    Random random = new Random(java.util.Arrays.hashCode(shape));
    float[] values = new float[Tensor.elementCount(shape)];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextFloat() * 2 - 1;
    }
    return new Constant.Data(Tensor.ofFloats(shape, values));
  }
}
