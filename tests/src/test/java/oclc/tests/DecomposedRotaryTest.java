package oclc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import oclc.artifact.Manifest;
import oclc.artifact.Manifest.NodeLaunches;
import oclc.codegen.cpu.JavaLowering;
import oclc.compiler.LoadedModel;
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
import oclc.ir.exec.Comparison;
import oclc.ir.exec.ReferenceExecutor;
import oclc.ir.passes.Passes;
import oclc.lowering.SizeRanges;
import oclc.lowering.passes.FuseDecomposedRotary;
import oclc.runtime.CompiledModel;
import oclc.runtime.Executable;
import oclc.runtime.Session;
import oclc.runtime.cpu.JavaExecutable;
import oclc.tests.support.JavaDevice;
import oclc.tests.support.Reference;
import oclc.tests.support.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fuse-decomposed-rotary pass on Llama's rotate_half: every rotary of the shared Llama exports
 * becomes one RotaryEmbedding node and the rewritten model still gives its expected outputs on the
 * reference executor; a decomposed rotary made here is one RotaryEmbedding launch on both fast
 * backends (its half tables one Cos and one Sin launch) that agrees with the reference.
 */
class DecomposedRotaryTest {
  /** The nodes of one decomposed rotary: Mul, Slice, Neg, Slice, Concat, Mul, Add. */
  private static final List<String> PATTERN =
      List.of(
          "rope/mul_cos", "rope/upper", "rope/neg", "rope/lower", "rope/rotated", "rope/mul_sin");

  @TempDir Path folder;

  @ParameterizedTest
  @MethodSource("oclc.tests.DecomposedNormsTest#llamaModels")
  void everyRotaryOfALlamaExportIsOneNodeAndTheModelStillGivesItsExpectedOutputs(Path model) {
    Path file = model.resolve("model.onnx");
    Graph standard = LoadedModel.load(file).simplified();
    Graph rewritten = LoadedModel.load(file, FuseDecomposedRotary.NAME).simplified();
    long rotaries = standard.nodes().stream().filter(n -> n.opType().equals("Neg")).count();
    assertTrue(rotaries > 0, model + " has no Neg: not the export this test knows");
    assertEquals(
        rotaries,
        rewritten.nodes().stream().filter(n -> n.opType().equals("RotaryEmbedding")).count(),
        "every rotate_half is one RotaryEmbedding");
    assertTrue(
        rewritten.nodes().stream()
            .noneMatch(n -> n.opType().equals("Neg") || n.opType().equals("Slice")),
        "no rotate_half node is left");
    Reference.assertExpectedOutputs(model, rewritten);
  }

  @Test
  void aDecomposedRotaryIsOneLaunchOnOpenClThatMatchesTheReference() {
    LoadedModel model = handMade(17);
    try (Executable executable =
        TestDevice.compile(model, folder.resolve("opencl.oclc"), ranges(model), true)) {
      assertOneRotaryLaunch(executable.manifest());
      assertAgreesWithTheReference(executable, model);
    }
  }

  @Test
  void aDecomposedRotaryIsOneLaunchOfAJavaKernelThatMatchesTheReference() {
    LoadedModel model = handMade(17);
    try (JavaExecutable executable =
        JavaDevice.compile(model, folder.resolve("java.oclc"), ranges(model), true)) {
      assertOneRotaryLaunch(executable.manifest());
      assertTrue(
          JavaLowering.fallbackNodes(executable.manifest()).isEmpty(),
          "computed by the rotary kernel, not the reference fallback");
      assertAgreesWithTheReference(executable, model);
    }
  }

  @Test
  void beforeOpset13TheUnsqueezeAxesAttributeIsReadAndTheRotaryFusedAlike() {
    LoadedModel model = handMade(11);
    try (JavaExecutable executable =
        JavaDevice.compile(model, folder.resolve("opset11.oclc"), ranges(model), true)) {
      assertOneRotaryLaunch(executable.manifest());
      assertAgreesWithTheReference(executable, model);
    }
  }

  /** The half tables, then the one rotary launch in place of the pattern. */
  private static void assertOneRotaryLaunch(Manifest manifest) {
    List<NodeLaunches> launches = manifest.nodes();
    assertEquals(
        List.of("rope/cos/half", "rope/sin/half", "rope/sum"),
        launches.stream().map(NodeLaunches::name).toList());
    assertEquals("RotaryEmbedding", launches.getLast().opType());
    assertEquals(PATTERN, launches.getLast().fused());
  }

  private static void assertAgreesWithTheReference(CompiledModel executable, LoadedModel model) {
    Random random = new Random(5);
    Tensor x = Tensor.allocate(DType.FLOAT32, 3, 4, 7, 32);
    Tensor freqs = Tensor.allocate(DType.FLOAT32, 3, 7, 16);
    for (int i = 0; i < x.size(); i++) {
      x.setFloat(i, (float) random.nextGaussian());
    }
    for (int i = 0; i < freqs.size(); i++) {
      freqs.setFloat(i, (float) (random.nextDouble() * 40));
    }
    Map<String, Tensor> inputs = Map.of("x", x, "freqs", freqs);
    Tensor expected = new ReferenceExecutor().run(model.simplified(), inputs).get("y");
    try (Session session = executable.newSession().poisonBuffers(true)) {
      inputs.forEach(session::bind);
      session.run();
      double error = Comparison.relativeL2(expected, session.output("y"));
      assertTrue(error <= 1e-6, "relative L2 " + error);
    }
  }

  /**
   * y = x · cos + rotate_half(x) · sin over heads of 32, the tables {@code Cos}/{@code
   * Sin}(Concat(freqs, freqs)) unsqueezed over the heads, as Hugging Face's Llama writes it, in
   * {@code opset}.
   */
  private static LoadedModel handMade(long opset) {
    Dim batch = Dim.symbol("batch");
    Dim sequence = Dim.symbol("sequence");
    Map<String, Constant> constants = new LinkedHashMap<>();
    constants.put("zero", ints(0));
    constants.put("half", ints(16));
    constants.put("end", ints(Long.MAX_VALUE));
    constants.put("last", ints(-1));
    constants.put("heads_axis", ints(1));
    Attributes lastAxis = new Attributes(Map.of("axis", new Attribute.IntValue(-1)));
    List<Node> nodes =
        List.of(
            new Node("rope/emb", "", "Concat", List.of("freqs", "freqs"), List.of("emb"), lastAxis),
            Node.of("rope/cos", "Cos", "emb", "cos"),
            Node.of("rope/sin", "Sin", "emb", "sin"),
            overHeads("rope/cos_heads", "cos", "cos4", opset),
            overHeads("rope/sin_heads", "sin", "sin4", opset),
            Node.of("rope/mul_cos", "Mul", "x", "cos4", "xc"),
            Node.of("rope/upper", "Slice", "x", "half", "end", "last", "x2"),
            Node.of("rope/neg", "Neg", "x2", "nx2"),
            Node.of("rope/lower", "Slice", "x", "zero", "half", "last", "x1"),
            new Node("rope/rotated", "", "Concat", List.of("nx2", "x1"), List.of("r"), lastAxis),
            Node.of("rope/mul_sin", "Mul", "r", "sin4", "rs"),
            Node.of("rope/sum", "Add", "xc", "rs", "y"));
    TensorType xType =
        new TensorType(DType.FLOAT32, Shape.of(batch, Dim.of(4), sequence, Dim.of(32)));
    TensorType freqsType = new TensorType(DType.FLOAT32, Shape.of(batch, sequence, Dim.of(16)));
    Graph graph =
        new Graph(
            "rope",
            List.of(new ValueInfo("x", xType), new ValueInfo("freqs", freqsType)),
            List.of(new ValueInfo("y", xType)),
            nodes,
            constants,
            Map.of(),
            List.of(),
            Map.of("", opset));
    return new LoadedModel(Path.of("rope", "rope.onnx"), graph, Passes.runStandard(graph));
  }

  /** Unsqueeze on axis 1: the axes an input from opset 13, an attribute before. */
  private static Node overHeads(String name, String table, String output, long opset) {
    return opset >= 13
        ? Node.of(name, "Unsqueeze", table, "heads_axis", output)
        : new Node(
            name,
            "",
            "Unsqueeze",
            List.of(table),
            List.of(output),
            new Attributes(Map.of("axes", new Attribute.Ints(new long[] {1}))));
  }

  private static Constant ints(long value) {
    return new Constant.Data(Tensor.ofLongs(new long[] {1}, new long[] {value}));
  }

  private static SizeRanges ranges(LoadedModel model) {
    return SizeRanges.forGraph(
        model.simplified(),
        Map.of("batch", new SizeRanges.Interval(1, 4), "sequence", new SizeRanges.Interval(1, 16)),
        Map.of(),
        true);
  }
}
